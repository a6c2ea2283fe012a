"""The limits and rules an OpenAPI description states, for the Constraints of the note.

Each topic is read from where OpenAPI documents usually say it:

- rate limits: ``429`` responses, headers such as ``Retry-After``, ``X-RateLimit-*`` and
  ``RateLimit-*``, ``x-…rate…limit…`` extensions, and sentences of the description
  that speak of rate limits or requests per period;
- pagination: cursor, page and offset parameters, page sizes with their maximum, the
  ``Link`` header and paging fields of the response (``has_more``, ``next_cursor``…);
- idempotency: ``Idempotency-Key``-like headers, and the writes that have none;
- size limits: the limits of the fields we send (:mod:`~interlock.research.size_limits`),
  and ``413`` responses;
- deprecation: deprecated operations.

A topic the document says nothing about yields no constraint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from interlock.research.facts import Constraint, Operation
from interlock.research.openapi import OpenApiDocument
from interlock.research.operations import RawOperation, one_line, raw_operations, text_of
from interlock.research.references import Resolver
from interlock.research.size_limits import field_limits, number_text, parameter_schema

__all__ = ["counted", "listed", "read_constraints"]

_LISTED = 8

_RATE_HEADER = re.compile(r"^(x-)?rate-?limit|^retry-after$", re.IGNORECASE)
_RATE_EXTENSION = re.compile(r"^x-.*rate.?limit", re.IGNORECASE)
_RATE_SENTENCE = re.compile(
    r"[^.\n]*\b(rate[- ]limit\w*|throttl\w*|quota\w*|requests? (per|a|an|each) "
    r"(second|minute|hour|day))\b[^.\n]*[.\n]?",
    re.IGNORECASE,
)
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
_PAGING_FIELDS = frozenset(
    {
        "has_more",
        "hasmore",
        "next_cursor",
        "nextcursor",
        "next_page_token",
        "nextpagetoken",
        "next",
        "next_page",
        "cursor",
        "total_count",
        "totalcount",
    }
)
_IDEMPOTENCY = re.compile(r"idempoten", re.IGNORECASE)
_WRITES = frozenset({"post", "put", "patch", "delete"})


def read_constraints(
    document: OpenApiDocument, operations: Sequence[Operation]
) -> tuple[Constraint, ...]:
    """Return the constraints the document states, topic by topic."""
    raw = list(raw_operations(document))
    found = [
        _rate_limits(document, raw, operations),
        _pagination(document.resolver, raw),
        _idempotency(raw),
        _size_limits(document.resolver, raw, operations),
        _deprecation(operations),
    ]
    return tuple(constraint for constraint in found if constraint is not None)


def counted(number: int, noun: str) -> str:
    """Return ``1 operation`` or ``3 operations``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def listed(labels: Sequence[str], limit: int = _LISTED) -> str:
    """Return up to ``limit`` labels joined, and how many more there are."""
    shown = ", ".join(labels[:limit])
    more = len(labels) - limit
    return f"{shown} and {more} more" if more > 0 else shown


# -- rate limits -----------------------------------------------------------------------


def _rate_limits(
    document: OpenApiDocument, raw: Sequence[RawOperation], operations: Sequence[Operation]
) -> Constraint | None:
    throttled = [op.label for op in operations if any(r.status == "429" for r in op.responses)]
    headers = list(
        dict.fromkeys(
            name
            for op in operations
            for response in op.responses
            for name in response.headers
            if _RATE_HEADER.search(name)
        )
    )
    extensions = list(_rate_extensions(document.data, raw))
    sentences = list(_rate_sentences(document.data))
    details = []
    if throttled:
        details.append(
            f"{len(throttled)} of {counted(len(operations), 'operation')} can answer 429 Too "
            f"Many Requests: {listed(throttled)}."
        )
    if headers:
        details.append(f"Headers about the limits: {', '.join(headers)}.")
    details.extend(f"{key}: {value}" for key, value in extensions)
    details.extend(f"The description says: “{sentence}”" for sentence in sentences)
    if not details:
        return None
    signals = []
    if throttled:
        signals.append(
            f"429 Too Many Requests on {len(throttled)} of {counted(len(operations), 'operation')}"
        )
    if headers:
        signals.append(f"headers {', '.join(headers)}")
    stated = (
        "see Constraints" if extensions or sentences else "the limits themselves are not stated"
    )
    summary = "; ".join([*signals, stated])
    return Constraint(
        "rate-limits", "Rate Limits", tuple(details), summary[:1].upper() + summary[1:]
    )


def _rate_extensions(
    data: Mapping[str, Any], raw: Sequence[RawOperation]
) -> Iterator[tuple[str, str]]:
    info = data.get("info")
    holders: list[Mapping[str, Any]] = [data, info if isinstance(info, dict) else {}]
    holders.extend(op.node for op in raw)
    seen = set()
    for holder in holders:
        for key, value in holder.items():
            if isinstance(key, str) and _RATE_EXTENSION.match(key):
                shown = one_line(_scalar_text(value), 200)
                if (key, shown) not in seen:
                    seen.add((key, shown))
                    yield key, shown


def _rate_sentences(data: Mapping[str, Any]) -> Iterator[str]:
    info = data.get("info")
    description = text_of(info.get("description")) if isinstance(info, dict) else ""
    for count, match in enumerate(_RATE_SENTENCE.finditer(description)):
        if count == 3:
            return
        yield one_line(match.group().strip(), 300)


def _scalar_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {_scalar_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_scalar_text(item) for item in value)
    return text_of(value)


# -- pagination ------------------------------------------------------------------------


def _pagination(resolver: Resolver, raw: Sequence[RawOperation]) -> Constraint | None:
    details = []
    styles: set[str] = set()
    for op in raw:
        parts = []
        for parameter in op.parameters:
            if parameter.get("in") != "query":
                continue
            name = text_of(parameter.get("name"))
            folded = name.lower().replace("-", "_")
            if folded in _CURSOR:
                styles.add("cursor")
                parts.append(f"cursor {name}")
            elif folded in _PAGE:
                styles.add("page number")
                parts.append(f"page number {name}")
            elif folded in _OFFSET:
                styles.add("offset")
                parts.append(f"offset {name}")
            elif folded in _SIZE:
                parts.append(f"page size {name}{_bounds(parameter_schema(resolver, parameter))}")
        if not parts:
            continue
        fields = _paging_fields(resolver, op)
        carried = f"; the response carries {', '.join(fields)}" if fields else ""
        details.append(f"{op.label}: {', '.join(parts)}{carried}.")
    if not details:
        return None
    style = ", ".join(sorted(styles)) or "page size only"
    summary = f"Pagination style: {style}."
    return Constraint("pagination", "Pagination", (summary, *details))


def _paging_fields(resolver: Resolver, op: RawOperation) -> list[str]:
    responses = op.node.get("responses")
    if not isinstance(responses, dict):
        return []
    fields: list[str] = []
    for status in ("200", "206"):
        response = resolver.deref(responses.get(status))
        if not isinstance(response, dict):
            continue
        headers = response.get("headers")
        if isinstance(headers, dict):
            fields.extend(f"the {name} header" for name in headers if str(name).lower() == "link")
        for schema in _response_schemas(resolver, response):
            properties = schema.get("properties")
            if isinstance(properties, dict):
                fields.extend(
                    str(name)
                    for name in properties
                    if str(name).lower().replace("-", "_") in _PAGING_FIELDS
                )
    return list(dict.fromkeys(fields))


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


# -- idempotency -----------------------------------------------------------------------


def _idempotency(raw: Sequence[RawOperation]) -> Constraint | None:
    keyed: dict[str, list[str]] = {}
    unkeyed = []
    for op in raw:
        headers = [
            p
            for p in op.parameters
            if p.get("in") == "header" and _IDEMPOTENCY.search(text_of(p.get("name")))
        ]
        for header in headers:
            required = " (required)" if header.get("required") is True else " (optional)"
            keyed.setdefault(f"{text_of(header.get('name'))} header{required}", []).append(op.label)
        if not headers and op.method in _WRITES:
            unkeyed.append(op.label)
    if not keyed:
        return None
    details = [f"{name} on {listed(labels)}." for name, labels in keyed.items()]
    if unkeyed:
        details.append(f"Writes without an idempotency key: {listed(unkeyed)}.")
    return Constraint("idempotency", "Idempotency", tuple(details))


# -- size limits -----------------------------------------------------------------------


def _size_limits(
    resolver: Resolver, raw: Sequence[RawOperation], operations: Sequence[Operation]
) -> Constraint | None:
    details = list(field_limits(resolver, raw))
    large = [op.label for op in operations if any(r.status == "413" for r in op.responses)]
    if large:
        details.append(f"413 Payload Too Large can be answered by {listed(large)}.")
    if not details:
        return None
    return Constraint("size-limits", "Size Limits", tuple(details))


def _bounds(schema: Any) -> str:
    if not isinstance(schema, dict):
        return ""
    parts = []
    if number_text(schema.get("maximum")) is not None:
        parts.append(f"at most {number_text(schema.get('maximum'))}")
    if number_text(schema.get("default")) is not None:
        parts.append(f"default {number_text(schema.get('default'))}")
    return f" ({', '.join(parts)})" if parts else ""


# -- deprecation -----------------------------------------------------------------------


def _deprecation(operations: Sequence[Operation]) -> Constraint | None:
    deprecated = [op.label for op in operations if op.deprecated]
    if not deprecated:
        return None
    return Constraint(
        "deprecation",
        "Deprecated Operations",
        (f"Deprecated: {listed(deprecated)}.",),
    )
