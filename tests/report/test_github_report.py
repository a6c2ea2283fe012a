"""The GitHub Actions report: one escaped workflow command per finding."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from interlock.model.finding import Finding, Severity
from interlock.report import github
from interlock.validate.result import RunResult

MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]


@pytest.mark.parametrize(
    ("raw", "data", "property_value"),
    [
        ("plain text", "plain text", "plain text"),
        ("100%", "100%25", "100%25"),
        ("%0A literally", "%250A literally", "%250A literally"),
        ("two\nlines", "two%0Alines", "two%0Alines"),
        ("cr\r\nlf", "cr%0D%0Alf", "cr%0D%0Alf"),
        ("a::b", "a::b", "a%3A%3Ab"),
        ("x,y", "x,y", "x%2Cy"),
        ("::error file=x::pwned", "::error file=x::pwned", "%3A%3Aerror file=x%3A%3Apwned"),
        ("esc\x1b[31m", "esc\\x1b[31m", "esc\\x1b[31m"),
        ("délai ✓", "délai ✓", "délai ✓"),
    ],
    ids=[
        "plain",
        "percent",
        "percent-first",
        "newline",
        "crlf",
        "double-colon",
        "comma",
        "injected-command",
        "escape-code",
        "unicode",
    ],
)
def test_escaping(raw: str, data: str, property_value: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == property_value


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
    ids=["error", "warning", "info"],
)
def test_one_command_per_finding(
    severity: Severity, command: str, make_finding: MakeFinding, make_run: MakeRun
) -> None:
    found = make_finding("unfilled placeholder", line=7, column=3, severity=severity)
    lines = github.render(make_run(found)).splitlines()
    assert lines[0] == (
        f"::{command} file=specs/a.md,line=7,col=3,title=placeholder (IL201)::unfilled placeholder"
    )


def test_fix_is_the_annotation_second_line(make_finding: MakeFinding, make_run: MakeRun) -> None:
    found = make_finding("unfilled", fix="write it, then 100% done")
    line = github.render(make_run(found)).splitlines()[0]
    assert line.endswith("::unfilled%0Afix: write it, then 100%25 done")


def test_hostile_path_and_message_stay_in_one_command(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    found = make_finding("x\n::error file=evil.md::pwned", path="a,b:c.md")
    lines = github.render(make_run(found)).splitlines()
    assert len(lines) == 2
    assert lines[0] == (
        "::error file=a%2Cb%3Ac.md,line=1,col=1,title=placeholder (IL201)"
        "::x%0A::error file=evil.md::pwned"
    )


def test_ends_with_a_plain_summary_line(run: RunResult) -> None:
    lines = github.render(run).splitlines()
    assert len(lines) == len(run.findings) + 1
    assert all(line.startswith("::") for line in lines[:-1])
    assert lines[-1].startswith("4 files, 4 errors, 2 warnings, 2 infos, score 78.5/100")
    assert "failed: 4 findings at or above error severity" in lines[-1]


def test_run_over_no_files_prints_only_the_summary(empty_run: RunResult) -> None:
    assert github.render(empty_run) == "0 files, 0 errors, 0 warnings, 0 infos, score 100/100\n"
