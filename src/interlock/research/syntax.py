"""Parse a document's YAML or JSON text into plain data that knows the line of each key.

Vendors' documents run to megabytes, and building them through PyYAML's nodes takes
seconds per megabyte, so neither format goes that way first:

- Text that looks like JSON is parsed by the standard library. A ``.json`` file must
  be strict JSON; a JSON syntax error names its line and column.
- YAML is built by `yaml-rs <https://github.com/lava-sh/yaml-rs>`_ (YAML 1.2, in Rust,
  25 times faster than building PyYAML's nodes, and half the memory of the other
  Rust readers), once :func:`interlock.safe_yaml.reads_plainly` has seen, from
  libyaml's events, that the text is one document with no alias (a "billion laughs"
  costs nothing), no tag, no duplicate key, no deep nesting and no scalar that
  readers resolve differently: what any reader builds alike.

In both cases the line of a place is found only when a message needs one
(:mod:`~interlock.research.json_positions`, :mod:`~interlock.research.yaml_positions`).
Any other text (bad syntax, a duplicate key, an alias, a tag, too deep) goes through
:func:`interlock.safe_yaml.load_yaml`, whose message names the line and column, as
every other YAML file of Interlock does.

The data is then made plain: mapping keys become text (YAML reads ``200:`` as a
number) and dates become ISO text (YAML reads ``version: 2024-06-01`` as a date),
which is what an OpenAPI document means by them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Protocol

import yaml_rs

from interlock.errors import YamlError
from interlock.research.json_positions import JsonLocator
from interlock.research.source import Retrieved, failure
from interlock.research.yaml_positions import YamlLocator
from interlock.safe_yaml import PathKey, load_yaml, reads_plainly

__all__ = ["MAX_DEPTH", "Parsed", "parse_document"]

MAX_DEPTH = 128
"""Deepest nesting accepted: generous for schemas, far from the interpreter's limit."""


class _Lines(Protocol):
    def line_of(self, path: PathKey) -> int: ...


class Parsed:
    """One parsed document: its plain data, and the line of each key on demand."""

    def __init__(self, source: Retrieved, value: Any, lines: _Lines | None) -> None:
        self.source = source
        self.value = value
        self._lines = lines
        self._json = JsonLocator(source.text) if lines is None else None

    @property
    def shown(self) -> str:
        """How messages name the document."""
        return self.source.shown

    @property
    def uri(self) -> str:
        """The document's absolute URI, the base of its relative references."""
        return self.source.uri

    def line_of(self, path: PathKey) -> int | None:
        """Return the line of ``path`` (or of its nearest ancestor)."""
        return self.position_of(path)[0]

    def position_of(self, path: PathKey) -> tuple[int | None, int | None]:
        """Return the line and column of ``path`` (or of its nearest ancestor).

        YAML documents know the line of each key, not its column.
        """
        if self._json is not None:
            return self._json.position_of(tuple(path))
        if self._lines is not None:
            return self._lines.line_of(tuple(path)), None
        return None, None


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
    value = _fast_yaml(text)
    if value is not _NOT_JSON:
        return Parsed(source, _plain(value), YamlLocator(text))
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


def _fast_yaml(text: str) -> Any:
    """Return the YAML text's data, or ``_NOT_JSON`` when the careful loader must speak."""
    if not reads_plainly(text, max_depth=MAX_DEPTH):
        return _NOT_JSON
    try:
        return yaml_rs.loads(text, parse_datetime=False)  # a date stays the text written
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError):
        return _NOT_JSON


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _DuplicateKey
    return mapping


def _deeper_than(value: Any, limit: int) -> bool:
    """Return whether ``value`` nests deeper than ``limit``, one level at a time."""
    level, depth = [value] if isinstance(value, _CONTAINERS) else [], 1
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            children = node.values() if isinstance(node, dict) else node
            below += [child for child in children if isinstance(child, _CONTAINERS)]
        level, depth = below, depth + 1
    return False


_CONTAINERS = (dict, list)


def _plain(value: Any) -> Any:
    """Return ``value`` with text keys and ISO dates; bounded by the loader's depth limit.

    Containers are changed in place, so a large document is never held twice; a
    mapping is rebuilt only when one of its keys is not text.
    """
    if isinstance(value, dict):
        if not all(type(key) is str for key in value):
            value = {_key(key): item for key, item in value.items()}
        for key, item in value.items():
            if isinstance(item, _CONVERTED):
                value[key] = _plain(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, _CONVERTED):
                value[index] = _plain(item)
    elif isinstance(value, datetime | date):
        return value.isoformat()
    return value


_CONVERTED = (dict, list, date)  # datetime is a date


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return str(key).lower()
    if key is None:
        return "null"
    if isinstance(key, datetime | date):
        return key.isoformat()
    return str(key)
