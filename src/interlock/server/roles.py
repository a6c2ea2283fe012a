"""Roles, and what each may do: a viewer reads; an answerer also answers; an approver
also approves; an admin also manages people, tokens and phase assignments."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ROLES", "Role"]


class Role(IntEnum):
    """A person's role; each may do what the ones below it may."""

    VIEWER = 1
    ANSWERER = 2
    APPROVER = 3
    ADMIN = 4

    @classmethod
    def named(cls, name: str) -> Role:
        """Return the role called ``name`` (``viewer``, ``answerer``, ...).

        Raises:
            ValueError: no role has that name; the message lists them.
        """
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {name!r}; choose one of {', '.join(ROLES)}") from None

    @property
    def label(self) -> str:
        """The role's name as typed: ``viewer``, ``answerer``, ``approver``, ``admin``."""
        return self.name.lower()


ROLES = tuple(role.label for role in Role)
