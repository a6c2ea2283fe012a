"""The plain values the engine returns: rounds, questions as shown, progress, signals.

Rounds, questions, progress and signals have ``to_dict()`` giving plain data;
:meth:`Round.to_dict` is exactly the shape printed by
``interlock interview NAME --next --json``::

    {"complete": bool,
     "questions": [{"id", "phase", "prompt", "kind", "help", "required",
                    "options": [{"value", "label", "tradeoff", "recommended"}],
                    "fields": [{"name", "kind", "options"}],
                    "suggestions": [{"value", "source", "tags"}]}],
     "progress": {"phase", "phases", "phase_id", "phase_title",
                  "answered", "skipped", "remaining", "inactive", "orphaned"},
     "signals": [{"id", "label", "met", "waived"}],
     "contradictions": [{"id", "message", "questions", "key"}]}

A probe (``problem.why#detail``, the follow-up of a vague answer) is a question of the
round like any other. ``contradictions`` lists what the bank's checks find in the
answers given so far, on every round, the last one too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from interlock.interview.schema import EntityField, Option, Question
from interlock.interview.state import Contradiction, Walk


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the interview is: the current phase and the counts of questions."""

    phase: int
    """The current phase's number, 1-based; the closing round counts as the last."""
    phases: int
    """How many numbered phases the bank has."""
    phase_id: str
    phase_title: str
    answered: int
    skipped: int
    remaining: int
    """Questions that apply and are not answered yet (follow-ups may add more), and
    the skipped ones to be asked again because a signal needs them."""
    inactive: int
    orphaned: int

    def to_dict(self) -> dict[str, Any]:
        """Return the progress as plain data."""
        return {
            "phase": self.phase,
            "phases": self.phases,
            "phase_id": self.phase_id,
            "phase_title": self.phase_title,
            "answered": self.answered,
            "skipped": self.skipped,
            "remaining": self.remaining,
            "inactive": self.inactive,
            "orphaned": self.orphaned,
        }


@dataclass(frozen=True, slots=True)
class SignalState:
    """A completion signal and whether the answers settle it."""

    id: str
    label: str
    met: bool
    """Every question that settles it and applies is answered."""
    waived: bool = False
    """Not met, but each of its questions left open was skipped with a reason."""

    @property
    def settled(self) -> bool:
        """Whether it lets the interview complete: met, or waived with reasons."""
        return self.met or self.waived

    def to_dict(self) -> dict[str, Any]:
        """Return the signal as plain data."""
        return {"id": self.id, "label": self.label, "met": self.met, "waived": self.waived}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A value research proposes for a question, and where it was read."""

    value: str
    """The answer it would be, e.g. ``GET /v1/charges — List all charges``."""
    source: str
    """The research note it comes from, e.g. ``research/stripe.md``."""
    tags: tuple[str, ...] = ()
    """The document's groups it belongs to (an operation's tags)."""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"value", "source", "tags"}``."""
        return {"value": self.value, "source": self.source, "tags": list(self.tags)}

    def matches(self, query: str) -> bool:
        """Return whether the filter ``query`` keeps this suggestion.

        Empty keeps everything; ``/v1/charges`` keeps the operations whose path starts
        with it; a tag keeps that group; other words must all appear in the value.
        """
        words = query.lower().split()
        if not words:
            return True
        value = self.value.lower()
        path = value.split(" ", 1)[1] if " " in value else value
        if len(words) == 1 and words[0].startswith("/"):
            return path.startswith(words[0])
        if len(words) == 1 and words[0] in {tag.lower() for tag in self.tags}:
            return True
        return all(word in value for word in words)


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question as shown to a person: its text rendered for its entity."""

    id: str
    question: Question
    phase: str
    prompt: str
    help: str
    entity: str | None = None
    """The entity's name, for a per-entity question."""
    suggestions: tuple[Suggestion, ...] = ()
    """Values research proposes for it; a person confirms them by answering."""

    def to_dict(self) -> dict[str, Any]:
        """Return the question in the shape of the scriptable protocol."""
        question = self.question
        return {
            "id": self.id,
            "phase": self.phase,
            "prompt": self.prompt,
            "kind": question.kind,
            "help": self.help,
            "required": question.required,
            "options": [_option_dict(option) for option in question.options],
            "fields": [_field_dict(field) for field in question.fields],
            "suggestions": [suggestion.to_dict() for suggestion in self.suggestions],
        }


@dataclass(frozen=True, slots=True)
class InterviewState:
    """Everything about an interview's position, computed from one sheet."""

    complete: bool
    """True when no question that applies waits for an answer and every signal is
    settled (met, or waived: its open questions skipped with a reason)."""
    progress: Progress
    signals: tuple[SignalState, ...]
    pending: tuple[str, ...]
    reasked: tuple[str, ...]
    """Questions skipped without a reason that hold a signal unsettled: asked again
    once nothing is pending."""
    inactive: tuple[str, ...]
    """Answers kept in the sheet for questions that do not apply now."""
    orphaned: tuple[str, ...]
    """Answers kept in the sheet for questions the bank no longer has."""
    walk: Walk

    @property
    def contradictions(self) -> tuple[Contradiction, ...]:
        """What the bank's checks find in the answers."""
        return self.walk.contradictions


@dataclass(frozen=True, slots=True)
class Round:
    """The next questions to ask, with progress and signals."""

    complete: bool
    questions: tuple[QuestionView, ...]
    progress: Progress
    signals: tuple[SignalState, ...]
    contradictions: tuple[Contradiction, ...] = ()
    """Answers given so far that contradict each other, to show the person."""

    def to_dict(self) -> dict[str, Any]:
        """Return the round in the shape printed by ``interview --next --json``."""
        return {
            "complete": self.complete,
            "questions": [question.to_dict() for question in self.questions],
            "progress": self.progress.to_dict(),
            "signals": [signal.to_dict() for signal in self.signals],
            "contradictions": [found.to_dict() for found in self.contradictions],
        }

    def suggesting(self, suggestions: Mapping[str, tuple[Suggestion, ...]]) -> Round:
        """Return the round with ``suggestions`` (question id → values) on its questions."""
        if not suggestions:
            return self
        questions = tuple(
            replace(view, suggestions=suggestions[view.id]) if view.id in suggestions else view
            for view in self.questions
        )
        return replace(self, questions=questions)


def _option_dict(option: Option) -> dict[str, Any]:
    return {
        "value": option.value,
        "label": option.shown_label,
        "tradeoff": option.tradeoff,
        "recommended": option.recommended,
    }


def _field_dict(field: EntityField) -> dict[str, Any]:
    return {
        "name": field.name,
        "kind": field.kind,
        "options": [_option_dict(option) for option in field.options],
    }


__all__ = [
    "Contradiction",
    "InterviewState",
    "Progress",
    "QuestionView",
    "Round",
    "SignalState",
    "Suggestion",
]
