"""The outcome of a validation run, as the reporters receive it.

A run's files and findings are collections a reporter walks, never indexes: a small run
holds them in memory, a large one (:class:`StreamedFiles`) reads each file's findings
back from disk as the report reaches it, so a report on a hundred thousand files never
holds them all at once.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from interlock.model.finding import Family, Finding, Severity

_FINDING_ORDER = attrgetter(*Finding._fields)
"""The order of :class:`Finding` (field by field), as a key: sorting by it is several
times faster than through the dataclass's own comparisons."""
REPORTED_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


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


class FileSummary(NamedTuple):
    """A file of the run without its findings: what a report's list of files shows."""

    path: str
    kind: str
    score: Score
    counts: Mapping[Severity, int]
    """Findings of each reported severity."""


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Return how many findings there are of each reported severity, most severe first."""
    counts = dict.fromkeys(REPORTED_SEVERITIES, 0)
    for finding in findings:
        if finding.severity in counts:
            counts[finding.severity] += 1
    return counts


def summary_of(file: FileResult) -> FileSummary:
    """Return the summary of ``file``, counting its findings."""
    return FileSummary(file.path, file.kind, file.score, count_by_severity(file.findings))


class StreamedFiles(Collection[FileResult]):
    """A run's files, read back one at a time in the order they were asked for.

    Each walk reads them afresh; only one file's findings are held at a time.
    """

    @abstractmethod
    def ordered_findings(self) -> Iterator[Finding]:
        """Yield every finding of the run in report order (path, line, column, ...)."""

    def summaries(self) -> Iterator[FileSummary]:
        """Yield each file's summary, in the order of the files; a store that knows
        them without reading the findings says so by overriding this."""
        return map(summary_of, self)

    def __contains__(self, item: object) -> bool:
        return any(item == file for file in self)

    def close(self) -> None:
        """Let go of what the files are read from; they cannot be walked after."""


class _StreamedFindings(Collection[Finding]):
    """Every finding of a streamed run, walked in report order as often as asked."""

    __slots__ = ("_count", "_files")

    def __init__(self, files: StreamedFiles, count: int) -> None:
        self._files = files
        self._count = count

    def __iter__(self) -> Iterator[Finding]:
        return self._files.ordered_findings()

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: object) -> bool:
        return any(item == finding for finding in self)


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a reporter needs: files, findings, scores and the run's settings."""

    files: Collection[FileResult]
    """In the order the run was asked for them; walk it, never index it."""
    score: Score
    preset: str
    fail_on: Severity
    min_score: float | None = None
    version: str = ""
    counts: Mapping[Severity, int] = field(default_factory=dict)
    """Findings of each reported severity; worked out from the files when not given."""

    def __post_init__(self) -> None:
        if not self.counts:
            every = (finding for file in self.files for finding in file.findings)
            object.__setattr__(self, "counts", count_by_severity(every))

    @property
    def findings(self) -> Collection[Finding]:
        """Every finding of the run, sorted by path, line, column and code."""
        if isinstance(self.files, StreamedFiles):
            return _StreamedFindings(self.files, sum(self.counts.values()))
        found = [finding for file in self.files for finding in file.findings]
        return tuple(sorted(found, key=_FINDING_ORDER))

    def summaries(self) -> Iterator[FileSummary]:
        """Yield each file without its findings, in the order of :attr:`files`."""
        if isinstance(self.files, StreamedFiles):
            return self.files.summaries()
        return map(summary_of, self.files)

    def close(self) -> None:
        """Let go of what a streamed run reads its files from (a no-op when held)."""
        if isinstance(self.files, StreamedFiles):
            self.files.close()

    def failed(self) -> bool:
        """Return whether the run fails: findings at or above ``fail_on``, or a low score."""
        if any(
            count and severity.at_least(self.fail_on) for severity, count in self.counts.items()
        ):
            return True
        return self.min_score is not None and self.score.total < self.min_score


__all__ = [
    "REPORTED_SEVERITIES",
    "FileResult",
    "FileSummary",
    "RunResult",
    "Score",
    "StreamedFiles",
    "count_by_severity",
    "summary_of",
]
