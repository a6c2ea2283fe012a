"""Score documents from 0 to 100, so that a score says whether a spec is ready.

The formula, shown to users in ``docs/rules.md`` (see :func:`formula_markdown`):

- a document starts at 100 points;
- each error costs 10 points, each warning 2, an info nothing (infos are notes for the
  reader, such as a checklist left for reviewers to tick);
- a document with any error loses 21 points more, once: one error alone leaves 69,
  below the passing score of 70, so no amount of good content outweighs an error;
- the score never goes below 0, and a file that could not be read at all scores 0.

A run's score is the mean of its documents' scores (100 for a run with none). The
per-family breakdown shows where the points went: each family (metadata, content,
structure, traceability, security) starts at 20 and loses the points of its own
findings, down to 0; the one-off error cost belongs to no family, so the total is
not the sum of the families.

A finding that goes away never lowers a score. A blank template (a placeholder on
nearly every line, each an error under ``review``) scores under 30; a complete spec
whose only findings are infos scores 100.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

from interlock.model.finding import Family, Finding, Severity
from interlock.validate.result import Score

FULL_SCORE = 100.0
PASSING_SCORE = 70.0
"""A document scores at least this only when it has no error."""
FAMILY_POINTS = 20.0
PENALTY = {Severity.ERROR: 10.0, Severity.WARNING: 2.0, Severity.INFO: 0.0, Severity.OFF: 0.0}
ERROR_GATE = FULL_SCORE - PASSING_SCORE + 1.0 - PENALTY[Severity.ERROR]
"""The one-off cost of having any error: one error alone lands one point below passing."""
UNREADABLE = "unreadable"
_FAMILIES = tuple(Family)
"""The families, listed once: iterating an enum class is slow, and every file is scored."""


def score_document(findings: Iterable[Finding]) -> Score:
    """Return the score of one document from its findings."""
    lost = dict.fromkeys(_FAMILIES, 0.0)
    errors = 0
    for finding in findings:
        if finding.rule == UNREADABLE:
            return Score(0.0, dict.fromkeys(_FAMILIES, 0.0))
        lost[finding.family] += PENALTY[finding.severity]
        errors += finding.severity is Severity.ERROR
    total = FULL_SCORE - sum(lost.values()) - (ERROR_GATE if errors else 0.0)
    families = {family: max(0.0, FAMILY_POINTS - lost[family]) for family in _FAMILIES}
    return Score(round(max(0.0, total), 1), families)


def score_run(scores: Iterable[Score]) -> Score:
    """Return the mean of document scores, family by family."""
    columns = ScoreColumns()
    for score in scores:
        columns.append(score)
    return columns.mean(range(len(columns)))


class ScoreColumns:
    """Documents' scores kept as columns of numbers, one row a document.

    A run over a hundred thousand files keeps 48 bytes a file rather than a
    :class:`Score` and its mapping (several hundred bytes), and can still correct the
    score of a file that a workspace rule adds a finding to.
    """

    __slots__ = ("_families", "_totals")

    def __init__(self, rows: int = 0) -> None:
        self._totals = array("d", bytes(8 * rows))
        self._families = {family: array("d", bytes(8 * rows)) for family in _FAMILIES}

    def __len__(self) -> int:
        return len(self._totals)

    def append(self, score: Score) -> None:
        """Add a document's score as the last row."""
        self._totals.append(score.total)
        for family, column in self._families.items():
            column.append(score.families[family])

    def put(self, row: int, score: Score) -> None:
        """Put ``score`` in ``row``."""
        self._totals[row] = score.total
        for family, column in self._families.items():
            column[row] = score.families[family]

    def get(self, row: int) -> Score:
        """Return the score in ``row``."""
        families = {family: column[row] for family, column in self._families.items()}
        return Score(self._totals[row], families)

    def mean(self, rows: Sequence[int]) -> Score:
        """Return the mean of the scores in ``rows``, family by family (100 for none)."""
        if not rows:
            return Score(FULL_SCORE, dict.fromkeys(Family, FAMILY_POINTS))
        count = len(rows)
        families = {
            family: round(sum(self._families[family][row] for row in rows) / count, 1)
            for family in Family
        }
        return Score(round(sum(self._totals[row] for row in rows) / count, 1), families)


def formula_markdown() -> list[str]:
    """Return the score formula as Markdown lines, with the constants this module uses."""
    error, warning = PENALTY[Severity.ERROR], PENALTY[Severity.WARNING]
    return [
        "## Scores",
        "",
        "Every report gives each document a score from 0 to 100, and the run the mean of",
        "its documents' scores (100 for a run over no documents):",
        "",
        "```",
        f"score = max(0, {_number(FULL_SCORE)} - {_number(error)} × errors"
        f" - {_number(warning)} × warnings - ({_number(ERROR_GATE)} if errors > 0 else 0))",
        "```",
        "",
        f"- **Passing score: {_number(PASSING_SCORE)}.** Any error keeps a document below it:"
        f" one error alone leaves {_number(FULL_SCORE - error - ERROR_GATE)}.",
        "- Infos cost nothing: they are notes for the reader, such as a checklist left",
        "  for reviewers to tick.",
        "- A file that cannot be read at all (`unreadable`) scores 0.",
        "- A finding that goes away never lowers the score. A blank template (`interlock",
        "  new NAME --blank`) scores under 30 under `review` (each placeholder is an",
        "  error); a complete spec whose only findings are infos scores 100.",
        f"- The breakdown by family shows where the points went: each family starts at"
        f" {_number(FAMILY_POINTS)}",
        "  and loses the points of its own findings, down to 0. The one-off cost of having",
        "  an error belongs to no family, so the total is not the sum of the families.",
        "",
        "The exit code does not depend on the score unless `min_score` (or `--min-score`)",
        f"is set; `min_score: {_number(PASSING_SCORE)}` fails a run whose mean falls below"
        " passing.",
    ]


def _number(value: float) -> str:
    return f"{value:g}"


__all__ = [
    "ERROR_GATE",
    "FAMILY_POINTS",
    "PASSING_SCORE",
    "PENALTY",
    "ScoreColumns",
    "formula_markdown",
    "score_document",
    "score_run",
]
