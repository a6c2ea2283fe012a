"""The schema of question banks: pydantic models that hold data only.

A bank lists its phases (the nine of the integration template and a closing round),
the topics it promises to cover, its questions and the completion signals, what makes
a text answer vague, and the checks that catch answers contradicting each other. Evaluating
conditions and choosing questions is the engine's work, never the models'.
``docs/question-banks.md`` describes every field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Kind = Literal["text", "choice", "multi", "number", "boolean", "list", "entities"]
FieldKind = Literal["text", "choice", "multi", "number", "boolean", "list"]
Depth = Literal["quick", "standard", "full"]

KINDS: tuple[Kind, ...] = ("text", "choice", "multi", "number", "boolean", "list", "entities")
DEPTHS: tuple[Depth, ...] = ("quick", "standard", "full")

_ID = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
_SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Data):
    """One answer offered by a choice or multi question."""

    value: str = Field(min_length=1, max_length=80, pattern=r"^[^,\n]+$")
    """What is stored; no commas, since people type several values comma-separated."""
    label: str = ""
    """What a person reads; the value when empty."""
    tradeoff: str = ""
    """What choosing it costs and buys, in one sentence."""
    recommended: bool = False
    reason: str = ""
    """Why it is recommended; required when ``recommended`` is true."""

    @property
    def shown_label(self) -> str:
        """The label, or the value when the bank gives no label."""
        return self.label or self.value


def _short_options(value: Any) -> Any:
    """Let ``options: [low, high]`` stand for options given by their value alone."""
    if isinstance(value, list | tuple):
        return [{"value": item} if isinstance(item, str) else item for item in value]
    return value


class EntityField(_Data):
    """One field of the records of an entities question."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: FieldKind = "text"
    label: str = ""
    options: tuple[Option, ...] = ()
    required: bool = False

    _options = field_validator("options", mode="before")(_short_options)


class Phase(_Data):
    """A phase of the interview, with the depth its template gives it."""

    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    depth: Literal["standard", "full"] = "standard"
    """``full``: the phase is a focus and is asked one level deeper than the interview."""
    focus: str = ""
    """What the phase concentrates on for this kind of integration."""
    closing: bool = False
    """The closing round: not counted among the numbered phases."""


class Topic(_Data):
    """A topic area the bank promises to cover, for coverage checks and documents."""

    id: str = Field(pattern=_SLUG)
    label: str = Field(min_length=1)


class Question(_Data):
    """One question of a bank. Per-entity questions (``for_each``) are asked per record."""

    id: str = Field(pattern=_ID, max_length=80)
    phase: str
    prompt: str = Field(min_length=1)
    help: str = ""
    kind: Kind
    required: bool = True
    """An empty answer (no text, no items) is refused; skipping is always possible."""
    depth: Depth = "standard"
    """The shallowest interview depth that asks it."""
    name: str = Field(default="", pattern=r"^([a-z][a-z0-9_]*)?$")
    """The variable expressions read its answer by; the id with ``_`` for ``.`` if empty."""
    options: tuple[Option, ...] = ()
    fields: tuple[EntityField, ...] = ()
    when: str | None = None
    for_each: str | None = None
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    topics: tuple[str, ...] = ()
    detail: bool | None = None
    """Whether a text answer must give specifics, or get one follow-up probe; unset,
    required text questions expect them."""

    _options = field_validator("options", mode="before")(_short_options)

    @property
    def expects_detail(self) -> bool:
        """Whether a vague answer to it gets a follow-up probe (text questions only)."""
        if self.kind != "text":
            return False
        return self.required if self.detail is None else self.detail

    @property
    def variable(self) -> str:
        """The name expressions use for this question's answer."""
        return self.name or self.id.replace(".", "_")

    @property
    def deep(self) -> bool:
        """Whether its options carry trade-offs (a decision worth recapping)."""
        return any(option.tradeoff for option in self.options)


class Signal(_Data):
    """A question the interview must be able to answer before it is done."""

    id: str = Field(pattern=_SLUG)
    label: str = Field(min_length=1)
    settled_by: tuple[str, ...] = Field(min_length=1)
    """Question ids (per-entity ones stand for all their instances)."""


class Vague(_Data):
    """What makes a text answer too vague to stand without a follow-up probe."""

    phrases: tuple[str, ...] = ()
    """Words that say nothing on their own ("standard", "TBD", "as usual"), matched
    whole and case-insensitively."""
    min_words: int = Field(default=0, ge=0, le=50)
    """An answer whose other words number fewer than this is vague."""


class Check(_Data):
    """A contradiction between answers, caught while interviewing."""

    id: str = Field(pattern=_SLUG)
    when: str = Field(min_length=1)
    """The expression that holds when the answers contradict each other."""
    message: str = Field(min_length=1)
    """What the person is told: what clashes, and what would resolve it."""
    questions: tuple[str, ...] = Field(min_length=1)
    """The ids of the questions whose answers clash, so one of them can be revised."""
    for_each: str | None = None
    """Checked once per record, as a per-entity question is asked."""


class Bank(_Data):
    """A whole question bank."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    version: int = Field(default=1, ge=1)
    description: str = ""
    phases: tuple[Phase, ...] = Field(min_length=1)
    topics: tuple[Topic, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)
    signals: tuple[Signal, ...] = ()
    vague: Vague = Vague()
    checks: tuple[Check, ...] = ()

    _compiled: Any = PrivateAttr(default=None)
    """The compiled expressions, cached so a bank is compiled once per load."""
    _source: str | None = PrivateAttr(default=None)

    @property
    def source(self) -> str | None:
        """The file the bank was loaded from, if any."""
        return self._source

    def question(self, question_id: str) -> Question | None:
        """Return the question with ``question_id`` (a base id, not an instance id)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        return None

    def phase(self, phase_id: str) -> Phase:
        """Return the phase with ``phase_id``."""
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(phase_id)


__all__ = [
    "DEPTHS",
    "KINDS",
    "Bank",
    "Check",
    "Depth",
    "EntityField",
    "FieldKind",
    "Kind",
    "Option",
    "Phase",
    "Question",
    "Signal",
    "Topic",
    "Vague",
]
