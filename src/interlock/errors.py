"""Errors the user can fix, raised in the core and rendered once at the edge.

::

    InterlockError            something the user can fix; str(error) is the message
    ├── InputError            a file Interlock was asked to read is unusable
    │   └── YamlError         YAML syntax or shape error, with its line
    ├── ConfigError           .interlock/config.yaml or a preset is invalid
    ├── UsageError            a command-line value that cannot be honoured
    ├── BankError             a question bank is malformed
    ├── AnswerError           an answer of the wrong kind, or for an unknown question
    │   └── NotAssignedError  a question of a phase the person was not given to answer
    ├── StoreError            the answers file is corrupt or locked by another process
    │   └── ConflictError     the answers changed since the revision the caller read
    └── RenderError           a template failed, or a rendered file was edited by hand
"""

from __future__ import annotations

from pathlib import Path


class InterlockError(Exception):
    """Something the user can fix; ``str(error)`` is the message shown."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        # A URL stays text: Path("https://x") would fold it into "https:/x".
        self.path: Path | str | None = (
            path if path is None or (isinstance(path, str) and "://" in path) else Path(path)
        )
        self.line = line
        self.column = column
        self.hint = hint

    def location(self) -> str:
        """Return ``path:line:column`` with whatever parts are known, or ``""``."""
        if self.path is None:
            return ""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class InputError(InterlockError):
    """A file Interlock was asked to read is missing, binary or too large."""


class YamlError(InputError):
    """YAML that does not parse, has duplicate keys, aliases, or the wrong shape."""


class ConfigError(InterlockError):
    """``.interlock/config.yaml``, a preset or a command-line override is invalid."""


class UsageError(InterlockError):
    """A command-line value that cannot be honoured."""


class BankError(InterlockError):
    """A question bank is malformed."""


class AnswerError(InterlockError):
    """An answer of the wrong kind, an option not offered, or an unknown question id."""


class NotAssignedError(AnswerError):
    """A question of a phase that the person answering was not given to answer."""


class StoreError(InterlockError):
    """The answers file is corrupt, or another process holds its lock."""


class ConflictError(StoreError):
    """The answers file changed since the revision a caller read: someone else answered."""


class RenderError(InterlockError):
    """A template failed to render, or a rendered file was edited by hand."""


__all__ = [
    "AnswerError",
    "BankError",
    "ConfigError",
    "ConflictError",
    "InputError",
    "InterlockError",
    "NotAssignedError",
    "RenderError",
    "StoreError",
    "UsageError",
    "YamlError",
]
