"""One interview held open under its lock: answers are checked and saved as they come.

A front end that talks with a person (the terminal, a browser form) answers question
after question in one :class:`InterviewSession`; a scripted one applies a whole
:class:`~interlock.interview.batch.AnswerBatch` at once, all or nothing. Either way no
other process can write the answers meanwhile, and every accepted change is on disk
before the call returns.

An answer can be revised as well as given: :meth:`InterviewSession.unset` makes a
question unanswered again, and the systems of the ``systems`` answer are added, renamed
and removed here. A per-system answer is stored under ``QUESTION@KEY``, the key being
:func:`~interlock.interview.values.entity_key` of the system's name; renaming a system
moves every one of its answers, and its research note and snapshot (whose file names
are the key, and which hold what research proposes), to the new key under the lock, so
nothing stays behind under the old one. Reading is here too: :func:`recorded_answers`
lists every answer with who gave it and when, and :func:`why_not_asked` says in words
why a question is not asked (its condition, its depth, its system gone).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interlock.atomic_file import write_atomically
from interlock.errors import AnswerError, InterlockError, StoreError
from interlock.folders.credentials import CredentialWarning, credential_warnings
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.batch import AnswerBatch, apply_batch
from interlock.interview.compiled import DEPTH_RANK, CompiledBank, compiled_bank
from interlock.interview.engine import Engine
from interlock.interview.expressions import Expression
from interlock.interview.schema import DEPTHS, Question
from interlock.interview.state import Status
from interlock.interview.store import AnswerStore
from interlock.interview.values import entity_key
from interlock.interview.views import InterviewState, QuestionView, Round
from interlock.render.manifest import MANIFEST_NAME
from interlock.research.notes import SNAPSHOT_SUFFIX
from interlock.safe_yaml import format_timestamp

__all__ = [
    "SYSTEMS",
    "InactiveAnswer",
    "InterviewSession",
    "RecordedAnswer",
    "SystemChange",
    "recorded_answers",
    "why_not_asked",
]

SYSTEMS = "systems"
"""The entities question whose records the systems commands add, rename and remove."""
_SHOWN_MAX = 80


@dataclass(frozen=True, slots=True)
class InactiveAnswer:
    """An answer (or skip) saved for a question that is not asked now, and why not."""

    question_id: str
    why: str

    @property
    def message(self) -> str:
        """What to tell the person."""
        return (
            f"{self.question_id} is not asked now: {self.why}. The answer is kept, and "
            "counts once that changes"
        )

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id", "kind", "why", "message"}`` for the JSON front ends."""
        return {
            "id": self.question_id,
            "kind": "inactive",
            "why": self.why,
            "message": self.message,
        }


AnswerWarning = CredentialWarning | InactiveAnswer


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """One answer of the answers file, with its question and where it stands."""

    id: str
    prompt: str
    """The question as asked; empty for a question the bank no longer has."""
    kind: str
    """The question's kind (``text``, ``list``, …); empty when the bank lacks it."""
    status: str
    """``answered``, ``skipped``, ``pending`` (kept, but it no longer fits the
    question, which is asked again), ``inactive`` or ``orphaned``."""
    answer: Answer
    why: str = ""
    """Why it is pending, inactive or orphaned; empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as plain data, its time as ``YYYY-MM-DDTHH:MM:SSZ``."""
        return {
            "id": self.id,
            "prompt": self.prompt,
            "kind": self.kind,
            "status": self.status,
            "value": self.answer.value,
            "skipped": self.answer.skipped,
            "reason": self.answer.reason,
            "owner": self.answer.owner,
            "by": self.answer.by,
            "at": format_timestamp(self.answer.at),
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class SystemChange:
    """A system added, renamed or removed: what moved with it, or was dropped."""

    action: str
    """``add``, ``rename`` or ``remove``."""
    name: str
    key: str
    new_name: str = ""
    new_key: str = ""
    answers: tuple[str, ...] = ()
    """Per-system answers moved to the new key (rename) or dropped (remove)."""
    notes: tuple[Path, ...] = ()
    """Research files moved to the new key (rename) or kept as they are (remove);
    plain data gives them relative to the integration folder (``research/KEY.md``)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the change as plain data."""
        return {
            "action": self.action,
            "name": self.name,
            "key": self.key,
            "new_name": self.new_name,
            "new_key": self.new_key,
            "answers": list(self.answers),
            "notes": [f"{path.parent.name}/{path.name}" for path in self.notes],
        }


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
        records = self._records()
        key = entity_key(name)
        for record in records:
            if entity_key(record["name"]) == key:
                raise AnswerError(
                    f"{record['name']!r} is a system already (key {key!r}); nothing was changed",
                    hint="choose another name, or rename that one with --rename-system",
                )
        added = [*records, {"name": name.strip(), "kind": kind}]
        self._save(self.engine.answer(self._sheet, SYSTEMS, added, by=self.by))
        return SystemChange("add", name.strip(), key)

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
        records = self._records()
        record = _find_system(records, old)
        new_name = new.strip()
        old_key, new_key = entity_key(record["name"]), entity_key(new_name)
        for other in records:
            if other is not record and entity_key(other["name"]) == new_key:
                raise AnswerError(
                    f"{new_name!r} has the key {new_key!r} of the system {other['name']!r}; "
                    "nothing was changed",
                    hint="choose a name that differs in its letters or digits",
                )
        renamed = [{**other, "name": new_name} if other is record else other for other in records]
        sheet = self.engine.answer(self._sheet, SYSTEMS, renamed, by=self.by)
        moves = self._moves(old_key, new_key)
        notes = self._note_moves(old_key, new_key)
        _move_files(notes)
        try:
            self._save(sheet.with_answers_moved(moves))
        except InterlockError:
            _move_files({target: source for source, target in notes.items()})
            raise
        return SystemChange(
            "rename",
            record["name"],
            old_key,
            new_name,
            new_key,
            tuple(moves.values()),
            tuple(notes.values()),
        )

    def system_removal(self, name: str) -> SystemChange:
        """Return what removing system ``name`` drops (its per-system answers) and
        keeps (its research files), changing nothing.

        Raises:
            AnswerError: no such system.
        """
        record = _find_system(self._records(), name)
        key = entity_key(record["name"])
        dropped = tuple(self._moves(key, key))
        notes = tuple(path for path in self._notes(key) if path.exists())
        return SystemChange("remove", record["name"], key, answers=dropped, notes=notes)

    def remove_system(self, name: str) -> SystemChange:
        """Remove system ``name`` and its per-system answers; then save.

        Its research note and snapshot are kept (they are listed in the change): a
        person deletes them, if they are no longer wanted.

        Raises:
            AnswerError: no such system.
        """
        removal = self.system_removal(name)
        records = [
            record for record in self._records() if entity_key(record["name"]) != removal.key
        ]
        if records:
            sheet = self.engine.answer(self._sheet, SYSTEMS, records, by=self.by)
            self._save(sheet.without_answers(removal.answers))
        else:
            # With its last system gone, the question is unanswered: it is asked again.
            self._save(self._sheet.without_answers([SYSTEMS, *removal.answers]))
        return removal

    def _inactive(self, question_ids: Iterable[str]) -> list[InactiveAnswer]:
        state = self.engine.state(self._sheet)
        found = []
        for question_id in dict.fromkeys(question_ids):
            if question_id not in state.walk.by_id:
                why = _why_not_asked(self.engine, self._sheet, state, question_id)
                found.append(InactiveAnswer(question_id, why))
        return found

    def _records(self) -> list[dict[str, Any]]:
        """Return the records of the ``systems`` answer (none if it is not answered)."""
        question = next((q for q in self.engine.bank.questions if q.id == SYSTEMS), None)
        if question is None or question.kind != "entities":
            raise AnswerError(
                f"the question bank {self.engine.bank.name!r} has no {SYSTEMS!r} question "
                "listing the systems",
                hint="systems are added, renamed and removed in banks that list them",
            )
        answer = self._sheet.answers.get(SYSTEMS)
        if answer is None or answer.skipped or not isinstance(answer.value, list):
            return []
        return [dict(record) for record in answer.value if isinstance(record, Mapping)]

    def _moves(self, old_key: str, new_key: str) -> dict[str, str]:
        """Return each per-system answer id of ``old_key`` and its id under ``new_key``.

        Raises:
            AnswerError: an answer is already recorded under one of the new ids.
        """
        sources = compiled_bank(self.engine.bank).sources
        moves = {}
        for question_id in self._sheet.answers:
            base, separator, key = question_id.partition("@")
            if separator and key == old_key and sources.get(base) == SYSTEMS:
                moves[question_id] = f"{base}@{new_key}"
        if old_key != new_key:
            taken = [target for target in moves.values() if target in self._sheet.answers]
            if taken:
                raise AnswerError(
                    f"answers are recorded under {', '.join(taken)} already; nothing was changed",
                    hint="see them with `interlock answers NAME`, unset them with --unset, "
                    "then rename again",
                )
        return moves

    def _notes(self, key: str) -> tuple[Path, ...]:
        if self._research is None:
            return ()
        return (self._research / f"{key}.md", self._research / f"{key}{SNAPSHOT_SUFFIX}")

    def _note_moves(self, old_key: str, new_key: str) -> dict[Path, Path]:
        """Return the research files of ``old_key`` and where they go.

        Raises:
            AnswerError: a file is in the way under ``new_key``.
        """
        if old_key == new_key:
            return {}
        moves = {
            source: target
            for source, target in zip(self._notes(old_key), self._notes(new_key), strict=True)
            if source.exists()
        }
        in_the_way = [target for target in moves.values() if target.exists()]
        if in_the_way:
            raise AnswerError(
                f"{in_the_way[0]} exists already; nothing was changed",
                path=in_the_way[0],
                hint="move or delete that research file, then rename again",
            )
        return moves

    def _save(self, sheet: AnswerSheet) -> None:
        self._store.save(sheet)
        self._sheet = sheet


def why_not_asked(engine: Engine, sheet: AnswerSheet, question_id: str) -> str | None:
    """Return, in words, why ``question_id`` is not asked with ``sheet``; None if it is."""
    state = engine.state(sheet)
    if question_id in state.walk.by_id:
        return None
    return _why_not_asked(engine, sheet, state, question_id)


def recorded_answers(engine: Engine, sheet: AnswerSheet) -> tuple[RecordedAnswer, ...]:
    """Return every answer of ``sheet``: those asked in asking order, then the others
    (inactive, orphaned) in the file's order, each with its question and status."""
    state = engine.state(sheet)
    compiled = compiled_bank(engine.bank)
    position = {asked.id: index for index, asked in enumerate(state.walk.asked)}
    rows = []
    for question_id, answer in sheet.answers.items():
        asked = state.walk.by_id.get(question_id)
        question = compiled.questions.get(question_id.partition("@")[0])
        if asked is not None:
            status = asked.status.value
            why = (
                "the answer no longer fits the question (the bank changed), so it is asked again"
                if asked.status is Status.PENDING
                else ""
            )
        else:
            why = _why_not_asked(engine, sheet, state, question_id)
            status = "inactive" if question_id in state.inactive else "orphaned"
        prompt = _prompt(engine, sheet, question_id, question) if question else ""
        rows.append(
            RecordedAnswer(
                question_id, prompt, question.kind if question else "", status, answer, why
            )
        )
    rows.sort(key=lambda row: position.get(row.id, len(position)))
    return tuple(rows)


def _prompt(engine: Engine, sheet: AnswerSheet, question_id: str, question: Question) -> str:
    try:
        return engine.view(sheet, question_id).prompt
    except AnswerError:
        return question.prompt  # its system is gone: the text as the bank writes it


def _why_not_asked(
    engine: Engine, sheet: AnswerSheet, state: InterviewState, question_id: str
) -> str:
    compiled = compiled_bank(engine.bank)
    base, separator, key = question_id.partition("@")
    question = compiled.questions.get(base)
    if question is None:
        return f"the question bank {engine.bank.name!r} has no question {base!r}"
    if question.for_each is None and separator:
        return f"{base!r} is asked once, not about each system; its answer is {base!r}"
    if question.for_each is not None and not separator:
        return f"{base!r} is asked about each system, as {base}@KEY"
    needed = compiled.lowest_depth[base]
    if DEPTH_RANK[sheet.depth] < needed:
        return (
            f"it is asked at {DEPTHS[needed]} depth, and this interview is at {sheet.depth} "
            f"depth (change it with --depth {DEPTHS[needed]})"
        )
    if separator and key not in state.walk.expansions.get(base, ()):
        return _why_no_instance(compiled, sheet, state, question, key)
    condition = compiled.conditions.get(base)
    if condition is None:
        return "it does not apply to the answers given"
    return _why_condition_false(compiled, sheet, state, condition, key)


def _why_no_instance(
    compiled: CompiledBank, sheet: AnswerSheet, state: InterviewState, question: Question, key: str
) -> str:
    source = compiled.sources[question.id]
    if source in state.pending:
        return f"it is asked about each record of {source!r} once that is answered"
    answer = sheet.answers.get(source)
    records = answer.value if answer is not None and isinstance(answer.value, list) else []
    for record in records:
        if isinstance(record, Mapping) and entity_key(str(record.get("name", ""))) == key:
            kind = f" (its kind is {record['kind']!r})" if record.get("kind") else ""
            return (
                f"it is asked only about the {source} that `{question.for_each}` selects, "
                f"and {record['name']!r} is not one of them{kind}"
            )
    return (
        f"{source!r} names no system with the key {key!r} (it was removed or renamed); "
        f"see the systems with `interlock answers NAME`"
    )


def _why_condition_false(
    compiled: CompiledBank,
    sheet: AnswerSheet,
    state: InterviewState,
    condition: Expression,
    key: str,
) -> str:
    by_variable = {question.variable: question for question in compiled.order}
    waiting: list[str] = []
    read: list[str] = []
    for name in sorted(condition.names):
        question = by_variable.get(name)
        if question is None:
            continue  # depth, answers, entity: not a question's answer
        read_id = f"{question.id}@{key}" if question.for_each is not None and key else question.id
        if read_id in state.pending:
            waiting.append(read_id)
        read.append(f"{read_id} is {_shown(sheet.answers.get(read_id), read_id in state.inactive)}")
    if waiting:
        return f"it is asked once {' and '.join(waiting)} is answered (`{condition.source}`)"
    if not read:
        return f"its condition `{condition.source}` is false"
    return f"it applies only when `{condition.source}`, and {'; '.join(read)}"


def _shown(answer: Answer | None, inactive: bool) -> str:
    if answer is None:
        return "not answered"
    if inactive:
        return "not asked itself"
    if answer.skipped:
        return "skipped (don't know)"
    text = json.dumps(answer.value, ensure_ascii=False)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def _find_system(records: Sequence[Mapping[str, Any]], name: str) -> Mapping[str, Any]:
    """Return the record named ``name`` (or whose key ``name`` is).

    Raises:
        AnswerError: no record has that name or key.
    """
    for record in records:
        if record["name"] == name:
            return record
    key = entity_key(name)
    for record in records:
        if entity_key(record["name"]) == key:
            return record
    names = [str(record["name"]) for record in records]
    close = difflib.get_close_matches(name, names, n=1)
    known = f"the systems are {', '.join(map(repr, names))}" if names else "no system is named yet"
    raise AnswerError(
        f"no system named {name!r}; nothing was changed",
        hint=(f"did you mean {close[0]!r}? " if close else "") + known,
    )


def _move_files(moves: Mapping[Path, Path]) -> None:
    """Move research files (the caller checked no target exists), and their digests
    in the folder's record of what was written, so a moved note still reads as unedited.

    Raises:
        StoreError: a file cannot be moved; those moved already are moved back.
    """
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves.items():
            source.rename(target)
            done.append((source, target))
        if moves:
            _move_digests(next(iter(moves)).parent, {s.name: t.name for s, t in moves.items()})
    except OSError as error:
        for source, target in reversed(done):
            with suppress(OSError):
                target.rename(source)
        raise StoreError(
            f"cannot move the research files: {error.strerror or error}", path=error.filename
        ) from None


def _move_digests(folder: Path, names: Mapping[str, str]) -> None:
    manifest = folder / MANIFEST_NAME
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no record (or a damaged one): the files read as hand-written either way
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict):
        return
    record["files"] = dict(
        sorted((names.get(name, name), digest) for name, digest in files.items())
    )
    write_atomically(manifest, (json.dumps(record, indent=2) + "\n").encode("utf-8"))
