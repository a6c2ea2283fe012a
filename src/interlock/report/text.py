"""The terminal report: findings grouped by file, then a one-line summary.

Each finding is one ``path:line:col severity rule message`` line, which editors and
``grep`` understand, followed by an indented ``fix:`` line. Control characters in
user text are shown as escapes (``\\n``, ``\\x1b``), so a hostile message can neither
split a finding over several lines nor send escape codes or bidirectional overrides
to the terminal.
"""

from __future__ import annotations

import io

from interlock.model.finding import Finding, Severity
from interlock.report.escapes import show_unsafe
from interlock.report.json_text import Sink
from interlock.report.rule_facts import fix_for
from interlock.report.summary import failure_reasons, summary_line
from interlock.validate.result import FileResult, RunResult

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_YELLOW = "\x1b[33m"
_BLUE = "\x1b[34m"
_SEVERITY_COLORS = {Severity.ERROR: _RED, Severity.WARNING: _YELLOW, Severity.INFO: _BLUE}


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the report; with ``color``, severities and paths carry ANSI escape codes."""
    stream = io.StringIO()
    write(result, stream, color=color)
    return stream.getvalue()


def write(result: RunResult, stream: Sink, *, color: bool = False) -> None:
    """Write the report to ``stream`` as :func:`render` returns it, file by file."""
    for file in result.files:
        if file.findings:
            stream.write("\n".join(_file_lines(file, color)) + "\n\n")
    if not any(result.counts.values()):
        stream.write(_paint("No problems found.", _GREEN, color) + "\n")
    summary = summary_line(result)
    reasons = failure_reasons(result)
    if reasons:
        summary += "; " + _paint("failed: " + ", ".join(reasons), _RED, color)
    stream.write(summary + "\n")


def _file_lines(file: FileResult, color: bool) -> list[str]:
    lines = [_paint(show_unsafe(file.path), _BOLD, color)]
    for finding in file.findings:
        lines.append(_finding_line(finding, color))
        fix = fix_for(finding)
        if fix:
            lines.append(f"  fix: {show_unsafe(fix)}")
    return lines


def _finding_line(finding: Finding, color: bool) -> str:
    where = _paint(f"{show_unsafe(finding.path)}:{finding.line}:{finding.column}", _BOLD, color)
    severity = _paint(finding.severity.value, _SEVERITY_COLORS.get(finding.severity, ""), color)
    return f"{where} {severity} {show_unsafe(finding.rule)} {show_unsafe(finding.message)}"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text


__all__ = ["render", "write"]
