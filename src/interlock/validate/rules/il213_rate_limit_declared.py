"""The spec never states the rate limits of the integration.

A third-party API that throttles at 100 requests per second shapes the design (queues,
batching, backoff), so the spec states the limit as a number, or says explicitly that
there is none. The rule is satisfied by any one of:

- a field named Rate Limits (Rate limit, Rate limiting, Quotas, Throttling), written
  ``- **Rate Limits**: 100 requests per second`` or ``- Rate limit: none``, whose value
  holds a number or an explicit "none", "no limit", "unlimited";
- a table column named Rate limit (or Quota) with such a cell, or a Throughput column
  with a number, as in the Performance Requirements table (``| 1000 req/s |``);
- a sentence about rate limits or quotas that gives a rate ("limited to 25 calls per
  second", "100 rps") or says there is none ("the API has no rate limit").

Placeholders (``{{…}}``, ``[…]``, ``<…>``, TBD, N/A) never satisfy the rule; code
blocks and HTML comments are not read. The finding is placed on the first rate-limit
field that is unfilled or has no number, else on the section where the field belongs
(Technical Specifications, Connection Details, Performance Requirements), else at the
top of the document.

Fails::

    - **Rate Limits**: {{Rate limiting information}}
    - **Rate Limits**: generous, see the vendor's docs

Passes::

    - **Rate Limits**: 100 read and 100 write requests per second in live mode
    - **Rate Limits**: none (internal service, protected by the mesh's circuit breaker)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Table
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _statements

ID = "IL213"
NAME = "rate-limit-declared"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {}
FIX = "state the rate limit with a number, e.g. '- **Rate Limits**: 100 requests per second'"
KINDS = frozenset({DocumentKind.INTEGRATION_SPEC, DocumentKind.INTEGRATION_POINTS})
SCOPE = "document"

_NEEDLES = ("imit", "uota")
"""Lower-case tails, so that one search finds "Rate Limits" and "rate-limited" alike:
each search scans the whole text, so fewer needles are faster than exact ones."""
_SECTIONS = (
    "technical specifications",
    "connection details",
    "performance requirements",
    "performance and scalability",
)
"""Where the rate-limit field belongs, most likely first."""
_LIMIT_NAME = re.compile(r"rate[- ]?limit|quota|throttl")
_NONE = re.compile(
    r"\b(?:none|unlimited|no (?:rate[- ]?)?limits?|not (?:rate[- ]?)?limited|no quotas?"
    r"|no throttling)\b",
    re.IGNORECASE,
)
_RATE = re.compile(
    r"\d[\d,.]*\s*[kKmM]?\s*(?:[A-Za-z]+\s+){0,3}(?:/\s*|per\s+|an?\s+|every\s+)"
    r"(?:s\b|sec|second|min|minute|h\b|hr|hour|day|month)"
    r"|\d[\d,.]*\s*[kKmM]?\s*(?:rps|qps|tps|rpm|rph)\b",
    re.IGNORECASE,
)


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    unfilled: tuple[int, int] | None = None
    vague: tuple[int, int] | None = None
    for number, line in _statements.statement_lines(doc, _NEEDLES):
        field = _statements.read_field(line)
        if field and _LIMIT_NAME.search(field.name):
            where = (number, field.column)
            if _statements.is_unfilled(field.value):
                unfilled = unfilled or where
            elif _has_number_or_none(_statements.strip_placeholders(field.value)):
                return
            else:
                vague = vague or where
        elif _states_limit(_statements.strip_placeholders(line)):
            return
    if any(_table_states_limit(table) for table in doc.tables):
        return
    if vague is not None:
        yield Problem(*vague, "the rate limit is stated without a number or an explicit 'none'")
        return
    where = unfilled or (_statements.preferred_section_line(doc, _SECTIONS), 1)
    yield Problem(*where, "no rate limit is stated")


def _has_number_or_none(value: str) -> bool:
    return _has_digit(value) or bool(_NONE.search(value))


def _has_digit(value: str) -> bool:
    return any(char.isdigit() for char in value)


def _states_limit(prose: str) -> bool:
    return bool(
        _LIMIT_NAME.search(prose.casefold()) and (_RATE.search(prose) or _NONE.search(prose))
    )


def _table_states_limit(table: Table) -> bool:
    header = " ".join(table.header.cells).casefold()
    # Most tables have no such column; a substring test spares the per-cell work.
    if not (_LIMIT_NAME.search(header) or "throughput" in header):
        return False
    for index, name in enumerate(_statements.column_names(table)):
        limit, throughput = bool(_LIMIT_NAME.search(name)), "throughput" in name
        if not (limit or throughput):
            continue
        for cell in map(_statements.strip_placeholders, _statements.column_cells(table, index)):
            if (limit and _has_number_or_none(cell)) or (throughput and _has_digit(cell)):
                return True
    return False
