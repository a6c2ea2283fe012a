"""``interlock mcp``: the interview, its documents and the validator, served to AI agents.

An agent (Claude Code, Cursor, VS Code, any MCP client) talks to the person; Interlock
chooses the questions and keeps the record. Every tool is a thin call to the same core
object the command line uses (:class:`~interlock.folders.workspace.WorkspaceFolder` and
its :class:`~interlock.folders.integration.IntegrationFolder`), so answers go through the
same checks, under the same answers-file lock, as ``interlock interview --answer``.

What an agent cannot do here: approve (approval is a person's act, with ``interlock
approve``), read or write outside the workspace, fetch a remote document, or write at
all under ``--read-only``. A bad call is a tool result with ``isError`` and a message
saying what to do, never a crash of the server.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import CallToolResult, Resource, TextContent
from pydantic import Field

from interlock import __version__
from interlock.errors import AnswerError, InterlockError
from interlock.interview.files import INTERVIEW_FILE
from interlock.mcp_server.paths import inside_workspace
from interlock.mcp_server.prompt import PLAN_INTEGRATION

if TYPE_CHECKING:
    from interlock.folders.integration import IntegrationFolder
    from interlock.folders.workspace import WorkspaceFolder
    from interlock.interview.batch import AnswerBatch

SERVER_NAME = "interlock"
RULES_URI = "interlock://rules"
_DOCUMENT = "interlock://{name}/{document}"
_RESEARCH = "interlock://{name}/research/{system}"

_T = TypeVar("_T")
Name = Annotated[str, Field(description="The integration's name, e.g. payments-stripe")]


class InterlockServer(MCPServer):
    """The MCP server of one workspace; its resource list follows the files on disk."""

    def __init__(self, root: Path, *, read_only: bool) -> None:
        super().__init__(
            SERVER_NAME,
            version=__version__,
            instructions=PLAN_INTEGRATION.instructions,
            log_level="WARNING",
        )
        self.root = root
        self.read_only = read_only
        _register(self)

    @cached_property
    def workspace(self) -> WorkspaceFolder:
        """The core object the tools call, loaded at the first call: the server answers
        a client's first request without waiting for it."""
        from interlock.folders.workspace import WorkspaceFolder

        return WorkspaceFolder(self.root)

    async def list_resources(self) -> list[Resource]:
        """List the rules, and each integration's answers, documents and research notes."""
        listed = [
            Resource(
                uri=RULES_URI,
                name="rules",
                description="Every validator rule: what it checks, its severity, how to fix it",
                mime_type="text/markdown",
            )
        ]
        for name in self.workspace.integration_names():
            try:
                listed.extend(_resources_of(self.workspace.integration(name)))
            except (InterlockError, OSError):
                continue  # its status names the problem; the other integrations are listed
        return listed


def _resources_of(folder: IntegrationFolder) -> list[Resource]:
    """The answers file, documents and research notes of one integration."""
    name = folder.name
    listed = [
        Resource(
            uri=f"interlock://{name}/{path.name}",
            name=f"{name}/{path.name}",
            mime_type="application/yaml" if path.name == INTERVIEW_FILE else "text/markdown",
        )
        for path in _documents(folder)
    ]
    listed.extend(
        Resource(
            uri=f"interlock://{name}/research/{note.note.name}",
            name=f"{name}/research/{note.note.name}",
            mime_type="text/markdown",
        )
        for note in folder.research_notes()
        if _own_file(note.note, folder.research_path)
    )
    return listed


def build_server(root: Path, *, read_only: bool = False) -> InterlockServer:
    """Return the MCP server of the workspace at ``root``; ``read_only`` refuses every
    writing tool."""
    return InterlockServer(root, read_only=read_only)


def _register(server: InterlockServer) -> None:
    root = server.root

    def folder_of(name: str, *, begun: bool = True) -> IntegrationFolder:
        folder = _call(lambda: server.workspace.integration(name))
        if begun and not folder.exists():
            known = ", ".join(server.workspace.integration_names()) or "none yet"
            raise ToolError(
                f"no integration named {name!r} (known: {known}); start one with start_interview"
            )
        return folder

    def writable(tool: str) -> None:
        if server.read_only:
            raise ToolError(
                f"{tool} writes to the workspace, and this server was started with --read-only"
            )

    @server.tool()
    def list_integrations() -> CallToolResult:
        """List the workspace's integrations: template, depth, progress, signals met and
        open questions of each."""
        statuses = [status.to_dict() for status in _call(lambda: server.workspace.statuses())]
        lines = [_status_line(status) for status in statuses] or ["No integrations yet."]
        return _result({"integrations": statuses}, "\n".join(lines))

    @server.tool()
    def start_interview(
        name: Name,
        template: Annotated[str, Field(description="The question bank")] = "integration",
        depth: Annotated[
            Literal["quick", "standard", "full"] | None,
            Field(
                description="How many questions are asked; a new interview is standard, "
                "one begun keeps its depth unless given"
            ),
        ] = None,
    ) -> CallToolResult:
        """Start an integration's interview (or open the one begun) and return its first
        round of questions, as next_questions does."""
        writable("start_interview")
        folder = folder_of(name, begun=False)

        def start() -> dict[str, Any]:
            with folder.interview(template=template, depth=depth) as session:
                return session.next_round().to_dict()

        data = _call(start)
        return _result(data, _round_summary(name, data))

    @server.tool()
    def next_questions(name: Name) -> CallToolResult:
        """Return the next round: each question's id, prompt, kind, options with their
        trade-offs and the recommended one, help and why it is asked; progress and
        signals. The same data as `interlock interview NAME --next --json`."""
        data = _call(lambda: folder_of(name).next_round().to_dict())
        return _result(data, _round_summary(name, data))

    @server.tool()
    def answer(
        name: Name,
        answers: Annotated[
            dict[str, Any],
            Field(description="Question id → the person's answer, in the question's kind"),
        ],
        by: Annotated[str | None, Field(description="Who answered")] = None,
    ) -> CallToolResult:
        """Record answers the person gave. All of them are checked first: if one is
        refused, none is saved, and the error names it with the reason."""
        writable("answer")
        if not answers:
            raise ToolError("no answers given: pass {question id: value}")
        folder = folder_of(name)
        from interlock.interview.batch import AnswerBatch

        return _submitted(folder, AnswerBatch(answers=tuple(answers.items())), by, name)

    @server.tool()
    def skip(
        name: Name,
        id: Annotated[str, Field(description="The question id")],
        reason: Annotated[str, Field(description="Why it cannot be answered now")],
        owner: Annotated[str, Field(description="Who will answer it")] = "",
        by: Annotated[str | None, Field(description="Who decided to skip it")] = None,
    ) -> CallToolResult:
        """Skip a question the person cannot answer now; it stays an open question, with
        the reason and the owner, in the documents."""
        writable("skip")
        if not reason.strip():
            raise ToolError("a skip needs a reason: it is what the documents show")
        folder = folder_of(name)
        from interlock.interview.batch import AnswerBatch

        return _submitted(folder, AnswerBatch(skips=(id,), reason=reason, owner=owner), by, name)

    @server.tool()
    def revise(
        name: Name,
        id: Annotated[str, Field(description="The question id")],
        value: Annotated[Any, Field(description="The new answer")],
        by: Annotated[str | None, Field(description="Who answered")] = None,
    ) -> CallToolResult:
        """Change an answer given earlier; questions that depend on it follow."""
        writable("revise")
        folder = folder_of(name)
        from interlock.interview.batch import AnswerBatch

        return _submitted(folder, AnswerBatch(answers=((id, value),)), by, name)

    @server.tool()
    def status(name: Name) -> CallToolResult:
        """Return an integration's progress, signals, open questions and checklist."""
        data = _call(lambda: folder_of(name).status().to_dict())
        return _result(data, _status_line(data))

    @server.tool()
    def research_openapi(
        name: Name,
        path: Annotated[str, Field(description="An OpenAPI document inside the workspace")],
        system_name: Annotated[str, Field(description="The external system it describes")],
    ) -> CallToolResult:
        """Research an external system from its OpenAPI document: write its research note
        and prefill the interview. Only files inside the workspace are read."""
        writable("research_openapi")
        folder = folder_of(name)
        document = inside_workspace(root, path)
        result = _call(lambda: folder.research(str(document), system_name=system_name))
        note = result.note.relative_to(root).as_posix()
        data = {
            "note": note,
            "resource": f"interlock://{name}/research/{result.note.name}",
            "answered": list(result.prefill.answered),
            "proposed": dict(result.prefill.proposed),
        }
        return _result(data, f"Wrote {note}.")

    @server.tool()
    def research_asyncapi(
        name: Name,
        path: Annotated[str, Field(description="An AsyncAPI document inside the workspace")],
        system_name: Annotated[str, Field(description="The system whose events it describes")],
    ) -> CallToolResult:
        """Research an event API from its AsyncAPI document: write its research note.
        Only files inside the workspace are read."""
        writable("research_asyncapi")
        folder = folder_of(name)
        document = inside_workspace(root, path)
        result = _call(lambda: folder.research_events(str(document), system_name=system_name))
        note = result.note.relative_to(root).as_posix()
        data = {"note": note, "resource": f"interlock://{name}/research/{result.note.name}"}
        return _result(data, f"Wrote {note}.")

    @server.tool()
    def render(name: Name) -> CallToolResult:
        """Render the integration's documents from the answers; return the files written.
        A document edited by hand is never overwritten (the error says which)."""
        writable("render")
        folder = folder_of(name)
        rendered = _call(lambda: folder.render())
        written = sorted(rendered.documents)
        data = {
            "folder": folder.path.relative_to(root).as_posix(),
            "documents": written,
            "resources": [f"interlock://{name}/{document}" for document in written],
            "open_questions": len(rendered.open_questions),
        }
        return _result(data, f"Rendered {', '.join(written)}.")

    @server.tool()
    def validate(
        paths: Annotated[
            list[str] | None, Field(description="Files or folders in the workspace; specs/ if none")
        ] = None,
        preset: Annotated[
            str | None, Field(description="draft, review or production; the workspace's if none")
        ] = None,
    ) -> CallToolResult:
        """Validate spec documents; return the findings as `interlock validate --format
        json` has them."""
        targets = [inside_workspace(root, given) for given in paths or ["specs"]]
        data = _call(lambda: server.workspace.validation_report(targets, preset=preset))
        summary = data["summary"]
        text = (
            f"{summary['files']} file(s): {summary['errors']} error(s), "
            f"{summary['warnings']} warning(s), {summary['infos']} info(s), "
            f"score {summary['score']}; {'failed' if summary['failed'] else 'passed'}."
        )
        return _result(data, text)

    @server.resource(RULES_URI, name="rules", mime_type="text/markdown")
    def rules() -> str:
        """Every validator rule: what it checks, its severity, how to fix it."""
        from interlock.validate.rule_docs import rules_markdown

        return rules_markdown()

    @server.resource(_DOCUMENT, name="document", mime_type="text/markdown")
    def document(name: str, document: str) -> str:
        """A rendered document of an integration, or its answers file."""
        folder = folder_of_resource(name)
        for path in _documents(folder):
            if path.name == document:
                return path.read_text(encoding="utf-8")
        raise ResourceNotFoundError(f"{name} has no document {document!r}")

    @server.resource(_RESEARCH, name="research note", mime_type="text/markdown")
    def research_note(name: str, system: str) -> str:
        """The research note of one external system of an integration."""
        folder = folder_of_resource(name)
        for note in folder.research_notes():
            if _own_file(note.note, folder.research_path) and note.note.name == system:
                return note.note.read_text(encoding="utf-8")
        raise ResourceNotFoundError(f"{name} has no research note {system!r}")

    def folder_of_resource(name: str) -> IntegrationFolder:
        if name not in server.workspace.integration_names():
            raise ResourceNotFoundError(f"no integration named {name!r}")
        return server.workspace.integration(name)

    @server.prompt(name="plan-integration", description=PLAN_INTEGRATION.description)
    def plan_integration(name: Annotated[str, Field(description="The integration's name")]) -> str:
        return PLAN_INTEGRATION.text(name)


def _submitted(
    folder: IntegrationFolder, batch: AnswerBatch, by: str | None, name: str
) -> CallToolResult:
    """Save ``batch`` whole, or refuse it whole naming every answer refused and why."""
    submitted = _call(lambda: folder.submit(batch, by=by))
    if submitted.next_round is None:
        return _refused(list(submitted.refused))
    data = submitted.next_round.to_dict()
    data["accepted"] = [question_id for question_id, _ in batch.answers]
    data["skipped"] = list(batch.skips)
    if submitted.warnings:
        data["warnings"] = [warning.to_dict() for warning in submitted.warnings]
    saved = len(batch.answers) + len(batch.skips)
    return _result(data, f"Saved {saved}. " + _round_summary(name, data))


def _refused(refused: list[tuple[str, AnswerError]]) -> CallToolResult:
    errors = [
        {"id": question_id, "message": error.message, "hint": error.hint}
        for question_id, error in refused
    ]
    lines = [
        f"{item['id']}: {item['message']}" + (f" ({item['hint']})" if item["hint"] else "")
        for item in errors
    ]
    text = "Nothing was saved; refused:\n" + "\n".join(lines)
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content={"errors": errors},
        is_error=True,
    )


def _own_file(path: Path, folder: Path) -> bool:
    """Whether ``path`` is a regular file of ``folder`` itself, not a link."""
    return path.parent == folder and path.is_file() and not path.is_symlink()


def _documents(folder: IntegrationFolder) -> list[Path]:
    """The answers file and the Markdown documents of an integration's folder."""
    if not folder.path.is_dir():
        return []
    found = sorted(
        path
        for path in folder.path.iterdir()
        if path.is_file() and not path.is_symlink() and path.suffix == ".md"
    )
    answers = folder.path / INTERVIEW_FILE
    return [answers, *found] if answers.is_file() and not answers.is_symlink() else found


def _call(action: Callable[[], _T]) -> _T:
    """Run a core call; an error the user can fix becomes the tool's error message."""
    try:
        return action()
    except InterlockError as error:
        message = str(error)
        if error.hint:
            message += f" ({error.hint})"
        raise ToolError(message) from None


def _result(data: dict[str, Any], summary: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=summary)], structured_content=data)


def _round_summary(name: str, data: dict[str, Any]) -> str:
    if data.get("complete"):
        return f"The {name} interview is complete: render it, then validate."
    questions = data.get("questions", [])
    ids = ", ".join(question["id"] for question in questions)
    return f"Next for {name}: {len(questions)} question(s): {ids}."


def _status_line(status: dict[str, Any]) -> str:
    if "error" in status:
        return f"{status['name']}: {status['error']}"
    progress = status.get("progress", {})
    signals = status.get("signals", [])
    met = sum(1 for signal in signals if signal.get("met") or signal.get("waived"))
    state = "complete" if status.get("complete") else "in progress"
    return (
        f"{status['name']}: {state}, {progress.get('answered', 0)} answered, "
        f"{met}/{len(signals)} signals, {len(status.get('open_questions', []))} open question(s)"
    )


__all__ = ["RULES_URI", "SERVER_NAME", "InterlockServer", "build_server"]
