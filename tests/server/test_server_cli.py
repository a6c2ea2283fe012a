"""``interlock token`` and ``interlock serve`` as a user runs them, in a subprocess from
inside the workspace: a token is printed once and only its digest is kept, listed
without its secret, revoked for good; mistakes are exit 2 with a message that says
what to do, never a traceback. The same commands work with the state in PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from interlock.folders.workspace import WorkspaceFolder
from interlock.server.roles import ROLES
from interlock.server.state import ServerState, default_database_url
from support.cli_runs import interlock_process
from support.postgres import PostgresServer
from support.team_server import Team, served, team_client


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    WorkspaceFolder.create(root)
    return root


def create_token(root: Path, name: str, role: str, *database: str) -> str:
    """Create a token with the command line; return the secret it printed."""
    made = interlock_process(root, "token", "create", "--name", name, "--role", role, *database)
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert len(lines) == 1, "stdout carries the token alone, for a script to capture"
    assert f"for {name} ({role})" in made.stderr
    return lines[0]


def stored_rows(url: str) -> list[tuple[object, ...]]:
    """Every row of the tokens and people tables, every column."""
    state = ServerState.open(url)
    try:
        with state.engine.connect() as connection:
            return [
                tuple(row)
                for table in ("tokens", "people")
                for row in connection.execute(text(f"SELECT * FROM {table}"))
            ]
    finally:
        state.close()


def assert_no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout
    assert "unexpected error" not in done.stderr


def test_a_token_is_printed_once_and_only_its_digest_is_kept(workspace: Path) -> None:
    secret = create_token(workspace, "Ada", "admin")
    assert secret.startswith("il_") and len(secret) > 30
    rows = stored_rows(default_database_url(workspace))
    assert rows
    assert all(secret not in str(value) for row in rows for value in row)
    digest = hashlib.sha256(secret.encode()).hexdigest()
    assert any(digest in row for row in rows)

    listed = interlock_process(workspace, "token", "list")
    assert listed.returncode == 0, listed.stderr
    assert secret not in listed.stdout
    [line] = listed.stdout.splitlines()
    assert line.split()[0] == "1"
    assert "Ada" in line and "admin" in line and "active" in line and secret[:10] in line

    as_json = interlock_process(workspace, "token", "list", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert secret not in as_json.stdout
    [entry] = json.loads(as_json.stdout)
    assert entry == {
        **entry,
        "id": 1,
        "name": "Ada",
        "role": "admin",
        "prefix": secret[:10],
        "revoked": False,
    }
    assert not any(secret[10:] in str(value) for value in entry.values())


def test_a_revoked_token_no_longer_opens_the_api(workspace: Path) -> None:
    secret = create_token(workspace, "Ada", "admin")
    other = create_token(workspace, "Bo", "viewer")
    team = Team(workspace, default_database_url(workspace), {"admin": secret, "viewer": other})
    with team_client(team) as client:
        assert client.get("/api/v1/me", headers=team.headers("admin")).json()["name"] == "Ada"

    revoked = interlock_process(workspace, "token", "revoke", "1")
    assert revoked.returncode == 0, revoked.stderr
    assert "Revoked token 1 of Ada" in revoked.stdout

    with team_client(team) as client:
        refused = client.get("/api/v1/me", headers=team.headers("admin"))
        assert refused.status_code == 401
        assert client.get("/api/v1/me", headers=team.headers("viewer")).status_code == 200
    [entry, _] = json.loads(interlock_process(workspace, "token", "list", "--json").stdout)
    assert (entry["name"], entry["revoked"]) == ("Ada", True)
    assert "revoked" in interlock_process(workspace, "token", "list").stdout.splitlines()[0]


def test_an_unknown_role_is_refused_with_the_roles(workspace: Path) -> None:
    refused = interlock_process(workspace, "token", "create", "--name", "Ada", "--role", "boss")
    assert refused.returncode == 2
    assert_no_traceback(refused)
    assert "boss" in refused.stderr
    assert ", ".join(ROLES) in refused.stderr
    assert refused.stdout == ""
    assert json.loads(interlock_process(workspace, "token", "list", "--json").stdout) == []


def test_revoking_an_unknown_token_says_where_to_look(workspace: Path) -> None:
    refused = interlock_process(workspace, "token", "revoke", "999")
    assert refused.returncode == 2
    assert_no_traceback(refused)
    assert "no token with id 999" in refused.stderr
    assert "token list" in refused.stderr


@pytest.mark.parametrize(
    ("database", "words"),
    [
        ("not-a-url", "not a database URL"),
        ("postgresql://nobody:hunter2@127.0.0.1:1/nothing", "cannot open the database"),
        ("nosuchdialect://host/db", "cannot use the database"),
    ],
    ids=["not-a-url", "unreachable", "unknown-dialect"],
)
def test_serve_with_a_bad_database_says_so(workspace: Path, database: str, words: str) -> None:
    refused = interlock_process(workspace, "serve", "--port", "0", "--database", database)
    assert refused.returncode == 2, refused.stderr
    assert_no_traceback(refused)
    assert words in refused.stderr
    assert "hint:" in refused.stderr
    assert "hunter2" not in refused.stderr


def test_outside_a_workspace_serve_says_how_to_make_one(tmp_path: Path) -> None:
    for args in (("serve", "--port", "0"), ("token", "list")):
        refused = interlock_process(tmp_path, *args)
        assert refused.returncode == 2
        assert_no_traceback(refused)
        assert "not inside an Interlock workspace" in refused.stderr
        assert "interlock init" in refused.stderr
    assert not (tmp_path / ".interlock").exists()


def test_tokens_and_the_server_with_the_state_in_postgresql(
    workspace: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database("cli_tokens")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    secret = create_token(workspace, "Ada", "admin", "--database", plain)
    assert not (workspace / ".interlock" / "server.sqlite").exists()
    rows = stored_rows(url)
    assert rows and all(secret not in str(value) for row in rows for value in row)
    listed = interlock_process(workspace, "token", "list", "--json", "--database", plain)
    assert [entry["name"] for entry in json.loads(listed.stdout)] == ["Ada"]

    team = Team(workspace, plain, {"admin": secret})
    with served(team) as server:
        me = httpx.get(f"{server.url}/api/v1/me", headers=team.headers("admin"), timeout=10)
        assert me.status_code == 200, me.text
        assert me.json() == {"name": "Ada", "role": "admin"}
        wrong = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": "Bearer il_x"})
        assert wrong.status_code == 401
