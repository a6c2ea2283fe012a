"""The REST API, version 1: the same JSON as the command line's scripted protocol.

Every route takes ``Authorization: Bearer TOKEN``. 401 without a valid token, 403 for
a role that may not, 404 for an unknown integration, 409 when the answers changed
under the caller (or a file of the workspace is in the way), 422 with a message per
field for a value refused (an unknown question id included).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from interlock.errors import InterlockError, NotAssignedError
from interlock.folders.integration import IntegrationFolder
from interlock.folders.results import Submission
from interlock.interview.answers import AnswerSheet
from interlock.interview.batch import AnswerBatch
from interlock.interview.store import check_integration_name
from interlock.server.app import Team, api_caller, needs
from interlock.server.documents import document_names, read_document
from interlock.server.roles import Role
from interlock.server.state import Caller

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid token"},
    403: {"description": "The caller's role (or phase assignments) may not do this"},
    404: {"description": "No such integration or document"},
    409: {"description": "The answers changed since the revision given, or a file is in the way"},
    413: {"description": "The request body is over 1 MB"},
    422: {"description": "A value refused, with a message per field"},
    429: {"description": "Too many wrong tokens from this address; see Retry-After"},
}

router = APIRouter(prefix="/api/v1", tags=["api"], responses=_ERRORS)
Viewer = Annotated[Caller, needs(Role.VIEWER)]
Answerer = Annotated[Caller, needs(Role.ANSWERER)]
Approver = Annotated[Caller, needs(Role.APPROVER)]
Admin = Annotated[Caller, needs(Role.ADMIN)]
Name = Annotated[str, "the integration's name"]
NO_NUL = r"^[^\x00]*$"
"""Text kept in the database: PostgreSQL refuses the NUL character in text."""


class NewIntegration(BaseModel):
    """An interview to start."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, examples=["payments-stripe"])
    template: str = Field("integration", min_length=1, max_length=100)
    depth: Literal["quick", "standard", "full"] | None = None


class Answers(BaseModel):
    """Answers given together: all are saved, or none."""

    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(min_length=1, examples=[{"problem.why": "Take payments"}])
    by: str | None = Field(None, min_length=1, max_length=200, description="Who answered")
    revision: str | None = Field(
        None, description="The revision of the round answered; 409 if the answers changed since"
    )


class Skip(BaseModel):
    """A question that cannot be answered now."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    reason: str = Field(min_length=1, pattern=r"\S")
    owner: str = ""
    revision: str | None = None


class Approval(BaseModel):
    """An approval of the documents as they are now."""

    model_config = ConfigDict(extra="forbid")
    role: str = Field(min_length=1, max_length=200)
    comment: str = Field("", max_length=10_000)


class ValidateRequest(BaseModel):
    """What to validate."""

    model_config = ConfigDict(extra="forbid")
    integration: str | None = Field(None, description="Only this integration's folder")
    preset: Literal["draft", "review", "production"] | None = None


class NewComment(BaseModel):
    """A comment on ``question:ID`` or ``DOCUMENT#ANCHOR``."""

    model_config = ConfigDict(extra="forbid")
    target: str = Field(min_length=1, max_length=400, pattern=NO_NUL)
    body: str = Field(min_length=1, max_length=10_000, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")


class PhaseAssignment(BaseModel):
    """A phase given to (or taken back from) a person."""

    model_config = ConfigDict(extra="forbid")
    phase: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    person: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    remove: bool = Field(False, description="Take the phase back instead")


def _refused(field: str, error: InterlockError) -> HTTPException:
    """422 for one field of the body, as pydantic words it, with the core's hint."""
    return HTTPException(
        422,
        [{"loc": ["body", field], "msg": error.message, "type": "value_error", "hint": error.hint}],
    )


@router.get("/integrations", summary="List the integrations")
def list_integrations(server: Team, _caller: Viewer) -> dict[str, Any]:
    """Every integration with its progress, signals and open questions."""
    statuses = server.workspace.statuses()
    return {"integrations": [status.to_dict() for status in statuses]}


@router.post("/integrations", status_code=201, summary="Start an integration's interview")
def create_integration(body: NewIntegration, server: Team, caller: Answerer) -> dict[str, Any]:
    """Start the interview; the answer is its first round, as ``next`` gives it."""
    try:
        name = check_integration_name(body.name)
    except InterlockError as error:
        raise _refused("name", error) from None
    if name in server.workspace.integration_names():
        raise HTTPException(409, f"an integration named {name!r} exists")
    folder = server.workspace.integration(name)
    try:
        # Before the answers file is written: a bank that does not load would leave
        # an integration behind that nothing can open.
        folder.engine(AnswerSheet(name=name, template=body.template))
    except InterlockError as error:
        raise _refused("template", error) from None

    def start() -> dict[str, Any]:
        with folder.interview(template=body.template, depth=body.depth, by=caller.name) as s:
            return {**s.next_round().to_dict(), "revision": folder.store.revision}

    data = start()
    server.state.record(caller.name, "create", name, template=body.template, depth=body.depth)
    return {"name": name, **data}


@router.get("/integrations/{name}", summary="Where an integration stands")
def integration_status(name: Name, server: Team, _caller: Viewer) -> dict[str, Any]:
    """Progress, signals, open questions and checklist."""
    folder = server.folder(name)
    data: dict[str, Any] = folder.status().to_dict()
    data["revision"] = folder.store.revision
    return data


@router.get("/integrations/{name}/next", summary="The next round of questions")
def next_round(name: Name, server: Team, _caller: Viewer) -> dict[str, Any]:
    """The next questions, as ``interlock interview NAME --next --json`` prints them, and
    the answers' ``revision`` to send back with the answers."""
    folder = server.folder(name)
    data: dict[str, Any] = server.rounds.next_round(folder)
    return data


def submit(
    server: Team,
    caller: Caller,
    folder: IntegrationFolder,
    batch: AnswerBatch,
    *,
    by: str,
    revision: str | None,
) -> Submission:
    """Save ``batch`` (:meth:`TeamServer.submit`); a refusal is 403 for a phase not
    assigned, else 422, naming each answer refused."""
    submitted = server.submit(caller, folder, batch, by=by, revision=revision)
    if submitted.refused:
        status = 403 if any(isinstance(e, NotAssignedError) for _, e in submitted.refused) else 422
        where = "answers" if batch.answers else "id"
        raise HTTPException(
            status,
            [
                {
                    "loc": ["body", where, question_id] if batch.answers else ["body", where],
                    "msg": error.message,
                    "type": "not_assigned" if isinstance(error, NotAssignedError) else "refused",
                    "hint": error.hint,
                }
                for question_id, error in submitted.refused
            ],
        )
    return submitted


def _saved(submitted: Submission, batch: AnswerBatch) -> dict[str, Any]:
    assert submitted.next_round is not None
    data = submitted.next_round.to_dict()
    data["accepted"] = [question_id for question_id, _ in batch.answers]
    data["skipped"] = list(batch.skips)
    data["warnings"] = [warning.to_dict() for warning in submitted.warnings]
    data["revision"] = submitted.revision
    return data


@router.post("/integrations/{name}/answers", summary="Answer questions, all or none")
def answer(name: Name, body: Answers, server: Team, caller: Answerer) -> dict[str, Any]:
    """Save every answer, or none; a refusal names each answer refused and why."""
    folder = server.folder(name)
    batch = AnswerBatch(answers=tuple(body.answers.items()))
    submitted = submit(
        server, caller, folder, batch, by=body.by or caller.name, revision=body.revision
    )
    server.state.record(caller.name, "answer", name, questions=sorted(body.answers), by=body.by)
    return _saved(submitted, batch)


@router.post("/integrations/{name}/skips", summary="Skip a question, with a reason")
def skip(name: Name, body: Skip, server: Team, caller: Answerer) -> dict[str, Any]:
    """The question becomes an open question, with the reason and the owner."""
    folder = server.folder(name)
    batch = AnswerBatch(skips=(body.id,), reason=body.reason, owner=body.owner)
    submitted = submit(server, caller, folder, batch, by=caller.name, revision=body.revision)
    server.state.record(caller.name, "skip", name, question=body.id, reason=body.reason)
    return _saved(submitted, batch)


@router.get("/integrations/{name}/documents", summary="The integration's documents")
def documents(name: Name, server: Team, _caller: Viewer) -> dict[str, Any]:
    """The documents in the integration's folder, with their digests."""
    folder = server.folder(name)
    return {"documents": document_names(folder)}


@router.get(
    "/integrations/{name}/documents/{document}",
    summary="One document, as Markdown or sanitised HTML",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {}, "text/html": {}}}},
)
def document(
    name: Name,
    document: str,
    server: Team,
    _caller: Viewer,
    format: Annotated[Literal["markdown", "html"], Query()] = "markdown",
) -> Response:
    """The document's text; ``?format=html`` gives it as sanitised HTML."""
    folder = server.folder(name)
    text = read_document(folder, document)
    if format == "html":
        from interlock.server.markdown_html import sanitised_html

        return Response(sanitised_html(text), media_type="text/html; charset=utf-8")
    return Response(text, media_type="text/markdown; charset=utf-8")


@router.post("/integrations/{name}/render", summary="Render the documents from the answers")
def render(name: Name, server: Team, caller: Answerer) -> dict[str, Any]:
    """Write the documents; one edited by hand is never overwritten (409 says which)."""
    folder = server.folder(name)
    rendered = folder.render(author=caller.name)
    written = rendered.written
    data = {
        "documents": sorted(rendered.documents),
        "written": sorted(path.name for path in written.written) if written else [],
        "unchanged": sorted(path.name for path in written.unchanged) if written else [],
        "open_questions": len(rendered.open_questions),
    }
    server.state.record(caller.name, "render", name, written=data["written"])
    return data


@router.post("/validate", summary="Validate spec documents")
def validate(body: ValidateRequest, server: Team, _caller: Viewer) -> dict[str, Any]:
    """The findings, as ``interlock validate --format json`` reports them."""
    folder = server.folder(body.integration) if body.integration else None
    targets = [folder.path] if folder else []
    return server.workspace.validation_report(targets, preset=body.preset, jobs=1)


@router.get("/integrations/{name}/approvals", summary="Approvals, current and stale")
def approvals(name: Name, server: Team, _caller: Viewer) -> dict[str, Any]:
    """Every approval judged against the documents as they are now, and the roles
    still missing, as ``interlock approvals --json`` prints them."""
    folder = server.folder(name)
    review = folder.approvals()
    data: dict[str, Any] = review.to_dict(review.record.path.relative_to(server.root).as_posix())
    return data


@router.post(
    "/integrations/{name}/approvals", status_code=201, summary="Approve the documents as they are"
)
def approve(name: Name, body: Approval, server: Team, caller: Approver) -> dict[str, Any]:
    """Record an approval bound to the documents' digest: an edit makes it stale."""
    folder = server.folder(name)
    recorded = folder.approve(body.role, by=caller.name, comment=body.comment)
    review = recorded.review
    data: dict[str, Any] = review.to_dict(recorded.record_path.relative_to(server.root).as_posix())
    server.state.record(
        caller.name, "approve", name, role=recorded.approval.role, digest=recorded.approval.digest
    )
    return data


@router.get("/integrations/{name}/comments", summary="Comments on questions and sections")
def comments(name: Name, server: Team, _caller: Viewer) -> dict[str, Any]:
    """Every comment on the integration, oldest first."""
    server.folder(name)
    return {"comments": [comment.to_dict() for comment in server.state.comments(name)]}


@router.post("/integrations/{name}/comments", status_code=201, summary="Comment")
def comment(name: Name, body: NewComment, server: Team, caller: Viewer) -> dict[str, Any]:
    """Comment on ``question:ID`` or ``DOCUMENT#ANCHOR``; every role may."""
    server.folder(name)
    added = server.state.add_comment(name, body.target, body.body, caller.name)
    server.state.record(caller.name, "comment", name, target=body.target)
    return added.to_dict()


@router.get("/integrations/{name}/assignments", summary="Who answers which phase")
def assignments(name: Name, server: Team, _caller: Viewer) -> dict[str, Any]:
    """Phase id → the people it is assigned to; a person with none answers every phase."""
    server.folder(name)
    return {"assignments": server.state.assignments(name)}


@router.post("/integrations/{name}/assignments", status_code=201, summary="Assign a phase")
def assign(name: Name, body: PhaseAssignment, server: Team, caller: Admin) -> dict[str, Any]:
    """Give a phase to a person to answer, or take it back with ``remove`` (admin)."""
    folder = server.folder(name)
    phases = [phase.id for phase in folder.engine(folder.sheet()).bank.phases]
    if body.phase not in phases:
        raise HTTPException(
            422,
            [
                {
                    "loc": ["body", "phase"],
                    "msg": f"the interview has no phase {body.phase!r}",
                    "type": "value_error",
                    "hint": f"phases: {', '.join(phases)}",
                }
            ],
        )
    if body.remove:
        server.state.unassign(name, body.phase, body.person)
        server.state.record(caller.name, "unassign", name, phase=body.phase, person=body.person)
    else:
        server.state.assign(name, body.phase, body.person)
        server.state.record(caller.name, "assign", name, phase=body.phase, person=body.person)
    return {"assignments": server.state.assignments(name)}


@router.get("/audit", summary="Who did what, when")
def audit(
    server: Team,
    _caller: Viewer,
    integration: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """The newest lines of the audit log, newest first."""
    entries = server.state.audit(integration=integration, limit=limit)
    return {"events": [entry.to_dict() for entry in entries]}


@router.get("/me", summary="Who the token belongs to")
def me(caller: Annotated[Caller, Depends(api_caller)]) -> dict[str, Any]:
    """The caller's name and role."""
    return {"name": caller.name, "role": caller.role.label}
