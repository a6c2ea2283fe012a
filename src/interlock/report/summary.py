"""The figures every report states: counts by severity, the score, and why a run failed.

The run's counts come from :attr:`RunResult.counts`, worked out from the same findings
the reports list, so stating them costs no walk over findings a large run reads back
from disk.
"""

from __future__ import annotations

from interlock import __version__
from interlock.model.finding import Severity
from interlock.validate.result import REPORTED_SEVERITIES, RunResult, count_by_severity

SEVERITIES = REPORTED_SEVERITIES
"""The severities a finding can have, most severe first (``off`` never reaches a report)."""


def format_score(score: float) -> str:
    """Return a score with one decimal, without a trailing ``.0`` (``87.5``, ``100``)."""
    return f"{score:.1f}".removesuffix(".0")


def plural(count: int, noun: str) -> str:
    """Return ``1 error`` or ``2 errors``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def tool_version(result: RunResult) -> str:
    """Return the version that produced ``result``, or this package's when unset."""
    return result.version or __version__


def failure_reasons(result: RunResult) -> tuple[str, ...]:
    """Return why the run fails, one phrase per reason; empty when it passes."""
    reasons: list[str] = []
    over = sum(
        count for severity, count in result.counts.items() if severity.at_least(result.fail_on)
    )
    if over:
        reasons.append(f"{plural(over, 'finding')} at or above {result.fail_on} severity")
    if result.min_score is not None and result.score.total < result.min_score:
        reasons.append(
            f"score {format_score(result.score.total)} is below "
            f"the minimum {format_score(result.min_score)}"
        )
    return tuple(reasons)


def summary_line(result: RunResult) -> str:
    """Return ``N files, E errors, W warnings, I infos, score S/100`` for the run."""
    counts = result.counts
    return ", ".join(
        [
            plural(len(result.files), "file"),
            plural(counts.get(Severity.ERROR, 0), "error"),
            plural(counts.get(Severity.WARNING, 0), "warning"),
            plural(counts.get(Severity.INFO, 0), "info"),
            f"score {format_score(result.score.total)}/100",
        ]
    )


__all__ = [
    "SEVERITIES",
    "count_by_severity",
    "failure_reasons",
    "format_score",
    "plural",
    "summary_line",
    "tool_version",
]
