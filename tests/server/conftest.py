"""Fixtures of the team server's tests: a database of each kind, a team, and a client.

``database`` is parametrised: ``sqlite`` gives ``None`` (the workspace's own
``.interlock/server.sqlite``), ``postgresql`` a fresh, empty database on the one
PostgreSQL server started for the whole session (skipped when the machine has no
PostgreSQL server binaries). ``team`` is a new workspace whose server keeps its state
in that database, with one token per role; ``client`` is an in-process HTTP client of
that team's server. A test module that wants one kind of database only overrides
``database`` (or builds its own team).

``answered_folder`` is the folder of an ``orders`` interview answered to the end
through the API, round by round, with the order-service example's answers (built once
per session; never change it). ``answered_team`` is ``team`` with a copy of it.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from support.postgres import PostgresServer, postgres_missing_reason, running_postgres
from support.team_server import Team, complete_interview, new_team, team_client

ANSWERED = "orders"
"""The name of the integration in ``answered_folder``."""

_DATABASE_NUMBERS = itertools.count(1)
"""Numbers the PostgreSQL databases of one session: t1, t2, ..."""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, or a skip saying why there is none."""
    reason = postgres_missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with running_postgres() as server:
        yield server


def fresh_postgres_database(server: PostgresServer) -> str:
    """Create an empty database on ``server`` and return its URL."""
    return server.create_database(f"t{next(_DATABASE_NUMBERS)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> str | None:
    """The server's database: None for the workspace's SQLite file, or the URL of a
    fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return fresh_postgres_database(server)


@pytest.fixture
def team(tmp_path: Path, database: str | None) -> Team:
    """A new workspace, its server's database, and one token per role."""
    return new_team(tmp_path / "ws", database)


@pytest.fixture
def client(team: Team) -> Iterator[TestClient]:
    """An HTTP client of ``team``'s server, run in this process."""
    with team_client(team) as http:
        yield http


@pytest.fixture(scope="session")
def answered_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of an ``orders`` interview answered to the end through the API (the
    answers file only; nothing rendered)."""
    team = new_team(tmp_path_factory.mktemp("answered") / "ws")
    with team_client(team) as client:
        created = client.post(
            "/api/v1/integrations", json={"name": ANSWERED}, headers=team.headers("answerer")
        )
        assert created.status_code == 201, created.text
        assert complete_interview(client, team, ANSWERED) > 5
    return team.root / "specs" / ANSWERED


@pytest.fixture
def answered_team(team: Team, answered_folder: Path) -> Team:
    """``team``, whose workspace holds a copy of the answered ``orders`` interview."""
    shutil.copytree(
        answered_folder, team.root / "specs" / ANSWERED, ignore=shutil.ignore_patterns(".*")
    )
    return team
