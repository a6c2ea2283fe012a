"""The terminal report: one line per finding, grouped by file, and a summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from interlock.model.finding import Finding, Severity
from interlock.report import text
from interlock.validate.result import RunResult

MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]


def test_finding_line_then_fix_line(make_finding: MakeFinding, make_run: MakeRun) -> None:
    found = make_finding("unfilled placeholder", line=7, column=3, fix="write it")
    lines = text.render(make_run(found)).splitlines()
    assert lines[:3] == [
        "specs/a.md",
        "specs/a.md:7:3 error placeholder unfilled placeholder",
        "  fix: write it",
    ]


def test_registered_rule_gives_the_fix_a_finding_lacks(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    found = make_finding("no owner", code="IL103", rule="required-field")
    assert "  fix: add the field to the front matter" in text.render(make_run(found))


def test_no_fix_line_when_nothing_says_how_to_fix(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    assert "fix:" not in text.render(make_run(make_finding("odd", code="IL299")))


def test_files_are_headers_and_clean_files_are_not_listed(run: RunResult) -> None:
    lines = text.render(run).splitlines()
    headers = [line for line in lines if line.startswith("specs/") and ":" not in line]
    assert headers == ["specs/payments/spec.md", "specs/payments/integration-points.md"]
    assert not any("specs/clean/spec.md" in line for line in lines)


def test_summary_counts_and_failure_reasons(run: RunResult) -> None:
    last = text.render(run).splitlines()[-1]
    assert last.startswith("4 files, 4 errors, 2 warnings, 2 infos, score 78.5/100; failed: ")
    assert "4 findings at or above error severity" in last
    assert "score 78.5 is below the minimum 95" in last


def test_passing_run_with_findings_gives_no_reason(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    report = text.render(make_run(make_finding(severity=Severity.WARNING)))
    assert report.splitlines()[-1] == "1 file, 0 errors, 1 warning, 0 infos, score 100/100"


def test_warnings_fail_a_run_that_fails_on_warnings(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    found = make_finding(severity=Severity.WARNING)
    last = text.render(make_run(found, fail_on=Severity.WARNING)).splitlines()[-1]
    assert last.endswith("; failed: 1 finding at or above warning severity")


def test_clean_run_says_so(make_run: MakeRun) -> None:
    report = text.render(make_run(paths=("specs/a.md", "specs/b.md")))
    assert report == "No problems found.\n2 files, 0 errors, 0 warnings, 0 infos, score 100/100\n"


def test_run_over_no_files(empty_run: RunResult) -> None:
    assert text.render(empty_run).splitlines()[-1].startswith("0 files, 0 errors")


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("two\nlines", "two\\nlines"),
        ("crlf\r\nend", "crlf\\r\\nend"),
        ("\x1b[2Jcleared", "\\x1b[2Jcleared"),
        ("bell\x07", "bell\\x07"),
        ("csi\x9b", "csi\\x9b"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("délai 期限 ✓", "délai 期限 ✓"),
    ],
    ids=["newline", "crlf", "escape", "bell", "c1-csi", "bidi-override", "unicode"],
)
def test_unsafe_characters_are_shown_escaped(
    message: str, shown: str, make_finding: MakeFinding, make_run: MakeRun
) -> None:
    lines = text.render(make_run(make_finding(message))).splitlines()
    assert len(lines) == 4
    assert lines[1] == f"specs/a.md:1:1 error placeholder {shown}"


def test_colour_marks_severities_and_paths(run: RunResult) -> None:
    report = text.render(run, color=True)
    assert "\x1b[31merror\x1b[0m" in report
    assert "\x1b[33mwarning\x1b[0m" in report
    assert "\x1b[34minfo\x1b[0m" in report
    assert "\x1b[1mspecs/payments/spec.md\x1b[0m\n" in report
    assert "\x1b[31mfailed: " in report


def test_without_colour_no_escape_code_reaches_the_terminal(run: RunResult) -> None:
    assert "\x1b" not in text.render(run)
