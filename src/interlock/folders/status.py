"""Where one integration stands: its interview, open questions, systems and checklist.

:class:`IntegrationStatus` is what ``interlock status`` shows and, through
:meth:`IntegrationStatus.to_dict`, exactly what ``interlock status NAME --json``
prints (docs/interview-protocol.md)::

    {"name", "template", "depth", "complete",
     "progress": {...}, "signals": [...],
     "open_questions": [{"id", "question", "reason", "owner"}],
     "entities": {question id: [record, ...]},
     "inactive": [...], "orphaned": [...], "updated": ISO time,
     "checklist": {"plan", "interviewed", "counts", "items"},
     "research": [{"system", "note", "snapshot", "name", "title", "version",
                   "source", "operations", "webhooks", "servers"}]}

Its open questions are the ones the documents list: every question that applies and
is skipped or not answered yet (:mod:`interlock.interview.resolved`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interlock.errors import InputError, InterlockError
from interlock.interview.answers import AnswerSheet
from interlock.interview.engine import Engine
from interlock.interview.views import InterviewState
from interlock.model.integration import OpenQuestion
from interlock.research.snapshot import SnapshotSummary, read_summary
from interlock.workspace.checklist import Checklist

__all__ = ["IntegrationStatus", "ResearchNote", "UnreadableIntegration", "recorded_entities"]


@dataclass(frozen=True, slots=True)
class ResearchNote:
    """The research note of one system, and the snapshot of what was read for it."""

    key: str
    """The system's entity key, the file name's stem (``stripe``)."""
    note: Path
    snapshot: Path | None
    """``None`` for a note written before notes were per system (``research.md``)."""

    def summary(self) -> SnapshotSummary | None:
        """Return what the snapshot says, or ``None`` without a readable one."""
        if self.snapshot is None or not self.snapshot.is_file():
            return None
        try:
            return read_summary(self.snapshot)
        except InputError:
            return None

    def to_dict(self, root: Path) -> dict[str, Any]:
        """Return ``{"system", "note", "snapshot", ...}`` with paths from ``root``."""
        summary = self.summary()
        return {
            "system": self.key,
            "note": self.note.relative_to(root).as_posix(),
            "snapshot": None
            if self.snapshot is None
            else self.snapshot.relative_to(root).as_posix(),
            **({} if summary is None else summary.to_dict()),
        }


@dataclass(frozen=True, slots=True)
class UnreadableIntegration:
    """An integration whose status could not be read, and why.

    A workspace-wide status lists it among the others instead of stopping at it.
    """

    name: str
    error: InterlockError

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"name", "error"}``, the error as it is shown (with file and line)."""
        return {"name": self.name, "error": str(self.error)}


@dataclass(frozen=True, slots=True)
class IntegrationStatus:
    """Where one integration's interview stands, and its checklist."""

    sheet: AnswerSheet
    state: InterviewState
    open_questions: tuple[OpenQuestion, ...]
    entities: dict[str, list[dict[str, Any]]]
    """Entities question id → the records named so far (the systems, say)."""
    checklist: Checklist
    research: tuple[ResearchNote, ...] = ()
    """The research note of each system researched."""
    root: Path | None = None
    """The workspace root, which the paths of ``to_dict`` are relative to."""

    @property
    def skipped(self) -> tuple[OpenQuestion, ...]:
        """The open questions someone skipped, with the reason and owner given."""
        return tuple(question for question in self.open_questions if question.skipped)

    def to_dict(self) -> dict[str, Any]:
        """Return the status as the plain data of ``interlock status NAME --json``."""
        state, sheet = self.state, self.sheet
        return {
            "name": sheet.name,
            "template": sheet.template,
            "depth": sheet.depth,
            "complete": state.complete,
            "progress": state.progress.to_dict(),
            "signals": [signal.to_dict() for signal in state.signals],
            "open_questions": [_open_question_data(item) for item in self.open_questions],
            "entities": self.entities,
            "inactive": list(state.inactive),
            "orphaned": list(state.orphaned),
            "updated": sheet.updated.isoformat(),
            "checklist": self.checklist.to_dict(),
            "research": [note.to_dict(self.root or note.note.parent) for note in self.research],
        }


def _open_question_data(item: OpenQuestion) -> dict[str, str]:
    return {"id": item.id, "question": item.question, "reason": item.reason, "owner": item.owner}


def recorded_entities(engine: Engine, sheet: AnswerSheet) -> dict[str, list[dict[str, Any]]]:
    """Return, per entities question of the bank, the records ``sheet`` names."""
    found: dict[str, list[dict[str, Any]]] = {}
    for question in engine.bank.questions:
        answer = sheet.answers.get(question.id)
        if question.kind == "entities" and answer is not None and isinstance(answer.value, list):
            found[question.id] = [record for record in answer.value if isinstance(record, dict)]
    return found
