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
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from interlock.interview.answers import Answer
from interlock.interview.compiled import DEPTH_RANK, Block, CompiledBank
from interlock.interview.expressions import Expression
from interlock.interview.schema import Question
from interlock.interview.values import empty_value, entity_key, fits


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
        self.asked: list[Asked] = []
        self.expansions: dict[str, tuple[str, ...]] = {}
        self.scopes: dict[tuple[str, str], tuple[dict[str, Any], set[str]]] = {}
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
                self._visit(question, question.id, self.variables, self.variables, self.waiting)
            else:
                self._visit_block(block)
        by_id = {asked.id: asked for asked in self.asked}
        inactive: list[str] = []
        orphaned: list[str] = []
        for answer_id in self.answers:
            if answer_id in by_id:
                continue
            base, separator, _ = answer_id.partition("@")
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
        )

    def _visit_block(self, block: Block) -> None:
        assert block.for_each is not None and block.source is not None
        records = self._expand(block)
        keys = tuple(entity_key(record["name"]) for record in records)
        for question in block.questions:
            self.expansions[question.id] = keys
        for record, key in zip(records, keys, strict=True):
            scope, waiting = self._scope(block.source, key, record)
            lookup = ChainMap(scope, self.variables)
            for question in block.questions:
                instance = f"{question.id}@{key}"
                self._visit(question, instance, lookup, scope, waiting, record, key)

    def _scope(
        self, source: str, key: str, record: Mapping[str, Any]
    ) -> tuple[dict[str, Any], set[str]]:
        found = self.scopes.get((source, key))
        if found is None:
            scope = dict(self.defaults[source])
            scope["entity"] = record
            found = (scope, set())
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
        waiting: set[str],
        record: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> None:
        applies = self.rank >= self.compiled.lowest_depth[question.id]
        condition = self.compiled.conditions.get(question.id)
        if applies and condition is not None:
            if condition.names & self.waiting or condition.names & waiting:
                applies = False
                self.waiting_phases.add(self.compiled.phase_index[question.id])
            else:
                applies = bool(condition.evaluate(lookup))
        value = empty_value(question.kind)
        if applies:
            answer = self.answers.get(answer_id)
            if answer is None:
                status = Status.PENDING
            elif answer.skipped:
                status = Status.SKIPPED
            elif fits(question, answer.value):
                status = Status.ANSWERED
                value = answer.value
                self.values[answer_id] = value
            else:
                status = Status.PENDING
            if status is Status.PENDING:
                waiting.add(question.variable)
            scope = store if record is not None else None
            self.asked.append(
                Asked(
                    answer_id,
                    question,
                    self.compiled.phase_index[question.id],
                    status,
                    record,
                    key,
                    scope,
                )
            )
        store[question.variable] = value


__all__ = ["Asked", "Status", "Walk", "walk"]
