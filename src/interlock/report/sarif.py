"""The SARIF 2.1.0 report, for code-scanning services such as GitHub's.

One run, whose driver lists every rule with a finding (id = code, name = rule name)
and whose results point at files by relative POSIX URI. Each result carries a
``partialFingerprints`` hash of rule, path and message, so a service can follow a
finding across commits while the lines around it move.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from interlock.model.finding import Finding, Severity
from interlock.report.json_text import (
    SLOT,
    LaidOutItems,
    RecordLayout,
    Sink,
    json_string,
    repeated_string,
    write_indented,
)
from interlock.report.rule_facts import RuleFacts, rules_reported
from interlock.report.summary import tool_version
from interlock.validate.result import RunResult

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "interlockFinding/v1"
"""The ``partialFingerprints`` key; its suffix changes whenever the hash input does."""

_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.OFF: "none",
}


_LEVEL_TEXT = {severity: json_string(level) for severity, level in _LEVELS.items()}


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the SARIF log as JSON text (``color`` is ignored)."""
    stream = io.StringIO()
    write(result, stream)
    return stream.getvalue()


def write(result: RunResult, stream: Sink, *, color: bool = False) -> None:
    """Write the SARIF log to ``stream`` as :func:`render` returns it, result by result."""
    findings = result.findings
    rules = rules_reported(findings)
    index = {rule.code: position for position, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "interlock",
                "version": tool_version(result),
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": LaidOutItems(_result(finding, index[finding.code]) for finding in findings),
        "properties": {
            "preset": result.preset,
            "score": float(result.score.total),
            "failed": result.failed(),
        },
    }
    write_indented({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, stream)
    stream.write("\n")


def fingerprint(finding: Finding) -> str:
    """Return a stable hash of the finding's rule, path and message (not its line)."""
    text = "\0".join((finding.code, finding.path, finding.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def artifact_uri(path: str) -> str:
    """Return ``path`` as a URI reference: relative and percent-encoded, or ``file:``."""
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return "file://" + quote(posix.as_posix())
    return quote(posix.as_posix())


def _rule(rule: RuleFacts) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.documentation},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": [rule.family.value]},
    }
    if rule.fix:
        descriptor["help"] = {"text": f"Fix: {rule.fix}"}
    return descriptor


_RESULT = RecordLayout(
    {
        "ruleId": SLOT,
        "ruleIndex": SLOT,
        "level": SLOT,
        "message": {"text": SLOT},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": SLOT},
                    "region": {"startLine": SLOT, "startColumn": SLOT},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: SLOT},
    },
    depth=4,
)
"""A result as an item of the run's ``results`` array (log, runs, run, results)."""


def _result(finding: Finding, rule_index: int) -> str:
    return _RESULT.text(
        repeated_string(finding.code),
        str(rule_index),
        _LEVEL_TEXT[finding.severity],
        json_string(finding.message),
        repeated_string(artifact_uri(finding.path)),
        str(max(finding.line, 1)),
        str(max(finding.column, 1)),
        json_string(fingerprint(finding)),
    )


__all__ = ["FINGERPRINT_KEY", "SCHEMA_URI", "artifact_uri", "fingerprint", "render", "write"]
