"""The answers of one interview: what the store persists and the engine reads.

An :class:`AnswerSheet` is plain data: which bank and depth the interview uses, and
for each question id (instance ids of per-entity questions included) either a value
or a skip with its reason and owner. It knows nothing of files or of the bank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_BANK = "integration"
"""The question bank a new interview uses unless told otherwise."""


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Answer(BaseModel):
    """One answered or skipped question."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: Any = None
    """The answer; ``None`` when skipped."""
    skipped: bool = False
    """True for "don't know" / skip: the question becomes an open question."""
    reason: str = ""
    """Why it was skipped, or a note on the answer."""
    owner: str = ""
    """Who will find out, for a skipped question."""
    by: str = ""
    """Who answered."""
    at: datetime = Field(default_factory=_now)
    """When it was answered (UTC)."""


class AnswerSheet(BaseModel):
    """Every answer of one integration's interview."""

    model_config = ConfigDict(extra="forbid")

    name: str
    """The integration's name, e.g. ``payments``; also its folder under ``specs/``."""
    template: str = DEFAULT_BANK
    """The question bank the interview uses."""
    depth: str = "standard"
    """``quick``, ``standard`` or ``full``."""
    created: datetime = Field(default_factory=_now)
    updated: datetime = Field(default_factory=_now)
    answers: dict[str, Answer] = Field(default_factory=dict)

    def with_answer(self, question_id: str, answer: Answer) -> AnswerSheet:
        """Return a copy with ``question_id`` answered (or re-answered)."""
        answers = {**self.answers, question_id: answer}
        return self.model_copy(update={"answers": answers, "updated": answer.at})

    def without_answers(self, question_ids: Iterable[str]) -> AnswerSheet:
        """Return a copy in which ``question_ids`` are unanswered (asked again)."""
        dropped = set(question_ids)
        answers = {key: answer for key, answer in self.answers.items() if key not in dropped}
        return self.model_copy(update={"answers": answers, "updated": _now()})

    def with_answers_moved(self, moves: Mapping[str, str]) -> AnswerSheet:
        """Return a copy with the answer of each key of ``moves`` under its value's id.

        Each answer keeps its value, who gave it and when; the order of the file is
        kept, so a moved answer stays where it was.
        """
        answers = {moves.get(key, key): answer for key, answer in self.answers.items()}
        return self.model_copy(update={"answers": answers, "updated": _now()})


__all__ = ["DEFAULT_BANK", "Answer", "AnswerSheet"]
