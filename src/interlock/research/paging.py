"""How each operation pages through its results, and the Pagination the note states.

An operation's style is read from the query (or form) parameters that choose a page,
in this order: a cursor (``starting_after``, ``ending_before``, ``cursor``, ``after``,
``page_token``…), a page number (``page``), an offset (``offset``, ``skip``). An
operation with none of them but a page size, whose response has a ``Link`` header
(RFC 8288, as GitHub uses), pages by that header alone. The page size (``limit``,
``per_page``…) and what the response carries (``has_more``, ``next_cursor``, the
``Link`` header…) are read too. A ``page`` parameter that takes a string, or whose
description calls it a cursor or a token, is a cursor: Stripe's searches take ``page``
as the opaque ``next_page`` of the last answer, not a number.

The Pagination constraint (:mod:`~interlock.research.constraints`) then states the
styles one by one, each with the operations that use it, never a blend of styles for
the whole API: GitHub's lists page by number, its newer ones by cursor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from interlock.research.facts import Operation, Paging
from interlock.research.openapi import OpenApiDocument
from interlock.research.operations import RawOperation, pointer, raw_operations, text_of
from interlock.research.references import Resolver
from interlock.research.size_limits import number_text, parameter_schema

__all__ = ["read_paging"]

_CURSOR = frozenset(
    {
        "cursor",
        "starting_after",
        "ending_before",
        "after",
        "before",
        "page_token",
        "pagetoken",
        "next_token",
        "nexttoken",
        "continuation_token",
        "continuationtoken",
        "marker",
        "since_id",
        "max_id",
    }
)
_PAGE = frozenset({"page", "page_number", "pagenumber"})
_OFFSET = frozenset({"offset", "skip", "start"})
_SIZE = frozenset(
    {"limit", "page_size", "pagesize", "per_page", "perpage", "size", "max_results", "top"}
)
_NEXT_FIELDS = frozenset(
    {
        "has_more",
        "hasmore",
        "next_cursor",
        "nextcursor",
        "next_page_token",
        "nextpagetoken",
        "next",
        "next_page",
        "next_page_uri",
        "next_page_url",
        "next_url",
        "next_link",
        "nextlink",
        "@odata.nextlink",
        "cursor",
    }
)
_STYLES = {"cursor": _CURSOR, "page number": _PAGE, "offset": _OFFSET}
_PLACES = frozenset({"query", "formData"})
_LINK = "the Link header"
_TOKEN_WORDS = re.compile(r"\b(cursor|token)\b", re.IGNORECASE)


def read_paging(
    document: OpenApiDocument, operations: Sequence[Operation]
) -> tuple[Operation, ...]:
    """Return ``operations`` (as :func:`read_operations` gave them) with their paging."""
    resolver = document.resolver
    return tuple(
        replace(operation, paging=_paging_of(resolver, raw))
        for operation, raw in zip(operations, raw_operations(document), strict=True)
    )


def _paging_of(resolver: Resolver, raw: RawOperation) -> Paging | None:
    chosen: dict[str, list[tuple[str, str]]] = {style: [] for style in _STYLES}
    size, size_source = "", ""
    for parameter, source in zip(raw.parameters, raw.parameter_sources, strict=True):
        if parameter.get("in") not in _PLACES:
            continue
        name = text_of(parameter.get("name"))
        folded = name.lower().replace("-", "_")
        style = next((style for style, names in _STYLES.items() if folded in names), None)
        if style == "page number" and _is_token(resolver, parameter):
            style = "cursor"
        if style is not None:
            chosen[style].append((name, source))
        elif folded in _SIZE and not size:
            size = name + _bounds(parameter_schema(resolver, parameter))
            size_source = source
    fields, link_source = _response_paging(resolver, raw)
    style = next((style for style, found in chosen.items() if found), None)
    if style is not None:
        # Twilio's lists take PageToken and Page together: the cursor leads.
        names = tuple(name for found in chosen.values() for name, _ in found)
        return Paging(style, names, size, fields, chosen[style][0][1])
    if link_source and size:
        return Paging("Link header", (), size, fields, link_source)
    if size and fields:
        return Paging("page size only", (), size, fields, size_source)
    return None


def _is_token(resolver: Resolver, parameter: Mapping[str, Any]) -> bool:
    """Tell whether a ``page`` parameter is an opaque token rather than a number."""
    schema = parameter_schema(resolver, parameter)
    kind = schema.get("type") if isinstance(schema, dict) else parameter.get("type")
    if kind == "string":
        return True
    if kind in ("integer", "number"):
        return False
    return bool(_TOKEN_WORDS.search(text_of(parameter.get("description"))))


def _response_paging(resolver: Resolver, raw: RawOperation) -> tuple[tuple[str, ...], str]:
    """Return the paging fields of the successful responses, and the Link header's pointer."""
    responses = raw.node.get("responses")
    if not isinstance(responses, dict):
        return (), ""
    fields: list[str] = []
    link_source = ""
    for status in ("200", "206", 200, 206):
        response = resolver.deref(responses.get(status))
        if not isinstance(response, dict):
            continue
        headers = response.get("headers")
        for name in headers if isinstance(headers, dict) else ():
            if str(name).lower() == "link":
                fields.append(_LINK)
                link_source = link_source or (
                    f"{raw.source}/responses/{status}/headers/{pointer(str(name))[2:]}"
                )
        for schema in _response_schemas(resolver, response):
            fields.extend(_next_fields(resolver, schema))
    return tuple(dict.fromkeys(fields)), link_source


def _next_fields(resolver: Resolver, schema: Mapping[str, Any]) -> Iterator[str]:
    """Yield the paging fields of a response, and those one object deeper (Slack's)."""
    for name, child in _properties(resolver, schema):
        if _is_next_field(name):
            yield name
            continue
        child = resolver.deref(child)
        if isinstance(child, dict):
            yield from (
                f"{name}.{inner}"
                for inner, _ in _properties(resolver, child)
                if _is_next_field(inner)
            )


def _properties(resolver: Resolver, schema: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield a schema's properties, with those of its ``allOf`` parts."""
    parts = schema.get("allOf")
    for part in (schema, *(parts if isinstance(parts, list) else [])):
        part = resolver.deref(part)
        properties = part.get("properties") if isinstance(part, dict) else None
        if isinstance(properties, dict):
            yield from ((str(name), child) for name, child in properties.items())


def _is_next_field(name: str) -> bool:
    return name.lower().replace("-", "_") in _NEXT_FIELDS


def _response_schemas(resolver: Resolver, response: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    candidates = [response.get("schema")]  # Swagger 2.0
    content = response.get("content")
    if isinstance(content, dict):
        candidates.extend(
            media.get("schema") for media in content.values() if isinstance(media, dict)
        )
    for candidate in candidates:
        schema = resolver.deref(candidate)
        if isinstance(schema, dict):
            yield schema


def _bounds(schema: Any) -> str:
    """Return `` (at most 100, default 10)`` for a page size."""
    if not isinstance(schema, dict):
        return ""
    parts = []
    maximum = number_text(schema.get("maximum"))
    if maximum is not None:
        parts.append(f"at most {maximum}")
    default = number_text(schema.get("default"))
    if default is not None:
        parts.append(f"default {default}")
    return f" ({', '.join(parts)})" if parts else ""
