"""Scripted answers, applied together: all of them, or none.

A front end that is not a person typing (the command line's ``--answer``, ``--skip``
and ``--answers FILE``, a REST call, an agent's tool call) hands the interview an
:class:`AnswerBatch`. :func:`apply_batch` applies it to a sheet with the engine and
returns the new sheet; any refused answer raises before anything is returned, so the
caller saves all of the batch or nothing. An answers file is read by
:func:`read_answers_file`: a YAML or JSON mapping of question id to value, where
``{skip: true, reason: …, owner: …}`` skips (docs/answers-file.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interlock.errors import AnswerError, InputError, UsageError
from interlock.interview.answers import AnswerSheet
from interlock.interview.answers_file import MAX_ANSWERS_BYTES
from interlock.interview.engine import Engine
from interlock.regular_file import read_regular_text
from interlock.safe_yaml import load_yaml

__all__ = ["AnswerBatch", "AnswersFile", "apply_batch", "read_answers_file"]


@dataclass(frozen=True, slots=True)
class AnswersFile:
    """The answers of a file: question id → value, with the line of each."""

    path: Path
    values: Mapping[str, Any]
    lines: Mapping[Any, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AnswerBatch:
    """Answers given together: a file's, then single answers, then skips."""

    file: AnswersFile | None = None
    answers: tuple[tuple[str, Any], ...] = ()
    """Question id and value, applied in this order."""
    skips: tuple[str, ...] = ()
    """Question ids skipped ("don't know"), all with :attr:`reason` and :attr:`owner`."""
    reason: str = ""
    owner: str = ""

    def __bool__(self) -> bool:
        return bool(self.file or self.answers or self.skips)

    def values(self) -> list[tuple[str, Any]]:
        """Return every question id and value the batch answers, skips left out."""
        given = list(self.file.values.items()) if self.file is not None else []
        return [*given, *self.answers]


def read_answers_file(path: Path) -> AnswersFile:
    """Read an answers file: a YAML (or JSON) mapping of question id to value.

    Raises:
        UsageError: the file cannot be read.
        YamlError: it is not YAML (with the line).
        AnswerError: it is not a mapping.
    """
    try:
        text = read_regular_text(path, max_bytes=MAX_ANSWERS_BYTES, what="answers file")
    except InputError as error:
        raise UsageError(error.message, path=path, hint=error.hint) from None
    loaded = load_yaml(text, path=path)
    if not isinstance(loaded.value, dict):
        raise AnswerError("an answers file is a mapping of question id to value", path=path, line=1)
    values = {str(key): value for key, value in loaded.value.items()}
    return AnswersFile(path, values, dict(loaded.lines))


def apply_batch(engine: Engine, sheet: AnswerSheet, batch: AnswerBatch, *, by: str) -> AnswerSheet:
    """Return ``sheet`` with every answer of ``batch`` applied, recorded as given ``by``.

    Raises:
        AnswerError: an answer is refused (an answers file's errors are all listed, the
            first with its line); nothing of the batch is applied then.
    """
    if batch.file is not None:
        sheet = engine.apply_answers(
            sheet, batch.file.values, by=by, path=batch.file.path, lines=batch.file.lines
        )
    for question_id, value in batch.answers:
        sheet = engine.answer(sheet, question_id, value, by=by)
    for question_id in batch.skips:
        sheet = engine.skip(sheet, question_id, reason=batch.reason, owner=batch.owner, by=by)
    return sheet
