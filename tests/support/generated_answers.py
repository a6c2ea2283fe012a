"""Answer sets drawn by hypothesis, the way a person answers: round after round.

:func:`interviews` drives the interview engine as the terminal does, asking each round
the engine gives and drawing an answer for every question from what its kind accepts
(an option of a choice, a few options of a multi-select, a number, a few words, a few
lines) or, now and then, skipping it. Conditions and per-system questions are
therefore honoured: an answer set holds exactly the questions the engine would have
asked after those answers.

Typed words are drawn from a small vocabulary of made-up words (``Zorvex``…), so
that a test can tell whether a word in a document came from an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.interview.schema import Field, Question

STARTED = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
WORDS = ("Zorvex", "Quillon", "Brantic", "Mopsel", "Ferrowin", "Galdric", "Hexlow", "Tarnby")
"""Made-up words: found in a document, they came from an answer."""
SYSTEM_KINDS = ("external-api", "internal-service", "database", "queue", "file-transfer")
_MAX_ROUNDS = 200


@dataclass(frozen=True)
class Interview:
    """A generated interview: the sheet, and the ids it skipped."""

    sheet: AnswerSheet
    skipped: tuple[str, ...]


def _words(draw: st.DrawFn, low: int = 2, high: int = 5) -> str:
    count = draw(st.integers(low, high))
    return " ".join(draw(st.sampled_from(WORDS)) for _ in range(count))


def _field_value(draw: st.DrawFn, field: Field) -> Any:
    if field.kind == "choice":
        return draw(st.sampled_from([option.value for option in field.options]))
    if field.kind == "multi":
        values = [option.value for option in field.options]
        return draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
    if field.kind == "number":
        return draw(st.integers(1, 500))
    if field.kind == "boolean":
        return draw(st.booleans())
    if field.kind == "list":
        return [_words(draw) for _ in range(draw(st.integers(1, 3)))]
    return _words(draw)


def _systems(draw: st.DrawFn, kinds: tuple[str, ...] | None) -> list[dict[str, Any]]:
    chosen = kinds or tuple(draw(st.lists(st.sampled_from(SYSTEM_KINDS), min_size=1, max_size=3)))
    return [
        {
            "name": f"{WORDS[index]} {kind.split('-')[0].title()}",
            "kind": kind,
            "owner": f"{WORDS[-1 - index]} team",
            "criticality": draw(st.sampled_from(["critical", "high", "medium", "low"])),
        }
        for index, kind in enumerate(chosen)
    ]


def _value(draw: st.DrawFn, question: Question) -> Any:
    if question.kind == "choice":
        return draw(st.sampled_from([option.value for option in question.options]))
    if question.kind == "multi":
        values = [option.value for option in question.options]
        return draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
    if question.kind == "number":
        low = max(int(question.minimum), 1) if question.minimum is not None else 1
        high = int(question.maximum) if question.maximum is not None else low + 5000
        return draw(st.integers(low, max(low, high)))
    if question.kind == "boolean":
        return draw(st.booleans())
    if question.kind == "list":
        return [_words(draw) for _ in range(draw(st.integers(1, 3)))]
    return _words(draw, 3, 8)


@st.composite
def interviews(
    draw: st.DrawFn,
    bank: Bank,
    *,
    depth: str = "standard",
    kinds: tuple[str, ...] | None = None,
    skip_chance: float = 0.15,
) -> Interview:
    """Draw a whole interview of ``bank``: every question asked, answered or skipped."""
    engine = Engine(bank)
    sheet = AnswerSheet(name="generated", depth=depth, created=STARTED, updated=STARTED)
    skipped: list[str] = []
    for _ in range(_MAX_ROUNDS):
        current = engine.next_round(sheet)
        if current.complete or not current.questions:
            break
        for view in current.questions:
            question = view.question
            if view.id == "systems":
                sheet = engine.answer(sheet, view.id, _systems(draw, kinds))
                continue
            if question.kind == "entities":
                records = [
                    {field.name: _field_value(draw, field) for field in question.fields}
                    for _ in range(draw(st.integers(1, 2)))
                ]
                sheet = engine.answer(sheet, view.id, records)
                continue
            if draw(st.floats(0, 1)) < skip_chance:
                sheet = engine.skip(sheet, view.id, reason="waiting for the vendor")
                skipped.append(view.id)
                continue
            sheet = engine.answer(sheet, view.id, _value(draw, question))
    return Interview(sheet, tuple(skipped))
