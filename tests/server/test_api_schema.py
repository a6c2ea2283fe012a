"""The REST API against its own OpenAPI schema, with generated requests.

Schemathesis reads ``/openapi.json`` from the app (in process, over ASGI) and sends
every operation requests made from the schema, valid and invalid, with an admin's
token, over a workspace holding one begun and rendered integration: half the
generated ``{name}`` (and ``{document}``) path parameters are swapped for the real
ones, so the requests reach past the 404 into the routes' work. No request may get a
server error, and every response must match what the schema documents for it. A
plain test checks that the schema documents every route with its error answers and
the bearer token.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import create_engine

from interlock.server.app import TeamServer, create_app
from interlock.server.state import ServerState
from support.team_server import Team, new_team

NAME = "orders"
DOCUMENT = "integration-spec.md"
ERRORS = {"401", "403", "404", "409", "422"}


APP = create_app(Path("no-workspace-yet"), ServerState(create_engine("sqlite://")))
"""The app under test, made at import because schemathesis reads the schema when it
collects the tests; the ``schema_team`` fixture points it at a real workspace."""
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.hook
def flatmap_path_parameters(
    _context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    """Half the time, name the integration (and document) that exist."""
    if not path_parameters:
        return st.just(path_parameters)
    real = {
        **path_parameters,
        **({"name": NAME} if "name" in path_parameters else {}),
        **({"document": DOCUMENT} if "document" in path_parameters else {}),
    }
    return st.sampled_from([path_parameters, real])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def schema_team(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Team]:
    """A workspace with one begun, rendered integration, served by :data:`APP`, its
    state in SQLite, then in PostgreSQL (which refuses some text SQLite keeps)."""
    database = None
    if request.param == "postgresql":
        database = request.getfixturevalue("postgres_server").create_database("schema_api")
    team = new_team(tmp_path_factory.mktemp("schema") / "ws", database)
    state = ServerState.open(team.database)
    unused = APP.state.team
    APP.state.team = TeamServer(team.root, state)
    try:
        with TestClient(APP) as client:
            headers = team.headers("admin")
            created = client.post("/api/v1/integrations", json={"name": NAME}, headers=headers)
            assert created.status_code == 201, created.text
            rendered = client.post(f"/api/v1/integrations/{NAME}/render", headers=headers)
            assert rendered.status_code == 200, rendered.text
        yield team
    finally:
        APP.state.team = unused
        state.close()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_no_request_gets_a_server_error_or_an_undocumented_answer(
    case: Case, schema_team: Team
) -> None:
    case.headers = {**(case.headers or {}), **schema_team.headers("admin")}
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


def test_the_schema_documents_every_route_its_errors_and_the_token() -> None:
    with TestClient(APP) as client:
        document = client.get("/openapi.json")
    assert document.status_code == 200
    openapi = document.json()
    assert openapi["components"]["securitySchemes"]["bearerAuth"] == {
        **openapi["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    routes = {
        (method, route.path)
        for route in iter_route_contexts(APP.routes)
        if (route.path or "").startswith("/api/v1/")
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert len(routes) > 10
    documented = {
        (method.upper(), path): operation
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
    }
    assert {key for key in documented if key[1].startswith("/api/v1/")} == routes
    for (method, path), operation in documented.items():
        if not path.startswith("/api/v1/"):
            continue
        where = f"{method} {path}"
        assert set(operation["responses"]) >= ERRORS, where
        assert any(code.startswith("2") for code in operation["responses"]), where
        assert operation["security"] == [{"bearerAuth": []}], where
        assert operation.get("summary"), where
    web_pages = [path for path in openapi["paths"] if not path.startswith("/api/v1/")]
    assert web_pages == [], "the browser pages are not part of the API"
