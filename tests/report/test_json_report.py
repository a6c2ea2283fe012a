"""The JSON report: documented keys, stable order, values a script can rely on."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from interlock.model.finding import Finding, Severity
from interlock.report import json as json_report
from interlock.validate.result import RunResult

MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]

FINDING_KEYS = ["path", "line", "column", "rule", "code", "severity", "message", "fix", "family"]
FILE_KEYS = ["path", "kind", "score", "families", "counts"]
SUMMARY_KEYS = [
    "files",
    "errors",
    "warnings",
    "infos",
    "score",
    "families",
    "failed",
    "fail_on",
    "min_score",
]
FAMILIES = ["metadata", "content", "structure", "traceability", "security"]


def _load(result: RunResult) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(json_report.render(result))
    return report


def test_top_level_keys_in_documented_order(run: RunResult) -> None:
    report = _load(run)
    assert list(report) == ["version", "preset", "findings", "files", "summary"]
    assert (report["version"], report["preset"]) == ("9.9.9", "review")


def test_findings_have_exactly_the_documented_keys(run: RunResult) -> None:
    findings = _load(run)["findings"]
    assert len(findings) == 8
    for item in findings:
        assert list(item) == FINDING_KEYS


def test_finding_values(make_finding: MakeFinding, make_run: MakeRun) -> None:
    found = make_finding(
        "unfilled placeholder", line=7, column=3, severity=Severity.INFO, fix="write it"
    )
    assert _load(make_run(found))["findings"] == [
        {
            "path": "specs/a.md",
            "line": 7,
            "column": 3,
            "rule": "placeholder",
            "code": "IL201",
            "severity": "info",
            "message": "unfilled placeholder",
            "fix": "write it",
            "family": "content",
        }
    ]


def test_fix_falls_back_to_the_registered_rule(
    make_finding: MakeFinding, make_run: MakeRun
) -> None:
    found = make_finding(code="IL103", rule="required-field")
    assert _load(make_run(found))["findings"][0]["fix"] == "add the field to the front matter"


def test_files_with_scores_families_and_counts(run: RunResult) -> None:
    files = _load(run)["files"]
    assert [item["path"] for item in files] == [file.path for file in run.files]
    for item in files:
        assert list(item) == FILE_KEYS
        assert list(item["families"]) == FAMILIES
    first = files[0]
    assert (first["kind"], first["score"]) == ("integration-spec", 47.0)
    assert first["families"]["security"] == 10.0
    assert first["counts"] == {"error": 3, "warning": 1, "info": 1}
    assert files[2]["counts"] == {"error": 0, "warning": 0, "info": 0}


def test_summary(run: RunResult) -> None:
    summary = _load(run)["summary"]
    assert list(summary) == SUMMARY_KEYS
    assert summary == {
        "files": 4,
        "errors": 4,
        "warnings": 2,
        "infos": 2,
        "score": 78.5,
        "families": {
            "metadata": 15.0,
            "content": 17.0,
            "structure": 20.0,
            "traceability": 19.5,
            "security": 17.5,
        },
        "failed": True,
        "fail_on": "error",
        "min_score": 95.0,
    }


def test_passing_run_without_minimum(make_finding: MakeFinding, make_run: MakeRun) -> None:
    summary = _load(make_run(make_finding(severity=Severity.WARNING)))["summary"]
    assert (summary["failed"], summary["min_score"]) == (False, None)


def test_text_is_utf8_not_ascii_escapes_with_two_space_indent(run: RunResult) -> None:
    rendered = json_report.render(run)
    assert "délai de réponse — 期限は？ ✓" in rendered
    assert '\n  "preset": "review",\n' in rendered
    assert rendered.endswith("}\n")


def test_run_over_no_files(empty_run: RunResult) -> None:
    report = _load(empty_run)
    assert (report["findings"], report["files"]) == ([], [])
    assert report["summary"]["files"] == 0
    assert report["summary"]["failed"] is False


def test_a_file_scored_in_only_some_families_is_laid_out_as_json_has_it() -> None:
    """Files are laid out from a fixed layout when every family is scored; any other
    score still comes out as the standard library writes it."""
    from interlock.model.finding import Family
    from interlock.validate.result import FileResult, Score

    partial = Score(87.5, {Family.SECURITY: 12.0})
    files = (
        FileResult("a.md", "speckit", (), partial),
        FileResult("b.md", "speckit", (), Score(100.0, dict.fromkeys(Family, 20.0))),
    )
    text = json_report.render(RunResult(files, partial, "review", Severity.ERROR))
    expected = [
        {
            "path": file.path,
            "kind": "speckit",
            "score": file.score.total,
            "families": {family.value: score for family, score in file.score.families.items()},
            "counts": {"error": 0, "warning": 0, "info": 0},
        }
        for file in files
    ]
    assert json.loads(text)["files"] == expected
    section = text[text.index('"files"') : text.index('"summary"')]
    assert section == '"files": ' + json.dumps(expected, indent=2).replace("\n", "\n  ") + ",\n  "
