"""The GitHub Actions report: one workflow command per finding, then a summary line.

GitHub turns each ``::error``, ``::warning`` or ``::notice`` line into an annotation on
the file and line. Values are escaped the way GitHub's runner expects, so a message
holding ``::``, ``%`` or a newline stays one annotation and cannot issue a command of
its own; the fix is shown on the annotation's second line.
"""

from __future__ import annotations

import io

from interlock.model.finding import Finding, Severity
from interlock.report.escapes import show_unsafe
from interlock.report.json_text import Sink
from interlock.report.rule_facts import fix_for
from interlock.report.summary import failure_reasons, summary_line
from interlock.validate.result import RunResult

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the workflow commands and the summary line (``color`` is ignored)."""
    stream = io.StringIO()
    write(result, stream)
    return stream.getvalue()


def write(result: RunResult, stream: Sink, *, color: bool = False) -> None:
    """Write the report to ``stream`` as :func:`render` returns it, finding by finding."""
    for finding in result.findings:
        stream.write(_command(finding) + "\n")
    summary = summary_line(result)
    reasons = failure_reasons(result)
    if reasons:
        summary += "; failed: " + ", ".join(reasons)
    stream.write(summary + "\n")


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, carriage return and line feed."""
    text = show_unsafe(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: Finding) -> str:
    properties = ",".join(
        f"{name}={escape_property(value)}"
        for name, value in (
            ("file", finding.path),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", f"{finding.rule} ({finding.code})"),
        )
    )
    message = finding.message
    fix = fix_for(finding)
    if fix:
        message += f"\nfix: {fix}"
    command = _COMMANDS.get(finding.severity, "notice")
    return f"::{command} {properties}::{escape_data(message)}"


__all__ = ["escape_data", "escape_property", "render", "write"]
