"""The team server's pages: sign in, the integrations, an interview round by round,
the documents with their findings, comments and approvals, and the audit log.

Every page is rendered on the server and works without JavaScript; the one script
(``static/interlock.js``) only reloads an interview page when someone else answers.
A browser signs in once with its token and then carries the ``interlock_session``
cookie; every form that changes something posts the session's form token in a hidden
``csrf`` field, and the server checks it and the person's role on every such post (a
hidden button is never the only guard). Changes go through the same core calls as the
REST API and are written to the audit log.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from interlock.atomic_file import content_digest
from interlock.errors import InterlockError, NotAssignedError
from interlock.folders.integration import IntegrationFolder
from interlock.interview.batch import AnswerBatch
from interlock.interview.schema import DEPTHS
from interlock.interview.store import check_integration_name
from interlock.server.answer_form import Typed, answer_batches, typed_answers
from interlock.server.app import Team, TeamServer, http_error
from interlock.server.documents import document_names, read_document
from interlock.server.reports import Reports
from interlock.server.roles import Role
from interlock.server.state import Caller, CommentEntry
from interlock.server.visitors import (
    SESSION_COOKIE,
    Acting,
    AsAdmin,
    AsAnswerer,
    AsApprover,
    AsViewer,
    Form,
    Redirect,
    SignedIn,
    Visitor,
    session_of,
)

__all__ = ["mount_static", "router"]

LIVE_FOR = 300.0
"""Seconds an interview page's event stream stays open; the script opens a new one."""
POLL_EVERY = 1.0
"""Seconds between two looks at the answers file for the event stream."""
HEARTBEAT_EVERY = 15.0
"""Seconds between two comments on a quiet event stream, so a closed one is noticed."""
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_FLASH = {
    "commented": "Your comment was added.",
    "assigned": "The phase was assigned.",
    "unassigned": "The phase was taken back.",
    "approved": "Your approval was recorded.",
    "signed-out": "You signed out.",
}

_pages = Environment(
    loader=PackageLoader("interlock.server", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    visitor: Visitor | None = getattr(request.state, "visitor", None)
    html = _pages.get_template(template).render(visitor=visitor, flash=_flash(request), **context)
    return HTMLResponse(html, status_code=status_code)


def _error_page(request: Request, error: HTTPException) -> HTMLResponse:
    detail = error.detail
    message, hint = str(detail), ""
    if isinstance(detail, dict):
        message, hint = str(detail.get("message", "")), str(detail.get("hint", ""))
    response = _page(
        request,
        "error.html",
        error.status_code,
        status=error.status_code,
        message=message,
        hint=hint,
    )
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


class _PageRoute(APIRoute):
    """A page's route: a refusal is shown as a page, not as JSON, and a visitor who
    is not signed in is sent to the sign-in page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handle(request)
            except Redirect as redirect:
                return RedirectResponse(redirect.location, status_code=303)
            except HTTPException as error:
                return _error_page(request, error)
            except InterlockError as error:
                return _error_page(request, http_error(error))

        return page


router = APIRouter(route_class=_PageRoute, include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """Serve the pages' style sheet and script at ``/static``."""
    app.mount("/static", StaticFiles(packages=[("interlock.server", "static")]), name="static")


def _flash(request: Request) -> str | None:
    """The message a redirect after a change asked for; only known ones are shown."""
    query = request.query_params
    saved, skipped = query.get("saved", ""), query.get("skipped", "")
    if saved.isdigit() or skipped.isdigit():
        parts = []
        if saved.isdigit():
            parts.append(f"{saved} answer{'' if saved == '1' else 's'} saved")
        if skipped.isdigit():
            parts.append(f"{skipped} question{'' if skipped == '1' else 's'} skipped")
        return ", ".join(parts).capitalize() + "."
    rendered = query.get("rendered", "")
    if rendered.isdigit():
        return f"Rendered; {rendered} document{'' if rendered == '1' else 's'} written."
    return _FLASH.get(query.get("done", ""))


def _comments_by_target(server: TeamServer, name: str) -> dict[str, list[CommentEntry]]:
    """The comments on integration ``name``, by what they are on, oldest first."""
    found: dict[str, list[CommentEntry]] = {}
    for comment in server.state.comments(name):
        found.setdefault(comment.target, []).append(comment)
    return found


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _base(name: str) -> str:
    return f"/integrations/{quote(name, safe='')}"


# -- signing in and out ------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def sign_in_page(request: Request, server: Team) -> Response:
    """The sign-in form; a signed-in visitor goes on to the integrations."""
    if session_of(request, server) is not None:
        return _see("/integrations")
    return _page(request, "sign_in.html", message=None)


@router.post("/signin", response_class=HTMLResponse)
def sign_in(request: Request, server: Team, form: Form) -> Response:
    """Check the token (wrong ones are counted per address), open a session and set
    its cookie."""
    origin = request.headers.get("origin")
    if origin is not None and (
        origin == "null" or urlsplit(origin).netloc != request.headers.get("host")
    ):
        # A form on another site cannot sign this browser in as someone else.
        message = "This sign-in form came from another site; open this server's own page."
        return _page(request, "sign_in.html", 403, message=message)
    token = form.get("token", "")
    try:
        caller = server.check_token(request, token.strip() if isinstance(token, str) else "")
    except HTTPException as refused:
        message = (
            "Too many wrong tokens from this address; wait a minute, then try again."
            if refused.status_code == 429
            else "This token is not valid (or was revoked). Check it and try again."
        )
        page = _page(request, "sign_in.html", refused.status_code, message=message)
        wait = (refused.headers or {}).get("Retry-After")
        if wait:
            page.headers["Retry-After"] = wait
        return page
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        server.state.close_session(old)  # signing in again ends the session before
    cookie, _csrf = server.state.open_session(caller)
    server.state.record(caller.name, "signin")
    response = _see("/integrations")
    secure = request.url.scheme == "https" or (request.url.hostname or "") in _LOOPBACK
    response.set_cookie(
        SESSION_COOKIE, cookie, httponly=True, samesite="strict", secure=secure, path="/"
    )
    return response


@router.post("/signout")
def sign_out(server: Team, act: AsViewer) -> Response:
    """Close the session and forget its cookie."""
    server.state.close_session(act.visitor.cookie)
    server.state.record(act.caller.name, "signout")
    response = _see("/?done=signed-out")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


# -- the integrations --------------------------------------------------------------


_REPORTS = Reports()


def _summary(server: TeamServer, name: str) -> dict[str, Any]:
    """One row of the integrations page."""
    folder = server.workspace.integration(name)
    row: dict[str, Any] = {"name": name, "url": _base(name), "problem": None}
    try:
        row["status"] = folder.status().to_dict()
        row["approval"] = folder.approvals().status
        row["summary"] = _REPORTS.report(folder)["summary"]
        row["documents"] = len(document_names(folder))
    except InterlockError as error:
        row["problem"] = str(error)
    return row


@router.get("/integrations", response_class=HTMLResponse)
def integrations(request: Request, server: Team, visitor: SignedIn) -> Response:
    """Every integration with its progress, score and approval status."""
    return _integrations_page(request, server, visitor)


def _integrations_page(
    request: Request,
    server: TeamServer,
    visitor: Visitor,
    status_code: int = 200,
    message: str | None = None,
    typed: Mapping[str, str] | None = None,
) -> HTMLResponse:
    rows = [_summary(server, name) for name in server.workspace.integration_names()]
    return _page(
        request,
        "integrations.html",
        status_code,
        rows=rows,
        may_start=visitor.caller.may(Role.ANSWERER),
        depths=DEPTHS,
        message=message,
        typed=typed or {"name": "", "depth": "standard"},
    )


@router.post("/integrations", response_class=HTMLResponse)
def start_interview(request: Request, server: Team, act: AsAnswerer) -> Response:
    """Start a new interview and go to its first round."""
    typed = {"name": act.text("name").strip(), "depth": act.text("depth")}
    try:
        name = check_integration_name(typed["name"])
    except InterlockError as error:
        return _integrations_page(request, server, act.visitor, 422, str(error), typed)
    if typed["depth"] not in DEPTHS:
        message = f"choose a depth: {', '.join(DEPTHS)}"
        return _integrations_page(request, server, act.visitor, 422, message, typed)
    if name in server.workspace.integration_names():
        message = f"an integration named {name!r} exists; choose another name"
        return _integrations_page(request, server, act.visitor, 409, message, typed)
    folder = server.workspace.integration(name)
    with folder.interview(depth=typed["depth"], by=act.caller.name):
        pass
    server.state.record(act.caller.name, "create", name, depth=typed["depth"])
    return _see(_base(name))


# -- the interview -----------------------------------------------------------------


@router.get("/integrations/{name}", response_class=HTMLResponse)
def interview(request: Request, name: str, server: Team, visitor: SignedIn) -> Response:
    """The interview's next round: one form for its questions."""
    return _interview_page(request, server, visitor, server.folder(name))


def _interview_page(
    request: Request,
    server: TeamServer,
    visitor: Visitor,
    folder: IntegrationFolder,
    status_code: int = 200,
    *,
    typed: Mapping[str, Typed] | None = None,
    errors: Mapping[str, str] | None = None,
    message: str | None = None,
) -> HTMLResponse:
    current = server.rounds.next_round(folder)
    caller = visitor.caller
    phases = server.state.phases_of(caller, folder.name)
    bank = folder.engine(folder.sheet()).bank
    comments = _comments_by_target(server, folder.name)
    return _page(
        request,
        "interview.html",
        status_code,
        name=folder.name,
        base=_base(folder.name),
        round=current,
        revision=current["revision"] or "",
        may_answer=caller.may(Role.ANSWERER),
        my_phases=sorted(phases) if phases is not None else None,
        phase_titles={phase.id: phase.title for phase in bank.phases},
        assignments=server.state.assignments(folder.name),
        people=server.state.person_names(),
        is_admin=caller.may(Role.ADMIN),
        comments=comments,
        typed=typed or {},
        errors=errors or {},
        message=message,
    )


@router.post("/integrations/{name}/answers", response_class=HTMLResponse)
def answer(request: Request, name: str, server: Team, act: AsAnswerer) -> Response:
    """Save the round's answers and skips, all or none, then show the next round; a
    refusal shows the round again with each message and everything typed kept."""
    folder = server.folder(name)
    typed = typed_answers(act.form)
    kinds = {q["id"]: q["kind"] for q in server.rounds.next_round(folder)["questions"]}
    batches, refused = answer_batches(typed, kinds)
    status, message = 422, None
    if not refused and not batches:
        message = "Nothing to save: answer or skip a question first."
    elif not refused:
        try:
            status, refused = _submit(server, act, folder, batches)
        except InterlockError as error:
            if http_error(error).status_code != 409:
                raise
            status, message = (
                409,
                (
                    "The questions were updated: someone else answered since you opened this "
                    "page. What you typed is kept below; check it and save again."
                ),
            )
        if not refused and message is None:
            counts = {
                "saved": sum(len(batch.answers) for batch in batches),
                "skipped": sum(len(batch.skips) for batch in batches),
            }
            query = "&".join(f"{key}={count}" for key, count in counts.items() if count)
            return _see(f"{_base(name)}?{query}")
    return _interview_page(
        request, server, act.visitor, folder, status, typed=typed, errors=refused, message=message
    )


def _submit(
    server: TeamServer, act: Acting, folder: IntegrationFolder, batches: list[AnswerBatch]
) -> tuple[int, dict[str, str]]:
    """Submit ``batches`` in turn, each at the revision the one before left; return the
    status and the refusals of the first refused (nothing of it saved)."""
    revision: str | None = act.text("revision") or None
    for batch in batches:
        submitted = server.submit(act.caller, folder, batch, by=act.caller.name, revision=revision)
        if submitted.refused:
            assigned = any(isinstance(error, NotAssignedError) for _, error in submitted.refused)
            return 403 if assigned else 422, {
                question_id: _message(error) for question_id, error in submitted.refused
            }
        revision = submitted.revision
        _record(server, act.caller, folder.name, batch)
    return 200, {}


def _message(error: InterlockError) -> str:
    text = error.message
    return f"{text} ({error.hint})" if error.hint else text


def _record(server: TeamServer, caller: Caller, name: str, batch: AnswerBatch) -> None:
    if batch.answers:
        questions = sorted(question_id for question_id, _ in batch.answers)
        server.state.record(caller.name, "answer", name, questions=questions)
    for question_id in batch.skips:
        server.state.record(
            caller.name, "skip", name, question=question_id, reason=batch.reason, owner=batch.owner
        )


@router.post("/integrations/{name}/assignments")
def assign(name: str, server: Team, act: AsAdmin) -> Response:
    """Give a phase to a person to answer, or take it back (``remove=1``)."""
    folder = server.folder(name)
    phase, person = act.text("phase").strip(), act.text("person").strip()
    phases = [known.id for known in folder.engine(folder.sheet()).bank.phases]
    if phase not in phases or not person:
        raise HTTPException(
            422, {"message": "choose a phase and a person", "hint": f"phases: {', '.join(phases)}"}
        )
    if act.text("remove") == "1":
        server.state.unassign(name, phase, person)
        server.state.record(act.caller.name, "unassign", name, phase=phase, person=person)
        return _see(f"{_base(name)}?done=unassigned#assignments")
    server.state.assign(name, phase, person)
    server.state.record(act.caller.name, "assign", name, phase=phase, person=person)
    return _see(f"{_base(name)}?done=assigned#assignments")


@router.post("/integrations/{name}/comments")
def comment(name: str, server: Team, act: AsViewer) -> Response:
    """Comment on a question (``question:ID``) or a section (``DOCUMENT#ANCHOR``)."""
    server.folder(name)
    target, body = act.text("target").strip(), act.text("body").strip()
    if not (target.startswith("question:") or "#" in target) or len(target) > 400:
        raise HTTPException(422, {"message": f"cannot comment on {target!r}", "hint": ""})
    if not body or len(body) > 10_000:
        raise HTTPException(
            422,
            {
                "message": "a comment needs some text (at most 10,000 characters)",
                "hint": "go back and write it",
            },
        )
    server.state.add_comment(name, target, body, act.caller.name)
    server.state.record(act.caller.name, "comment", name, target=target)
    if target.startswith("question:"):
        anchor = quote("q-" + target.removeprefix("question:"), safe="")
        return _see(f"{_base(name)}?done=commented#{anchor}")
    document, _, anchor = target.partition("#")
    where = f"{_base(name)}/documents/{quote(document, safe='')}"
    return _see(f"{where}?done=commented#section-{quote(anchor, safe='')}")


# -- documents and approvals -------------------------------------------------------


@router.get("/integrations/{name}/documents", response_class=HTMLResponse)
def documents(request: Request, name: str, server: Team, visitor: SignedIn) -> Response:
    """The integration's documents, and the render button."""
    folder = server.folder(name)
    return _page(
        request,
        "documents.html",
        name=name,
        base=_base(name),
        documents=document_names(folder),
        approval=folder.approvals().status,
        may_render=visitor.caller.may(Role.ANSWERER),
    )


@router.post("/integrations/{name}/render")
def render(name: str, server: Team, act: AsAnswerer) -> Response:
    """Render the documents from the answers (never over a hand edit)."""
    folder = server.folder(name)
    rendered = folder.render(author=act.caller.name)
    written = sorted(path.name for path in rendered.written.written) if rendered.written else []
    server.state.record(act.caller.name, "render", name, written=written)
    return _see(f"{_base(name)}/documents?rendered={len(written)}")


@router.get("/integrations/{name}/documents/{document}", response_class=HTMLResponse)
def document(
    request: Request, name: str, document: str, server: Team, visitor: SignedIn
) -> Response:
    """A document section by section, each with its findings and comments, and the
    approval panel."""
    from interlock.server.markdown_html import document_sections, section_of_line

    folder = server.folder(name)
    text = read_document(folder, document)
    sections = document_sections(text)
    shown = (folder.path / document).relative_to(folder.root).as_posix()
    findings: dict[str, list[dict[str, Any]]] = {}
    for finding in _REPORTS.report(folder)["findings"]:
        if finding["path"] == shown:
            section = section_of_line(sections, finding["line"] or 1)
            findings.setdefault(section.anchor if section else "", []).append(finding)
    comments = _comments_by_target(server, name)
    review = folder.approvals()
    digest = review.digests.get(document)  # None for a document approvals do not cover
    return _page(
        request,
        "document.html",
        name=name,
        base=_base(name),
        document=document,
        path=shown,
        digest=digest,
        sections=sections,
        findings=findings,
        comments=comments,
        review=review,
        may_approve=visitor.caller.may(Role.APPROVER),
    )


@router.post("/integrations/{name}/approvals")
def approve(name: str, server: Team, act: AsApprover) -> Response:
    """Approve the documents as they are now, in one of the required roles."""
    folder = server.folder(name)
    recorded = folder.approve(
        act.text("role"), by=act.caller.name, comment=act.text("comment").strip()
    )
    approval = recorded.approval
    server.state.record(
        act.caller.name, "approve", name, role=approval.role, digest=approval.digest
    )
    back = act.text("document")
    if back in {entry["name"] for entry in document_names(folder)}:
        return _see(f"{_base(name)}/documents/{quote(back, safe='')}?done=approved#approvals")
    return _see(f"{_base(name)}/documents?done=approved")


# -- the audit log -----------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, server: Team, _visitor: SignedIn) -> Response:
    """Who did what, when: the newest lines of the audit log."""
    return _page(request, "audit.html", entries=server.state.audit(limit=500))


# -- live updates ------------------------------------------------------------------


def _answers_revision(path: Path, seen: tuple[int, int, int] | None) -> tuple[Any, str | None]:
    """The answers file's stat mark and, when it changed since ``seen``, its revision."""
    try:
        stat = path.stat()
        mark = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return mark, None if mark == seen else content_digest(path.read_bytes())
    except OSError:  # gone or unreadable for a moment: look again at the next poll
        return None, None


@router.get("/integrations/{name}/events")
async def events(request: Request, name: str, revision: str = "") -> Response:
    """Server-sent events: ``answers`` (with the new revision) each time the answers
    file changes, for five minutes or until the browser goes (Starlette ends the stream
    when the connection closes)."""
    server: TeamServer = request.app.state.team
    if await run_in_threadpool(session_of, request, server) is None:
        raise Redirect("/")
    folder = await run_in_threadpool(server.folder, name)
    path = folder.store.path

    async def stream() -> AsyncIterator[str]:
        # The revision the page showed: a change made before the stream opened is news.
        known, mark = revision or None, None
        yield "retry: 3000\n\n"
        started = time.monotonic()
        beat = started
        while time.monotonic() - started < LIVE_FOR:
            mark, now = await run_in_threadpool(_answers_revision, path, mark)
            if now is not None and now != known:
                if known is not None:
                    yield f"event: answers\ndata: {now}\n\n"
                known = now
            if time.monotonic() - beat > HEARTBEAT_EVERY:
                beat = time.monotonic()
                yield ": still here\n\n"
            await asyncio.sleep(POLL_EVERY)

    return StreamingResponse(stream(), media_type="text/event-stream")
