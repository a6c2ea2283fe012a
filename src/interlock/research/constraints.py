"""The limits and rules an OpenAPI description states, for the Constraints of the note.

Each topic is read from where OpenAPI documents usually say it, and each statement
(:class:`~interlock.research.facts.Detail`) names where in the document it was read:

- versioning: ``info.version``, version headers and parameters, a version prefix of
  every path (:mod:`~interlock.research.versioning`);
- rate limits: ``429`` responses, headers such as ``Retry-After``, ``X-RateLimit-*`` and
  ``RateLimit-*``, ``x-…rate…limit…`` extensions, and sentences of the description
  that speak of rate limits or requests per period;
- pagination: each operation's style (:mod:`~interlock.research.paging`), stated style
  by style with the operations that use it;
- idempotency: ``Idempotency-Key``-like headers, and the writes that have none;
- size limits: the limits of the fields we send (:mod:`~interlock.research.size_limits`),
  and ``413`` responses;
- deprecation: deprecated operations.

A topic the document says nothing about yields no constraint.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from interlock.research.facts import Constraint, Detail, Operation
from interlock.research.openapi import OpenApiDocument
from interlock.research.operations import RawOperation, one_line, pointer, raw_operations, text_of
from interlock.research.references import Resolver
from interlock.research.size_limits import field_limits
from interlock.research.versioning import versioning_constraint

__all__ = ["counted", "listed", "read_constraints"]

_LISTED = 8
_SHOWN = 4

_RATE_HEADER = re.compile(r"^(x-)?rate-?limit|^retry-after$", re.IGNORECASE)
_RATE_EXTENSION = re.compile(r"^x-.*rate.?limit", re.IGNORECASE)
_RATE_SENTENCE = re.compile(
    r"[^.\n]*\b(rate[- ]limit\w*|throttl\w*|quota\w*|requests? (per|a|an|each) "
    r"(second|minute|hour|day))\b[^.\n]*[.\n]?",
    re.IGNORECASE,
)
_IDEMPOTENCY = re.compile(r"idempoten", re.IGNORECASE)
_WRITES = frozenset({"post", "put", "patch", "delete"})


def read_constraints(
    document: OpenApiDocument, operations: Sequence[Operation]
) -> tuple[Constraint, ...]:
    """Return the constraints the document states, topic by topic."""
    raw = list(raw_operations(document))
    found = [
        versioning_constraint(document.resolver, document.data, raw),
        _rate_limits(document, raw, operations),
        _pagination(operations),
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
    throttled = [
        (op.label, response.source)
        for op in operations
        for response in op.responses
        if response.status == "429"
    ]
    headers: dict[str, str] = {}
    for op in operations:
        for response in op.responses:
            for name in response.headers:
                if _RATE_HEADER.search(name):
                    headers.setdefault(name, f"{response.source}/headers/{pointer(name)[2:]}")
    extensions = list(_rate_extensions(document.data, raw))
    sentences = list(_rate_sentences(document.data))
    details = []
    if throttled:
        details.append(
            Detail(
                f"{len(throttled)} of {counted(len(operations), 'operation')} can answer 429 "
                f"Too Many Requests: {listed([label for label, _ in throttled])}.",
                (throttled[0][1],),
            )
        )
    if headers:
        details.append(
            Detail(
                f"Headers about the limits: {', '.join(headers)}.",
                tuple(headers.values())[:1],
            )
        )
    details.extend(Detail(f"{key}: {value}", (source,)) for key, value, source in extensions)
    details.extend(
        Detail(f"The description says: “{sentence}”", ("#/info/description",))
        for sentence in sentences
    )
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
) -> Iterator[tuple[str, str, str]]:
    info = data.get("info")
    holders: list[tuple[Mapping[str, Any], str]] = [
        (data, "#"),
        (info if isinstance(info, dict) else {}, "#/info"),
    ]
    holders.extend((op.node, op.source) for op in raw)
    seen = set()
    for holder, where in holders:
        for key, value in holder.items():
            if isinstance(key, str) and _RATE_EXTENSION.match(key):
                shown = one_line(_scalar_text(value), 200)
                if (key, shown) not in seen:
                    seen.add((key, shown))
                    yield key, shown, f"{where}/{pointer(key)[2:]}"


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


def _pagination(operations: Sequence[Operation]) -> Constraint | None:
    """State each paging style with the operations that use it, most used first."""
    by_style: dict[str, list[Operation]] = {}
    for operation in operations:
        if operation.paging is not None:
            by_style.setdefault(operation.paging.style, []).append(operation)
    if not by_style:
        return None
    styles = sorted(by_style.items(), key=lambda item: -len(item[1]))
    each = ", ".join(f"{style} on {counted(len(paged), 'operation')}" for style, paged in styles)
    lead = f"Pagination style: {each}." if len(styles) == 1 else f"Pagination styles: {each}."
    details = [Detail(lead), *(_style_detail(style, paged) for style, paged in styles)]
    return Constraint("pagination", "Pagination", tuple(details))


def _style_detail(style: str, paged: Sequence[Operation]) -> Detail:
    pagings = [op.paging for op in paged if op.paging is not None]
    parts = [f"{style[:1].upper()}{style[1:]}: {listed([op.label for op in paged])}"]
    chosen = _share(Counter(name for paging in pagings for name in paging.parameters), pagings)
    if chosen:
        parts.append(f"the page is chosen by {chosen}")
    sizes = _most_common([paging.page_size for paging in pagings if paging.page_size], "; ")
    if sizes:
        parts.append(f"page size {sizes}")
    carried = _share(Counter(field for paging in pagings for field in paging.next_page), pagings)
    if carried:
        parts.append(f"the response carries {carried}")
    sources = tuple(dict.fromkeys(paging.source for paging in pagings[:2] if paging.source))
    return Detail("; ".join(parts) + ".", sources)


def _share(counts: Counter[str], pagings: Sequence[object]) -> str:
    """Return the most common names, each not used by all saying how many use it."""
    return ", ".join(
        name if count == len(pagings) else f"{name} ({count} of them)"
        for name, count in counts.most_common(_SHOWN)
    )


def _most_common(values: Sequence[str], separator: str = ", ") -> str:
    counts = Counter(values)
    shown = separator.join(value for value, _ in counts.most_common(_SHOWN))
    return f"{shown} and {len(counts) - _SHOWN} more" if len(counts) > _SHOWN else shown


# -- idempotency -----------------------------------------------------------------------


def _idempotency(raw: Sequence[RawOperation]) -> Constraint | None:
    keyed: dict[str, list[tuple[str, str]]] = {}
    unkeyed = []
    for op in raw:
        headers = [
            (p, source)
            for p, source in zip(op.parameters, op.parameter_sources, strict=True)
            if p.get("in") == "header" and _IDEMPOTENCY.search(text_of(p.get("name")))
        ]
        for header, source in headers:
            required = " (required)" if header.get("required") is True else " (optional)"
            name = f"{text_of(header.get('name'))} header{required}"
            keyed.setdefault(name, []).append((op.label, source))
        if not headers and op.method in _WRITES:
            unkeyed.append(op.label)
    if not keyed:
        return None
    details = [
        Detail(f"{name} on {listed([label for label, _ in uses])}.", (uses[0][1],))
        for name, uses in keyed.items()
    ]
    if unkeyed:
        details.append(Detail(f"Writes without an idempotency key: {listed(unkeyed)}."))
    return Constraint("idempotency", "Idempotency", tuple(details))


# -- size limits -----------------------------------------------------------------------


def _size_limits(
    resolver: Resolver, raw: Sequence[RawOperation], operations: Sequence[Operation]
) -> Constraint | None:
    details = [
        Detail(text, (source,) if source else ()) for text, source in field_limits(resolver, raw)
    ]
    large = [
        (op.label, response.source)
        for op in operations
        for response in op.responses
        if response.status == "413"
    ]
    if large:
        details.append(
            Detail(
                f"413 Payload Too Large can be answered by {listed([op for op, _ in large])}.",
                (large[0][1],),
            )
        )
    if not details:
        return None
    return Constraint("size-limits", "Size Limits", tuple(details))


# -- deprecation -----------------------------------------------------------------------


def _deprecation(operations: Sequence[Operation]) -> Constraint | None:
    deprecated = [op for op in operations if op.deprecated]
    if not deprecated:
        return None
    text = f"Deprecated: {listed([op.label for op in deprecated])}."
    return Constraint(
        "deprecation",
        "Deprecated Operations",
        (Detail(text, (f"{deprecated[0].source}/deprecated",)),),
    )
