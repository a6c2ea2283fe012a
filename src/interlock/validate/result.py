"""The outcome of a validation run, as the reporters receive it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter

from interlock.model.finding import Family, Finding, Severity

_FINDING_ORDER = attrgetter(*(each.name for each in fields(Finding)))
"""The order of :class:`Finding` (field by field), as a key: sorting by it is several
times faster than through the dataclass's own comparisons."""


@dataclass(frozen=True, slots=True)
class Score:
    """A 0–100 score and its per-family breakdown (each family is worth 20)."""

    total: float
    families: Mapping[Family, float]


@dataclass(frozen=True, slots=True)
class FileResult:
    """One document of the run: its kind, findings and score."""

    path: str
    kind: str
    findings: tuple[Finding, ...]
    score: Score


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a reporter needs: files, findings, scores and the run's settings."""

    files: tuple[FileResult, ...]
    score: Score
    preset: str
    fail_on: Severity
    min_score: float | None = None
    version: str = ""
    counts: Mapping[Severity, int] = field(default_factory=dict)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the run, sorted by path, line, column and code."""
        found = [finding for file in self.files for finding in file.findings]
        return tuple(sorted(found, key=_FINDING_ORDER))

    def failed(self) -> bool:
        """Return whether the run fails: findings at or above ``fail_on``, or a low score."""
        if any(
            finding.severity.at_least(self.fail_on)
            for file in self.files
            for finding in file.findings
        ):
            return True
        return self.min_score is not None and self.score.total < self.min_score


__all__ = ["FileResult", "RunResult", "Score"]
