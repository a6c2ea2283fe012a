"""Score documents from 0 to 100, with a breakdown by rule family.

The formula, documented for users in ``docs/report-formats.md`` (Scores):

- each of the five families (metadata, content, structure, traceability, security)
  is worth 20 points;
- every finding takes points from its family: 5 for an error, 2 for a warning,
  0.5 for an info; a family never goes below 0;
- a document's score is the sum of its family scores; a document that could not be
  read at all scores 0;
- a run's score is the mean of its documents' scores (100 for a run with none).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from interlock.model.finding import Family, Finding, Severity
from interlock.validate.result import Score

FAMILY_POINTS = 20.0
PENALTY = {Severity.ERROR: 5.0, Severity.WARNING: 2.0, Severity.INFO: 0.5, Severity.OFF: 0.0}
UNREADABLE = "unreadable"
_FAMILIES = tuple(Family)
"""The families, listed once: iterating an enum class is slow, and every file is scored."""


def score_document(findings: Iterable[Finding]) -> Score:
    """Return the score of one document from its findings."""
    lost = dict.fromkeys(_FAMILIES, 0.0)
    for finding in findings:
        if finding.rule == UNREADABLE:
            return Score(0.0, dict.fromkeys(_FAMILIES, 0.0))
        lost[finding.family] += PENALTY[finding.severity]
    families = {family: max(0.0, FAMILY_POINTS - lost[family]) for family in _FAMILIES}
    return Score(round(sum(families.values()), 1), families)


def score_run(scores: Sequence[Score]) -> Score:
    """Return the mean of document scores, family by family."""
    if not scores:
        return Score(100.0, dict.fromkeys(Family, FAMILY_POINTS))
    families = {
        family: round(sum(score.families[family] for score in scores) / len(scores), 1)
        for family in Family
    }
    total = round(sum(score.total for score in scores) / len(scores), 1)
    return Score(total, families)


__all__ = ["FAMILY_POINTS", "PENALTY", "score_document", "score_run"]
