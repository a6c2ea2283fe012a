"""Check a bundled OpenAPI description against the OpenAPI JSON Schema, as warnings.

Research reads what it can: each part of the document that breaks the OpenAPI schema,
and each reference that is not followed, becomes a :class:`DocumentWarning` naming the
document (the referenced file's own, for a part that came from one), the JSON pointer
of the part there, its line (and column, in JSON) and what the specification expects.

The schema check runs in Rust (the ``jsonschema-rs`` package), against the official
OpenAPI schemas that the ``openapi-spec-validator`` package ships: a 13 MB document is
checked in a few hundredths of a second. Messages are made from the specification's
side only (the types, values and fields it asks for), never from the document's
values: a value may come from a referenced file, and no message quotes a referenced
file's content.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from interlock.errors import UsageError
from interlock.research.references import BUNDLE_KEY, Bundle, Resolver, Unresolved, ref_at
from interlock.safe_yaml import PathKey

__all__ = [
    "MAX_WARNINGS",
    "DocumentWarning",
    "LoadedDocument",
    "Problem",
    "json_pointer",
    "reference_problems",
    "schema_problems",
    "warnings_of",
]

MAX_WARNINGS = 200
"""Warnings kept for the note and the terminal; the rest are only counted."""

_SCHEMAS_PACKAGE = "openapi_spec_validator"
_SCHEMAS_DISTRIBUTION = "openapi-spec-validator"
_SCHEMA_FILE = "resources/schemas/v{family}/schema.json"
_MESSAGES_KEPT = 3
_SHOWN_MESSAGE = 300

Problem = tuple[PathKey, str]
"""A place of the bundled data, and what is wrong there."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedDocument:
    """What loading an API document (OpenAPI or AsyncAPI) gives, whatever its kind."""

    data: dict[str, Any]
    """The bundled document: other documents under ``x-interlock-bundled``."""
    version: str
    """The version as written: ``"2.0"``, ``"3.1.0"``, ``"2.6.0"``."""
    family: str
    """The version family that decides how it is read: ``"3.1"``, ``"2"``."""
    shown: str
    """How notes and messages name the document: the path as given or the URL."""
    name: str
    """The document's file name."""
    unresolved: tuple[Unresolved, ...]
    """The references not followed: refused, to an anchor or ``$id``, to nothing, looping."""
    documents: int
    """How many documents it spans."""
    warnings: tuple[DocumentWarning, ...] = ()
    """The parts it cannot be read as its specification describes, in the document's
    order; at most :data:`MAX_WARNINGS`."""
    warnings_total: int = 0
    """How many warnings there are, those not kept included."""


@dataclass(frozen=True, slots=True)
class DocumentWarning:
    """A part of the document that breaks the OpenAPI specification; research went on."""

    document: str
    """The document holding the part: the path as given or the URL."""
    pointer: str
    """The JSON pointer of the part in that document (``""`` is the whole document)."""
    message: str
    """What the specification expects there, in plain words."""
    line: int | None
    column: int | None = None

    @property
    def where(self) -> str:
        """Return ``FILE:LINE:COLUMN`` (as much as is known)."""
        place = self.document
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    @property
    def shown_pointer(self) -> str:
        """Return the pointer, or ``the document's root`` for the whole document."""
        return self.pointer or "the document's root"

    def __str__(self) -> str:
        return f"{self.where}: at {self.shown_pointer}: {self.message}"


def schema_problems(bundled: Bundle, family: str) -> list[Problem]:
    """Return each place of ``bundled`` that breaks the OpenAPI ``family``'s JSON Schema.

    The schema does not follow references, so what the root document's references
    reach in other documents is checked in their place (one level deep: the references
    of a referenced file are not followed again), and reported at its own place.

    Raises:
        UsageError: the schema or the validator is not installed.
    """
    view, moved = _with_referenced_parts(bundled)
    problems: list[Problem] = []
    for error in _validator(family).iter_errors(view):
        for path, message in _explain(error):
            problems.append((_real_place(path, moved), message))
    return problems


def _with_referenced_parts(bundled: Bundle) -> tuple[Any, dict[PathKey, PathKey]]:
    """Return the data with each root reference to another document replaced by its target.

    Only the containers on the way to a replaced reference are copied. Also returns
    the place of each replaced reference → the place of its target.
    """
    moved: dict[PathKey, PathKey] = {}
    resolver = Resolver(bundled.data)
    view: Any = bundled.data
    copied: set[int] = set()
    for where in bundled.written:
        if where and where[0] == BUNDLE_KEY:
            continue
        ref = ref_at(bundled.data, where)
        if not ref.startswith(f"#/{BUNDLE_KEY}/"):
            continue
        target = resolver.deref({"$ref": ref})
        if target is None:
            continue
        if not copied:
            view = dict(view)
            copied.add(id(view))
        holder = view
        for step in where[:-1]:
            child = holder[step]
            if id(child) not in copied:
                child = dict(child) if isinstance(child, dict) else list(child)
                copied.add(id(child))
                holder[step] = child
            holder = child
        holder[where[-1]] = target
        moved[tuple(str(step) for step in where)] = _pointer_path(ref[1:])
    return view, moved


def _pointer_path(pointer: str) -> PathKey:
    steps = unquote(pointer).split("/")[1:]
    return tuple(step.replace("~1", "/").replace("~0", "~") for step in steps)


def _real_place(path: Sequence[str | int], moved: dict[PathKey, PathKey]) -> PathKey:
    """Return where ``path`` of the checked view is in the bundled data."""
    if moved:
        for end in range(len(path), 0, -1):
            target = moved.get(tuple(str(step) for step in path[:end]))
            if target is not None:
                return (*target, *path[end:])
    return tuple(path)


def reference_problems(unresolved: Iterable[Unresolved]) -> list[Problem]:
    """Return each reference that was not followed as a problem at its ``$ref``."""
    return [(item.path, f"this $ref is not followed: {item.reason}") for item in unresolved]


def warnings_of(
    problems: Sequence[Problem], bundled: Bundle, *, limit: int = MAX_WARNINGS
) -> tuple[tuple[DocumentWarning, ...], int]:
    """Return the first ``limit`` warnings in the document's order, and how many there are.

    Problems at one place become one warning; only the warnings kept are located.
    """
    merged: dict[PathKey, list[str]] = {}
    order = _DocumentOrder(bundled.data)
    for path, message in problems:
        place = order.normalized(path)
        said = merged.setdefault(place, [])
        if message not in said:
            said.append(message)
    places = sorted(merged, key=order.key)
    kept = tuple(_warning(bundled, place, merged[place]) for place in places[:limit])
    return kept, len(places)


def json_pointer(path: PathKey) -> str:
    """Return the JSON pointer of ``path``, with characters a terminal would act on escaped."""
    return "".join("/" + _escaped(str(part)) for part in path)


def _escaped(token: str) -> str:
    token = token.replace("~", "~0").replace("/", "~1")
    if token.isprintable():
        return token
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in token)


def _warning(bundled: Bundle, path: PathKey, messages: list[str]) -> DocumentWarning:
    part, own = bundled.place(path)
    line, column = part.position_of(own)
    message = _short("; ".join(messages[:_MESSAGES_KEPT]))
    return DocumentWarning(part.shown, json_pointer(own), message, line, column)


class _DocumentOrder:
    """Sort places of the data in the order the document writes them."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self._indexes: dict[int, dict[str, int]] = {}

    def normalized(self, path: Sequence[str | int]) -> PathKey:
        """Return ``path`` with each step typed as the data has it (keys text, items numbers).

        The validator gives a key made of digits (a response code) as a number.
        """
        node, steps = self._data, list[str | int]()
        for step in path:
            if isinstance(node, dict):
                key = str(step)
                steps.append(key)
                node = node.get(key)
            elif isinstance(node, list) and isinstance(step, int):
                steps.append(step)
                node = node[step] if 0 <= step < len(node) else None
            else:
                steps.append(step)
                node = None
        return tuple(steps)

    def key(self, path: PathKey) -> tuple[int, ...]:
        """Return the position of each step of ``path`` among its siblings."""
        node, positions = self._data, []
        for step in path:
            if isinstance(node, dict):
                positions.append(self._index(node).get(str(step), -1))
                node = node.get(str(step))
            elif isinstance(node, list) and isinstance(step, int):
                positions.append(step)
                node = node[step] if 0 <= step < len(node) else None
            else:
                positions.append(-1)
        return tuple(positions)

    def _index(self, mapping: dict[str, Any]) -> dict[str, int]:
        known = self._indexes.get(id(mapping))
        if known is None:
            known = self._indexes[id(mapping)] = {key: i for i, key in enumerate(mapping)}
        return known


@functools.cache
def _validator(family: str) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        raise UsageError(
            "reading OpenAPI documents needs the jsonschema-rs package",
            hint="install it: pip install 'jsonschema-rs>=0.60,<0.61'",
        ) from None
    schema = json.loads(_schema_file(family).read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True, retriever=_never_fetch)


def _schema_file(family: str) -> Path:
    """Return the OpenAPI ``family``'s JSON Schema, read from the package that ships it.

    Found without importing the package, whose validators are not used.
    """
    spec = importlib.util.find_spec(_SCHEMAS_PACKAGE)
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    for folder in folders:
        path = Path(folder) / _SCHEMA_FILE.format(family=family)
        if path.is_file():
            return path
    raise UsageError(
        f"reading OpenAPI {family} documents needs the {_SCHEMAS_DISTRIBUTION} package, "
        "which ships the OpenAPI schemas",
        hint=f"install it: pip install '{_SCHEMAS_DISTRIBUTION}>=0.9,<0.10'",
    )


def _never_fetch(uri: str) -> Any:
    raise LookupError(f"{uri} is not read during validation")


def _explain(error: Any) -> Iterator[Problem]:
    """Yield the most specific places of a validation error, each with what is expected.

    A ``oneOf`` or ``anyOf`` is explained by the errors of its branches that reach
    deepest into the document, leaving out the branch of a reference (``$ref``).
    """
    leaves = [leaf for leaf in _leaves(error) if not _wants_a_reference(leaf)]
    if not leaves:
        leaves = [error]
    deepest = max(len(leaf.instance_path) for leaf in leaves)
    by_place: dict[PathKey, list[Any]] = {}
    for leaf in leaves:
        if len(leaf.instance_path) == deepest:
            by_place.setdefault(tuple(leaf.instance_path), []).append(leaf)
    for place, chosen in by_place.items():
        kinds = [leaf.kind for leaf in chosen]
        extra = [name for kind in kinds for name in getattr(kind, "unexpected", ())]
        if extra and all(kind.name in _EXTRA_FIELDS for kind in kinds):
            for name in dict.fromkeys(extra):
                yield (*place, name), "is a field the specification does not allow here"
        elif all(kind.name == "enum" for kind in kinds):
            allowed = dict.fromkeys(_literal(value) for kind in kinds for value in kind.options)
            yield place, f"must be one of {', '.join(allowed)}"
        else:
            reasons = dict.fromkeys(_expected(kind) for kind in kinds)
            yield place, "; or ".join(list(reasons)[:_MESSAGES_KEPT])


_EXTRA_FIELDS = frozenset({"additionalProperties", "unevaluatedProperties"})


def _leaves(error: Any) -> Iterator[Any]:
    pending = [error]
    while pending:
        current = pending.pop()
        branches = getattr(current.kind, "context", None)
        if branches and current.kind.name in ("anyOf", "oneOf") and _none_valid(current.kind):
            pending.extend(reversed([leaf for branch in branches for leaf in branch]))
        else:
            yield current


def _none_valid(kind: Any) -> bool:
    import jsonschema_rs

    multiple: type[Any] = jsonschema_rs.ValidationErrorKind.OneOfMultipleValid
    return type(kind) is not multiple


def _wants_a_reference(error: Any) -> bool:
    kind = error.kind
    return bool(kind.name == "required" and kind.property == "$ref")


def _expected(kind: Any) -> str:
    """Say what the specification expects where an error is, without the value found."""
    name = kind.name
    if name == "type":
        return f"must be {' or '.join(_TYPE_NAMES.get(each, each) for each in kind.types)}"
    if name == "enum":
        return f"must be one of {', '.join(_literal(value) for value in kind.options)}"
    if name == "const":
        return f"must be {_literal(kind.expected_value)}"
    if name == "required":
        return f"lacks the required field '{kind.property}'"
    if name in _EXTRA_FIELDS:
        return "has a field the specification does not allow here"
    if name in _BOUNDS:
        return f"{_BOUNDS[name]} {_literal(kind.limit)}"
    if name == "multipleOf":
        return f"must be a multiple of {_literal(kind.multiple_of)}"
    if name == "pattern":
        return f"must match the pattern {kind.pattern}"
    if name == "format":
        return f"must be in the {kind.format} format"
    return _FIXED.get(name, f"breaks the specification's {name} rule")


def _literal(value: Any) -> str:
    """Return a value of the specification as written in it: text bare, others as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


_FIXED = {
    "anyOf": "matches none of the shapes the specification allows here",
    "oneOf": "matches more than one of the shapes the specification allows here",
    "not": "has a shape the specification forbids here",
    "falseSchema": "is not allowed here",
    "uniqueItems": "must not repeat an item",
    "contains": "lacks an item the specification asks for",
    "propertyNames": "has a field name the specification does not allow",
    "unevaluatedItems": "has items the specification does not allow here",
    "additionalItems": "has more items than the specification allows here",
}
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_BOUNDS = {
    "minItems": "must have at least this many items:",
    "maxItems": "must have at most this many items:",
    "minLength": "must be at least this many characters long:",
    "maxLength": "must be at most this many characters long:",
    "minimum": "must be at least",
    "maximum": "must be at most",
    "exclusiveMinimum": "must be more than",
    "exclusiveMaximum": "must be less than",
    "minProperties": "must have at least this many fields:",
    "maxProperties": "must have at most this many fields:",
}


def _short(message: str) -> str:
    one_line = " ".join(message.split())
    return one_line if len(one_line) <= _SHOWN_MESSAGE else one_line[: _SHOWN_MESSAGE - 1] + "…"
