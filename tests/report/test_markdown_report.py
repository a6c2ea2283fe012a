"""The Markdown report: tables that hostile text cannot break, and a prioritized to-do list."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyromark
import pytest

from interlock.model.finding import Finding, Severity
from interlock.report import markdown
from interlock.validate.result import RunResult

MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]

_GFM = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_STRIKETHROUGH
)


def _html(report: str) -> str:
    return pyromark.html(report, options=_GFM)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain words", "plain words"),
        ("a | b", r"a \| b"),
        ("`code`", r"\`code\`"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("]]>", r"\]\]&gt;"),
        ("# heading", r"\# heading"),
        ("   ## indented", r"   \## indented"),
        ("not # a heading", "not # a heading"),
        ("one\n# two", r"one<br>\# two"),
        ("cr\r\nlf\rcr", "cr<br>lf<br>cr"),
        (r"back\slash|", r"back\\slash\|"),
        ("*bold* _it_ ~~s~~", r"\*bold\* \_it\_ \~\~s\~\~"),
        ("[link](http://x)", r"\[link\](http://x)"),
        ("&amp; &", "&amp;amp; &amp;"),
        ("esc\x1b", r"esc\\x1b"),
        ("100% :: délai ✓", "100% :: délai ✓"),
    ],
    ids=[
        "plain",
        "pipe",
        "backtick",
        "html",
        "cdata-end",
        "heading",
        "indented-heading",
        "inner-hash",
        "heading-after-newline",
        "line-breaks",
        "backslash-before-pipe",
        "emphasis",
        "link",
        "entity",
        "control",
        "unicode",
    ],
)
def test_escape(raw: str, escaped: str) -> None:
    assert markdown.escape(raw) == escaped


def test_tables_keep_their_columns_whatever_the_messages_hold(run: RunResult) -> None:
    html = _html(markdown.render(run))
    for table in re.findall(r"<table>.*?</table>", html, flags=re.DOTALL):
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", table)}
        assert len(widths) == 1, table


def test_hostile_text_renders_as_text(make_finding: MakeFinding, make_run: MakeRun) -> None:
    message = "a\\|b <script>x</script> [l](http://e) `c` *e*\n# H"
    html = _html(markdown.render(make_run(make_finding(message))))
    assert "<script>" not in html
    assert "<a " not in html
    assert "<h1>H" not in html
    assert "<code>c" not in html
    assert "<td>a\\|b &lt;script&gt;x&lt;/script&gt; [l](http://e) `c` *e*<br># H</td>" in html


def test_summary_table(run: RunResult) -> None:
    report = markdown.render(run)
    assert "| Files | Errors | Warnings | Infos | Score |" in report
    assert "| 4 | 4 | 2 | 2 | 78.5/100 |" in report


def test_verdict(run: RunResult, make_finding: MakeFinding, make_run: MakeRun) -> None:
    assert "**Failed:** 4 findings at or above error severity; score 78.5 is below" in (
        markdown.render(run)
    )
    warning = make_finding(severity=Severity.WARNING)
    assert "**Passed:** no findings at or above error severity." in markdown.render(
        make_run(warning)
    )
    assert "**Passed:** no problems found." in markdown.render(make_run(paths=("a.md",)))


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (100.0, "90–100"),
        (90.0, "90–100"),
        (89.9, "70–89"),
        (70.0, "70–89"),
        (69.9, "50–69"),
        (50.0, "50–69"),
        (49.9, "0–49"),
        (0.0, "0–49"),
    ],
    ids=["100", "90", "89.9", "70", "69.9", "50", "49.9", "0"],
)
def test_score_bands(score: float, label: str) -> None:
    assert markdown.band(score) == label


def test_distribution_counts_documents_per_band(run: RunResult) -> None:
    report = markdown.render(run)
    # 100 and 98 pass; 69 and 47 carry errors, so they sit below the passing score.
    assert "| 90–100 | 2 | " + "█" * 10 + " |" in report
    assert "| 70–89 | 0 |  |" in report
    assert "| 50–69 | 1 | " + "█" * 5 + " |" in report
    assert "| 0–49 | 1 | " + "█" * 5 + " |" in report


def test_family_breakdown(run: RunResult) -> None:
    report = markdown.render(run)
    assert "| metadata | 15/20 | 2 | 0 | 0 |" in report
    assert "| content | 17/20 | 1 | 1 | 1 |" in report


def test_fix_first_orders_by_severity_family_effort_then_count(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    run = make_run(
        make_finding(code="IL299", rule="content-length", severity=Severity.INFO),
        make_finding(code="IL201", rule="placeholder", severity=Severity.ERROR),
        make_finding(code="IL401", rule="no-such-rule", severity=Severity.ERROR),
        make_finding(code="IL402", rule="dangling-link", severity=Severity.ERROR, line=2),
        make_finding(code="IL402", rule="dangling-link", severity=Severity.ERROR, line=3),
        make_finding(code="IL403", rule="other-link", severity=Severity.ERROR),
        make_finding(code="IL501", rule="secret", severity=Severity.WARNING),
        make_finding(code="IL103", rule="required-field", severity=Severity.ERROR),
    )
    items = markdown.to_do(run.findings)
    assert [(item.rule, item.count) for item in items] == [
        ("required-field", 1),  # error, metadata
        ("dangling-link", 2),  # error, traceability, small effort
        ("no-such-rule", 1),  # error, traceability, medium (default) effort, IL401
        ("other-link", 1),  # same as above, IL403
        ("placeholder", 1),  # error, content
        ("secret", 1),  # warning, security
        ("content-length", 1),  # info
    ]


def test_fix_first_items_give_count_effort_and_fix(run: RunResult) -> None:
    report = markdown.render(run)
    assert (
        "2. [ ] **required-field** (IL103): 2 occurrences, error, metadata, small effort\\\n"
        "   Fix: add the field to the front matter\n"
    ) in report
    html = _html(report)
    assert '<input disabled="" type="checkbox"/>' in html
    assert "small effort<br />\nFix: add the field" in html


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("placeholder", "small"), ("failure-handling", "large"), ("not-a-rule", "medium")],
    ids=["small", "large", "default"],
)
def test_effort_by_rule_name(rule: str, expected: str) -> None:
    assert markdown.effort(rule) == expected


def test_each_file_has_a_section(run: RunResult) -> None:
    report = markdown.render(run)
    for file in run.files:
        assert f"### {markdown.escape(file.path)}\n" in report
    clean = report.split("### specs/clean/spec.md\n", 1)[1]
    assert clean.startswith("\nKind integration-spec, score 100/100.\n\nNo findings.\n")


def test_run_over_no_files(empty_run: RunResult) -> None:
    report = markdown.render(empty_run)
    assert "| 0 | 0 | 0 | 0 | 100/100 |" in report
    assert "Nothing to fix." in report
    assert "## Files" not in report


def test_effort_table_in_the_docs_matches_the_code() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "report-formats.md"
    documented: dict[str, str] = {}
    for effort, rules in re.findall(
        r"^\| (small|medium|large) \| (.*) \|$", docs.read_text(encoding="utf-8"), re.M
    ):
        for rule in re.findall(r"`([a-z-]+)`", rules):
            documented[rule] = effort
    assert documented == dict(markdown.EFFORT_BY_RULE)
