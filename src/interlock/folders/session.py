"""One interview held open under its lock: answers are checked and saved as they come.

A front end that talks with a person (the terminal, a browser form) answers question
after question in one :class:`InterviewSession`; a scripted one applies a whole
:class:`~interlock.interview.batch.AnswerBatch` at once, all or nothing. Either way no
other process can write the answers meanwhile, and every accepted change is on disk
before the call returns.

An answer can be revised as well as given: :meth:`InterviewSession.unset` makes a
question unanswered again, and the systems of the ``systems`` answer are added, renamed
and removed (:mod:`interlock.folders.systems` checks each change; the session saves it,
and moves a renamed system's research files). Reading the answers is in
:mod:`interlock.folders.answer_status`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from interlock.errors import AnswerError, InterlockError
from interlock.folders.answer_status import InactiveAnswer, reason_not_asked, why_not_asked
from interlock.folders.credentials import CredentialWarning, credential_warnings
from interlock.folders.systems import (
    SystemChange,
    move_research_files,
    system_removal,
    with_system_added,
    with_system_removed,
    with_system_renamed,
)
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.batch import AnswerBatch, apply_batch
from interlock.interview.engine import Engine
from interlock.interview.store import AnswerStore
from interlock.interview.views import QuestionView, Round

__all__ = ["AnswerWarning", "InterviewSession"]

AnswerWarning = CredentialWarning | InactiveAnswer


class InterviewSession:
    """The interview of one integration, its lock held by the caller's ``with`` block."""

    def __init__(
        self,
        store: AnswerStore,
        engine: Engine,
        sheet: AnswerSheet,
        by: str,
        suggest: Callable[[Round], Round] = lambda current: current,
        research: Path | None = None,
    ) -> None:
        self._store = store
        self.engine = engine
        self._sheet = sheet
        self.by = by
        """Who the answers are recorded as given by."""
        self._suggest = suggest
        self._research = research

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

    def answer(self, question_id: str, value: Any) -> list[AnswerWarning]:
        """Answer ``question_id`` (again) and save; return the credentials it holds, and
        whether the question is not asked now (it is saved all the same).

        A front end that asks a person checks first (:func:`credential_warnings`) and
        asks again; the warnings returned are for those that save what they were given.
        A revised answer is recorded as given by :attr:`by`, now.

        Raises:
            AnswerError: an unknown question, or a value it does not accept; nothing is saved.
        """
        self._save(self.engine.answer(self._sheet, question_id, value, by=self.by))
        return [*credential_warnings([(question_id, value)]), *self._inactive([question_id])]

    def skip(self, question_id: str, *, reason: str = "", owner: str = "") -> list[InactiveAnswer]:
        """Skip ``question_id`` ("don't know"): it becomes an open question. Then save."""
        sheet = self.engine.skip(self._sheet, question_id, reason=reason, owner=owner, by=self.by)
        self._save(sheet)
        return self._inactive([question_id])

    def apply(self, batch: AnswerBatch) -> list[AnswerWarning]:
        """Apply every answer of ``batch`` and save once: all of them, or none.

        Returns:
            A warning for each answer that looks like it holds a credential; they are
            saved as given (nothing typed is lost), and ``interlock validate`` fails on
            them until they are replaced. Then one for each question answered or
            skipped that is not asked with the answers as saved, saying why.

        Raises:
            AnswerError: an answer is refused; nothing of the batch is saved.
        """
        if not batch:
            return []
        self._save(apply_batch(self.engine, self._sheet, batch, by=self.by))
        given = [question_id for question_id, _ in batch.values()]
        return [*credential_warnings(batch.values()), *self._inactive([*given, *batch.skips])]

    def refusals(self, batch: AnswerBatch) -> list[tuple[str, AnswerError]]:
        """Return each answer and skip of ``batch`` that would be refused, with why.

        Each is tried on the answers as the ones before it in the batch leave them (a
        system named earlier in the batch can be answered about), and a refused one is
        left out for those after it, so one mistake does not hide the others. Nothing is
        saved: :meth:`apply` saves a batch without refusals.
        """
        sheet = self._sheet
        refused: list[tuple[str, AnswerError]] = []
        single = [AnswerBatch(answers=(pair,)) for pair in batch.answers] + [
            AnswerBatch(skips=(question_id,), reason=batch.reason, owner=batch.owner)
            for question_id in batch.skips
        ]
        if batch.file is not None:
            single.insert(0, AnswerBatch(file=batch.file))
        for part in single:
            try:
                sheet = apply_batch(self.engine, sheet, part, by=self.by)
            except AnswerError as error:
                which = part.answers[0][0] if part.answers else part.skips[0] if part.skips else ""
                refused.append((which, error))
        return refused

    def view(self, question_id: str) -> QuestionView:
        """Return ``question_id`` as it is asked, with what research proposes for it.

        Raises:
            AnswerError: an unknown question, or a system the answers do not name.
        """
        state = self.engine.state(self._sheet)
        shown = self.engine.view(self._sheet, question_id)
        return self._suggest(Round(False, (shown,), state.progress, state.signals)).questions[0]

    def why_not_asked(self, question_id: str) -> str | None:
        """Return why ``question_id`` is not asked now, or None if it is."""
        return why_not_asked(self.engine, self._sheet, question_id)

    def unset(self, question_ids: Sequence[str]) -> tuple[Answer, ...]:
        """Make every one of ``question_ids`` unanswered again (asked again); then save.

        Returns:
            The answers removed, in the order given.

        Raises:
            AnswerError: an id has no answer; nothing is changed then.
        """
        answers = self._sheet.answers
        for question_id in question_ids:
            if question_id not in answers:
                close = difflib.get_close_matches(question_id, list(answers), n=3)
                raise AnswerError(
                    f"{question_id!r} has no answer to unset; nothing was changed",
                    hint=f"did you mean {', '.join(close)}?"
                    if close
                    else "interlock answers NAME lists every answer with its id",
                )
        removed = tuple(answers[question_id] for question_id in question_ids)
        self._save(self._sheet.without_answers(question_ids))
        return removed

    def add_system(self, name: str, kind: str) -> SystemChange:
        """Add system ``name`` of ``kind`` to the ``systems`` answer; then save.

        Raises:
            AnswerError: a system with the same key exists, the kind is not offered, or
                the bank has no ``systems`` question.
        """
        sheet, change = with_system_added(self.engine, self._sheet, name, kind, by=self.by)
        self._save(sheet)
        return change

    def rename_system(self, old: str, new: str) -> SystemChange:
        """Rename system ``old`` to ``new``, keeping every answer and note about it.

        The per-system answers (``QUESTION@KEY``) and the research note and snapshot
        (``research/KEY.md``, ``.json``) move to the new name's key, with who gave each
        answer and when; the ``systems`` answer is recorded as changed by :attr:`by`.
        Everything is checked before anything moves; the notes move first, and move
        back if the answers cannot be saved.

        Raises:
            AnswerError: no such system, the new name's key belongs to another system,
                or answers or research files are in the way under the new key.
        """
        sheet, change, notes = with_system_renamed(
            self.engine, self._sheet, old, new, by=self.by, research=self._research
        )
        move_research_files(notes)
        try:
            self._save(sheet)
        except InterlockError:
            move_research_files({target: source for source, target in notes.items()})
            raise
        return change

    def system_removal(self, name: str) -> SystemChange:
        """Return what removing system ``name`` drops (its per-system answers) and
        keeps (its research files), changing nothing.

        Raises:
            AnswerError: no such system.
        """
        return system_removal(self.engine, self._sheet, name, research=self._research)

    def remove_system(self, name: str) -> SystemChange:
        """Remove system ``name`` and its per-system answers; then save.

        Its research note and snapshot are kept (they are listed in the change): a
        person deletes them, if they are no longer wanted.

        Raises:
            AnswerError: no such system.
        """
        removal = self.system_removal(name)
        self._save(with_system_removed(self.engine, self._sheet, removal, by=self.by))
        return removal

    def _inactive(self, question_ids: Iterable[str]) -> list[InactiveAnswer]:
        state = self.engine.state(self._sheet)
        found = []
        for question_id in dict.fromkeys(question_ids):
            if question_id not in state.walk.by_id:
                why = reason_not_asked(self.engine, self._sheet, state, question_id)
                found.append(InactiveAnswer(question_id, why))
        return found

    def _save(self, sheet: AnswerSheet) -> None:
        self._store.save(sheet)
        self._sheet = sheet
