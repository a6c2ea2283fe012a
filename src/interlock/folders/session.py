"""One interview held open under its lock: answers are checked and saved as they come.

A front end that talks with a person (the terminal, a browser form) answers question
after question in one :class:`InterviewSession`; a scripted one applies a whole
:class:`~interlock.interview.batch.AnswerBatch` at once, all or nothing. Either way no
other process can write the answers meanwhile, and every accepted change is on disk
before the call returns.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from interlock.folders.credentials import CredentialWarning, credential_warnings
from interlock.interview.answers import AnswerSheet
from interlock.interview.batch import AnswerBatch, apply_batch
from interlock.interview.engine import Engine
from interlock.interview.store import AnswerStore
from interlock.interview.views import Round

__all__ = ["InterviewSession"]


class InterviewSession:
    """The interview of one integration, its lock held by the caller's ``with`` block."""

    def __init__(
        self,
        store: AnswerStore,
        engine: Engine,
        sheet: AnswerSheet,
        by: str,
        suggest: Callable[[Round], Round] = lambda current: current,
    ) -> None:
        self._store = store
        self.engine = engine
        self._sheet = sheet
        self.by = by
        """Who the answers are recorded as given by."""
        self._suggest = suggest

    @property
    def sheet(self) -> AnswerSheet:
        """The answers as saved."""
        return self._sheet

    @property
    def path(self) -> Path:
        """The answers file."""
        return self._store.path

    def next_round(self) -> Round:
        """Return the next questions to ask, with progress, signals and what research
        proposes for them."""
        return self._suggest(self.engine.next_round(self._sheet))

    def answer(self, question_id: str, value: Any) -> list[CredentialWarning]:
        """Answer ``question_id`` (again) and save; return the credentials it holds.

        A front end that asks a person checks first (:func:`credential_warnings`) and
        asks again; the warnings returned are for those that save what they were given.

        Raises:
            AnswerError: an unknown question, or a value it does not accept; nothing is saved.
        """
        self._save(self.engine.answer(self._sheet, question_id, value, by=self.by))
        return credential_warnings([(question_id, value)])

    def skip(self, question_id: str, *, reason: str = "", owner: str = "") -> None:
        """Skip ``question_id`` ("don't know"): it becomes an open question. Then save."""
        sheet = self.engine.skip(self._sheet, question_id, reason=reason, owner=owner, by=self.by)
        self._save(sheet)

    def apply(self, batch: AnswerBatch) -> list[CredentialWarning]:
        """Apply every answer of ``batch`` and save once: all of them, or none.

        Returns:
            A warning for each answer that looks like it holds a credential; they are
            saved as given (nothing typed is lost), and ``interlock validate`` fails on
            them until they are replaced.

        Raises:
            AnswerError: an answer is refused; nothing of the batch is saved.
        """
        if not batch:
            return []
        self._save(apply_batch(self.engine, self._sheet, batch, by=self.by))
        return credential_warnings(batch.values())

    def _save(self, sheet: AnswerSheet) -> None:
        self._store.save(sheet)
        self._sheet = sheet
