"""The answers file format: ``interview.yaml`` as text, written and read back strictly.

The file is meant to be read and diffed in a pull request, so answers are written by
:func:`~interlock.safe_yaml.dump_yaml`: block-style YAML with keys in a fixed order,
multi-line answers as literal blocks and timestamps in UTC. Before any text is handed
back for writing it is loaded again and compared with the answers, so a value YAML
would alter is refused rather than saved changed. Reading is strict: a file that is
not UTF-8, not YAML, or not the expected mapping raises StoreError naming the line of
the first fault. Locking and writing to disk belong to :mod:`interlock.interview.store`.

A file Interlock writes is sealed, so that one cut short is never read as fewer answers:
its first line says it is sealed (:data:`SEAL_HEADER`) and its last line is an end line
carrying the SHA-256 of everything before it, ``# interlock: end sha256=<hex>``. Both are
YAML comments, so the file stays plain YAML. A sealed file without its end line, or whose
last line break is missing, is reported as cut short. A digest that does not match means
the file changed after Interlock wrote it: usually a hand edit, which a person accepts by
deleting the digest (leaving ``# interlock: end``). A file with neither line, written by
an older Interlock or by hand, is read as before. The digest is taken over the text with
CRLF line breaks read as LF, so a checkout that converts line endings still matches;
Interlock never writes a raw carriage return (YAML escapes it as ``\\r``).
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from interlock.errors import StoreError, YamlError
from interlock.interview.answers import Answer, AnswerSheet
from interlock.safe_yaml import YamlDocument, dump_yaml, load_yaml

MAX_ANSWERS_BYTES = 4 * 1024 * 1024
"""The largest answers file read, as ``interview.yaml`` or given with ``--answers``:
hundreds of times a full interview; a larger file is refused, not parsed for minutes."""

SEAL_HEADER = (
    "# interlock: answers file, format 2; after editing by hand, delete sha256=... on the last line"
)
"""The first line of a file Interlock writes: it promises an end line."""

_SEALED = "# interlock:"
_END = "# interlock: end"
_END_LINE = re.compile(r"^# interlock: end(?: sha256=(?P<digest>[0-9a-f]{64}))?[ \t]*$", re.M)
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMAT_HINT = "the format is described in docs/answers-file.md"
_RESTORE_HINT = (
    "restore it from version control or a backup (Interlock does not write over a file"
    " that does not load); if you removed the end line on purpose, end the file with the"
    f" line '{_END}' to accept it as it is"
)
_EMPTY_HINT = "restore it from version control or a backup, or delete it to start afresh"


def _as_utc(moment: datetime) -> datetime:
    """Read a timestamp without a zone as UTC, which is what the file format says."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def render_sheet(sheet: AnswerSheet) -> str:
    """Return the YAML text of ``sheet``, verified to load back to the same answers."""
    for field in ("name", "template", "depth"):
        _refuse_surrogates(getattr(sheet, field), f"field {field!r}")
    data: dict[str, Any] = {
        "name": sheet.name,
        "template": sheet.template,
        "depth": sheet.depth,
        "created": _as_utc(sheet.created),
        "updated": _as_utc(sheet.updated),
        "answers": {key: _answer_data(key, answer) for key, answer in sheet.answers.items()},
    }
    body = f"{SEAL_HEADER}\n{dump_yaml(data)}"
    _verify(body, data)
    return f"{body}{_END} sha256={_digest(body)}\n"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _answer_data(key: str, answer: Answer) -> dict[str, Any]:
    where = f"answer {key!r}"
    for text in (key, answer.reason, answer.owner, answer.by):
        _refuse_surrogates(text, where)
    # Defaults are left out, so that a plain answer reads as value, by and at.
    data: dict[str, Any] = {"value": _plain(answer.value, where)}
    if answer.skipped:
        data["skipped"] = True
    if answer.reason:
        data["reason"] = answer.reason
    if answer.owner:
        data["owner"] = answer.owner
    data["by"] = answer.by
    data["at"] = _as_utc(answer.at)
    return data


_SCALARS = (bool, int, float, str, date, datetime)


def _plain(value: Any, where: str) -> Any:
    """Return ``value`` as YAML data (tuples become lists), or refuse what YAML cannot hold."""
    if value is None or type(value) in _SCALARS:
        if isinstance(value, str):
            _refuse_surrogates(value, where)
        return value
    if isinstance(value, list | tuple):
        return [_plain(item, where) for item in value]
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if not (key is None or type(key) in _SCALARS):
                raise _unstorable(where, f"a mapping key of type {type(key).__name__}")
            plain[_plain(key, where)] = _plain(item, where)
        return plain
    raise _unstorable(where, f"a value of type {type(value).__name__}")


def _refuse_surrogates(text: str, where: str) -> None:
    found = _SURROGATE.search(text)
    if found:
        raise _unstorable(
            where,
            f"text that is not valid Unicode (U+{ord(found[0]):04X} at position {found.start()},"
            " probably bytes decoded with the wrong encoding)",
        )


def _unstorable(where: str, what: str) -> StoreError:
    return StoreError(
        f"{where} holds {what}, which the answers file cannot store",
        hint="answers may be text, numbers, booleans, null, dates, lists or mappings",
    )


def _verify(text: str, data: dict[str, Any]) -> None:
    """Refuse to write text that would not load back exactly: a written answer is kept."""
    try:
        loaded = load_yaml(text).value
    except YamlError as error:
        raise StoreError(f"the answers could not be written as YAML: {error.message}") from None
    if _same(loaded, data):
        return
    differing = [key for key in data if not _same(loaded.get(key), data[key])]
    if differing == ["answers"]:
        differing = [
            key
            for key, value in data["answers"].items()
            if not _same(loaded["answers"].get(key), value)
        ] or differing
    raise StoreError(
        f"YAML would not keep {', '.join(map(repr, differing))} exactly; nothing was written",
        hint="this is a bug in Interlock; please report it with the answer's text",
    )


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


def parse_sheet(raw: bytes, path: Path) -> AnswerSheet:
    """Return the sheet in ``raw``; StoreError names the line of the first fault.

    A file cut short, or changed after Interlock wrote it without the change being
    accepted (see the module docstring), is refused too.
    """
    sheet, edited = parse_sheet_allowing_edits(raw, path)
    if edited is not None:
        raise edited
    return sheet


def parse_sheet_allowing_edits(raw: bytes, path: Path) -> tuple[AnswerSheet, StoreError | None]:
    """Return the sheet in ``raw`` and, for a whole file whose digest does not match (a
    hand edit not yet accepted), the error :func:`parse_sheet` raises for it."""
    text = _decode(raw, path)
    edited_line = _read_seal(text, path)
    sheet = _parse_text(text, path)
    return sheet, (None if edited_line is None else _edited(path, edited_line))


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        if error.end == len(raw) and error.reason == "unexpected end of data":
            raise _cut_short(path, line, "it ends inside a character") from None
        raise StoreError(
            "the answers file is not UTF-8 text", path=path, line=line, hint="save it as UTF-8"
        ) from None


def _read_seal(text: str, path: Path) -> int | None:
    """Return the line of an end line whose digest does not match; raise if cut short."""
    if not text:
        raise _cut_short(path, 1, "it is empty", hint=_EMPTY_HINT)
    # The digest is of the text as written; a checkout may have turned LF into CRLF.
    text = text.replace("\r\n", "\n")
    ends = list(_END_LINE.finditer(text))
    if not ends:
        if text.startswith(_SEALED) or SEAL_HEADER.startswith(text):
            last = text.count("\n", 0, len(text) - 1) + 1
            raise _cut_short(path, last, f"its end line ('{_END} sha256=...') is missing")
        return None  # written by an older Interlock, or by hand
    end = ends[-1]
    line = text.count("\n", 0, end.start()) + 1
    after = text[end.end() :]
    if not after:
        raise _cut_short(path, line, "its end line has no line break after it")
    if end["digest"] is None:
        return None  # a person deleted the digest: the file is accepted as it is
    if after.strip() or end["digest"] != _digest(text[: end.start()]):
        return line
    return None


def _cut_short(path: Path, line: int, why: str, *, hint: str = _RESTORE_HINT) -> StoreError:
    return StoreError(f"the answers file looks cut short: {why}", path=path, line=line, hint=hint)


def _edited(path: Path, line: int) -> StoreError:
    return StoreError(
        "the answers file changed after Interlock wrote it: the sha256 on its end line"
        " does not match",
        path=path,
        line=line,
        hint=f"if you edited it on purpose, delete 'sha256=...' from line {line}, leaving"
        f" '{_END}', to accept the file as it is (the next save seals it again);"
        " otherwise restore it from version control",
    )


def _parse_text(text: str, path: Path) -> AnswerSheet:
    try:
        document = load_yaml(text, path=path)
    except YamlError as error:
        raise StoreError(
            error.message, path=path, line=error.line, column=error.column, hint=_FORMAT_HINT
        ) from None
    if not isinstance(document.value, dict):
        found = "an empty file" if document.value is None else type(document.value).__name__
        raise StoreError(
            f"expected a mapping with name, template, depth, created, updated and answers;"
            f" found {found}",
            path=path,
            line=document.first_line,
            hint=_FORMAT_HINT,
        )
    try:
        sheet = AnswerSheet.model_validate(document.value, strict=True)
    except ValidationError as error:
        raise _schema_error(error, document, path) from None
    for key, answer in sheet.answers.items():
        try:
            _plain(answer.value, f"answer {key!r}")
        except StoreError as error:
            line = document.line_of(("answers", key, "value"))
            raise StoreError(error.message, path=path, line=line, hint=error.hint) from None
    answers = {
        key: answer.model_copy(update={"at": _as_utc(answer.at)})
        for key, answer in sheet.answers.items()
    }
    update = {"created": _as_utc(sheet.created), "updated": _as_utc(sheet.updated)}
    return sheet.model_copy(update={**update, "answers": answers})


def _schema_error(error: ValidationError, document: YamlDocument, path: Path) -> StoreError:
    problems = []
    for detail in error.errors():
        # YAML records mapping keys by their source text; "[key]" marks a bad key itself.
        where = tuple(str(part) for part in detail["loc"] if part != "[key]")
        field = ".".join(where) or "the file"
        if "[key]" in detail["loc"]:
            message = f"{field}: this key must be text; quote it ('{where[-1]}')"
        elif detail["type"] == "extra_forbidden":
            message = f"unknown field {field!r}"
        elif detail["type"] == "missing":
            message = f"missing field {field!r}"
        else:
            message = f"{field}: {detail['msg']}"
        problems.append((document.line_of(where), message))
    problems.sort(key=lambda problem: problem[0])
    line, message = problems[0]
    others = "".join(f"; line {other}: {text}" for other, text in problems[1:5])
    hint = _FORMAT_HINT
    if any("datetime" in detail["msg"] for detail in error.errors()):
        hint = "write timestamps unquoted, like 2024-05-01T09:30:00Z; " + hint
    return StoreError(message + others, path=path, line=line, hint=hint)


__all__ = [
    "MAX_ANSWERS_BYTES",
    "SEAL_HEADER",
    "parse_sheet",
    "parse_sheet_allowing_edits",
    "render_sheet",
]
