"""Fixtures of the reporter tests: runs built by hand, a stand-in rule registry, goldens.

The reports must not depend on which rules exist, so every test here sees a registry
that knows exactly two rules; the run's other findings come from unregistered rules
and exercise the fallbacks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from interlock.model.finding import Family, Finding, Severity
from interlock.validate.registry import Rule
from interlock.validate.result import FileResult, RunResult, Score
from interlock.validate.score import score_document, score_run

GOLDEN = Path(__file__).parent / "golden"

CheckGolden = Callable[[str, str], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    # Another conftest of the suite may declare the same option; one declaration is enough.
    with contextlib.suppress(ValueError):
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="rewrite the expected files under tests/*/golden/ instead of comparing",
        )


@pytest.fixture
def check_golden(request: pytest.FixtureRequest) -> CheckGolden:
    """Compare text with ``golden/<name>`` byte for byte, or rewrite it on request."""
    update = bool(request.config.getoption("--update-golden", default=False))

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_bytes(actual.encode("utf-8"))
            return
        assert path.exists(), f"{path} is missing: run pytest tests/report --update-golden"
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, (
            f"{name} differs: review it, then run pytest tests/report --update-golden"
        )

    return check


def _rule(code: str, name: str, severity: Severity, fix: str, doc: str) -> Rule:
    module = ModuleType(f"fake_{name.replace('-', '_')}", doc)
    return Rule(code, name, (), severity, {}, fix, "document", module)


REGISTERED = {
    "IL103": _rule(
        "IL103",
        "required-field",
        Severity.ERROR,
        "add the field to the front matter",
        "A required front-matter field is missing.\n\nReviewers need every field.\n",
    ),
    "IL203": _rule(
        "IL203",
        "empty-section",
        Severity.WARNING,
        "write the section or say it does not apply",
        "A heading with nothing under it.\n",
    ),
}


@pytest.fixture(autouse=True)
def known_rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Rule]]:
    """Make the reports see only the two rules of ``REGISTERED``."""
    monkeypatch.setattr("interlock.report.rule_facts.find_rule", REGISTERED.get)
    yield REGISTERED


def finding(
    path: str,
    line: int,
    column: int,
    code: str,
    rule: str,
    severity: Severity,
    message: str,
    fix: str = "",
) -> Finding:
    """Return a finding whose family follows its code, as the runner's findings do."""
    return Finding(path, line, column, code, rule, severity, message, fix, Family.of_code(code))


def score(total: float, **families: float) -> Score:
    """Return a score whose unnamed families are full (20)."""
    return Score(total, {family: families.get(family.value, 20.0) for family in Family})


SPEC = "specs/payments/spec.md"
POINTS = "specs/payments/integration-points.md"
CLEAN = "specs/clean/spec.md"
NOTES = "specs/notes, v2/research:50%.md"


def shared_run() -> RunResult:
    """Return the shared run: four files, every severity, a clean file, hostile text."""
    spec = (
        finding(SPEC, 4, 1, "IL103", "required-field", Severity.ERROR, "no `owner` field"),
        finding(
            SPEC,
            12,
            8,
            "IL201",
            "placeholder",
            Severity.ERROR,
            "unfilled placeholder <script>alert('x')</script> ]]>",
            "replace it with the real value",
        ),
        finding(
            SPEC, 20, 1, "IL203", "empty-section", Severity.WARNING, "'Rollback | Plan' is empty"
        ),
        finding(
            SPEC,
            31,
            5,
            "IL501",
            "secret",
            Severity.ERROR,
            "possible AWS key *AKIA…* pasted [here](http://evil.example)",
            "remove it, rotate the key, and reference the vault path",
        ),
        finding(
            SPEC,
            40,
            3,
            "IL303",
            "table-shape",
            Severity.INFO,
            "row 3 has 100% | 2 cells, the header 4",
            "give every row as many cells as the header",
        ),
    )
    points = (
        finding(
            POINTS,
            3,
            1,
            "IL402",
            "dangling-link",
            Severity.WARNING,
            "link to ::error file=x::pwned\nsecond line, 50% done",
            "point the link at an existing id",
        ),
        finding(
            POINTS,
            9,
            14,
            "IL206",
            "open-question",
            Severity.INFO,
            "open question: délai de réponse — 期限は？ ✓",
            "# answer it | or `remove` it",
        ),
    )
    notes = (
        finding(
            NOTES,
            1,
            1,
            "IL103",
            "required-field",
            Severity.ERROR,
            "line one\r\nline two\twith \x1b[31mcolour\x1b[0m",
        ),
    )
    documents = (
        (SPEC, "integration-spec", spec),
        (POINTS, "integration-points", points),
        (CLEAN, "integration-spec", ()),
        (NOTES, "workflow-note", notes),
    )
    # Scored as the runner scores them, so every golden shows what a user would see.
    files = tuple(
        FileResult(path, kind, findings, score_document(findings))
        for path, kind, findings in documents
    )
    return RunResult(
        files=files,
        score=score_run([file.score for file in files]),
        preset="review",
        fail_on=Severity.ERROR,
        min_score=95.0,
        version="9.9.9",
    )


def no_files_run() -> RunResult:
    """Return a run over no files at all."""
    return RunResult(
        files=(), score=score(100.0), preset="draft", fail_on=Severity.ERROR, version="9.9.9"
    )


@pytest.fixture
def run() -> RunResult:
    """The shared run of the golden files."""
    return shared_run()


@pytest.fixture
def empty_run() -> RunResult:
    """A run over no files."""
    return no_files_run()


MakeFinding = Callable[..., Finding]
MakeRun = Callable[..., RunResult]


@pytest.fixture
def make_finding() -> MakeFinding:
    """Return a builder of one finding, with a default for every field."""

    def make(
        message: str = "something is wrong",
        *,
        path: str = "specs/a.md",
        line: int = 1,
        column: int = 1,
        code: str = "IL201",
        rule: str = "placeholder",
        severity: Severity = Severity.ERROR,
        fix: str = "",
    ) -> Finding:
        return finding(path, line, column, code, rule, severity, message, fix)

    return make


@pytest.fixture
def make_run() -> MakeRun:
    """Return a builder of a run from findings, one full-score file per path."""

    def make(
        *findings: Finding,
        paths: tuple[str, ...] = (),
        fail_on: Severity = Severity.ERROR,
        min_score: float | None = None,
        total: float = 100.0,
    ) -> RunResult:
        by_path: dict[str, list[Finding]] = {path: [] for path in paths}
        for item in findings:
            by_path.setdefault(item.path, []).append(item)
        files = tuple(
            FileResult(path, "integration-spec", tuple(sorted(items)), score(total))
            for path, items in by_path.items()
        )
        return RunResult(
            files,
            score(total),
            "review",
            fail_on,
            min_score=min_score,
            version="9.9.9",
        )

    return make
