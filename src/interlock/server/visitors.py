"""Who is visiting a page: the browser's session, and the checks a form that changes
something must pass (the session's form token, then the person's role)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData

from interlock.server.app import Team, TeamServer
from interlock.server.roles import Role
from interlock.server.state import Caller

__all__ = [
    "SESSION_COOKIE",
    "Acting",
    "AsAdmin",
    "AsAnswerer",
    "AsApprover",
    "AsViewer",
    "Form",
    "Redirect",
    "SignedIn",
    "Visitor",
    "session_of",
]

SESSION_COOKIE = "interlock_session"


class Redirect(Exception):
    """Leave the page for ``location`` (303); raised where a page cannot be shown."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass(frozen=True, slots=True)
class Visitor:
    """A signed-in browser: who it is and the form token its posts must carry."""

    caller: Caller
    csrf: str
    cookie: str


def session_of(request: Request, server: TeamServer) -> Visitor | None:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    found = server.state.session_caller(cookie) if cookie else None
    if found is None:
        return None
    visitor = Visitor(found[0], found[1], cookie)
    request.state.visitor = visitor
    return visitor


def signed_in(request: Request, server: Team) -> Visitor:
    """The signed-in visitor; anyone else is sent to the sign-in page."""
    visitor = session_of(request, server)
    if visitor is None:
        raise Redirect("/")
    return visitor


SignedIn = Annotated[Visitor, Depends(signed_in)]


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


@dataclass(frozen=True, slots=True)
class Acting:
    """A post that changes something: the visitor, checked, and the form they sent."""

    visitor: Visitor
    form: FormData

    @property
    def caller(self) -> Caller:
        """Who is acting."""
        return self.visitor.caller

    def text(self, name: str) -> str:
        """The form's field ``name`` as text (empty when absent)."""
        value = self.form.get(name, "")
        return value.replace("\r\n", "\n") if isinstance(value, str) else ""


def acting(role: Role) -> Any:
    """A dependency that lets a post through only with the session's form token and
    from a person of ``role`` or above; anything else gets a 403 page."""

    def check(visitor: SignedIn, form: Form) -> Acting:
        sent = form.get("csrf", "")
        if not isinstance(sent, str) or not secrets.compare_digest(
            sent.encode("utf-8"), visitor.csrf.encode("utf-8")
        ):
            raise HTTPException(
                403,
                {
                    "message": "this form is out of date or did not come from this site",
                    "hint": "go back, reload the page and send the form again",
                },
            )
        if not visitor.caller.may(role):
            raise HTTPException(
                403,
                {
                    "message": f"{visitor.caller.name} is {visitor.caller.role.label}; "
                    f"this needs {role.label} or above",
                    "hint": "ask an admin for a token with that role",
                },
            )
        return Acting(visitor, form)

    return Depends(check)


AsViewer = Annotated[Acting, acting(Role.VIEWER)]
AsAnswerer = Annotated[Acting, acting(Role.ANSWERER)]
AsApprover = Annotated[Acting, acting(Role.APPROVER)]
AsAdmin = Annotated[Acting, acting(Role.ADMIN)]
