"""Answer values as a question accepts them, from a file or from a person typing.

Values arrive in two shapes: already typed (from JSON or YAML: ``3``, ``true``, a
list) or as the text a person typed (``"3"``, ``"yes"``, ``"json, xml"``). Both are
normalised to one stored form per kind, and anything else is refused with an
:class:`~interlock.errors.AnswerError` that lists what is allowed:

=========  ===============================  ======================================
kind       stored as                        also accepted
=========  ===============================  ======================================
text       the text exactly as typed        a number (kept as its digits)
choice     the option's value               the option's label, any letter case
multi      a list of option values          one comma-separated string
number     an int or a float                ``"3"``, ``"2.5"``
boolean    ``True`` / ``False``             yes/no, y/n, true/false, on/off, 1/0
list       a list of texts                  one string: one item per line (a
                                            comma inside an item stays in it)
entities   a list of records (mappings)     one string: records on lines or
                                            separated by ``;``, fields by ``,``
=========  ===============================  ======================================

A value typed on a command line or written in a file arrives as :class:`Written`:
the text as written, with what JSON or YAML reads it as. A text question keeps the
text (``012`` stays ``012``, ``1e3`` stays ``1e3``, ``yes`` stays ``yes``), and so
does a choice unless it was read as a string (an option ``1e3`` or ``yes`` is found);
every other kind takes what it reads as.

Each entity record has every declared field (absent optional ones are ``None`` or an
empty list) and a ``name`` whose :func:`entity_key` is unique: the key names the
record in per-entity question ids (``external.auth@stripe``).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from interlock.errors import AnswerError
from interlock.interview.schema import EntityField, Option, Question

MAX_TEXT = 100_000
"""Longest text accepted in one answer (characters)."""
MAX_ITEMS = 500
"""Most items accepted in one list, multi or entities answer."""

_TRUE = frozenset({"yes", "y", "true", "t", "on", "1"})
_FALSE = frozenset({"no", "n", "false", "f", "off", "0"})
_KEY_LENGTH = 48


class Written(str):
    """An answer as typed or written (the text), with the value it reads as (``parsed``).

    ``Written("012", 12)`` is what ``--answer problem.summary=012`` gives if JSON
    reads it, and what ``problem.summary: 012`` in a YAML file gives; which of the two
    is the answer depends on the question's kind (see the module docstring).
    """

    parsed: Any

    def __new__(cls, text: str, parsed: Any) -> Written:
        written = super().__new__(cls, text)
        written.parsed = parsed
        return written


def _as_read(kind: str, value: Any) -> Any:
    """Return the text or the read value of a :class:`Written` answer, as ``kind`` takes it."""
    if not isinstance(value, Written):
        return value
    text = str(value)  # a plain str, never the subclass, is what gets stored
    if kind == "text" or (kind == "choice" and not isinstance(value.parsed, str)):
        return text
    return value.parsed


def entity_key(name: str) -> str:
    """Return the key of an entity named ``name``: lower-case ASCII words and dashes.

    ``"Stripe"`` gives ``stripe``, ``"Zürich Payments API"`` gives
    ``zurich-payments-api``. A name with no ASCII letters or digits at all gets a
    short stable digest instead (``e-1a2b3c4d``), so every key is safe in a YAML key
    and on a command line.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    slug = slug[:_KEY_LENGTH].rstrip("-")
    if slug:
        return slug
    return "e-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def normalise_answer(question: Question, value: Any, *, where: str | None = None) -> Any:
    """Return ``value`` in the stored form of ``question``'s kind, or raise AnswerError.

    Args:
        question: the question answered.
        value: the answer, typed or as text.
        where: names the question in errors (an instance id); the question's id if None.
    """
    where = where or question.id
    kind = question.kind
    value = _as_read(kind, value)
    if kind == "entities":
        return _entities(value, question.fields, question.required, where)
    if kind == "number":
        return _number(value, where, question.minimum, question.maximum)
    return _scalar_or_list(kind, value, question.options, question.required, where)


def fits(question: Question, value: Any) -> bool:
    """Return whether a stored ``value`` is still a valid answer to ``question``.

    A bank can change after an answer was given (an option removed, a kind changed);
    such an answer is kept in the sheet but the question is asked again.
    """
    try:
        return bool(normalise_answer(question, value) == value)
    except AnswerError:
        return False


def empty_value(kind: str) -> Any:
    """Return what an expression sees for a question with no usable answer."""
    return [] if kind in ("multi", "list", "entities") else None


def _scalar_or_list(
    kind: str, value: Any, options: Sequence[Option], required: bool, where: str
) -> Any:
    if kind == "text":
        return _text(value, required, where)
    if kind == "choice":
        return _choice(value, options, where)
    if kind == "multi":
        return _multi(value, options, required, where)
    if kind == "boolean":
        return _boolean(value, where)
    if kind == "list":
        return _list(value, required, where)
    raise AnswerError(f"{where}: questions of kind {kind!r} cannot be answered")


def _text(value: Any, required: bool, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise AnswerError(
            f"{where}: expected text, got {_describe(value)}",
            hint="write the answer in quotes if YAML reads it as something else",
        )
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT:
        raise AnswerError(f"{where}: the answer is longer than {MAX_TEXT:,} characters")
    if required and not text.strip():
        raise AnswerError(
            f"{where}: an answer is required",
            hint="skip the question if nobody knows yet; it becomes an open question",
        )
    return text


def _choice(value: Any, options: Sequence[Option], where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise AnswerError(f"{where}: expected one of {_allowed(options)}, got {_describe(value)}")
    typed = str(value).strip()
    for option in options:
        if typed == option.value:
            return option.value
    folded = typed.casefold()
    for option in options:
        if folded in (option.value.casefold(), option.shown_label.casefold()):
            return option.value
    raise AnswerError(
        f"{where}: {typed!r} is not an option",
        hint=f"choose one of {_allowed(options)}",
    )


def _multi(value: Any, options: Sequence[Option], required: bool, where: str) -> list[str]:
    items = _items(
        value,
        lambda text: [part for part in (p.strip() for p in text.split(",")) if part],
        where,
        expected="a list of options",
        hint=f"choose any of {_allowed(options)}",
    )
    chosen: list[str] = []
    for item in items:
        picked = _choice(item, options, where)
        if picked not in chosen:
            chosen.append(picked)
    if required and not chosen:
        raise AnswerError(
            f"{where}: choose at least one option", hint=f"choose any of {_allowed(options)}"
        )
    return chosen


def _items(
    value: Any, parse: Callable[[str], list[Any]], where: str, *, expected: str, hint: str
) -> list[Any]:
    """Return the items of a list answer, given as a list or as text that ``parse`` splits.

    Args:
        expected: what the answer should be, for the error, e.g. ``a list of options``.
        hint: how to write the answer, for the error.
    """
    items: list[Any]
    if isinstance(value, str):
        items = parse(value)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise AnswerError(f"{where}: expected {expected}, got {_describe(value)}", hint=hint)
    _check_count(items, where)
    return items


def _number(
    value: Any, where: str, minimum: float | None = None, maximum: float | None = None
) -> int | float:
    number: int | float
    if isinstance(value, bool):
        raise AnswerError(f"{where}: expected a number, got {_describe(value)}")
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        number = _parse_number(value.strip(), where)
    else:
        raise AnswerError(f"{where}: expected a number, got {_describe(value)}")
    if isinstance(number, float) and not math.isfinite(number):
        raise AnswerError(f"{where}: expected a finite number, got {value!r}")
    if minimum is not None and number < minimum:
        raise AnswerError(f"{where}: {number} is below the minimum of {_plain_number(minimum)}")
    if maximum is not None and number > maximum:
        raise AnswerError(f"{where}: {number} is above the maximum of {_plain_number(maximum)}")
    return number


def _parse_number(text: str, where: str) -> int | float:
    if re.fullmatch(r"[+-]?\d{1,30}", text):
        return int(text)
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return float(text)
    raise AnswerError(
        f"{where}: expected a number, got {text[:60]!r}", hint="write digits, e.g. 3 or 2.5"
    )


def _boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = value.strip().casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise AnswerError(
        f"{where}: expected yes or no, got {_describe(value)}",
        hint="answer yes/no, true/false, y/n or 1/0",
    )


def _list(value: Any, required: bool, where: str) -> list[str]:
    items: list[str]
    if isinstance(value, str):
        # Items are lines: "github node id, etag" is one item, as a person wrote it.
        items = [part for part in (p.strip() for p in value.splitlines()) if part]
    elif isinstance(value, list | tuple):
        items = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise AnswerError(
                    f"{where}: list items must be text, got {_describe(item)}",
                    hint="write each item as text",
                )
            items.append(item if isinstance(item, str) else str(item))
    else:
        raise AnswerError(f"{where}: expected a list of texts, got {_describe(value)}")
    _check_count(items, where)
    for item in items:
        if len(item) > MAX_TEXT:
            raise AnswerError(f"{where}: an item is longer than {MAX_TEXT:,} characters")
    if required and not items:
        raise AnswerError(
            f"{where}: give at least one item",
            hint="skip the question if nobody knows yet; it becomes an open question",
        )
    return items


def _entities(
    value: Any, fields: Sequence[EntityField], required: bool, where: str
) -> list[dict[str, Any]]:
    raw = _items(
        value,
        lambda text: _parse_records(text, fields, where),
        where,
        expected="a list of records",
        hint=f"each record is a mapping with the fields {_field_names(fields)}",
    )
    records = [_record(item, fields, f"{where}, record {n}") for n, item in enumerate(raw, 1)]
    seen: dict[str, str] = {}
    for record in records:
        key = entity_key(record["name"])
        if key in seen:
            raise AnswerError(
                f"{where}: the names {seen[key]!r} and {record['name']!r} are the same key {key!r}",
                hint="give each record a distinct name; it keys its own questions",
            )
        seen[key] = record["name"]
    if required and not records:
        raise AnswerError(
            f"{where}: give at least one record",
            hint=f"each record has the fields {_field_names(fields)}",
        )
    return records


def _record(item: Any, fields: Sequence[EntityField], where: str) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise AnswerError(
            f"{where}: expected a mapping of fields, got {_describe(item)}",
            hint=f"the fields are {_field_names(fields)}",
        )
    known = {field.name for field in fields}
    for key in item:
        if key not in known:
            raise AnswerError(
                f"{where}: unknown field {key!r}", hint=f"the fields are {_field_names(fields)}"
            )
    record: dict[str, Any] = {}
    for field in fields:
        given = item.get(field.name)
        if given is None or (isinstance(given, str) and not given.strip() and field.kind != "text"):
            if field.required:
                raise AnswerError(f"{where}: the field {field.name!r} is required")
            record[field.name] = empty_value(field.kind)
            continue
        record[field.name] = _field_value(field, given, f"{where}, field {field.name!r}")
    return record


def _field_value(field: EntityField, value: Any, where: str) -> Any:
    if field.kind == "number":
        return _number(value, where)
    return _scalar_or_list(field.kind, value, field.options, field.required, where)


def _parse_records(text: str, fields: Sequence[EntityField], where: str) -> list[dict[str, str]]:
    """Read records typed on one line each (or separated by ``;``), fields by commas.

    ``Stripe, external-api, Payments team`` fills the fields in their declared order;
    ``owner=Payments team`` names one explicitly.
    """
    names = [field.name for field in fields]
    records: list[dict[str, str]] = []
    for line in re.split(r"[;\n]", text):
        if not line.strip():
            continue
        record: dict[str, str] = {}
        position = 0
        for part in line.split(","):
            named = re.fullmatch(r"\s*([a-z][a-z0-9_]*)\s*=(.*)", part)
            if named and named[1] in names:
                record[named[1]] = named[2].strip()
                continue
            while position < len(names) and names[position] in record:
                position += 1
            if position >= len(names):
                raise AnswerError(
                    f"{where}: too many values in {line.strip()!r}",
                    hint=f"give at most {len(names)}: {_field_names(fields)}",
                )
            record[names[position]] = part.strip()
        records.append(record)
    return records


def _check_count(items: Sequence[Any], where: str) -> None:
    if len(items) > MAX_ITEMS:
        raise AnswerError(f"{where}: more than {MAX_ITEMS} items")


def _allowed(options: Sequence[Option]) -> str:
    return ", ".join(option.value for option in options)


def _field_names(fields: Sequence[EntityField]) -> str:
    return ", ".join(field.name for field in fields)


def _plain_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"a value of type {type(value).__name__}"


__all__ = [
    "MAX_ITEMS",
    "MAX_TEXT",
    "Written",
    "empty_value",
    "entity_key",
    "fits",
    "normalise_answer",
]
