"""Every format against its golden file, the format table, and a run over no files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from interlock.errors import UsageError
from interlock.report import FORMATS, render_report
from interlock.validate.result import RunResult

CheckGolden = Callable[[str, str], None]

EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "github": "github.txt",
    "markdown": "md",
}


def test_every_format_is_offered() -> None:
    assert list(FORMATS) == ["text", "json", "sarif", "junit", "github", "markdown"]


@pytest.mark.parametrize("fmt", list(EXTENSIONS), ids=list(EXTENSIONS))
def test_shared_run_matches_golden(fmt: str, run: RunResult, check_golden: CheckGolden) -> None:
    check_golden(f"run.{EXTENSIONS[fmt]}", render_report(run, fmt))


@pytest.mark.parametrize("fmt", list(EXTENSIONS), ids=list(EXTENSIONS))
def test_run_over_no_files_matches_golden(
    fmt: str, empty_run: RunResult, check_golden: CheckGolden
) -> None:
    check_golden(f"empty.{EXTENSIONS[fmt]}", render_report(empty_run, fmt))


def test_coloured_text_matches_golden(run: RunResult, check_golden: CheckGolden) -> None:
    check_golden("run.color.txt", render_report(run, "text", color=True))


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "markdown"])
def test_colour_changes_only_the_text_format(fmt: str, run: RunResult) -> None:
    assert render_report(run, fmt, color=True) == render_report(run, fmt)


@pytest.mark.parametrize("fmt", list(EXTENSIONS), ids=list(EXTENSIONS))
def test_every_report_ends_with_one_newline(fmt: str, run: RunResult) -> None:
    report = render_report(run, fmt)
    assert report.endswith("\n")
    assert not report.endswith("\n\n")


def test_unknown_format_is_a_usage_error_listing_the_formats(run: RunResult) -> None:
    with pytest.raises(UsageError) as raised:
        render_report(run, "yaml")
    message = str(raised.value)
    assert "'yaml'" in message
    for fmt in FORMATS:
        assert fmt in message


def test_every_format_is_documented() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "report-formats.md"
    headings = [
        line for line in docs.read_text(encoding="utf-8").splitlines() if line.startswith("## ")
    ]
    for fmt in FORMATS:
        assert f"## {fmt}" in headings
