"""The run's findings, in the order every report lists them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.model.finding import Family, Finding, Severity
from interlock.validate.result import FileResult, RunResult, Score

_FINDINGS = st.builds(
    Finding,
    path=st.sampled_from(["a.md", "b.md", "specs/a.md", "Ä.md"]),
    line=st.integers(0, 5),
    column=st.integers(0, 3),
    code=st.sampled_from(["IL201", "IL206", "IL501"]),
    rule=st.sampled_from(["placeholder", "open-question"]),
    severity=st.sampled_from(list(Severity)),
    message=st.text(max_size=3),
    fix=st.text(max_size=2),
    family=st.sampled_from(list(Family)),
)


@given(st.lists(st.lists(_FINDINGS, max_size=6), max_size=4))
def test_findings_come_in_the_order_of_the_findings_themselves(
    per_file: list[list[Finding]],
) -> None:
    score = Score(100.0, {})
    files = tuple(
        FileResult(f"file{index}.md", "spec", tuple(found), score)
        for index, found in enumerate(per_file)
    )
    run = RunResult(files, score, "review", Severity.ERROR)
    everything = [finding for found in per_file for finding in found]
    assert list(run.findings) == sorted(everything)
    assert run.failed() == any(finding.severity is Severity.ERROR for finding in everything)
