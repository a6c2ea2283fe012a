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

import yaml

from interlock.errors import AnswerError, InputError, UsageError
from interlock.interview.answers import AnswerSheet
from interlock.interview.answers_file import MAX_ANSWERS_BYTES
from interlock.interview.engine import Engine
from interlock.interview.values import Written
from interlock.regular_file import read_regular_text
from interlock.safe_yaml import load_yaml

__all__ = ["AnswerBatch", "AnswersFile", "apply_batch", "read_answers_file"]

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


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
    if path.is_dir():
        raise UsageError(
            "this is a folder, not an answers file",
            path=path,
            hint="give the YAML or JSON file that maps question ids to answers "
            "(docs/answers-file.md)",
        )
    try:
        text = read_regular_text(path, max_bytes=MAX_ANSWERS_BYTES, what="answers file")
    except InputError as error:
        raise UsageError(error.message, path=path, hint=error.hint) from None
    loaded = load_yaml(text, path=path)
    if not isinstance(loaded.value, dict):
        raise AnswerError("an answers file is a mapping of question id to value", path=path, line=1)
    written = _plain_scalars(text)
    values = {
        str(key): _as_written(written.get(str(key)), value) for key, value in loaded.value.items()
    }
    return AnswersFile(path, values, dict(loaded.lines))


def _plain_scalars(text: str) -> dict[str, str]:
    """Return the source text of each unquoted answer of an answers file, by question id.

    YAML reads ``012`` as a number and ``yes`` as true; a text question keeps them as
    written. Called after :func:`load_yaml` accepted ``text``, so composing is safe.
    """
    root = yaml.compose(text, Loader=_Loader)
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {
        key.value: value.value
        for key, value in root.value
        if isinstance(key, yaml.ScalarNode)
        and isinstance(value, yaml.ScalarNode)
        and not value.style  # plain: None from PyYAML, '' from libyaml
    }


def _as_written(text: str | None, value: Any) -> Any:
    if text is None or value is None or isinstance(value, str):
        return value  # text as read, or nothing: YAML's null stays no answer
    return Written(text, value)


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
