"""What the integration folder's writing operations did: rendered, written, kept.

Each result holds what a front end shows: the files written, left unchanged or kept
as a copy of a hand edit, the diffs of a dry run, and what was learnt on the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interlock.errors import AnswerError
from interlock.folders.session import AnswerWarning
from interlock.interview.views import Round
from interlock.model.integration import OpenQuestion
from interlock.render.manifest import WriteResult

if TYPE_CHECKING:
    # Only named in annotations: reading vendors' documents is loaded when research runs,
    # not by every command (and server) that touches an integration.
    from interlock.research.asyncapi import AsyncApiDocument
    from interlock.research.drift import Change
    from interlock.research.event_facts import EventResearch
    from interlock.research.facts import Research
    from interlock.research.openapi import OpenApiDocument
    from interlock.research.prefill import Prefill

__all__ = [
    "EventResearchResult",
    "RenderedIntegration",
    "RenderedOutcome",
    "ResearchResult",
    "Submission",
]


@dataclass(frozen=True, slots=True)
class RenderedIntegration:
    """What :meth:`IntegrationFolder.render` rendered and did with it."""

    folder: Path
    documents: dict[str, str]
    """File name → rendered text."""
    written: WriteResult | None
    """``None`` when nothing was written (a dry run)."""
    diffs: dict[str, str]
    """File name → unified diff from the file on disk, for files that differ."""
    open_questions: tuple[OpenQuestion, ...]
    """The open questions the documents list."""


@dataclass(frozen=True, slots=True)
class RenderedOutcome:
    """What :meth:`IntegrationFolder.write_outcome` rendered and did with it."""

    path: Path
    text: str
    written: WriteResult | None
    """``None`` when nothing was written (a dry run)."""
    diff: str
    """A unified diff from the file on disk to ``text``; empty when they are the same."""


@dataclass(frozen=True, slots=True)
class EventResearchResult:
    """What :meth:`IntegrationFolder.research_events` read and wrote."""

    document: AsyncApiDocument
    research: EventResearch
    note: Path
    written: WriteResult


@dataclass(frozen=True, slots=True)
class ResearchResult:
    """What :meth:`IntegrationFolder.research` read, wrote and answered."""

    document: OpenApiDocument
    research: Research
    note: Path
    written: WriteResult
    prefill: Prefill
    answers: Path
    drift: tuple[Change, ...] | None = None
    """What changed since the system's last snapshot, breaking changes first; ``None``
    when there was no snapshot to compare with."""

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break a client that works today."""
        return tuple(change for change in self.drift or () if change.breaking)


@dataclass(frozen=True, slots=True)
class Submission:
    """What :meth:`IntegrationFolder.submit` did with a batch: saved it, or refused it."""

    refused: tuple[tuple[str, AnswerError], ...]
    """Each answer or skip refused, with why; when any is, nothing was saved."""
    next_round: Round | None
    """The questions that follow the saved batch; ``None`` when it was refused."""
    warnings: tuple[AnswerWarning, ...]
    """Credentials seen in the answers, and answers saved to questions not asked now."""
    revision: str | None
    """The answers file's revision after the call."""
