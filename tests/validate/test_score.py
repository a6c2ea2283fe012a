"""What a score says: a document with an error never passes, content never costs points.

The formula is shown to users in ``docs/rules.md``; these tests hold it to its promises
on single findings, on any mix of findings, and on real specs with sections emptied
and written again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.model.finding import Family, Finding, Severity
from interlock.validate.result import Score
from interlock.validate.runner import ConfigRequest, validate_paths
from interlock.validate.score import PASSING_SCORE, score_document, score_run

FILLED_SPEC = (
    Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "filled-integration-spec.md"
)
PROSE = (
    "the order service charges cards through the provider when an order is confirmed "
    "and records each charge in the ledger so finance can reconcile payments nightly "
    "customers receive a receipt by mail refunds follow the same path in reverse"
)
WORDS = tuple(PROSE.split())
"""Plain prose: none of these words is a marker, a placeholder or a field name."""


def _finding(severity: Severity, family: Family = Family.CONTENT, rule: str = "rule") -> Finding:
    return Finding("specs/a.md", 1, 1, "IL999", rule, severity, "message", "fix", family)


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ((), 100.0),
        ((Severity.INFO,) * 40, 100.0),
        ((Severity.WARNING,), 98.0),
        ((Severity.WARNING,) * 15, 70.0),
        ((Severity.ERROR,), 69.0),
        ((Severity.ERROR, Severity.ERROR), 59.0),
        ((Severity.ERROR, Severity.WARNING, Severity.INFO), 67.0),
        ((Severity.ERROR,) * 166, 0.0),
    ],
    ids=["clean", "infos", "warning", "fifteen-warnings", "error", "two-errors", "mixed", "blank"],
)
def test_the_formula_in_the_rule_reference(
    severities: tuple[Severity, ...], expected: float
) -> None:
    assert score_document(_finding(severity) for severity in severities).total == expected


def test_an_unreadable_file_scores_nothing() -> None:
    score = score_document([_finding(Severity.ERROR, Family.STRUCTURE, rule="unreadable")])
    assert score == Score(0.0, dict.fromkeys(Family, 0.0))


def test_families_show_where_the_points_went() -> None:
    score = score_document(
        [_finding(Severity.ERROR, Family.SECURITY), _finding(Severity.WARNING, Family.METADATA)]
    )
    assert score.families == {
        Family.METADATA: 18.0,
        Family.CONTENT: 20.0,
        Family.STRUCTURE: 20.0,
        Family.TRACEABILITY: 20.0,
        Family.SECURITY: 10.0,
    }
    assert score.total == 67.0


def test_a_run_scores_the_mean_of_its_documents() -> None:
    clean, broken = score_document([]), score_document([_finding(Severity.ERROR)])
    assert score_run([clean, broken]).total == 84.5
    assert score_run([]).total == 100.0


findings = st.lists(
    st.builds(
        _finding,
        st.sampled_from([Severity.ERROR, Severity.WARNING, Severity.INFO]),
        st.sampled_from(list(Family)),
    ),
    max_size=60,
)


@given(findings)
def test_any_error_keeps_a_document_below_the_passing_score(found: list[Finding]) -> None:
    score = score_document(found).total
    assert 0 <= score <= 100
    if any(finding.severity is Severity.ERROR for finding in found):
        assert score < PASSING_SCORE


@given(findings, st.data())
def test_a_finding_that_goes_away_never_lowers_the_score(
    found: list[Finding], data: st.DataObject
) -> None:
    if not found:
        return
    index = data.draw(st.integers(0, len(found) - 1))
    fewer = found[:index] + found[index + 1 :]
    assert score_document(fewer).total >= score_document(found).total
    for family in Family:
        assert score_document(fewer).families[family] >= score_document(found).families[family]


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a spec into what precedes its first ``## `` heading and each such section."""
    parts = re.split(r"^(## .*)$", text, flags=re.MULTILINE)
    return parts[0], list(zip(parts[1::2], parts[2::2], strict=True))


def _join(head: str, sections: list[tuple[str, str]]) -> str:
    return head + "".join(heading + body for heading, body in sections)


@pytest.fixture(scope="module")
def spec_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder outside any workspace, kept for the whole module (Hypothesis reuses it)."""
    folder = tmp_path_factory.mktemp("score-property")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder / "user-cache"))
        yield folder


def _score(folder: Path, text: str, preset: str) -> float:
    path = folder / "spec.md"
    path.write_text(text, encoding="utf-8")
    result = validate_paths(
        [path], ConfigRequest(folder, preset=preset), use_cache=False, cwd=folder
    )
    return result.score.total


HEAD, SECTIONS = _sections(FILLED_SPEC.read_text(encoding="utf-8"))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    emptied=st.sets(st.integers(0, len(SECTIONS) - 1), min_size=1),
    data=st.data(),
    preset=st.sampled_from(["draft", "review", "production"]),
)
def test_writing_an_empty_required_section_never_lowers_the_score(
    spec_folder: Path, emptied: set[int], data: st.DataObject, preset: str
) -> None:
    sections = [
        (heading, "\n\n" if index in emptied else body)
        for index, (heading, body) in enumerate(SECTIONS)
    ]
    before = _score(spec_folder, _join(HEAD, sections), preset)
    chosen = data.draw(st.sampled_from(sorted(emptied)))
    sentences = data.draw(
        st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=30), min_size=1, max_size=8)
    )
    written = "".join(" ".join(words).capitalize() + ".\n\n" for words in sentences)
    sections[chosen] = (sections[chosen][0], "\n\n" + written)
    assert _score(spec_folder, _join(HEAD, sections), preset) >= before
