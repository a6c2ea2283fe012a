"""Where each saved answer stands, and why a question is not asked, in words.

:func:`recorded_answers` lists every answer of the answers file with its question, who
gave it and when, and its status: asked (answered, skipped or pending), inactive (kept
for a question not asked with the answers given) or orphaned (the bank has no such
question, or the system it was about is gone). :func:`why_not_asked` says why a
question is not asked (its condition, its depth, its system gone), and
:class:`InactiveAnswer` is the warning an interview session gives when an answer is
saved for such a question.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from interlock.errors import AnswerError
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.compiled import DEPTH_RANK, CompiledBank, compiled_bank
from interlock.interview.engine import Engine
from interlock.interview.expressions import Expression
from interlock.interview.schema import DEPTHS, Question
from interlock.interview.state import Status
from interlock.interview.values import entity_key
from interlock.interview.views import InterviewState
from interlock.safe_yaml import format_timestamp

__all__ = [
    "InactiveAnswer",
    "RecordedAnswer",
    "reason_not_asked",
    "recorded_answers",
    "why_not_asked",
]

_SHOWN_MAX = 80


@dataclass(frozen=True, slots=True)
class InactiveAnswer:
    """An answer (or skip) saved for a question that is not asked now, and why not."""

    question_id: str
    why: str

    @property
    def message(self) -> str:
        """What to tell the person."""
        return (
            f"{self.question_id} is not asked now: {self.why}. The answer is kept, and "
            "counts once that changes"
        )

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id", "kind", "why", "message"}`` for the JSON front ends."""
        return {
            "id": self.question_id,
            "kind": "inactive",
            "why": self.why,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """One answer of the answers file, with its question and where it stands."""

    id: str
    prompt: str
    """The question as asked; empty for a question the bank no longer has."""
    kind: str
    """The question's kind (``text``, ``list``, …); empty when the bank lacks it."""
    status: str
    """``answered``, ``skipped``, ``pending`` (kept, but it no longer fits the
    question, which is asked again), ``inactive`` or ``orphaned``."""
    answer: Answer
    why: str = ""
    """Why it is pending, inactive or orphaned; empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as plain data, its time as ``YYYY-MM-DDTHH:MM:SSZ``."""
        return {
            "id": self.id,
            "prompt": self.prompt,
            "kind": self.kind,
            "status": self.status,
            "value": self.answer.value,
            "skipped": self.answer.skipped,
            "reason": self.answer.reason,
            "owner": self.answer.owner,
            "by": self.answer.by,
            "at": format_timestamp(self.answer.at),
            "why": self.why,
        }


def why_not_asked(engine: Engine, sheet: AnswerSheet, question_id: str) -> str | None:
    """Return, in words, why ``question_id`` is not asked with ``sheet``; None if it is."""
    state = engine.state(sheet)
    if question_id in state.walk.by_id:
        return None
    return reason_not_asked(engine, sheet, state, question_id)


def recorded_answers(engine: Engine, sheet: AnswerSheet) -> tuple[RecordedAnswer, ...]:
    """Return every answer of ``sheet``: those asked in asking order, then the others
    (inactive, orphaned) in the file's order, each with its question and status."""
    state = engine.state(sheet)
    compiled = compiled_bank(engine.bank)
    position = {asked.id: index for index, asked in enumerate(state.walk.asked)}
    rows = []
    for question_id, answer in sheet.answers.items():
        asked = state.walk.by_id.get(question_id)
        question = compiled.questions.get(question_id.partition("@")[0])
        if asked is not None:
            status = asked.status.value
            why = (
                "the answer no longer fits the question (the bank changed), so it is asked again"
                if asked.status is Status.PENDING
                else ""
            )
        else:
            why = reason_not_asked(engine, sheet, state, question_id)
            status = "inactive" if question_id in state.inactive else "orphaned"
        prompt = _prompt(engine, sheet, question_id, question) if question else ""
        rows.append(
            RecordedAnswer(
                question_id, prompt, question.kind if question else "", status, answer, why
            )
        )
    rows.sort(key=lambda row: position.get(row.id, len(position)))
    return tuple(rows)


def _prompt(engine: Engine, sheet: AnswerSheet, question_id: str, question: Question) -> str:
    try:
        return engine.view(sheet, question_id).prompt
    except AnswerError:
        return question.prompt  # its system is gone: the text as the bank writes it


def reason_not_asked(
    engine: Engine, sheet: AnswerSheet, state: InterviewState, question_id: str
) -> str:
    """Return, in words, why ``question_id`` is not asked in ``state``, the state of
    ``sheet`` (the caller knows it is not)."""
    compiled = compiled_bank(engine.bank)
    base, separator, key = question_id.partition("@")
    question = compiled.questions.get(base)
    if question is None:
        return f"the question bank {engine.bank.name!r} has no question {base!r}"
    if question.for_each is None and separator:
        return f"{base!r} is asked once, not about each system; its answer is {base!r}"
    if question.for_each is not None and not separator:
        return f"{base!r} is asked about each system, as {base}@KEY"
    needed = compiled.lowest_depth[base]
    if DEPTH_RANK[sheet.depth] < needed:
        return (
            f"it is asked at {DEPTHS[needed]} depth, and this interview is at {sheet.depth} "
            f"depth (change it with --depth {DEPTHS[needed]})"
        )
    if separator and key not in state.walk.expansions.get(base, ()):
        return _why_no_instance(compiled, sheet, state, question, key)
    condition = compiled.conditions.get(base)
    if condition is None:
        return "it does not apply to the answers given"
    return _why_condition_false(compiled, sheet, state, condition, key)


def _why_no_instance(
    compiled: CompiledBank, sheet: AnswerSheet, state: InterviewState, question: Question, key: str
) -> str:
    source = compiled.sources[question.id]
    if source in state.pending:
        return f"it is asked about each record of {source!r} once that is answered"
    answer = sheet.answers.get(source)
    records = answer.value if answer is not None and isinstance(answer.value, list) else []
    for record in records:
        if isinstance(record, Mapping) and entity_key(str(record.get("name", ""))) == key:
            kind = f" (its kind is {record['kind']!r})" if record.get("kind") else ""
            return (
                f"it is asked only about the {source} that `{question.for_each}` selects, "
                f"and {record['name']!r} is not one of them{kind}"
            )
    return (
        f"{source!r} names no system with the key {key!r} (it was removed or renamed); "
        f"see the systems with `interlock answers NAME`"
    )


def _why_condition_false(
    compiled: CompiledBank,
    sheet: AnswerSheet,
    state: InterviewState,
    condition: Expression,
    key: str,
) -> str:
    by_variable = {question.variable: question for question in compiled.order}
    waiting: list[str] = []
    read: list[str] = []
    for name in sorted(condition.names):
        question = by_variable.get(name)
        if question is None:
            continue  # depth, answers, entity: not a question's answer
        read_id = f"{question.id}@{key}" if question.for_each is not None and key else question.id
        if read_id in state.pending:
            waiting.append(read_id)
        read.append(f"{read_id} is {_shown(sheet.answers.get(read_id), read_id in state.inactive)}")
    if waiting:
        return f"it is asked once {' and '.join(waiting)} is answered (`{condition.source}`)"
    if not read:
        return f"its condition `{condition.source}` is false"
    return f"it applies only when `{condition.source}`, and {'; '.join(read)}"


def _shown(answer: Answer | None, inactive: bool) -> str:
    if answer is None:
        return "not answered"
    if inactive:
        return "not asked itself"
    if answer.skipped:
        return "skipped (don't know)"
    text = json.dumps(answer.value, ensure_ascii=False)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"
