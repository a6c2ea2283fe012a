"""The team server's database: open it (migrating it to the current schema), and read
and change people, tokens, sessions, assignments, comments and the audit log.

SQLite in the workspace's ``.interlock/`` by default; any SQLAlchemy URL otherwise
(PostgreSQL with ``postgresql://...``). Tokens and session cookies are random and only
their SHA-256 digest is stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, joinedload, sessionmaker

from interlock.errors import UsageError
from interlock.server.roles import Role
from interlock.server.tables import Assignment, AuditEvent, Comment, Person, Token, WebSession
from interlock.workspace.root import WORKSPACE_DIR

__all__ = [
    "DATABASE_FILE",
    "AuditEntry",
    "Caller",
    "CommentEntry",
    "IssuedToken",
    "ServerState",
    "TokenEntry",
    "default_database_url",
]

DATABASE_FILE = "server.sqlite"
TOKEN_PREFIX = "il_"
SESSION_LIFETIME = timedelta(hours=12)
_LAST_USED_EVERY = timedelta(minutes=1)
"""A token's last use is written at most this often, so reads stay reads."""


def default_database_url(root: Path) -> str:
    """The SQLite database in the workspace's ``.interlock/`` folder."""
    return f"sqlite:///{root / WORKSPACE_DIR / DATABASE_FILE}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _storable(**texts: str) -> None:
    """Refuse text a database cannot keep: PostgreSQL refuses the NUL character.

    Raises:
        UsageError: one of ``texts`` holds it; the message names which.
    """
    for field, value in texts.items():
        if "\x00" in value:
            raise UsageError(
                f"the {field} holds the NUL character, which cannot be stored",
                hint="remove it and try again",
            )


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive times; every time stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the person of a valid token (or of a browser session)."""

    person_id: int
    name: str
    role: Role
    token_id: int

    def may(self, role: Role) -> bool:
        """Whether the caller's role is ``role`` or above."""
        return self.role >= role


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just created: the secret is shown once, then only its digest is kept."""

    id: int
    name: str
    role: Role
    secret: str


@dataclass(frozen=True, slots=True)
class TokenEntry:
    """A token as ``interlock token list`` shows it."""

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as plain data."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.label,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked": self.revoked_at is not None,
        }


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    at: datetime
    actor: str
    action: str
    integration: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as plain data."""
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "integration": self.integration,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class CommentEntry:
    """A comment on a question or a document section."""

    id: int
    target: str
    body: str
    author: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Return the comment as plain data."""
        return {
            "id": self.id,
            "target": self.target,
            "body": self.body,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
        }


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database of ``engine`` to ``revision`` (the newest by default)."""
    config = Config()
    config.set_main_option("script_location", str(files("interlock.server") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class ServerState:
    """The server's database, migrated to the current schema when opened."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> ServerState:
        """Open the database at ``url``, creating and migrating it unless ``upgrade`` is
        false.

        Raises:
            UsageError: the URL is not one SQLAlchemy knows, names a driver not
                installed, or a database that cannot be reached.
        """
        engine = _engine(url)
        if upgrade:
            try:
                migrate(engine)
            except OperationalError as error:
                engine.dispose()
                reason = str(error.orig or error).strip().splitlines()[0]
                raise UsageError(
                    f"cannot open the database "
                    f"{engine.url.render_as_string(hide_password=True)}: {reason}",
                    hint="check that the database server is running and that the URL's "
                    "user, password, host, port and database name are right",
                ) from None
        return cls(engine)

    def close(self) -> None:
        """Release the database's connections."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- people and tokens -------------------------------------------------------

    def create_token(self, name: str, role: Role) -> IssuedToken:
        """Create a token for ``name`` (made a person with ``role`` if new; an existing
        person takes ``role``)."""
        name = name.strip()
        if not name:
            raise UsageError("a token needs the name of the person it is for")
        _storable(name=name)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._session() as session:
            person = session.scalar(select(Person).where(Person.name == name))
            if person is None:
                person = Person(name=name, role=role.label, created_at=_now())
                session.add(person)
            person.role = role.label
            token = Token(
                person=person, digest=_digest(secret), prefix=secret[:10], created_at=_now()
            )
            session.add(token)
            session.flush()
            return IssuedToken(token.id, name, role, secret)

    def tokens(self) -> list[TokenEntry]:
        """Return every token, revoked ones too, oldest first."""
        with self._session() as session:
            rows = session.execute(select(Token, Person).join(Person).order_by(Token.id)).all()
            return [
                TokenEntry(
                    token.id,
                    person.name,
                    Role.named(person.role),
                    token.prefix,
                    _aware(token.created_at),
                    _aware(token.last_used_at) if token.last_used_at else None,
                    _aware(token.revoked_at) if token.revoked_at else None,
                )
                for token, person in rows
            ]

    def revoke(self, token_id: int) -> TokenEntry:
        """Revoke token ``token_id``: it and the browser sessions it opened stop working.

        Raises:
            UsageError: no such token.
        """
        with self._session() as session:
            token = session.get(Token, token_id)
            if token is None:
                raise UsageError(
                    f"no token with id {token_id}", hint="interlock token list shows them"
                )
            if token.revoked_at is None:
                token.revoked_at = _now()
            for web in session.scalars(select(WebSession).where(WebSession.token_id == token_id)):
                session.delete(web)
        return next(entry for entry in self.tokens() if entry.id == token_id)

    def authenticate(self, secret: str) -> Caller | None:
        """Return the caller of a valid, unrevoked token, or None."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        with self._session() as session:
            token = session.scalar(
                select(Token)
                .options(joinedload(Token.person))
                .where(Token.digest == _digest(secret))
            )
            if token is None or token.revoked_at is not None:
                return None
            now = _now()
            if token.last_used_at is None or now - _aware(token.last_used_at) > _LAST_USED_EVERY:
                token.last_used_at = now
            return _caller(token)

    def person_names(self) -> list[str]:
        """Return the names of everyone who has a token, sorted."""
        with self._session() as session:
            return sorted(session.scalars(select(Person.name)))

    # -- browser sessions ----------------------------------------------------------

    def open_session(self, caller: Caller) -> tuple[str, str]:
        """Open a browser session for ``caller``; return its cookie and its form token."""
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        with self._session() as session:
            session.add(
                WebSession(
                    digest=_digest(cookie),
                    token_id=caller.token_id,
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
        return cookie, csrf

    def session_caller(self, cookie: str) -> tuple[Caller, str] | None:
        """Return the caller of a live browser session and its form token, or None."""
        with self._session() as session:
            web = session.scalar(select(WebSession).where(WebSession.digest == _digest(cookie)))
            if web is None or _aware(web.expires_at) < _now():
                return None
            if web.token.revoked_at is not None:
                return None
            return _caller(web.token), web.csrf

    def close_session(self, cookie: str) -> None:
        """Sign a browser session out."""
        with self._session() as session:
            web = session.scalar(select(WebSession).where(WebSession.digest == _digest(cookie)))
            if web is not None:
                session.delete(web)

    # -- phase assignments ---------------------------------------------------------

    def assign(self, integration: str, phase: str, person: str) -> None:
        """Give ``phase`` of ``integration`` to ``person`` to answer.

        Raises:
            UsageError: nobody of that name has a token.
        """
        _storable(integration=integration, phase=phase, person=person)
        with self._session() as session:
            found = session.scalar(select(Person).where(Person.name == person))
            if found is None:
                raise UsageError(f"nobody named {person!r} has a token")
            exists = session.scalar(
                select(Assignment).where(
                    Assignment.integration == integration,
                    Assignment.phase == phase,
                    Assignment.person_id == found.id,
                )
            )
            if exists is None:
                session.add(Assignment(integration=integration, phase=phase, person=found))

    def unassign(self, integration: str, phase: str, person: str) -> None:
        """Take ``phase`` of ``integration`` back from ``person``."""
        with self._session() as session:
            for found in session.scalars(
                select(Assignment)
                .join(Person)
                .where(
                    Assignment.integration == integration,
                    Assignment.phase == phase,
                    Person.name == person,
                )
            ):
                session.delete(found)

    def assignments(self, integration: str) -> dict[str, list[str]]:
        """Return phase id → the names of the people it is assigned to."""
        with self._session() as session:
            rows = session.execute(
                select(Assignment.phase, Person.name)
                .join(Person)
                .where(Assignment.integration == integration)
                .order_by(Assignment.phase, Person.name)
            ).all()
        found: dict[str, list[str]] = {}
        for phase, name in rows:
            found.setdefault(phase, []).append(name)
        return found

    def phases_of(self, caller: Caller, integration: str) -> frozenset[str] | None:
        """The phases ``caller`` may answer: those assigned to them, or None (every
        phase) when none is; an admin answers every phase."""
        if caller.role is Role.ADMIN:
            return None
        with self._session() as session:
            phases = frozenset(
                session.scalars(
                    select(Assignment.phase).where(
                        Assignment.integration == integration,
                        Assignment.person_id == caller.person_id,
                    )
                )
            )
        return phases or None

    # -- comments ------------------------------------------------------------------

    def add_comment(self, integration: str, target: str, body: str, author: str) -> CommentEntry:
        """Keep a comment on ``target`` (``question:ID`` or ``DOCUMENT#ANCHOR``).

        Raises:
            UsageError: the text holds a character no database keeps (NUL).
        """
        _storable(integration=integration, target=target, comment=body, author=author)
        with self._session() as session:
            comment = Comment(
                integration=integration,
                target=target,
                body=body,
                author=author,
                created_at=_now(),
            )
            session.add(comment)
            session.flush()
            return _comment(comment)

    def comments(self, integration: str) -> list[CommentEntry]:
        """Return the comments on ``integration``, oldest first."""
        with self._session() as session:
            return [
                _comment(comment)
                for comment in session.scalars(
                    select(Comment).where(Comment.integration == integration).order_by(Comment.id)
                )
            ]

    # -- the audit log -------------------------------------------------------------

    def record(
        self, actor: str, action: str, integration: str | None = None, **detail: Any
    ) -> None:
        """Write a line of the audit log."""
        with self._session() as session:
            session.add(
                AuditEvent(
                    at=_now(),
                    actor=actor,
                    action=action,
                    integration=integration,
                    detail=json.dumps(detail, default=str, sort_keys=True),
                )
            )

    def audit(self, *, integration: str | None = None, limit: int = 200) -> list[AuditEntry]:
        """Return the newest ``limit`` lines of the audit log, newest first."""
        if integration is not None and "\x00" in integration:
            return []  # no integration's name holds NUL: nothing stored could match
        query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if integration is not None:
            query = query.where(AuditEvent.integration == integration)
        with self._session() as session:
            return [
                AuditEntry(
                    _aware(event.at),
                    event.actor,
                    event.action,
                    event.integration,
                    json.loads(event.detail),
                )
                for event in session.scalars(query)
            ]


def _caller(token: Token) -> Caller:
    person = token.person
    return Caller(person.id, person.name, Role.named(person.role), token.id)


def _comment(comment: Comment) -> CommentEntry:
    return CommentEntry(
        comment.id, comment.target, comment.body, comment.author, _aware(comment.created_at)
    )


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(
            f"not a database URL: {url!r}",
            hint="e.g. sqlite:///path/server.sqlite or postgresql://user@host/dbname",
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UsageError(
                    f"cannot make {folder} for the database: {error.strerror}",
                    hint="give a --database URL in a folder you may write to",
                ) from None
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except Exception as error:  # a driver that is not installed, a bad option
        raise UsageError(
            f"cannot use the database {parsed!r}: {error}",
            hint="the server keeps its state in SQLite (sqlite:///path/server.sqlite) or "
            "PostgreSQL (postgresql://user@host/dbname)",
        ) from None


def _sqlite_pragmas(connection: Any, _record: Sequence[Any]) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode, NORMAL syncs at checkpoints, not at every commit: a killed server
    # loses nothing committed; a power cut may lose the last moments of the audit log.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
