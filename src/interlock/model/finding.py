"""What the validator reports: severities, rule families and findings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """How much a finding matters; ``OFF`` disables a rule."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"

    @property
    def rank(self) -> int:
        """Return 3 for error, 2 for warning, 1 for info, 0 for off."""
        return _RANKS[self]

    def at_least(self, threshold: Severity) -> bool:
        """Return whether this severity is at or above ``threshold`` (never for off)."""
        return self is not Severity.OFF and self.rank >= threshold.rank


_RANKS = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1, Severity.OFF: 0}


class Family(StrEnum):
    """The score category of a rule, given by the hundreds digit of its code."""

    METADATA = "metadata"
    CONTENT = "content"
    STRUCTURE = "structure"
    TRACEABILITY = "traceability"
    SECURITY = "security"

    @classmethod
    def of_code(cls, code: str) -> Family:
        """Return the family of a rule code such as ``IL201`` (content)."""
        digit = code[2:3]
        return _FAMILIES.get(digit, cls.CONTENT)


_FAMILIES = {
    "1": Family.METADATA,
    "2": Family.CONTENT,
    "3": Family.STRUCTURE,
    "4": Family.TRACEABILITY,
    "5": Family.SECURITY,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule yields: a place and a message. The runner adds rule and severity."""

    line: int
    column: int
    message: str
    hint: str = ""
    """How to fix this occurrence; the rule's general ``FIX`` is used when empty."""
    redact: str = ""
    """A secret found here: no message of the file may show it, whichever rule quotes
    it; the runner masks it everywhere with :func:`masked`."""


def masked(secret: str) -> str:
    """Return ``secret`` with only its first characters shown and its length hidden."""
    return secret[: min(4, len(secret) // 2)] + "*" * 8


@dataclass(frozen=True, slots=True)
class WorkspaceProblem:
    """A problem found by a workspace rule, which must say which file it is in."""

    path: str
    """The file's path as the run shows it, as its index entry has it."""
    line: int
    column: int
    message: str
    hint: str = ""


class Finding(NamedTuple):
    """One reported finding: a problem stamped with its rule and severity.

    A named tuple, so findings compare and sort field by field, in this order: as
    immutable as a frozen dataclass, and built in a quarter of the time, which counts
    when a run reports, or reads back from its store, millions of them.
    """

    path: str
    """The file's path as given on the command line (POSIX separators)."""
    line: int
    column: int
    code: str
    rule: str
    """The rule's name, e.g. ``placeholder``: the public contract."""
    severity: Severity
    message: str
    fix: str
    family: Family


__all__ = ["Family", "Finding", "Problem", "Severity", "WorkspaceProblem", "masked"]
