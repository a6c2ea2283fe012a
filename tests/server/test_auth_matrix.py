"""Who may call which route of the REST API: every route under ``/api/v1`` × every
kind of caller.

The routes are discovered from the app, and the discovered set must equal the table
below: a new route fails this file until someone decides who may call it. The callers
are no token, a wrong token, and one token of each role. The rules: a viewer reads
(and comments: everyone comments); an answerer also starts interviews, answers, skips
and renders; an approver also approves; an admin also assigns phases. A caller the
rules let through gets the route's success status (the workspace holds an answered,
rendered interview, so every route has something to work on); one they do not gets
401 without a valid token and 403 with a role too low, and changes nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from interlock.server.app import create_app
from interlock.server.roles import Role
from interlock.server.state import ServerState, default_database_url
from support.team_server import Team, new_team, team_client

NAME = "orders"
DOCUMENT = "integration-spec.md"
APPROVER_ROLE = "Head of architecture"
CALLERS = ("no-token", "bad-token", "viewer", "answerer", "approver", "admin")


@dataclass(frozen=True)
class Rule:
    """The lowest role that may call a route, and a call of it that succeeds."""

    role: Role
    success: int
    body: Callable[[str], dict[str, Any]] | None = None
    """The JSON body to send, given the caller's name (for a name of their own)."""


MATRIX: dict[tuple[str, str], Rule] = {
    ("GET", "/api/v1/integrations"): Rule(Role.VIEWER, 200),
    ("POST", "/api/v1/integrations"): Rule(
        Role.ANSWERER, 201, lambda caller: {"name": f"new-by-{caller}"}
    ),
    ("GET", "/api/v1/integrations/{name}"): Rule(Role.VIEWER, 200),
    ("GET", "/api/v1/integrations/{name}/next"): Rule(Role.VIEWER, 200),
    ("POST", "/api/v1/integrations/{name}/answers"): Rule(
        Role.ANSWERER,
        200,
        lambda caller: {"answers": {"closing.missed": f"Nothing else, says {caller}."}},
    ),
    ("POST", "/api/v1/integrations/{name}/skips"): Rule(
        Role.ANSWERER, 200, lambda caller: {"id": "closing.missed", "reason": f"{caller} asks"}
    ),
    ("GET", "/api/v1/integrations/{name}/documents"): Rule(Role.VIEWER, 200),
    ("GET", "/api/v1/integrations/{name}/documents/{document}"): Rule(Role.VIEWER, 200),
    ("POST", "/api/v1/integrations/{name}/render"): Rule(Role.ANSWERER, 200),
    ("POST", "/api/v1/validate"): Rule(Role.VIEWER, 200, lambda _: {"integration": NAME}),
    ("GET", "/api/v1/integrations/{name}/approvals"): Rule(Role.VIEWER, 200),
    ("POST", "/api/v1/integrations/{name}/approvals"): Rule(
        Role.APPROVER, 201, lambda caller: {"role": APPROVER_ROLE, "comment": f"ok, {caller}"}
    ),
    ("GET", "/api/v1/integrations/{name}/comments"): Rule(Role.VIEWER, 200),
    ("POST", "/api/v1/integrations/{name}/comments"): Rule(
        Role.VIEWER, 201, lambda caller: {"target": "question:problem.why", "body": f"{caller}?"}
    ),
    ("GET", "/api/v1/integrations/{name}/assignments"): Rule(Role.VIEWER, 200),
    ("POST", "/api/v1/integrations/{name}/assignments"): Rule(
        Role.ADMIN, 201, lambda _: {"phase": "closing", "person": "viewer"}
    ),
    ("GET", "/api/v1/audit"): Rule(Role.VIEWER, 200),
    ("GET", "/api/v1/me"): Rule(Role.VIEWER, 200),
}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app serves under ``/api/v1``.

    ``app.routes`` holds each included router as one entry; FastAPI's own
    ``iter_route_contexts`` (what it builds ``/openapi.json`` from) opens them up.
    """
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if path == "/api/v1" or path.startswith("/api/v1/"):
            found.update((method, path) for method in route.methods or () if method != "HEAD")
    return found


def expected(rule: Rule, caller: str) -> int:
    if caller in ("no-token", "bad-token"):
        return 401
    return rule.success if Role.named(caller) >= rule.role else 403


def headers(team: Team, caller: str) -> dict[str, str]:
    if caller == "no-token":
        return {}
    if caller == "bad-token":
        return {"Authorization": "Bearer il_not-a-token-of-anyone"}
    return team.headers(caller)


def audit_length(team: Team) -> int:
    state = ServerState.open(team.database)
    try:
        return len(state.audit(limit=1000))
    finally:
        state.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, answered_folder: Path) -> Team:
    """A workspace with the answered ``orders`` interview, rendered (SQLite state)."""
    team = new_team(tmp_path_factory.mktemp("matrix") / "ws")
    shutil.copytree(
        answered_folder, team.root / "specs" / NAME, ignore=shutil.ignore_patterns(".*")
    )
    with team_client(team) as client:
        rendered = client.post(
            f"/api/v1/integrations/{NAME}/render", headers=team.headers("answerer")
        )
        assert rendered.status_code == 200, rendered.text
    return team


@pytest.fixture
def matrix_team(prepared: Team, tmp_path: Path) -> Team:
    """A copy of the prepared workspace, its database included, for one call."""
    root = tmp_path / "ws"
    shutil.copytree(prepared.root, root)
    return Team(root, default_database_url(root), dict(prepared.tokens))


@pytest.fixture
def matrix_client(matrix_team: Team) -> Iterator[TestClient]:
    with team_client(matrix_team) as client:
        yield client


def test_the_matrix_names_every_api_route(prepared: Team) -> None:
    state = ServerState.open(prepared.database)
    try:
        discovered = api_routes(create_app(prepared.root, state))
    finally:
        state.close()
    assert len(discovered) > 10
    missing = sorted(discovered - set(MATRIX))
    gone = sorted(set(MATRIX) - discovered)
    assert not missing, f"decide who may call these routes and add them to MATRIX: {missing}"
    assert not gone, f"MATRIX names routes the app no longer has: {gone}"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path"), list(MATRIX), ids=[f"{m} {p}" for m, p in MATRIX])
def test_who_may_call_what(
    matrix_client: TestClient, matrix_team: Team, method: str, path: str, caller: str
) -> None:
    rule = MATRIX[method, path]
    url = path.format(name=NAME, document=DOCUMENT)
    answers = matrix_team.root / "specs" / NAME / "interview.yaml"
    before = answers.read_bytes()
    events = audit_length(matrix_team)
    body = rule.body(caller) if rule.body else None
    response = matrix_client.request(method, url, json=body, headers=headers(matrix_team, caller))
    want = expected(rule, caller)
    assert response.status_code == want, f"{caller} {method} {url}: {response.text}"
    if want in (401, 403):
        assert answers.read_bytes() == before, "a refused call changed the answers"
        assert audit_length(matrix_team) == events, "a refused call was written to the audit log"
    if want == 403:
        detail = response.json()["detail"]
        assert caller in detail and rule.role.label in detail
