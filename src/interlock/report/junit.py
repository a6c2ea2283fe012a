"""The JUnit XML report, for CI systems that show test results.

Each file is a ``<testsuite>`` and each rule with findings in it a ``<testcase>``; a
file without findings gets one passing testcase, so every document shows up. A
finding at or above the run's ``fail_on`` severity is a ``<failure>`` (errors always
are); the others are listed in the testcase's ``<system-out>``. Control characters
other than tab and line feed (several of which XML 1.0 cannot carry at all) are
written as visible escapes such as ``\\x1b``.

The document is written suite by suite, so a run over many files never has its whole
tree in memory: only one file's suite is built at a time.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from interlock.model.finding import Finding, Severity
from interlock.report.escapes import show_unsafe
from interlock.report.json_text import Sink
from interlock.report.rule_facts import fix_for
from interlock.report.summary import format_score
from interlock.validate.result import FileResult, RunResult

CLEAN_TESTCASE = "no findings"
"""The name of the passing testcase of a file without findings."""
_SUITE_INDENT = "\n  "
"""What ``ET.indent`` puts before each suite, a child of the root."""


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the JUnit XML document, with its XML declaration (``color`` is ignored)."""
    stream = io.StringIO()
    write(result, stream)
    return stream.getvalue()


def write(result: RunResult, stream: Sink, *, color: bool = False) -> None:
    """Write the document to ``stream`` as :func:`render` returns it, suite by suite.

    The root element states the run's totals before any suite, so the files are walked
    twice: once to add the totals up, once to write the suites.
    """
    tests = failures = 0
    for file in result.files:
        file_tests, file_failures = _suite_counts(file, result.fail_on)
        tests += file_tests
        failures += file_failures
    root = ET.Element("testsuites", name="interlock")
    _set_counts(root, tests=tests, failures=failures)
    if not result.files:
        stream.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
        return
    # The childless root, written with an end tag, gives the declaration and the start
    # tag exactly as ElementTree writes them for the whole document.
    head = ET.tostring(
        root, encoding="unicode", xml_declaration=True, short_empty_elements=False
    ).removesuffix("</testsuites>")
    stream.write(head)
    for file in result.files:
        suite = _testsuite(file, result.fail_on)
        ET.indent(suite, level=1)
        stream.write(_SUITE_INDENT + ET.tostring(suite, encoding="unicode"))
    stream.write("\n</testsuites>\n")


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
    tests, failures = _suite_counts(file, fail_on)
    _set_counts(suite, tests=tests, failures=failures)
    return suite


def _suite_counts(file: FileResult, fail_on: Severity) -> tuple[int, int]:
    """Return how many testcases ``file``'s suite has, and how many of them fail.

    A testcase is a rule with findings (or the one clean testcase); it fails when one
    of its findings is at or above ``fail_on``.
    """
    if not file.findings:
        return 1, 0
    codes = {finding.code for finding in file.findings}
    failing = {finding.code for finding in file.findings if finding.severity.at_least(fail_on)}
    return len(codes), len(failing)


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


__all__ = ["CLEAN_TESTCASE", "render", "write"]
