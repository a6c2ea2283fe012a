"""The JUnit XML report, for CI systems that show test results.

Each file is a ``<testsuite>`` and each rule with findings in it a ``<testcase>``; a
file without findings gets one passing testcase, so every document shows up. A
finding at or above the run's ``fail_on`` severity is a ``<failure>`` (errors always
are); the others are listed in the testcase's ``<system-out>``. Control characters
other than tab and line feed (several of which XML 1.0 cannot carry at all) are
written as visible escapes such as ``\\x1b``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from interlock.model.finding import Finding, Severity
from interlock.report.escapes import show_unsafe
from interlock.report.rule_facts import fix_for
from interlock.report.summary import format_score
from interlock.validate.result import FileResult, RunResult

CLEAN_TESTCASE = "no findings"
"""The name of the passing testcase of a file without findings."""


def render(result: RunResult, *, color: bool = False) -> str:
    """Return the JUnit XML document, with its XML declaration (``color`` is ignored)."""
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


__all__ = ["CLEAN_TESTCASE", "render"]
