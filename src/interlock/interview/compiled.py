"""A bank's expressions compiled once, and checked against what they may read.

Questions are asked in phase order, then in the order the bank lists them. An
expression may read only questions asked *before* its own, so a follow-up always
comes after what it follows and no chain of conditions can loop. A per-entity
question (``for_each``) iterates exactly one earlier entities question, its *source*;
it may read the answers of earlier per-entity questions about the same record, and
a question outside that expansion may not read them at all.

Consecutive per-entity questions with the same ``for_each`` form a *block*, asked
record by record (all of Stripe's questions, then all of SendGrid's).

A *check* (a contradiction between answers) may read any question, since it is
evaluated after the whole walk; a per-entity check reads the per-entity questions of
its own records only, as a per-entity question does. Every completion signal names a
question that every interview asks, so a signal can always be settled.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from interlock.interview.consistency import check_bank, vague_words
from interlock.interview.expressions import (
    RESERVED,
    Expansion,
    Expression,
    Location,
    TextTemplate,
    compile_expansion,
    compile_expression,
    compile_text,
)
from interlock.interview.schema import DEPTHS, Bank, Check, Question, Vague
from interlock.safe_yaml import PathKey

DEPTH_RANK: dict[str, int] = {depth: rank for rank, depth in enumerate(DEPTHS)}


@dataclass(frozen=True, slots=True)
class Block:
    """One base question, or consecutive per-entity questions sharing a ``for_each``."""

    questions: tuple[Question, ...]
    for_each: Expansion | None = None
    source: str | None = None
    """The id of the entities question iterated."""


@dataclass(frozen=True, slots=True)
class CompiledCheck:
    """A check with its condition, expansion and message compiled."""

    check: Check
    condition: Expression
    message: TextTemplate
    for_each: Expansion | None = None
    source: str | None = None
    """The id of the entities question a per-entity check iterates."""
    per_entity: frozenset[str] = frozenset()
    """The ids among its questions that are asked per entity (named ``id@key``)."""


@dataclass(frozen=True)
class VagueRule:
    """Tells a vague text answer from a specific one, by a bank's ``vague:`` block."""

    phrases: tuple[tuple[tuple[str, ...], str], ...] = ()
    """Each phrase's words, longest first, with the phrase as the bank writes it."""
    min_words: int = 0

    @classmethod
    def of(cls, vague: Vague) -> VagueRule:
        """Return the rule of a bank's ``vague:`` block."""
        phrases = [(tuple(vague_words(phrase)), phrase.strip()) for phrase in vague.phrases]
        phrases.sort(key=lambda item: -len(item[0]))
        return cls(tuple(phrases), vague.min_words)

    def reason(self, text: str) -> str:
        """Return why ``text`` is vague (e.g. ``leans on "TBD"``), or ``""`` if it is not.

        An answer is vague when, once the vague phrases are taken out, fewer words
        are left than ``min_words`` (at least one when it used a vague phrase).
        """
        return _vague_reason(self, text)

    @cached_property
    def by_first_word(self) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
        """The phrases by their first word, each list longest first like :attr:`phrases`."""
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, written in self.phrases:
            index.setdefault(phrase[0], []).append((phrase, written))
        return {first: tuple(found) for first, found in index.items()}


@lru_cache(maxsize=4096)
def _vague_reason(rule: VagueRule, text: str) -> str:
    # Every walk of the interview asks again about the same answers: each is judged once.
    words = list(vague_words(text))
    starting = rule.by_first_word
    found: list[str] = []
    left = 0
    index = 0
    while index < len(words):
        for phrase, written in starting.get(words[index], ()):
            if tuple(words[index : index + len(phrase)]) == phrase:
                found.append(written)
                index += len(phrase)
                break
        else:
            left += 1
            index += 1
    needed = max(rule.min_words, 1) if found else rule.min_words
    if left >= needed:
        return ""
    if found:
        quoted = " and ".join(f"\u201c{phrase}\u201d" for phrase in dict.fromkeys(found))
        return f"leans on {quoted}, which does not say what is planned here"
    return f"has only {len(words)} word{'' if len(words) == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class CompiledBank:
    """A bank with its questions in asking order and every expression compiled."""

    bank: Bank
    order: tuple[Question, ...]
    blocks: tuple[Block, ...]
    phase_index: dict[str, int]
    """Question id → index of its phase in ``bank.phases``."""
    lowest_depth: dict[str, int]
    """Question id → rank of the shallowest interview depth that asks it."""
    conditions: dict[str, Expression]
    sources: dict[str, str]
    """Per-entity question id → the entities question it iterates."""
    prompts: dict[str, TextTemplate]
    helps: dict[str, TextTemplate]
    questions: dict[str, Question]
    entity_variables: dict[str, tuple[Question, ...]]
    """Entities question id → the per-entity questions asked about its records."""
    checks: tuple[CompiledCheck, ...] = ()
    vague: VagueRule = VagueRule()
    probes: dict[str, Question] = field(default_factory=dict)
    """Question id → the follow-up probe asked after a vague answer to it."""


def compile_bank(
    bank: Bank,
    *,
    locate: Callable[[PathKey], int | None] | None = None,
    path: Path | str | None = None,
) -> CompiledBank:
    """Compile every expression and text of ``bank`` and check what each reads.

    Raises:
        BankError: an expression that does not compile, or reads a name it may not.
    """
    compiler = _Compiler(bank, locate, path)
    return compiler.run()


def compiled_bank(bank: Bank) -> CompiledBank:
    """Return ``bank``'s compiled form, compiling it now if it was not loaded from YAML."""
    found = bank._compiled
    if isinstance(found, CompiledBank):
        return found
    check_bank(bank)
    compiled = compile_bank(bank)
    bank._compiled = compiled
    return compiled


class _Compiler:
    def __init__(
        self, bank: Bank, locate: Callable[[PathKey], int | None] | None, path: Path | str | None
    ) -> None:
        self.bank = bank
        self.locate = locate
        self.path = path
        self.phase_index = {phase.id: index for index, phase in enumerate(bank.phases)}
        self.file_index = {question.id: index for index, question in enumerate(bank.questions)}
        self.order = tuple(
            sorted(
                bank.questions,
                key=lambda q: (self.phase_index[q.phase], self.file_index[q.id]),
            )
        )
        self.position = {question.id: index for index, question in enumerate(self.order)}
        self.questions = {question.id: question for question in self.order}
        self.by_variable: dict[str, Question] = {}
        self.sources: dict[str, str] = {}

    def location(self, question: Question, key: str) -> Location:
        where: PathKey = ("questions", self.file_index[question.id], key)
        line = self.locate(where) if self.locate is not None else None
        return Location(self.path, line, f"question {question.id!r}, {key}")

    def run(self) -> CompiledBank:
        self._collect_variables()
        expansions: dict[str, Expansion] = {}
        conditions: dict[str, Expression] = {}
        prompts: dict[str, TextTemplate] = {}
        helps: dict[str, TextTemplate] = {}
        for question in self.order:
            if question.for_each is not None:
                expansion = compile_expansion(
                    question.for_each, self.location(question, "for_each")
                )
                self.sources[question.id] = self._check_expansion(question, expansion)
                expansions[question.id] = expansion
            if question.when is not None:
                condition = compile_expression(question.when, self.location(question, "when"))
                self._check_reads(question, condition.names, condition.location, text=False)
                conditions[question.id] = condition
            prompts[question.id] = self._text(question, "prompt", question.prompt)
            helps[question.id] = self._text(question, "help", question.help)
        return CompiledBank(
            bank=self.bank,
            order=self.order,
            blocks=self._blocks(expansions),
            phase_index={q.id: self.phase_index[q.phase] for q in self.order},
            lowest_depth={q.id: self._lowest_depth(q) for q in self.order},
            conditions=conditions,
            sources=dict(self.sources),
            prompts=prompts,
            helps=helps,
            questions=self.questions,
            entity_variables={
                source: tuple(q for q in self.order if self.sources.get(q.id) == source)
                for source in set(self.sources.values())
            },
            checks=tuple(self._check(index, check) for index, check in enumerate(self.bank.checks)),
            vague=VagueRule.of(self.bank.vague),
            probes={
                question.id: question.model_copy(update={"required": True, "detail": False})
                for question in self.order
                if question.expects_detail
            },
        )

    def _check(self, index: int, check: Check) -> CompiledCheck:
        def location(key: str) -> Location:
            line = self.locate(("checks", index, key)) if self.locate is not None else None
            return Location(self.path, line, f"check {check.id!r}, {key}")

        expansion = source = None
        if check.for_each is not None:
            expansion = compile_expansion(check.for_each, location("for_each"))
            source = self._check_source(expansion)
        condition = compile_expression(check.when, location("when"))
        self._check_check_reads(condition.names, condition.location, source)
        fields: frozenset[str] = frozenset()
        if source is not None:
            fields = frozenset(item.name for item in self.questions[source].fields)
        message = compile_text(check.message, location("message"), fields=fields)
        self._check_check_reads(message.names, message.location, source)
        per_entity = frozenset(qid for qid in check.questions if qid in self.sources)
        for qid in sorted(per_entity):
            if self.sources[qid] != source:
                where = location("questions")
                if source is None:
                    raise where.error(
                        f"{qid!r} is asked per entity; a check over all the answers cannot "
                        "name one of its instances",
                        hint=f"check it per record: for_each over {self.sources[qid]!r}",
                    )
                raise where.error(
                    f"{qid!r} is asked per entity of {self.sources[qid]!r}, not of {source!r}"
                )
        return CompiledCheck(check, condition, message, expansion, source, per_entity)

    def _check_source(self, expansion: Expansion) -> str:
        here = expansion.location
        if "entity" in expansion.names or "decisions" in expansion.names:
            raise here.error("for_each reads the answers; 'entity' is not defined there")
        sources = []
        for name in sorted(expansion.names - RESERVED):
            read = self._known(name, here)
            if read.for_each is not None:
                raise here.error(f"for_each cannot read the per-entity question {read.id!r}")
            if read.kind == "entities":
                sources.append(read.id)
        if len(sources) != 1:
            raise here.error(
                "it must iterate exactly one entities question",
                hint="e.g. for_each: \"systems | selectattr('kind', 'equalto', 'queue')\"",
            )
        return sources[0]

    def _check_check_reads(self, names: frozenset[str], here: Location, source: str | None) -> None:
        for name in sorted(names):
            if name in ("answers", "depth"):
                continue
            if name == "entity":
                if source is None:
                    raise here.error("'entity' is only defined in per-entity checks")
                continue
            if name == "decisions":
                raise here.error("'decisions' is only defined in prompts and help texts")
            read = self._known(name, here)
            if read.for_each is not None and self.sources.get(read.id) != source:
                raise here.error(
                    f"{name!r} is asked per entity of {self.sources[read.id]!r}; only "
                    "checks over the same entities can read it",
                    hint=f"read it through answers['{read.id}@<key>'] instead",
                )

    def _collect_variables(self) -> None:
        for question in self.order:
            variable = question.variable
            key = "name" if question.name else "id"
            if variable in RESERVED:
                raise self.location(question, key).error(
                    f"{variable!r} is reserved for expressions",
                    hint="give the question another name:",
                )
            other = self.by_variable.get(variable)
            if other is not None:
                raise self.location(question, key).error(
                    f"its variable {variable!r} is also the variable of {other.id!r}",
                    hint="give one of them a distinct name:",
                )
            self.by_variable[variable] = question

    def _check_expansion(self, question: Question, expansion: Expression) -> str:
        here = expansion.location
        if question.kind == "entities":
            raise here.error("an entities question cannot itself be asked per entity")
        if "entity" in expansion.names or "decisions" in expansion.names:
            raise here.error("for_each reads the answers; 'entity' is not defined there")
        sources = []
        for name in sorted(expansion.names - RESERVED):
            read = self._known(name, here)
            self._check_earlier(question, read, here)
            if read.for_each is not None:
                raise here.error(f"for_each cannot read the per-entity question {read.id!r}")
            if read.kind == "entities":
                sources.append(read)
        if len(sources) != 1:
            read_names = sorted(expansion.names - RESERVED)
            reads = ", ".join(
                f"{self.by_variable[n].id!r} ({_a(self.by_variable[n].kind)} question)"
                for n in read_names
            )
            raise here.error(
                f"it must iterate exactly one entities question, but reads {reads or 'none'}",
                hint="e.g. for_each: \"systems | selectattr('kind', 'equalto', 'queue')\"",
            )
        return sources[0].id

    def _check_reads(
        self, question: Question, names: frozenset[str], here: Location, *, text: bool
    ) -> None:
        for name in sorted(names):
            if name in ("answers", "depth"):
                continue
            if name == "entity":
                if question.for_each is None:
                    raise here.error("'entity' is only defined in per-entity questions")
                continue
            if name == "decisions":
                if text:
                    continue
                raise here.error("'decisions' is only defined in prompts and help texts")
            read = self._known(name, here)
            if read.id == question.id:
                raise here.error(f"it reads its own answer ({name!r})")
            self._check_earlier(question, read, here)
            if read.for_each is not None and (
                question.for_each is None
                or self.sources.get(read.id) != self.sources.get(question.id)
            ):
                raise here.error(
                    f"{name!r} is asked per entity of {self.sources[read.id]!r}; only "
                    "per-entity questions over the same entities can read it",
                    hint=f"read it through answers['{read.id}@<key>'] instead",
                )

    def _known(self, name: str, here: Location) -> Question:
        read = self.by_variable.get(name)
        if read is None:
            close = difflib.get_close_matches(name, sorted(self.by_variable), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else ""
            raise here.error(f"unknown name {name!r}", hint=hint)
        return read

    def _check_earlier(self, question: Question, read: Question, here: Location) -> None:
        if self.position[read.id] > self.position[question.id]:
            raise here.error(
                f"it reads {read.id!r}, which is asked later",
                hint="a question can only depend on questions asked before it",
            )

    def _text(self, question: Question, key: str, source: str) -> TextTemplate:
        fields: frozenset[str] = frozenset()
        if question.id in self.sources:
            entities = self.questions[self.sources[question.id]]
            fields = frozenset(field.name for field in entities.fields)
        text = compile_text(source, self.location(question, key), fields=fields)
        self._check_reads(question, text.names, text.location, text=True)
        return text

    def _lowest_depth(self, question: Question) -> int:
        boost = 1 if self.bank.phase(question.phase).depth == "full" else 0
        return max(0, DEPTH_RANK[question.depth] - boost)

    def _blocks(self, expansions: dict[str, Expansion]) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for question in self.order:
            expansion = expansions.get(question.id)
            if expansion is None:
                blocks.append(Block((question,)))
                continue
            last = blocks[-1] if blocks else None
            if (
                last is not None
                and last.for_each is not None
                and last.for_each.source == expansion.source
                and self.phase_index[last.questions[-1].phase] == self.phase_index[question.phase]
            ):
                blocks[-1] = Block((*last.questions, question), last.for_each, last.source)
            else:
                blocks.append(Block((question,), expansion, self.sources[question.id]))
        return tuple(blocks)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


__all__ = [
    "DEPTH_RANK",
    "Block",
    "CompiledBank",
    "CompiledCheck",
    "VagueRule",
    "compile_bank",
    "compiled_bank",
]
