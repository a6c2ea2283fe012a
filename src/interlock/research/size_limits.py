"""The size limits of what we send: parameters and request bodies, field by field.

``maxLength``, ``maxItems``, ``maxProperties`` and ``maximum`` (or
``exclusiveMaximum``) are read from the schemas of parameters and request bodies,
each field named by its schema (``NewPayment.description``) or its parameter
(``limit (query parameter)``). Schemas are walked without recursion, and each
referenced schema once, so recursive schemas end; a budget of nodes bounds the walk
of a very large document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from interlock.research.operations import RawOperation, text_of
from interlock.research.references import Resolver

__all__ = ["field_limits", "number_text", "parameter_schema"]

_LISTED = 40
_SCHEMA_NODES = 20_000


def field_limits(resolver: Resolver, raw: Sequence[RawOperation]) -> Iterator[str]:
    """Yield ``field: limit`` lines, each once, at most 40 and then how many more."""
    limits: dict[str, None] = {}
    walk = _SchemaWalk(resolver)
    for op in raw:
        for parameter in op.parameters:
            place = text_of(parameter.get("in"))
            name = f"{text_of(parameter.get('name'))} ({place} parameter)"
            if place == "body":
                name = f"{op.label} body"
            for field, text in walk.limits(parameter_schema(resolver, parameter), name):
                limits[f"{field}: {text}"] = None
        body = resolver.deref(op.node.get("requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if isinstance(content, dict):
            for media in content.values():
                if isinstance(media, dict):
                    for field, text in walk.limits(media.get("schema"), f"{op.label} body"):
                        limits[f"{field}: {text}"] = None
    lines = list(limits)
    yield from lines[:_LISTED]
    if len(lines) > _LISTED:
        yield f"… and {len(lines) - _LISTED} more limits in the document."


def parameter_schema(resolver: Resolver, parameter: Mapping[str, Any]) -> Any:
    """Return the schema of a parameter, whichever version describes it."""
    # OpenAPI 3 puts the schema under "schema"; Swagger 2.0 puts a non-body
    # parameter's constraints on the parameter itself.
    if "schema" in parameter:
        return resolver.deref(parameter.get("schema"))
    return parameter


def number_text(value: Any) -> str | None:
    """Return a number of the document as text; ``None`` for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


class _SchemaWalk:
    """Finds the size limits in schemas, visiting each referenced schema once."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.seen: set[str] = set()
        self.budget = _SCHEMA_NODES

    def limits(self, schema: Any, name: str) -> Iterator[tuple[str, str]]:
        pending: list[tuple[Any, str]] = [(schema, name)]
        while pending and self.budget > 0:
            node, field = pending.pop()
            self.budget -= 1
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref = node["$ref"]
                if ref in self.seen:
                    continue
                self.seen.add(ref)
                field = _component_name(ref) or field
                node = self.resolver.deref(node)
            if not isinstance(node, dict):
                continue
            yield from ((field, text) for text in _limits_of(node))
            pending.extend(reversed(list(_subschemas(node, field))))


def _subschemas(node: Mapping[str, Any], field: str) -> Iterator[tuple[Any, str]]:
    properties = node.get("properties")
    if isinstance(properties, dict):
        yield from ((child, f"{field}.{key}") for key, child in properties.items())
    items = node.get("items")
    if isinstance(items, dict):
        yield items, f"{field}[]"
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield extra, f"{field}.*"
    for key in ("allOf", "oneOf", "anyOf"):
        choices = node.get(key)
        if isinstance(choices, list):
            yield from ((choice, field) for choice in choices)


def _limits_of(schema: Mapping[str, Any]) -> Iterator[str]:
    longest, shortest = number_text(schema.get("maxLength")), number_text(schema.get("minLength"))
    if longest is not None:
        yield (
            f"exactly {longest} characters"
            if longest == shortest
            else f"at most {longest} characters"
        )
    if number_text(schema.get("maxItems")) is not None:
        yield f"at most {number_text(schema.get('maxItems'))} items"
    if number_text(schema.get("maxProperties")) is not None:
        yield f"at most {number_text(schema.get('maxProperties'))} entries"
    exclusive = schema.get("exclusiveMaximum")
    if number_text(exclusive) is not None:
        yield f"below {number_text(exclusive)}"
    elif number_text(schema.get("maximum")) is not None:
        word = "below" if exclusive is True else "at most"
        yield f"{word} {number_text(schema.get('maximum'))}"


def _component_name(ref: str) -> str:
    parts = ref.split("/")
    if len(parts) >= 3 and parts[-2] in ("schemas", "definitions", "$defs"):
        return parts[-1].replace("~1", "/").replace("~0", "~")
    return ""
