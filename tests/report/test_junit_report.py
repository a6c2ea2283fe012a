"""The JUnit report: well-formed XML whose counts match its testcases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from interlock.model.finding import Finding, Severity
from interlock.report import junit
from interlock.validate.result import RunResult

MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]


def _parse(result: RunResult) -> ET.Element:
    return ET.fromstring(junit.render(result).encode("utf-8"))


def _suite(root: ET.Element, name: str) -> ET.Element:
    found = [suite for suite in root.iter("testsuite") if suite.get("name") == name]
    assert len(found) == 1
    return found[0]


def test_starts_with_an_xml_declaration(run: RunResult) -> None:
    assert junit.render(run).startswith("<?xml version='1.0' encoding='utf-8'?>\n<testsuites")


def test_one_suite_per_file_in_order(run: RunResult) -> None:
    root = _parse(run)
    assert root.tag == "testsuites"
    assert [suite.get("name") for suite in root] == [file.path for file in run.files]


def test_counts_match_testcases_and_failures(run: RunResult) -> None:
    root = _parse(run)
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        failed = [case for case in cases if case.find("failure") is not None]
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(failed))
        assert (suite.get("errors"), suite.get("skipped")) == ("0", "0")
    assert root.get("tests") == str(len(list(root.iter("testcase"))))
    failed_cases = [case for case in root.iter("testcase") if case.find("failure") is not None]
    assert root.get("failures") == str(len(failed_cases))


def test_one_testcase_per_rule_with_a_failure_per_error(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    run = make_run(
        make_finding("first", line=1),
        make_finding("second", line=2),
        make_finding("empty", code="IL203", rule="empty-section", severity=Severity.WARNING),
    )
    suite = _suite(_parse(run), "specs/a.md")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["placeholder (IL201)", "empty-section (IL203)"]
    failures = cases["placeholder (IL201)"].findall("failure")
    assert [(f.get("message"), f.get("type")) for f in failures] == [
        ("first", "placeholder"),
        ("second", "placeholder"),
    ]
    assert cases["empty-section (IL203)"].find("failure") is None
    out = cases["empty-section (IL203)"].findtext("system-out")
    assert out is not None
    assert "specs/a.md:1:1 warning empty" in out
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")


@pytest.mark.parametrize(
    ("fail_on", "failures"),
    [(Severity.ERROR, 1), (Severity.WARNING, 2), (Severity.INFO, 3)],
    ids=["fail-on-error", "fail-on-warning", "fail-on-info"],
)
def test_fail_on_decides_which_findings_are_failures(
    fail_on: Severity, failures: int, make_finding: MakeFinding, make_run: MakeRun
) -> None:
    run = make_run(
        make_finding(code="IL201", severity=Severity.ERROR),
        make_finding(code="IL202", severity=Severity.WARNING),
        make_finding(code="IL203", severity=Severity.INFO),
        fail_on=fail_on,
    )
    assert _parse(run).get("failures") == str(failures)


def test_clean_file_has_one_passing_testcase(run: RunResult) -> None:
    suite = _suite(_parse(run), "specs/clean/spec.md")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [junit.CLEAN_TESTCASE]
    assert list(cases[0]) == []
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")


def test_suite_properties_give_kind_and_score(run: RunResult) -> None:
    suite = _suite(_parse(run), "specs/payments/spec.md")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {"kind": "integration-spec", "score": "47"}


def test_hostile_text_round_trips_through_the_parser(run: RunResult) -> None:
    root = _parse(run)
    messages = [failure.get("message") for failure in root.iter("failure")]
    assert "unfilled placeholder <script>alert('x')</script> ]]>" in messages
    assert "line one\\r\nline two\twith \\x1b[31mcolour\\x1b[0m" in messages


def test_characters_xml_cannot_hold_are_escaped(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    run = make_run(make_finding("nul\x00 bell\x07 \ufffe end"))
    failure = _parse(run).find(".//failure")
    assert failure is not None
    assert failure.get("message") == "nul\\x00 bell\\x07 \\ufffe end"


def test_run_over_no_files(empty_run: RunResult) -> None:
    root = _parse(empty_run)
    assert list(root) == []
    assert (root.get("tests"), root.get("failures")) == ("0", "0")
