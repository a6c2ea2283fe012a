"""The team server's own state, as SQLAlchemy tables: people, tokens, sessions, who
answers which phase, comments and the audit log.

Answers and documents are not here: they stay in the workspace's files, which the
command line, the MCP server and the team server share. The schema is made and changed
by the Alembic migrations in :mod:`interlock.server.migrations` only; these classes
describe it for queries, and a test checks that they agree with the migrations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["Assignment", "AuditEvent", "Base", "Comment", "Person", "Token", "WebSession"]


class Base(DeclarativeBase):
    """The tables of the team server."""


class Person(Base):
    """Someone who takes part: a name and one role."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tokens: Mapped[list[Token]] = relationship(back_populates="person")


class Token(Base):
    """A bearer token of a person; only its SHA-256 digest is kept."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    """The token's first characters, shown by ``token list`` to tell tokens apart."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    person: Mapped[Person] = relationship(back_populates="tokens")


class WebSession(Base):
    """A browser signed in with a token: the cookie's digest and the form token (CSRF)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    token: Mapped[Token] = relationship()


class Assignment(Base):
    """A phase of an integration's interview given to a person to answer."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("integration", "phase", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    integration: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    person: Mapped[Person] = relationship()


class Comment(Base):
    """A remark on a question of the interview or a section of a document."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    integration: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(400))
    """``question:ID`` or ``DOCUMENT#ANCHOR``."""
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what, when: every change made through the server, and every sign-in."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    integration: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    """What changed, as JSON (the question ids answered, the role approved, ...)."""
