"""Parse a document's YAML or JSON text into plain data that knows the line of each key.

YAML goes through :func:`interlock.safe_yaml.load_yaml` (no aliases, bounded depth,
duplicate keys refused, the line of every key recorded). JSON is YAML too, but
parsing several megabytes of it as YAML takes seconds, so text that looks like JSON
is parsed by the standard library first, and YAML is asked for the lines only when an
error needs one. A ``.json`` file must be strict JSON; a JSON syntax error names its
line and column.

The data is then made plain: mapping keys become text (YAML reads ``200:`` as a
number) and dates become ISO text (YAML reads ``version: 2024-06-01`` as a date),
which is what an OpenAPI document means by them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from interlock.errors import YamlError
from interlock.research.source import Retrieved, failure
from interlock.safe_yaml import PathKey, YamlDocument, load_yaml

__all__ = ["MAX_DEPTH", "Parsed", "parse_document"]

MAX_DEPTH = 128
"""Deepest nesting accepted: generous for schemas, far from the interpreter's limit."""


class Parsed:
    """One parsed document: its plain data, and the line of each key on demand."""

    def __init__(self, source: Retrieved, value: Any, lines: YamlDocument | None) -> None:
        self.source = source
        self.value = value
        self._lines = lines

    @property
    def shown(self) -> str:
        """How messages name the document."""
        return self.source.shown

    @property
    def uri(self) -> str:
        """The document's absolute URI, the base of its relative references."""
        return self.source.uri

    def line_of(self, path: PathKey) -> int | None:
        """Return the line of ``path`` (or of its nearest ancestor), if the text has lines."""
        if self._lines is None:
            try:
                self._lines = load_yaml(self.source.text, max_depth=MAX_DEPTH)
            except YamlError:
                return None
        return self._lines.line_of(tuple(path))


def parse_document(source: Retrieved) -> Parsed:
    """Parse ``source``'s text as JSON or YAML.

    Raises:
        InputError: the text is not valid JSON (for a ``.json`` file) or YAML; the error
            names the line and column.
    """
    text = source.text
    strict_json = source.name.lower().endswith(".json")
    if strict_json or text.lstrip().startswith("{"):
        value = _json(text, source, strict=strict_json)
        if value is not _NOT_JSON:
            return Parsed(source, value, None)
    try:
        document = load_yaml(text, path=source.shown, max_depth=MAX_DEPTH)
    except YamlError as error:
        raise failure(
            source.shown,
            error.message,
            line=error.line,
            column=error.column,
            hint="fix the syntax at that place",
        ) from None
    return Parsed(source, _plain(document.value), document)


_NOT_JSON = object()


class _DuplicateKey(Exception):
    pass


def _json(text: str, source: Retrieved, *, strict: bool) -> Any:
    """Return the parsed JSON, or ``_NOT_JSON`` when YAML should have its say."""
    try:
        value = json.loads(text, object_pairs_hook=_refuse_duplicates)
    except _DuplicateKey:
        return _NOT_JSON  # YAML names both lines of the duplicate
    except RecursionError:
        return _NOT_JSON  # YAML reports the depth with its line
    except json.JSONDecodeError as error:
        if not strict:
            return _NOT_JSON
        raise failure(
            source.shown,
            f"invalid JSON: {error.msg}",
            line=error.lineno,
            column=error.colno,
            hint="fix the syntax at that place",
        ) from None
    if _deeper_than(value, MAX_DEPTH):
        return _NOT_JSON
    return value


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _DuplicateKey
    return mapping


def _deeper_than(value: Any, limit: int) -> bool:
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in _children(node))
    return False


def _children(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        yield from (child for child in node.values() if isinstance(child, dict | list))
    elif isinstance(node, list):
        yield from (child for child in node if isinstance(child, dict | list))


def _plain(value: Any) -> Any:
    """Return ``value`` with text keys and ISO dates; bounded by the loader's depth limit."""
    if isinstance(value, dict):
        return {_key(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return str(key).lower()
    if key is None:
        return "null"
    if isinstance(key, datetime | date):
        return key.isoformat()
    return str(key)
