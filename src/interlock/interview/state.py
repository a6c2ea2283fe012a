"""Which questions apply to an answer sheet, and where each one stands.

:func:`walk` goes through a compiled bank once, in asking order, and decides for every
question (and every per-entity instance) whether it applies: the interview's depth
reaches it and its ``when`` holds. A question that applies is *pending*, *answered*
or *skipped*. Expressions see only answers that apply, so a follow-up whose parent
answer changed stops applying, and anything depending on it follows.

A question whose condition reads a question still pending *waits*: it is neither
asked nor counted until that answer is in, so a follow-up is never asked in the
same round as the question it follows.

Answers in the sheet that match no applying question are kept and reported:
*inactive* when the bank still has the question (its condition is false, the depth
does not reach it, the entity is gone), *orphaned* when the bank no longer has it.

A vague answer to a question that expects detail is followed, right after it, by one
*probe* (``<answer id>#detail``): a text question asking for the specifics. It
applies while the answer it follows stays vague; it is never probed in turn.

Once every question is placed, the bank's *checks* are evaluated: each one whose
condition holds is a :class:`Contradiction`. A check waits, like a follow-up, while a
question it reads is pending or waits itself, so it is shown once its answers are in.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from interlock.interview.answers import Answer
from interlock.interview.compiled import DEPTH_RANK, Block, CompiledBank, CompiledCheck
from interlock.interview.expressions import Expression
from interlock.interview.schema import Question
from interlock.interview.values import empty_value, entity_key, fits

PROBE_SUFFIX = "#detail"
"""Ends the id of the probe that follows a vague answer: ``problem.why#detail``."""


def probe_prompt(prompt: str) -> str:
    """Return the text of the probe that follows a vague answer to ``prompt``."""
    return f"More specifically, please: {prompt}"


class Status(StrEnum):
    """Where a question that applies stands."""

    PENDING = "pending"
    ANSWERED = "answered"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Asked:
    """A question (or one per-entity instance of it) that applies to the sheet."""

    id: str
    """The question id, or the instance id ``<question>@<entity key>``."""
    question: Question
    phase_index: int
    status: Status
    entity: Mapping[str, Any] | None = None
    key: str | None = None
    scope: dict[str, Any] | None = None
    """The per-entity variables of its record, for rendering its text."""
    probe_of: str | None = None
    """For a probe, the id of the vague answer it follows."""
    vague: str = ""
    """For a probe, what the answer it follows is missing: its text and why it is vague."""


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Answers that contradict each other, as a check of the bank finds them."""

    id: str
    """The check's id."""
    message: str
    """What clashes and what would resolve it, rendered for its record."""
    questions: tuple[str, ...]
    """The ids of the answers that clash (instance ids for per-entity ones)."""
    key: str | None = None
    """The key of the record a per-entity check found it for."""
    subject: str = ""
    """The name of that record."""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"id", "message", "questions", "key"}``."""
        return {
            "id": self.id,
            "message": self.message,
            "questions": list(self.questions),
            "key": self.key,
        }


@dataclass(frozen=True, slots=True)
class Walk:
    """The outcome of one pass over a bank for one sheet."""

    asked: tuple[Asked, ...]
    by_id: Mapping[str, Asked]
    variables: dict[str, Any]
    """What expressions outside per-entity questions saw, at the end of the pass."""
    expansions: Mapping[str, tuple[str, ...]]
    """Per-entity question id → keys of the records it is asked about."""
    inactive: tuple[str, ...]
    orphaned: tuple[str, ...]
    waiting_phases: frozenset[int] = frozenset()
    """Phases holding a question that waits for a pending answer."""
    contradictions: tuple[Contradiction, ...] = ()
    """What the bank's checks find in the answers, in the bank's order of checks."""

    def lookup(self, asked: Asked) -> Mapping[str, Any]:
        """Return what the texts of ``asked`` may read: its record's variables first."""
        if asked.scope is None:
            return self.variables
        return ChainMap(asked.scope, self.variables)


def walk(compiled: CompiledBank, answers: Mapping[str, Answer], depth: str) -> Walk:
    """Decide which questions apply to ``answers`` at ``depth``, and their status."""
    return _Walker(compiled, answers, DEPTH_RANK[depth], depth).run()


class _Walker:
    def __init__(
        self, compiled: CompiledBank, answers: Mapping[str, Answer], rank: int, depth: str
    ) -> None:
        self.compiled = compiled
        self.answers = answers
        self.rank = rank
        self.values: dict[str, Any] = {}
        self.variables: dict[str, Any] = {
            question.variable: empty_value(question.kind)
            for question in compiled.order
            if question.for_each is None
        }
        self.variables.update(answers=self.values, depth=depth)
        self.waiting: set[str] = set()
        self.deferred: set[str] = set()
        """Variables of questions that wait, or are pending: checks reading them wait."""
        self.asked: list[Asked] = []
        self.expansions: dict[str, tuple[str, ...]] = {}
        self.scopes: dict[tuple[str, str], tuple[dict[str, Any], set[str], set[str]]] = {}
        self.defaults = {
            source: {question.variable: empty_value(question.kind) for question in questions}
            for source, questions in compiled.entity_variables.items()
        }
        # Blocks over the same records repeat one for_each; evaluate it once per pass.
        self.expanded: dict[str, tuple[tuple[int, ...], list[Mapping[str, Any]]]] = {}
        self.waiting_phases: set[int] = set()

    def run(self) -> Walk:
        for block in self.compiled.blocks:
            if block.for_each is None:
                question = block.questions[0]
                self._visit(
                    question,
                    question.id,
                    self.variables,
                    self.variables,
                    (self.waiting, self.deferred),
                )
            else:
                self._visit_block(block)
        contradictions = tuple(
            found for check in self.compiled.checks for found in self._contradictions(check)
        )
        by_id = {asked.id: asked for asked in self.asked}
        inactive: list[str] = []
        orphaned: list[str] = []
        for answer_id in self.answers:
            if answer_id in by_id:
                continue
            base, separator, _ = answer_id.removesuffix(PROBE_SUFFIX).partition("@")
            known = self.compiled.questions.get(base)
            if known is None or (known.for_each is None) == bool(separator):
                orphaned.append(answer_id)
            else:
                inactive.append(answer_id)
        return Walk(
            tuple(self.asked),
            by_id,
            self.variables,
            self.expansions,
            tuple(inactive),
            tuple(orphaned),
            frozenset(self.waiting_phases),
            contradictions,
        )

    def _visit_block(self, block: Block) -> None:
        assert block.for_each is not None and block.source is not None
        records = self._expand(block)
        keys = tuple(entity_key(record["name"]) for record in records)
        for question in block.questions:
            self.expansions[question.id] = keys
        for record, key in zip(records, keys, strict=True):
            scope, waiting, deferred = self._scope(block.source, key, record)
            lookup = ChainMap(scope, self.variables)
            for question in block.questions:
                instance = f"{question.id}@{key}"
                self._visit(question, instance, lookup, scope, (waiting, deferred), record, key)

    def _scope(
        self, source: str, key: str, record: Mapping[str, Any]
    ) -> tuple[dict[str, Any], set[str], set[str]]:
        found = self.scopes.get((source, key))
        if found is None:
            scope = dict(self.defaults[source])
            scope["entity"] = record
            found = (scope, set(), set())
            self.scopes[(source, key)] = found
        return found

    def _expand(self, block: Block) -> list[Mapping[str, Any]]:
        expansion = block.for_each
        assert expansion is not None
        if expansion.names & self.waiting:
            for question in block.questions:
                if self.rank >= self.compiled.lowest_depth[question.id]:
                    self.waiting_phases.add(self.compiled.phase_index[question.id])
            return []
        if "answers" in expansion.names:  # a mapping that fills up during the pass
            return self._evaluate_expansion(expansion)
        reads = tuple(id(self.variables.get(name)) for name in sorted(expansion.names))
        cached = self.expanded.get(expansion.source)
        if cached is not None and cached[0] == reads:
            return cached[1]
        records = self._evaluate_expansion(expansion)
        self.expanded[expansion.source] = (reads, records)
        return records

    def _evaluate_expansion(self, expansion: Expression) -> list[Mapping[str, Any]]:
        result = expansion.evaluate(self.variables)
        if isinstance(result, Mapping | str) or result is None:
            raise expansion.location.error(
                f"{expansion.source!r} gave {type(result).__name__}, not records",
                hint="for_each filters the records of an entities question",
            )
        try:
            records = list(result)
        except TypeError:
            raise expansion.location.error(
                f"{expansion.source!r} gave {type(result).__name__}, not records"
            ) from None
        for record in records:
            if not isinstance(record, Mapping) or not isinstance(record.get("name"), str):
                raise expansion.location.error(
                    f"{expansion.source!r} gave {record!r}, which is not a record"
                )
        return records

    def _visit(
        self,
        question: Question,
        answer_id: str,
        lookup: Mapping[str, Any],
        store: dict[str, Any],
        unsettled: tuple[set[str], set[str]],
        record: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> None:
        waiting, deferred = unsettled
        applies = self.rank >= self.compiled.lowest_depth[question.id]
        condition = self.compiled.conditions.get(question.id)
        if applies and condition is not None:
            if condition.names & self.waiting or condition.names & waiting:
                applies = False
                self.waiting_phases.add(self.compiled.phase_index[question.id])
                deferred.add(question.variable)
            else:
                applies = bool(condition.evaluate(lookup))
        value = empty_value(question.kind)
        if applies:
            status, value = self._status(question, answer_id)
            if status is Status.PENDING:
                waiting.add(question.variable)
                deferred.add(question.variable)
            scope = store if record is not None else None
            phase_index = self.compiled.phase_index[question.id]
            self.asked.append(Asked(answer_id, question, phase_index, status, record, key, scope))
            probe = self.compiled.probes.get(question.id)
            if status is Status.ANSWERED and probe is not None and isinstance(value, str):
                vague = self.compiled.vague.reason(value)
                if vague:
                    probe_id = answer_id + PROBE_SUFFIX
                    probe_status, _ = self._status(probe, probe_id)
                    note = f"You answered \u201c{_excerpt(value)}\u201d, which {vague}."
                    self.asked.append(
                        Asked(
                            probe_id,
                            probe,
                            phase_index,
                            probe_status,
                            record,
                            key,
                            scope,
                            probe_of=answer_id,
                            vague=note,
                        )
                    )
        store[question.variable] = value

    def _status(self, question: Question, answer_id: str) -> tuple[Status, Any]:
        """Return where the answer ``answer_id`` to ``question`` stands, and its value."""
        answer = self.answers.get(answer_id)
        if answer is None:
            return Status.PENDING, empty_value(question.kind)
        if answer.skipped:
            return Status.SKIPPED, empty_value(question.kind)
        if fits(question, answer.value):
            self.values[answer_id] = answer.value
            return Status.ANSWERED, answer.value
        return Status.PENDING, empty_value(question.kind)

    def _contradictions(self, check: CompiledCheck) -> list[Contradiction]:
        names = check.condition.names | check.message.names
        if names & self.deferred:
            return []
        text = check.message
        if check.for_each is None or check.source is None:
            if not check.condition.evaluate(self.variables):
                return []
            message = " ".join(text.render(self.variables).split())
            return [Contradiction(check.check.id, message, check.check.questions)]
        if check.for_each.names & self.deferred:
            return []
        found = []
        for record in self._evaluate_expansion(check.for_each):
            key = entity_key(record["name"])
            scope, _, deferred = self._scope(check.source, key, record)
            if names & deferred:
                continue
            lookup = ChainMap(scope, self.variables)
            if not check.condition.evaluate(lookup):
                continue
            questions = tuple(
                f"{qid}@{key}" if qid in check.per_entity else qid for qid in check.check.questions
            )
            message = " ".join(text.render(lookup, record).split())
            found.append(Contradiction(check.check.id, message, questions, key, record["name"]))
        return found


def _excerpt(text: str, limit: int = 80) -> str:
    """Return ``text`` on one line, cut at ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "\u2026"


__all__ = ["PROBE_SUFFIX", "Asked", "Contradiction", "Status", "Walk", "probe_prompt", "walk"]
