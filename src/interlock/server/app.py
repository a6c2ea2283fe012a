"""``interlock serve``: the workspace served to the whole team, as an API and as pages.

The server is a thin layer over the same core object as the command line and the MCP
server (:class:`~interlock.folders.workspace.WorkspaceFolder` and a fresh
:class:`~interlock.folders.integration.IntegrationFolder` per request): answers go
through the same checks and the same answers-file lock, and the files stay the truth.
What the server keeps itself (people, tokens, sessions, assignments, comments, the
audit log) is in its database, :class:`~interlock.server.state.ServerState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from interlock import __version__
from interlock.errors import (
    AnswerError,
    ConflictError,
    InterlockError,
    NotAssignedError,
    RenderError,
    StoreError,
    UsageError,
)
from interlock.folders.integration import IntegrationFolder
from interlock.folders.results import Submission
from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch
from interlock.server.roles import Role
from interlock.server.rounds import RoundCache
from interlock.server.security import BodyLimit, LoginThrottle, SecurityHeaders
from interlock.server.state import Caller, ServerState

__all__ = ["MAX_BODY_BYTES", "TeamServer", "create_app"]

MAX_BODY_BYTES = 1_000_000
SERVER_LOCK_TIMEOUT = 15.0
"""How long a request waits for another writer of the same answers file."""


@dataclass
class TeamServer:
    """What every request of one server shares: the workspace and the database."""

    root: Path
    state: ServerState
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    rounds: RoundCache = field(default_factory=RoundCache)

    def __post_init__(self) -> None:
        self.workspace = WorkspaceFolder(self.root, lock_timeout=SERVER_LOCK_TIMEOUT)

    def folder(self, name: str) -> IntegrationFolder:
        """Return integration ``name``, whose interview has begun.

        Raises:
            HTTPException: 404, no such integration.
        """
        if name not in self.workspace.integration_names():
            raise HTTPException(404, f"no integration named {name!r}")
        return self.workspace.integration(name)

    def submit(
        self,
        caller: Caller,
        folder: IntegrationFolder,
        batch: AnswerBatch,
        *,
        by: str,
        revision: str | None,
    ) -> Submission:
        """Save ``batch`` through the core, refusing the phases not assigned to
        ``caller``; the round that follows is kept for the next reader."""
        phases = self.state.phases_of(caller, folder.name)
        sources = self.rounds.sources(folder)  # read before the round is made from them
        submitted = folder.submit(batch, by=by, revision=revision, phases=phases)
        if submitted.next_round is not None and submitted.revision:
            data = {**submitted.next_round.to_dict(), "revision": submitted.revision}
            self.rounds.keep(folder, (submitted.revision, *sources), data)
        return submitted

    def bearer(self, request: Request) -> Caller:
        """Return the caller of the request's ``Authorization: Bearer`` token.

        Raises:
            HTTPException: 401 without a valid token; 429 after too many wrong ones.
        """
        header = request.headers.get("authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise HTTPException(401, "a token is needed", headers={"WWW-Authenticate": "Bearer"})
        return self.check_token(request, secret.strip())

    def check_token(self, request: Request, secret: str) -> Caller:
        """Return the caller of ``secret``, counting a wrong one against the address."""
        client = request.client.host if request.client else "unknown"
        wait = self.throttle.retry_after(client)
        if wait is not None:
            raise HTTPException(
                429,
                "too many wrong tokens; wait, then try again",
                headers={"Retry-After": str(wait)},
            )
        caller = self.state.authenticate(secret)
        if caller is None:
            self.throttle.failed(client)
            raise HTTPException(
                401,
                "this token is not valid (or was revoked)",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return caller


def team(request: Request) -> TeamServer:
    """The server the request came to."""
    server: TeamServer = request.app.state.team
    return server


Team = Annotated[TeamServer, Depends(team)]


_BEARER = HTTPBearer(
    scheme_name="bearerAuth",
    description="A token made with `interlock token create`.",
    auto_error=False,
)
"""Declares the bearer token in ``/openapi.json``; :meth:`TeamServer.bearer` checks it."""


def api_caller(
    request: Request,
    server: Team,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None,
) -> Caller:
    """The caller of an API request, by its bearer token."""
    caller = server.bearer(request)
    request.state.caller = caller
    return caller


def needs(role: Role) -> object:
    """A dependency that lets through callers of ``role`` or above, and 403s the others."""

    def check(caller: Annotated[Caller, Depends(api_caller)]) -> Caller:
        if not caller.may(role):
            raise HTTPException(
                403, f"{caller.name} is {caller.role.label}; this needs {role.label} or above"
            )
        return caller

    return Depends(check)


def http_error(error: InterlockError) -> HTTPException:
    """The HTTP answer to an error the core raised."""
    message = str(error) if not error.path else error.message
    detail = {"message": message, "hint": error.hint}
    if isinstance(error, NotAssignedError):
        return HTTPException(403, detail)
    if isinstance(error, AnswerError):
        return HTTPException(422, detail)
    if isinstance(error, ConflictError | RenderError | StoreError):
        return HTTPException(409, detail)
    if isinstance(error, UsageError) and "no interview named" in error.message:
        return HTTPException(404, detail)
    if isinstance(error, UsageError):
        return HTTPException(422, detail)
    # A workspace file that does not load (a bank, the config): the request cannot be
    # served until someone mends it.
    return HTTPException(409, detail)


def create_app(root: Path, state: ServerState, *, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """Return the team server of the workspace at ``root``, keeping its state in
    ``state``."""
    from interlock.server import api, web

    app = FastAPI(
        title="Interlock",
        version=__version__,
        summary="Answer, review and approve integration plans as a team.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.team = TeamServer(root, state)

    @app.exception_handler(InterlockError)
    async def core_error(_request: Request, error: InterlockError) -> JSONResponse:
        http = http_error(error)
        return JSONResponse({"detail": http.detail}, status_code=http.status_code)

    app.include_router(api.router)
    app.include_router(web.router)
    web.mount_static(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    return app
