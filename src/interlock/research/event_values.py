"""Turn the raw values of an AsyncAPI document into the texts and pointers of its facts.

The readers of :mod:`~interlock.research.event_reader` and
:mod:`~interlock.research.event_operations` take any value the document holds (it is
untrusted: a field may be missing or of the wrong type) through these functions: text
on one line or one paragraph, a mapping or list that is empty when the value is not
one, a schema's type in words, and the JSON pointers of ``$ref`` and of facts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from interlock.research.conformance import json_pointer
from interlock.research.operations import one_line, text_of
from interlock.safe_yaml import PathKey

__all__ = [
    "line_of",
    "list_of",
    "mapping_of",
    "paragraph_of",
    "pointer_of",
    "ref_steps",
    "type_name",
]

_DESCRIPTION_MAX = 800
_LINE_MAX = 200


def pointer_of(path: PathKey) -> str:
    """Return the JSON pointer of ``path`` as a fragment: ``#/channels/orders``."""
    return "#" + json_pointer(path)


def ref_steps(ref: str) -> tuple[str, ...]:
    """Return the path a local ``$ref`` such as ``#/components/messages/Order`` names."""
    tokens = unquote(ref[1:]).split("/")[1:]
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in tokens)


def line_of(value: Any, limit: int = _LINE_MAX) -> str:
    """Return ``value`` as text on one line, cut to ``limit`` characters."""
    return one_line(text_of(value), limit)


def paragraph_of(value: Any) -> str:
    """Return the first paragraph of ``value``, cut to a note's description length."""
    first = text_of(value).strip().split("\n\n")[0].strip()
    return first if len(first) <= _DESCRIPTION_MAX else first[: _DESCRIPTION_MAX - 1] + "…"


def type_name(schema: dict[str, Any]) -> str:
    """Return a schema's type in words: ``string, format uuid``, ``array of Order``…"""
    kind = schema.get("type")
    name = " or ".join(text_of(item) for item in kind) if isinstance(kind, list) else text_of(kind)
    if name == "array" and isinstance(schema.get("items"), dict):
        items = schema["items"]
        inner = type_name(items) if "$ref" not in items else ref_steps(text_of(items["$ref"]))[-1:]
        inner = inner if isinstance(inner, str) else "".join(inner)
        return f"array of {inner}" if inner else "array"
    if not name:
        if "properties" in schema or "allOf" in schema:
            name = "object"
        elif "oneOf" in schema or "anyOf" in schema:
            name = "one of several shapes"
        elif "enum" in schema:
            name = "enum"
    if name and isinstance(schema.get("format"), str):
        name += f", format {schema['format']}"
    return name


def mapping_of(value: Any) -> dict[str, Any]:
    """Return ``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def list_of(value: Any) -> list[Any]:
    """Return ``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []
