"""The team server's database schema, as the Alembic migrations make it, on SQLite and
on PostgreSQL: revision by revision with data kept, to the newest on open, the same as
the tables the code queries, and opening again changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from interlock.server.roles import Role
from interlock.server.state import ServerState, migrate
from interlock.server.tables import Base

FIRST_TABLES = {"people", "tokens", "audit_events"}
LATER_TABLES = {"web_sessions", "assignments", "comments"}
SECRET = "il_a-token-made-before-the-upgrade"


@pytest.fixture
def url(database: str | None, tmp_path: Path) -> str:
    """An empty database: a new SQLite file, or a fresh PostgreSQL database."""
    return database or f"sqlite:///{tmp_path / 'server.sqlite'}"


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    """The engine the server would use for ``url``, nothing migrated yet."""
    state = ServerState.open(url, upgrade=False)
    try:
        yield state.engine
    finally:
        state.close()


def head() -> str:
    """The newest revision of the migrations."""
    config = Config()
    config.set_main_option("script_location", str(files("interlock.server") / "migrations"))
    newest = ScriptDirectory.from_config(config).get_current_head()
    assert newest is not None
    return newest


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def columns(engine: Engine) -> dict[str, list[tuple[str, str, bool]]]:
    """Each table's columns: name, type and whether it may be null."""
    found = inspect(engine)
    return {
        table: [
            (column["name"], str(column["type"]), column["nullable"])
            for column in found.get_columns(table)
        ]
        for table in tables(engine)
    }


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_the_first_revision_then_the_newest_keep_the_data(engine: Engine) -> None:
    assert tables(engine) == set()
    migrate(engine, "0001")
    assert tables(engine) == FIRST_TABLES
    assert revision(engine) == "0001"
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO people (id, name, role, created_at) VALUES (1, 'Ada', 'admin', :at)"),
            {"at": now},
        )
        connection.execute(
            text(
                "INSERT INTO tokens (id, person_id, digest, prefix, created_at) "
                "VALUES (1, 1, :digest, :prefix, :at)"
            ),
            {
                "digest": hashlib.sha256(SECRET.encode()).hexdigest(),
                "prefix": SECRET[:10],
                "at": now,
            },
        )
        connection.execute(
            text(
                "INSERT INTO audit_events (at, actor, action, integration, detail) "
                "VALUES (:at, 'Ada', 'answer', 'orders', :detail)"
            ),
            {"at": now, "detail": '{"questions": ["problem.why"]}'},
        )

    migrate(engine, "head")
    assert tables(engine) == FIRST_TABLES | LATER_TABLES
    assert revision(engine) == head()
    state = ServerState(engine)
    caller = state.authenticate(SECRET)
    assert caller is not None
    assert (caller.name, caller.role) == ("Ada", Role.ADMIN)
    [token] = state.tokens()
    assert (token.name, token.prefix, token.revoked_at) == ("Ada", SECRET[:10], None)
    [event] = state.audit()
    assert (event.actor, event.action, event.integration) == ("Ada", "answer", "orders")
    assert event.detail == {"questions": ["problem.why"]}
    # The new tables work with the old rows.
    state.assign("orders", "scope", "Ada")
    assert state.assignments("orders") == {"scope": ["Ada"]}
    state.add_comment("orders", "question:problem.why", "Why now?", "Ada")
    assert [comment.body for comment in state.comments("orders")] == ["Why now?"]
    cookie, _ = state.open_session(caller)
    assert state.session_caller(cookie) is not None


def test_opening_an_empty_database_reaches_the_newest_revision(url: str) -> None:
    state = ServerState.open(url)
    try:
        assert revision(state.engine) == head()
        assert tables(state.engine) == FIRST_TABLES | LATER_TABLES
        assert state.tokens() == []
    finally:
        state.close()


def test_the_migrated_tables_are_the_tables_the_code_queries(url: str) -> None:
    state = ServerState.open(url)
    try:
        with state.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        state.close()
    assert differences == []
    assert tables(state.engine) == set(Base.metadata.tables)


def test_opening_twice_changes_nothing(url: str) -> None:
    first = ServerState.open(url)
    try:
        issued = first.create_token("Ada", Role.ADMIN)
        first.record("Ada", "create", "orders")
        before = columns(first.engine)
    finally:
        first.close()
    second = ServerState.open(url)
    try:
        assert revision(second.engine) == head()
        assert columns(second.engine) == before
        assert set(before) == FIRST_TABLES | LATER_TABLES
        caller = second.authenticate(issued.secret)
        assert caller is not None and caller.name == "Ada"
        assert [event.action for event in second.audit()] == ["create"]
        with second.engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(head(),)]
    finally:
        second.close()
