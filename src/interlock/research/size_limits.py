"""The size limits of what we send: parameters and request bodies, field by field.

``maxLength``, ``maxItems``, ``maxProperties`` and ``maximum`` (or
``exclusiveMaximum``) are read from the schemas of parameters and request bodies,
each field named by its schema (``NewPayment.description``) or its parameter
(``limit (query parameter)``), with the JSON pointer of the schema that states it.
Schemas are walked without recursion, and each referenced schema once, so recursive
schemas end; a budget of nodes bounds the walk of a very large document.

A value of ``anyOf``/``oneOf`` may take any of its branches, so the limit of one
branch is not the field's: a limit is stated only when every branch it applies to
has one, and then it is the largest. A limit of 0 (``maxItems: 0``, the branch that
allows an empty list) is never a size limit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from interlock.research.operations import RawOperation, text_of
from interlock.research.references import Resolver

__all__ = ["field_limits", "number_text", "parameter_schema"]

_LISTED = 40
_SCHEMA_NODES = 20_000


def field_limits(resolver: Resolver, raw: Sequence[RawOperation]) -> Iterator[tuple[str, str]]:
    """Yield ``field: limit`` lines with their JSON pointer, each once, at most 40."""
    limits: dict[str, str] = {}
    walk = _SchemaWalk(resolver)
    for op in raw:
        for parameter, at in zip(op.parameters, op.parameter_definitions, strict=True):
            place = text_of(parameter.get("in"))
            name = f"{text_of(parameter.get('name'))} ({place} parameter)"
            if place == "body":
                name = f"{op.label} body"
            schema_at = f"{at}/schema" if "schema" in parameter else at
            found = walk.limits(parameter_schema(resolver, parameter), name, schema_at)
            for field, text, source in found:
                limits.setdefault(f"{field}: {text}", source)
        body_at = f"{op.source}/requestBody"
        body = op.node.get("requestBody")
        if isinstance(body, dict) and isinstance(body.get("$ref"), str):
            body_at = body["$ref"]
        body = resolver.deref(body)
        content = body.get("content") if isinstance(body, dict) else None
        if isinstance(content, dict):
            for kind, media in content.items():
                if isinstance(media, dict):
                    media_at = f"{body_at}/content/{_token(str(kind))}/schema"
                    found = walk.limits(media.get("schema"), f"{op.label} body", media_at)
                    for field, text, source in found:
                        limits.setdefault(f"{field}: {text}", source)
    lines = list(limits.items())
    yield from lines[:_LISTED]
    if len(lines) > _LISTED:
        yield f"… and {len(lines) - _LISTED} more limits in the document.", ""


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

    def limits(self, schema: Any, name: str, where: str) -> Iterator[tuple[str, str, str]]:
        # Each pending node: the schema, its field, its pointer, whether its own limits
        # count (a branch of a union's do not: the union states them for the field).
        pending: list[tuple[Any, str, str, bool]] = [(schema, name, where, True)]
        while pending and self.budget > 0:
            node, field, at, own = pending.pop()
            self.budget -= 1
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref = node["$ref"]
                if ref in self.seen:
                    continue
                self.seen.add(ref)
                field = _component_name(ref) or field
                at = ref
                node = self.resolver.deref(node)
            if not isinstance(node, dict):
                continue
            if own:
                yield from ((field, text, at) for _, _, text in _limits_of(node))
            yield from ((field, text, at) for text in self._union_limits(node))
            pending.extend(reversed(list(_subschemas(node, field, at))))

    def _union_limits(self, node: Mapping[str, Any]) -> Iterator[str]:
        """Yield the limits a value of ``anyOf``/``oneOf`` has whichever branch it takes."""
        for key in ("oneOf", "anyOf"):
            branches = node.get(key)
            if not isinstance(branches, list) or not branches:
                continue
            found = [self.resolver.deref(branch) for branch in branches]
            schemas = [branch for branch in found if isinstance(branch, dict)]
            for kind, types in _KINDS.items():
                applicable = [b for b in schemas if _may_be(b, types)]
                limits = [_limit(b, kind) for b in applicable]
                if not applicable or any(limit is None for limit in limits):
                    continue
                value, text = max((limit for limit in limits if limit is not None), key=_first)
                if value > 0:
                    yield text


def _first(limit: tuple[Any, str]) -> Any:
    return limit[0]


_KINDS = {
    "characters": frozenset({"string"}),
    "items": frozenset({"array"}),
    "entries": frozenset({"object"}),
    "maximum": frozenset({"number", "integer"}),
}


def _may_be(schema: Mapping[str, Any], types: frozenset[str]) -> bool:
    """Whether a value of ``schema`` may be of one of ``types`` (untyped: any)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind in types
    if isinstance(kind, list):
        return any(item in types for item in kind)
    return True


def _limit(schema: Mapping[str, Any], kind: str) -> tuple[Any, str] | None:
    return next(((value, text) for k, value, text in _limits_of(schema) if k == kind), None)


def _subschemas(
    node: Mapping[str, Any], field: str, at: str
) -> Iterator[tuple[Any, str, str, bool]]:
    properties = node.get("properties")
    if isinstance(properties, dict):
        yield from (
            (child, f"{field}.{key}", f"{at}/properties/{_token(str(key))}", True)
            for key, child in properties.items()
        )
    items = node.get("items")
    if isinstance(items, dict):
        yield items, f"{field}[]", f"{at}/items", True
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield extra, f"{field}.*", f"{at}/additionalProperties", True
    for key in ("allOf", "oneOf", "anyOf"):
        choices = node.get(key)
        if isinstance(choices, list):
            # Every part of allOf holds, so its limits are the field's own.
            yield from (
                (choice, field, f"{at}/{key}/{index}", key == "allOf")
                for index, choice in enumerate(choices)
            )


def _limits_of(schema: Mapping[str, Any]) -> Iterator[tuple[str, Any, str]]:
    """Yield each limit of ``schema``: its kind, its value and how the note says it."""
    longest, shortest = schema.get("maxLength"), schema.get("minLength")
    if _positive(longest):
        text = "exactly" if longest == shortest else "at most"
        yield "characters", longest, f"{text} {number_text(longest)} characters"
    if _positive(schema.get("maxItems")):
        yield "items", schema["maxItems"], f"at most {number_text(schema['maxItems'])} items"
    if _positive(schema.get("maxProperties")):
        most = schema["maxProperties"]
        yield "entries", most, f"at most {number_text(most)} entries"
    exclusive = schema.get("exclusiveMaximum")
    if number_text(exclusive) is not None:
        yield "maximum", exclusive, f"below {number_text(exclusive)}"
    elif number_text(schema.get("maximum")) is not None:
        word = "below" if exclusive is True else "at most"
        yield "maximum", schema["maximum"], f"{word} {number_text(schema['maximum'])}"


def _positive(value: Any) -> bool:
    """Whether ``value`` is a size limit: a number above 0 (0 only allows emptiness)."""
    return number_text(value) is not None and value > 0


def _token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _component_name(ref: str) -> str:
    parts = ref.split("/")
    if len(parts) >= 3 and parts[-2] in ("schemas", "definitions", "$defs"):
        return parts[-1].replace("~1", "/").replace("~0", "~")
    return ""
