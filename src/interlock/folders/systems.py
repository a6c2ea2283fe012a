"""The systems of an interview's ``systems`` answer: added, renamed and removed.

A per-system answer is stored under ``QUESTION@KEY``, the key being
:func:`~interlock.interview.values.entity_key` of the system's name. Renaming a system
moves every one of its answers, and its research note and snapshot (whose file names
are the key, and which hold what research proposes), to the new key, so nothing stays
behind under the old one; removing one drops its answers and keeps its research files.
Each change is checked in full before anything moves; the interview session
(:class:`~interlock.folders.session.InterviewSession`) saves it under the lock.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interlock.atomic_file import write_atomically
from interlock.errors import AnswerError, StoreError
from interlock.interview.answers import AnswerSheet
from interlock.interview.compiled import compiled_bank
from interlock.interview.engine import Engine
from interlock.interview.values import entity_key
from interlock.render.manifest import MANIFEST_NAME
from interlock.research.notes import SNAPSHOT_SUFFIX

__all__ = [
    "SYSTEMS",
    "SystemChange",
    "move_research_files",
    "system_removal",
    "with_system_added",
    "with_system_removed",
    "with_system_renamed",
]

SYSTEMS = "systems"
"""The entities question whose records the systems commands add, rename and remove."""


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


def with_system_added(
    engine: Engine, sheet: AnswerSheet, name: str, kind: str, *, by: str
) -> tuple[AnswerSheet, SystemChange]:
    """Return ``sheet`` with system ``name`` of ``kind`` added to the ``systems`` answer.

    Raises:
        AnswerError: a system with the same key exists, the kind is not offered, or
            the bank has no ``systems`` question.
    """
    records = _records(engine, sheet)
    key = entity_key(name)
    for record in records:
        if entity_key(record["name"]) == key:
            raise AnswerError(
                f"{record['name']!r} is a system already (key {key!r}); nothing was changed",
                hint="choose another name, or rename that one with --rename-system",
            )
    added = [*records, {"name": name.strip(), "kind": kind}]
    return engine.answer(sheet, SYSTEMS, added, by=by), SystemChange("add", name.strip(), key)


def with_system_renamed(
    engine: Engine, sheet: AnswerSheet, old: str, new: str, *, by: str, research: Path | None
) -> tuple[AnswerSheet, SystemChange, dict[Path, Path]]:
    """Return ``sheet`` with system ``old`` renamed ``new`` and its answers moved to the
    new key, the change, and the research files (in ``research``) to move: each one's
    path now and its path under the new key. Nothing is moved.

    Raises:
        AnswerError: no such system, the new name's key belongs to another system,
            or answers or research files are in the way under the new key.
    """
    records = _records(engine, sheet)
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
    updated = engine.answer(sheet, SYSTEMS, renamed, by=by)
    moves = _answer_moves(engine, sheet, old_key, new_key)
    notes = _note_moves(research, old_key, new_key)
    change = SystemChange(
        "rename",
        record["name"],
        old_key,
        new_name,
        new_key,
        tuple(moves.values()),
        tuple(notes.values()),
    )
    return updated.with_answers_moved(moves), change, notes


def system_removal(
    engine: Engine, sheet: AnswerSheet, name: str, *, research: Path | None
) -> SystemChange:
    """Return what removing system ``name`` drops (its per-system answers) and keeps
    (its research files in ``research``), changing nothing.

    Raises:
        AnswerError: no such system.
    """
    record = _find_system(_records(engine, sheet), name)
    key = entity_key(record["name"])
    dropped = tuple(_answer_moves(engine, sheet, key, key))
    notes = tuple(path for path in _notes(research, key) if path.exists())
    return SystemChange("remove", record["name"], key, answers=dropped, notes=notes)


def with_system_removed(
    engine: Engine, sheet: AnswerSheet, removal: SystemChange, *, by: str
) -> AnswerSheet:
    """Return ``sheet`` without the system of ``removal`` and its per-system answers."""
    records = [
        record for record in _records(engine, sheet) if entity_key(record["name"]) != removal.key
    ]
    if records:
        updated = engine.answer(sheet, SYSTEMS, records, by=by)
        return updated.without_answers(removal.answers)
    # With its last system gone, the question is unanswered: it is asked again.
    return sheet.without_answers([SYSTEMS, *removal.answers])


def _records(engine: Engine, sheet: AnswerSheet) -> list[dict[str, Any]]:
    """Return the records of the ``systems`` answer (none if it is not answered)."""
    question = next((q for q in engine.bank.questions if q.id == SYSTEMS), None)
    if question is None or question.kind != "entities":
        raise AnswerError(
            f"the question bank {engine.bank.name!r} has no {SYSTEMS!r} question "
            "listing the systems",
            hint="systems are added, renamed and removed in banks that list them",
        )
    answer = sheet.answers.get(SYSTEMS)
    if answer is None or answer.skipped or not isinstance(answer.value, list):
        return []
    return [dict(record) for record in answer.value if isinstance(record, Mapping)]


def _answer_moves(engine: Engine, sheet: AnswerSheet, old_key: str, new_key: str) -> dict[str, str]:
    """Return each per-system answer id of ``old_key`` and its id under ``new_key``.

    Raises:
        AnswerError: an answer is already recorded under one of the new ids.
    """
    sources = compiled_bank(engine.bank).sources
    moves = {}
    for question_id in sheet.answers:
        base, separator, key = question_id.partition("@")
        if separator and key == old_key and sources.get(base) == SYSTEMS:
            moves[question_id] = f"{base}@{new_key}"
    if old_key != new_key:
        taken = [target for target in moves.values() if target in sheet.answers]
        if taken:
            raise AnswerError(
                f"answers are recorded under {', '.join(taken)} already; nothing was changed",
                hint="see them with `interlock answers NAME`, unset them with --unset, "
                "then rename again",
            )
    return moves


def _notes(research: Path | None, key: str) -> tuple[Path, ...]:
    if research is None:
        return ()
    return (research / f"{key}.md", research / f"{key}{SNAPSHOT_SUFFIX}")


def _note_moves(research: Path | None, old_key: str, new_key: str) -> dict[Path, Path]:
    """Return the research files of ``old_key`` and where they go.

    Raises:
        AnswerError: a file is in the way under ``new_key``.
    """
    if old_key == new_key:
        return {}
    moves = {
        source: target
        for source, target in zip(_notes(research, old_key), _notes(research, new_key), strict=True)
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


def move_research_files(moves: Mapping[Path, Path]) -> None:
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
