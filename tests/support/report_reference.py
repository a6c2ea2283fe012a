"""The JUnit and text reports as they were built before they were written as they go.

Each builds the whole document at once (JUnit as one ElementTree, text as one list of
lines) and counts from the findings themselves, as the reporters did before they read
the run's counts and wrote file by file. The tests hold the streaming writers to these
references, byte for byte, on generated runs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from interlock.model.finding import Finding, Severity
from interlock.report.escapes import show_unsafe
from interlock.report.rule_facts import fix_for
from interlock.report.summary import count_by_severity, format_score, plural
from interlock.validate.result import FileResult, RunResult

CLEAN_TESTCASE = "no findings"


def reference_junit(result: RunResult) -> str:
    """Return the JUnit document built as one tree, then indented and serialised."""
    root = ET.Element("testsuites", name="interlock")
    suites = [_testsuite(file, result.fail_on) for file in result.files]
    root.extend(suites)
    _set_counts(
        root,
        tests=sum(int(suite.get("tests", "0")) for suite in suites),
        failures=sum(int(suite.get("failures", "0")) for suite in suites),
    )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testsuite(file: FileResult, fail_on: Severity) -> ET.Element:
    suite = ET.Element("testsuite", name=_xml_text(file.path))
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="kind", value=_xml_text(file.kind))
    ET.SubElement(properties, "property", name="score", value=format_score(file.score.total))
    by_rule = sorted(file.findings, key=lambda finding: (finding.code, finding))
    cases = [
        _testcase(file.path, list(findings), fail_on)
        for _, findings in groupby(by_rule, key=lambda finding: finding.code)
    ]
    if not cases:
        cases = [ET.Element("testcase", classname=_xml_text(file.path), name=CLEAN_TESTCASE)]
    suite.extend(cases)
    failures = sum(1 for case in cases if case.find("failure") is not None)
    _set_counts(suite, tests=len(cases), failures=failures)
    return suite


def _testcase(path: str, findings: Sequence[Finding], fail_on: Severity) -> ET.Element:
    first = findings[0]
    case = ET.Element(
        "testcase", classname=_xml_text(path), name=_xml_text(f"{first.rule} ({first.code})")
    )
    passed: list[str] = []
    for finding in findings:
        if finding.severity.at_least(fail_on):
            failure = ET.SubElement(
                case, "failure", message=_xml_text(finding.message), type=_xml_text(finding.rule)
            )
            failure.text = _xml_text(_describe(finding))
        else:
            passed.append(_describe(finding))
    if passed:
        ET.SubElement(case, "system-out").text = _xml_text("\n".join(passed))
    return case


def _describe(finding: Finding) -> str:
    text = f"{finding.path}:{finding.line}:{finding.column} {finding.severity} {finding.message}"
    fix = fix_for(finding)
    return f"{text}\nfix: {fix}" if fix else text


def _set_counts(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")


def _xml_text(text: str) -> str:
    return show_unsafe(text, keep="\t\n")


_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_YELLOW = "\x1b[33m"
_BLUE = "\x1b[34m"
_SEVERITY_COLORS = {Severity.ERROR: _RED, Severity.WARNING: _YELLOW, Severity.INFO: _BLUE}


def reference_text(result: RunResult, *, color: bool = False) -> str:
    """Return the terminal report built as one list of lines, counted from the findings."""
    lines: list[str] = []
    for file in result.files:
        if file.findings:
            lines.extend(_file_lines(file, color))
            lines.append("")
    if not result.findings:
        lines.append(_paint("No problems found.", _GREEN, color))
    summary = _summary_line(result)
    reasons = _failure_reasons(result)
    if reasons:
        summary += "; " + _paint("failed: " + ", ".join(reasons), _RED, color)
    lines.append(summary)
    return "\n".join(lines) + "\n"


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


def _failure_reasons(result: RunResult) -> tuple[str, ...]:
    reasons: list[str] = []
    over = sum(1 for finding in result.findings if finding.severity.at_least(result.fail_on))
    if over:
        reasons.append(f"{plural(over, 'finding')} at or above {result.fail_on} severity")
    if result.min_score is not None and result.score.total < result.min_score:
        reasons.append(
            f"score {format_score(result.score.total)} is below "
            f"the minimum {format_score(result.min_score)}"
        )
    return tuple(reasons)


def _summary_line(result: RunResult) -> str:
    counts = count_by_severity(result.findings)
    return ", ".join(
        [
            plural(len(result.files), "file"),
            plural(counts[Severity.ERROR], "error"),
            plural(counts[Severity.WARNING], "warning"),
            plural(counts[Severity.INFO], "info"),
            f"score {format_score(result.score.total)}/100",
        ]
    )


__all__ = ["reference_junit", "reference_text"]
