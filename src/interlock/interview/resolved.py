"""The engine's one public reading of an answer sheet: every question that applies, resolved.

:meth:`Engine.resolve <interlock.interview.engine.Engine.resolve>` returns
:class:`ResolvedQuestions`: each question (and each per-entity instance) that applies
to the sheet at its depth, in asking order, with its text as a person reads it, where
it stands and its answer; the open questions among them; and the decisions taken on
questions whose options carry trade-offs.

An *open question* is a question that applies and is not settled: skipped ("don't
know", with the reason and owner given) or not answered yet. The documents list
exactly these, and ``interlock status`` counts exactly these, because both read them
from here.

A vague answer's probe (``<id>#detail``) is resolved like any question. Once it is
answered, the answer it follows reads as both parts (``TBD: the specifics``); a probe
answered as vaguely again is kept, and stays an open question too.

The contradictions the bank's checks find are kept apart from the open questions, in
:attr:`ResolvedQuestions.contradictions`, and offered as open questions (with
``check.<id>`` ids) in :attr:`ResolvedQuestions.contradiction_questions`.

A question's text is rendered for its record and folded onto one line. A bank's text
may recap the decisions so far (``decisions``, see docs/question-banks.md); the
decisions' own texts are rendered without that recap, which they are part of.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.compiled import CompiledBank
from interlock.interview.schema import Option, Question
from interlock.interview.state import Asked, Contradiction, Status, Walk, probe_prompt
from interlock.model.integration import NOT_ANSWERED, Alternative, Decision, OpenQuestion

__all__ = ["ResolvedQuestion", "ResolvedQuestions", "decisions_of", "recap_of", "resolve_walk"]

_Extra = Callable[[str], Any]
"""Supplies ``decisions`` to a text that reads it, on demand."""


@dataclass(frozen=True, slots=True)
class ResolvedQuestion:
    """One question that applies to the sheet, as the interview stands."""

    id: str
    """The question id, or the instance id ``<question>@<entity key>``."""
    question: Question
    phase: str
    """The title of the phase that asks it."""
    prompt: str
    """Its text for its entity, on one line."""
    subject: str
    """The name of the entity it is about; empty for a question asked once."""
    status: Status
    value: Any
    """The answer; ``None`` unless :attr:`status` is answered."""
    answer: Answer | None
    """What the sheet holds for it: an answer, a skip, or ``None``."""
    open_question: OpenQuestion | None
    """The open question it is, unless it is answered."""

    def label(self, value: Any) -> str:
        """Return how documents name a chosen ``value``: its option's label, else the text."""
        text = str(value)
        option = next((option for option in self.question.options if option.value == text), None)
        return option.shown_label if option is not None else text


@dataclass(frozen=True, slots=True)
class ResolvedQuestions:
    """Every question that applies to one sheet, in asking order."""

    questions: tuple[ResolvedQuestion, ...]
    decisions: tuple[Decision, ...]
    """The choices made on questions whose options carry trade-offs, in asking order."""
    contradictions: tuple[Contradiction, ...] = ()
    """The contradictions between answers still standing, in the bank's order of checks."""
    contradiction_questions: tuple[OpenQuestion, ...] = ()
    """:attr:`contradictions` as open questions, for the documents' Open Questions:
    id ``check.<check id>`` (``@<key>`` per entity), the message as the question, the
    clashing answers' ids in the reason, the phase of the last of them."""
    _by_id: Mapping[str, ResolvedQuestion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {item.id: item for item in self.questions})

    @property
    def open_questions(self) -> tuple[OpenQuestion, ...]:
        """The questions that apply and are skipped or not answered yet, in asking order."""
        return tuple(
            item.open_question for item in self.questions if item.open_question is not None
        )

    def get(self, question_id: str) -> ResolvedQuestion | None:
        """Return question ``question_id`` if it applies to the sheet."""
        return self._by_id.get(question_id)

    def fact(self, question_id: str) -> Any:
        """Return what the answers say about ``question_id``.

        That is the answer's value; its :class:`OpenQuestion` while it is skipped or
        not answered yet; or ``None`` when the question does not apply.
        """
        found = self._by_id.get(question_id)
        if found is None:
            return None
        return found.open_question if found.open_question is not None else found.value


def resolve_walk(compiled: CompiledBank, result: Walk, sheet: AnswerSheet) -> ResolvedQuestions:
    """Return the resolved questions of ``sheet``, from its walk over ``compiled``."""
    decisions = decisions_of(compiled, result, sheet)
    recap = recap_of(decisions)

    def extra(name: str) -> Any:
        return recap if name == "decisions" else None

    probes = {
        asked.probe_of: asked
        for asked in result.asked
        if asked.probe_of is not None and asked.status is Status.ANSWERED
    }
    resolved = tuple(
        _resolved(compiled, result, asked, sheet, extra, probes.get(asked.id))
        for asked in result.asked
    )
    found = result.contradictions
    as_questions = tuple(_contradiction_question(compiled, item) for item in found)
    return ResolvedQuestions(resolved, decisions, found, as_questions)


def _contradiction_question(compiled: CompiledBank, found: Contradiction) -> OpenQuestion:
    last = max(
        found.questions,
        key=lambda qid: compiled.phase_index[qid.partition("@")[0]],
    )
    phase = compiled.bank.phases[compiled.phase_index[last.partition("@")[0]]].title
    key = f"@{found.key}" if found.key is not None else ""
    return OpenQuestion(
        id=f"check.{found.id}{key}",
        question=found.message,
        reason=f"the answers to {', '.join(found.questions)} contradict each other",
        phase=phase,
        subject=found.subject,
    )


def decisions_of(compiled: CompiledBank, result: Walk, sheet: AnswerSheet) -> tuple[Decision, ...]:
    """Return the choices made on questions whose options carry trade-offs, in asking order."""
    found = []
    for asked in result.asked:
        question = asked.question
        if asked.status is not Status.ANSWERED or not question.deep:
            continue
        value = result.variables["answers"][asked.id]
        chosen_values = {value} if isinstance(value, str) else set(value)
        chosen = [_alternative(o) for o in question.options if o.value in chosen_values]
        if not chosen:
            continue
        rejected = [_alternative(o) for o in question.options if o.value not in chosen_values]
        found.append(
            Decision(
                id=asked.id,
                question=_prompt(compiled, result, asked),
                phase=compiled.bank.phases[asked.phase_index].title,
                subject=_subject(asked),
                chosen=tuple(chosen),
                rejected=tuple(rejected),
                note=sheet.answers[asked.id].reason.strip(),
            )
        )
    return tuple(found)


def recap_of(decisions: tuple[Decision, ...]) -> list[dict[str, Any]]:
    """Return the decisions as a bank's texts read them: ``decisions``."""
    return [
        {
            "id": decision.id,
            "question": decision.question,
            "choice": ", ".join(option.label for option in decision.chosen),
            "tradeoff": " ".join(option.tradeoff for option in decision.chosen),
            "recommended": all(option.recommended for option in decision.chosen),
        }
        for decision in decisions
    ]


def _resolved(
    compiled: CompiledBank,
    result: Walk,
    asked: Asked,
    sheet: AnswerSheet,
    extra: _Extra,
    probe: Asked | None = None,
) -> ResolvedQuestion:
    answer = sheet.answers.get(asked.id)
    phase = compiled.bank.phases[asked.phase_index].title
    prompt = _prompt(compiled, result, asked, extra)
    subject = _subject(asked)
    open_question = None
    value = result.variables["answers"].get(asked.id)
    if asked.status is not Status.ANSWERED:
        given = answer if asked.status is Status.SKIPPED else None
        open_question = OpenQuestion(
            id=asked.id,
            question=prompt,
            owner=given.owner.strip() if given is not None else "",
            reason=given.reason.strip() if given is not None else NOT_ANSWERED,
            skipped=given is not None,
            phase=phase,
            subject=subject,
        )
    elif asked.probe_of is not None and compiled.vague.reason(str(value)):
        open_question = OpenQuestion(
            id=asked.id,
            question=prompt,
            reason="still vague after one follow-up",
            phase=phase,
            subject=subject,
        )
    if probe is not None and isinstance(value, str):
        detail = result.variables["answers"].get(probe.id)
        value = f"{value.strip().rstrip('.:;,')}: {detail}"
    return ResolvedQuestion(
        asked.id, asked.question, phase, prompt, subject, asked.status, value, answer, open_question
    )


def _prompt(compiled: CompiledBank, result: Walk, asked: Asked, extra: _Extra | None = None) -> str:
    """Return the question's text for its record, on one line."""
    template = compiled.prompts[asked.question.id]
    text = (
        template.source
        if template.static
        else template.render(result.lookup(asked), asked.entity, extra)
    )
    if asked.probe_of is not None:
        text = probe_prompt(text)
    return " ".join(text.split()) or asked.question.id


def _alternative(option: Option) -> Alternative:
    return Alternative(
        label=option.shown_label,
        tradeoff=" ".join(option.tradeoff.split()),
        recommended=option.recommended,
        reason=" ".join(option.reason.split()),
    )


def _subject(asked: Asked) -> str:
    if asked.entity is None:
        return ""
    return str(asked.entity.get("name", ""))
