"""The interview engine: the next round of questions, progress, signals and answers.

The engine is pure: it reads a bank and an :class:`~interlock.interview.answers.AnswerSheet`
and returns values or new sheets; it never prints, prompts or touches files. Each call
recomputes the whole state from the sheet (see :mod:`interlock.interview.state`), so a
revised answer, a changed depth or a bank that gained questions needs no bookkeeping.

A round holds up to four questions in asking order. It ends early, with at least
three, where the phase or the entity changes, so a round reads as one topic; and it
never moves on to the next phase while a follow-up of the current one waits for an
answer in this round, so phases are asked strictly in order (such a round may be
shorter than three).
"Don't know" is an answer too: a skipped question becomes an open question, with
the owner who will find out.

The interview is complete when no question waits for an answer and every completion
signal is settled: met (each of its questions that applies is answered, and one at
least applies unless nothing is left to ask) or waived
(each one left open was skipped with a reason). A question skipped without a reason
that keeps a signal unsettled is asked again once nothing else is pending. A vague
answer is followed by one probe (see :mod:`interlock.interview.state`), and every
round carries the contradictions the bank's checks find in the answers.

:meth:`Engine.resolve` is the one public reading of a sheet for whatever reports on
it (the integration model, ``interlock status``): every question that applies, with
its text, status and answer, the open questions and the decisions taken.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from interlock.errors import AnswerError
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.compiled import CompiledBank, compiled_bank
from interlock.interview.expressions import ENVIRONMENT
from interlock.interview.limits import run_limits
from interlock.interview.resolved import (
    ResolvedQuestions,
    decisions_of,
    recap_of,
    resolve_walk,
)
from interlock.interview.schema import DEPTHS, Bank, Question
from interlock.interview.state import PROBE_SUFFIX, Asked, Status, Walk, probe_prompt, walk
from interlock.interview.values import empty_value, entity_key, normalise_answer
from interlock.interview.views import InterviewState, Progress, QuestionView, Round, SignalState

ROUND_MIN = 3
ROUND_MAX = 4


class Engine:
    """Runs the interview of one bank over answer sheets."""

    def __init__(self, bank: Bank, *, round_size: int = ROUND_MAX) -> None:
        if round_size < ROUND_MIN:
            raise ValueError(f"round_size must be at least {ROUND_MIN}")
        self.bank = bank
        self.round_size = round_size
        self._compiled: CompiledBank = compiled_bank(bank)
        self._numbered = sum(1 for phase in bank.phases if not phase.closing)
        self._positions = {q.id: index for index, q in enumerate(self._compiled.order)}
        # The last sheet asked about and its state: saving answers, then showing the
        # next round, asks twice about the same (immutable) sheet.
        self._last: tuple[AnswerSheet, InterviewState] | None = None

    # -- reading -------------------------------------------------------------------

    def state(self, sheet: AnswerSheet) -> InterviewState:
        """Return where the interview of ``sheet`` stands."""
        last = self._last
        if last is not None and last[0] is sheet:
            return last[1]
        state = self._state(sheet)
        self._last = (sheet, state)
        return state

    def _state(self, sheet: AnswerSheet) -> InterviewState:
        result = self._walk(sheet)
        pending = [asked for asked in result.asked if asked.status is Status.PENDING]
        signals, reasked = self._signals(result, sheet)
        counts = dict.fromkeys(Status, 0)
        for asked in result.asked:
            counts[asked.status] += 1
        next_up = pending or reasked
        phase_index = next_up[0].phase_index if next_up else len(self.bank.phases) - 1
        phase = self.bank.phases[phase_index]
        progress = Progress(
            phase=min(phase_index + 1, self._numbered),
            phases=self._numbered,
            phase_id=phase.id,
            phase_title=phase.title,
            answered=counts[Status.ANSWERED],
            skipped=counts[Status.SKIPPED],
            remaining=counts[Status.PENDING] + len(reasked),
            inactive=len(result.inactive),
            orphaned=len(result.orphaned),
        )
        return InterviewState(
            complete=not next_up,
            progress=progress,
            signals=signals,
            pending=tuple(asked.id for asked in pending),
            reasked=tuple(asked.id for asked in reasked),
            inactive=result.inactive,
            orphaned=result.orphaned,
            walk=result,
        )

    def next_round(self, sheet: AnswerSheet) -> Round:
        """Return the next round: three or four pending questions, in asking order.

        Once nothing is pending, the questions skipped without a reason that keep a
        signal unsettled are asked again, so the interview can still end.
        """
        state = self.state(sheet)
        chosen: list[Asked] = []
        for asked in state.walk.asked:
            if asked.status is not Status.PENDING:
                continue
            if chosen:
                previous = chosen[-1]
                new_phase = asked.phase_index != previous.phase_index
                if new_phase and previous.phase_index in state.walk.waiting_phases:
                    break  # a follow-up of this phase comes first, whatever the round's size
                if (new_phase or asked.key != previous.key) and len(chosen) >= ROUND_MIN:
                    break
            chosen.append(asked)
            if len(chosen) == self.round_size:
                break
        again: tuple[SignalState, ...] | None = None
        if not chosen:
            chosen = [state.walk.by_id[qid] for qid in state.reasked[: self.round_size]]
            again = state.signals
        views = tuple(self._view(state.walk, asked, sheet, again) for asked in chosen)
        return Round(state.complete, views, state.progress, state.signals, state.contradictions)

    def view(self, sheet: AnswerSheet, question_id: str) -> QuestionView:
        """Return question ``question_id`` as shown to a person, e.g. to revise it."""
        self._resolve(sheet, question_id)
        result = self._walk(sheet)
        asked = result.by_id.get(question_id)
        if asked is None:
            base, _, key = question_id.partition("@")
            question = self._compiled.questions[base]
            asked = Asked(question_id, question, self._compiled.phase_index[base], Status.PENDING)
            if key:
                asked = self._instance_outside(result, asked, key)
        return self._view(result, asked, sheet)

    def resolve(self, sheet: AnswerSheet) -> ResolvedQuestions:
        """Return every question that applies to ``sheet``: text, status, answer.

        Its open questions are those skipped or not answered yet, and its decisions the
        choices made on questions whose options carry trade-offs, both in asking order.
        """
        return resolve_walk(self._compiled, self._walk(sheet), sheet)

    # -- answering -----------------------------------------------------------------

    def answer(
        self, sheet: AnswerSheet, question_id: str, value: Any, *, by: str = "", note: str = ""
    ) -> AnswerSheet:
        """Return a copy of ``sheet`` with ``question_id`` answered (or re-answered).

        Raises:
            AnswerError: an unknown question id, or a value the question does not accept.
        """
        question = self._resolve(sheet, question_id)
        normalised = normalise_answer(question, value, where=question_id)
        return sheet.with_answer(question_id, Answer(value=normalised, by=by, reason=note))

    def skip(
        self,
        sheet: AnswerSheet,
        question_id: str,
        *,
        reason: str = "",
        owner: str = "",
        by: str = "",
    ) -> AnswerSheet:
        """Return a copy of ``sheet`` with ``question_id`` skipped ("don't know")."""
        self._resolve(sheet, question_id)
        skipped = Answer(value=None, skipped=True, reason=reason, owner=owner, by=by)
        return sheet.with_answer(question_id, skipped)

    def apply_answers(
        self,
        sheet: AnswerSheet,
        values: Mapping[Any, Any],
        *,
        by: str = "",
        path: Path | str | None = None,
        lines: Mapping[Any, int] | None = None,
    ) -> AnswerSheet:
        """Return ``sheet`` with every answer of an answers file applied.

        ``values`` maps question ids to values; ``{skip: true, reason: …, owner: …}``
        skips a question. Answers are applied in asking order, so records come before
        the per-entity questions about them, whatever the file's order.

        Raises:
            AnswerError: every refused answer is listed; the first names its line.
        """
        problems: list[tuple[str, AnswerError]] = []
        for key in sorted(values, key=lambda k: self._order_key(str(k))):
            question_id = str(key)
            raw = values[key]
            try:
                if isinstance(raw, Mapping):
                    sheet = self._apply_mapping(sheet, question_id, raw, by)
                else:
                    sheet = self.answer(sheet, question_id, raw, by=by)
            except AnswerError as error:
                problems.append((question_id, error))
        if problems:
            first_id, first = problems[0]
            line = lines.get((first_id,)) or lines.get(first_id) if lines else None
            others = [error.message for _, error in problems[1:6]]
            hint = first.hint
            if others:
                more = len(problems) - 1
                hint = "; ".join(filter(None, [hint, f"{more} more: " + "; ".join(others)]))
            raise AnswerError(first.message, path=path, line=line, hint=hint)
        return sheet

    # -- internals -----------------------------------------------------------------

    def _walk(self, sheet: AnswerSheet) -> Walk:
        # One deadline for every expression of the walk, not one per expression.
        with run_limits(ENVIRONMENT.limits):
            return walk(self._compiled, sheet.answers, _depth(sheet, self.bank))

    def _apply_mapping(
        self, sheet: AnswerSheet, question_id: str, raw: Mapping[Any, Any], by: str
    ) -> AnswerSheet:
        unknown = set(map(str, raw)) - {"skip", "reason", "owner"}
        if unknown or raw.get("skip") is not True:
            raise AnswerError(
                f"{question_id}: a mapping here means a skipped question",
                hint="write {skip: true, reason: '…', owner: '…'}, or the answer itself",
            )
        return self.skip(
            sheet,
            question_id,
            reason=str(raw.get("reason") or ""),
            owner=str(raw.get("owner") or ""),
            by=by,
        )

    def _order_key(self, question_id: str) -> tuple[int, bool]:
        # A probe comes after the answer it follows, whatever the file's order.
        probe = question_id.endswith(PROBE_SUFFIX)
        base = question_id.removesuffix(PROBE_SUFFIX).partition("@")[0]
        return self._positions.get(base, len(self._positions)), probe

    def _resolve(self, sheet: AnswerSheet, question_id: str) -> Question:
        if question_id.endswith(PROBE_SUFFIX):
            return self._resolve_probe(sheet, question_id)
        base, separator, key = question_id.partition("@")
        question = self._compiled.questions.get(base)
        if question is None:
            raise AnswerError(
                f"unknown question {question_id!r}", hint=self._suggest(sheet, question_id)
            )
        if question.for_each is None:
            if separator:
                raise AnswerError(
                    f"{base!r} is asked once, not per entity", hint=f"answer it as {base!r}"
                )
            return question
        keys = self._walk(sheet).expansions.get(base, ())
        if separator and key in keys:
            return question
        source = self._compiled.sources[base]
        if keys:
            hint = f"it is asked about {', '.join(keys)}, e.g. {base}@{keys[0]}"
        else:
            hint = f"it is asked once {source!r} names the entities it is about"
        if not separator:
            raise AnswerError(f"{base!r} is asked once per entity; add @<key>", hint=hint)
        close = difflib.get_close_matches(key, keys, n=1)
        if close:
            hint = f"did you mean {base}@{close[0]}? {hint}"
        raise AnswerError(f"{question_id!r}: no entity {key!r} for {base!r}", hint=hint)

    def _resolve_probe(self, sheet: AnswerSheet, question_id: str) -> Question:
        answered = question_id.removesuffix(PROBE_SUFFIX)
        question = self._resolve(sheet, answered)
        probe = self._walk(sheet).by_id.get(question_id)
        if probe is not None:
            return probe.question
        if not question.expects_detail:
            raise AnswerError(
                f"{question_id!r}: {answered!r} has no follow-up for detail",
                hint=f"answer {answered!r} itself",
            )
        raise AnswerError(
            f"{question_id!r} is not asked: the answer to {answered!r} is not vague",
            hint=f"the follow-up is asked only after a vague answer; revise {answered!r} itself",
        )

    def _suggest(self, sheet: AnswerSheet, question_id: str) -> str:
        known = [q.id for q in self._compiled.order if q.for_each is None]
        expansions = self._walk(sheet).expansions
        known += [f"{base}@{key}" for base, keys in expansions.items() for key in keys]
        close = difflib.get_close_matches(question_id, known, n=3, cutoff=0.6)
        if close:
            return f"did you mean {', '.join(close)}?"
        return "see the question ids with `interlock interview NAME --next --json`"

    def _signals(
        self, result: Walk, sheet: AnswerSheet
    ) -> tuple[tuple[SignalState, ...], list[Asked]]:
        """Return each signal's state, and the questions to ask again to settle them."""
        by_base: dict[str, list[Asked]] = {}
        for asked in result.asked:
            if asked.probe_of is None:  # a probe adds detail; the answer settles the signal
                by_base.setdefault(asked.question.id, []).append(asked)
        states = []
        reasked: dict[str, Asked] = {}
        # Once nothing is pending, nothing more can apply: a signal none of whose
        # questions applies (no system of that kind) has nothing left to settle.
        finished = not any(asked.status is Status.PENDING for asked in result.asked)
        for signal in self.bank.signals:
            settling = [asked for qid in signal.settled_by for asked in by_base.get(qid, [])]
            met = all(a.status is Status.ANSWERED for a in settling) and (
                bool(settling) or finished
            )
            unexplained = [
                asked
                for asked in settling
                if asked.status is Status.SKIPPED and not sheet.answers[asked.id].reason.strip()
            ]
            pending = any(asked.status is Status.PENDING for asked in settling)
            waived = not met and bool(settling) and not pending and not unexplained
            if not pending:
                reasked.update((asked.id, asked) for asked in unexplained)
            states.append(SignalState(signal.id, signal.label, met, waived))
        order = {asked.id: index for index, asked in enumerate(result.asked)}
        return tuple(states), sorted(reasked.values(), key=lambda asked: order[asked.id])

    def _view(
        self,
        result: Walk,
        asked: Asked,
        sheet: AnswerSheet,
        reasking: tuple[SignalState, ...] | None = None,
    ) -> QuestionView:
        """Return ``asked`` as shown; ``reasking`` gives the signals it is asked again for."""
        question = asked.question
        lookup = result.lookup(asked)

        def extra(name: str) -> Any:
            if name == "decisions":
                return recap_of(decisions_of(self._compiled, result, sheet))
            return None

        prompt = self._compiled.prompts[question.id].render(lookup, asked.entity, extra)
        help_text = self._compiled.helps[question.id].render(lookup, asked.entity, extra)
        for option in question.options:
            if option.recommended:
                note = f"Recommended: {option.shown_label}. {option.reason}".strip()
                help_text = f"{help_text}\n\n{note}" if help_text else note
        if asked.probe_of is not None:
            prompt = probe_prompt(prompt)
            note = f"{asked.vague} Name the specifics a reviewer could check."
            help_text = f"{note}\n\n{help_text}" if help_text else note
        elif reasking is not None:
            help_text = self._reasked_help(asked, reasking, help_text)
        name = asked.entity["name"] if asked.entity is not None else None
        return QuestionView(asked.id, question, question.phase, prompt, help_text, name)

    def _reasked_help(self, asked: Asked, signals: tuple[SignalState, ...], help_text: str) -> str:
        unsettled = {state.id for state in signals if not state.settled}
        labels = [
            f"\u201c{signal.label}\u201d"
            for signal in self.bank.signals
            if signal.id in unsettled and asked.question.id in signal.settled_by
        ]
        note = (
            f"It was skipped without a reason, and the interview cannot end until "
            f"{' and '.join(labels) or 'its signal'} is settled: answer it, or skip it "
            "again saying why it cannot be answered yet and who will find out."
        )
        return f"{note}\n\n{help_text}" if help_text else note

    def _instance_outside(self, result: Walk, asked: Asked, key: str) -> Asked:
        """Return an instance that does not apply now, with its record for its text."""
        source = self._compiled.sources[asked.question.id]
        for record in result.variables.get(self._compiled.questions[source].variable) or []:
            if entity_key(record["name"]) == key:
                scope = {
                    question.variable: empty_value(question.kind)
                    for question in self._compiled.entity_variables[source]
                }
                scope["entity"] = record
                return Asked(
                    asked.id, asked.question, asked.phase_index, asked.status, record, key, scope
                )
        return asked


def _depth(sheet: AnswerSheet, bank: Bank) -> str:
    """Return the sheet's depth, after checking the sheet belongs to ``bank``."""
    if sheet.template != bank.name:
        raise AnswerError(
            f"the answers of {sheet.name!r} are for the bank {sheet.template!r}, not {bank.name!r}",
            hint="load the bank the answers file names in its template field",
        )
    if sheet.depth not in DEPTHS:
        raise AnswerError(
            f"unknown interview depth {sheet.depth!r}", hint=f"use one of {', '.join(DEPTHS)}"
        )
    return sheet.depth


__all__ = ["ROUND_MAX", "ROUND_MIN", "Engine"]
