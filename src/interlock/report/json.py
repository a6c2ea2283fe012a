"""The JSON report: a stable, documented object for scripts and dashboards.

The shape is documented field by field in ``docs/report-formats.md``. Keys come in a
fixed order; fields may be added in later versions but are never renamed or removed
without a major version.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from interlock.model.finding import Family, Finding, Severity
from interlock.report.json_text import (
    SLOT,
    LaidOutItems,
    RecordLayout,
    Sink,
    dumps_indented,
    json_string,
    repeated_string,
    write_indented,
)
from interlock.report.rule_facts import fix_for
from interlock.report.summary import SEVERITIES, tool_version
from interlock.validate.result import FileSummary, RunResult

_FAMILIES = tuple(Family)


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the report as JSON (2-space indent, UTF-8 text, trailing newline).

    ``color`` is accepted for a uniform signature and ignored.
    """
    stream = io.StringIO()
    write(result, stream)
    return stream.getvalue()


def write(result: RunResult, stream: Sink, *, color: bool = False) -> None:
    """Write the report to ``stream`` as :func:`render` returns it, finding by finding."""
    findings = result.findings
    counts = result.counts
    report = {
        "version": tool_version(result),
        "preset": result.preset,
        "findings": LaidOutItems(map(_finding, findings)),
        "files": LaidOutItems(map(_file, result.summaries())),
        "summary": {
            "files": len(result.files),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
            "score": float(result.score.total),
            "families": _families(result.score.families),
            "failed": result.failed(),
            "fail_on": result.fail_on.value,
            "min_score": None if result.min_score is None else float(result.min_score),
        },
    }
    write_indented(report, stream)
    stream.write("\n")


_FINDING = RecordLayout(
    dict.fromkeys(
        ("path", "line", "column", "rule", "code", "severity", "message", "fix", "family"),
        SLOT,
    ),
    depth=2,
)
"""A finding as an item of the report's ``findings`` array."""


def _finding(finding: Finding) -> str:
    return _FINDING.text(
        repeated_string(finding.path),
        str(int(finding.line)),
        str(int(finding.column)),
        repeated_string(finding.rule),
        repeated_string(finding.code),
        _SEVERITY_TEXT[finding.severity],
        json_string(finding.message),
        repeated_string(fix_for(finding)),
        _FAMILY_TEXT[finding.family],
    )


# An enum member's ``value`` is a property, slow at a million findings; these are not.
_SEVERITY_TEXT = {severity: json_string(severity.value) for severity in Severity}
_FAMILY_TEXT = {family: json_string(family.value) for family in Family}


def _file(file: FileSummary) -> str:
    families = file.score.families
    if len(families) != len(_FAMILIES) or len(file.counts) != len(SEVERITIES):
        return dumps_indented(_file_fields(file), 2)  # a hand-made score or count
    return _FILE.text(
        repeated_string(file.path),
        repeated_string(file.kind),
        repr(float(file.score.total)),
        *(repr(float(families[family])) for family in _FAMILIES),
        *(str(file.counts[severity]) for severity in SEVERITIES),
    )


def _file_fields(file: FileSummary) -> dict[str, Any]:
    return {
        "path": file.path,
        "kind": file.kind,
        "score": float(file.score.total),
        "families": _families(file.score.families),
        "counts": {severity.value: count for severity, count in file.counts.items()},
    }


_FILE = RecordLayout(
    {
        "path": SLOT,
        "kind": SLOT,
        "score": SLOT,
        "families": dict.fromkeys((family.value for family in _FAMILIES), SLOT),
        "counts": dict.fromkeys((severity.value for severity in SEVERITIES), SLOT),
    },
    depth=2,
)
"""A file, with every family scored and every severity counted, as an item of the
report's ``files`` array."""


def _families(scores: Mapping[Family, float]) -> dict[str, float]:
    return {family.value: float(scores[family]) for family in _FAMILIES if family in scores}


__all__ = ["render", "write"]
