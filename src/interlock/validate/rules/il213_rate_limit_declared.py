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
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Table, normalise_title
from interlock.model.finding import Problem, Severity

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
_SECTIONS = (
    "technical specifications",
    "connection details",
    "performance requirements",
    "performance and scalability",
)

_FIELD = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?(?:\*\*|__)?(?P<name>[^*_:|\n]{1,60}?)[ \t]*"
    r"(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)?)[ \t]*(?P<value>.*?)[ \t]*$"
)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\[[^\]]*\](?!\()|<(?![a-z]+://)[^<>]*>")
_STAND_INS = frozenset({"", "tbd", "tbc", "todo", "n/a", "na", "?"})


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    unfilled: tuple[int, int] | None = None
    vague: tuple[int, int] | None = None
    for number, line in _statement_lines(doc, _NEEDLES):
        field = _FIELD.match(line)
        if field and _LIMIT_NAME.search(_name(field["name"])):
            value = field["value"]
            where = (number, field.start("value") + 1)
            if _is_unfilled(value):
                unfilled = unfilled or where
            elif _has_number_or_none(_PLACEHOLDER.sub("", value)):
                return
            else:
                vague = vague or where
        elif _states_limit(_PLACEHOLDER.sub("", line)):
            return
    if any(_table_states_limit(table) for table in doc.tables):
        return
    if vague is not None:
        yield Problem(*vague, "the rate limit is stated without a number or an explicit 'none'")
        return
    where = unfilled or (_section_line(doc), 1)
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
    for index, header_cell in enumerate(table.header.cells):
        name = _name(header_cell)
        limit, throughput = bool(_LIMIT_NAME.search(name)), "throughput" in name
        if not (limit or throughput):
            continue
        for row in table.rows:
            cell = _PLACEHOLDER.sub("", row.cells[index]) if index < len(row.cells) else ""
            if (limit and _has_number_or_none(cell)) or (throughput and _has_digit(cell)):
                return True
    return False


def _section_line(doc: Document) -> int:
    """Return the line of the first section where the field belongs, or the body's top."""
    lines: dict[str, int] = {}
    for section in doc.walk_sections():
        lines.setdefault(normalise_title(section.title), section.line)
    return next((lines[title] for title in _SECTIONS if title in lines), doc.body_line)


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


def _is_unfilled(value: str) -> bool:
    """Return whether ``value`` states nothing: empty, a placeholder or a stand-in word."""
    return _PLACEHOLDER.sub("", value).strip(" \t`*_.,;:()-—–…").casefold() in _STAND_INS


def _statement_lines(doc: Document, needles: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield the lines holding a needle that are prose or fields: not code, comments,
    tables or headings."""
    spans = [(c.line, c.end_line) for c in doc.comments] + [
        (t.line, t.end_line) for t in doc.tables
    ]
    for number in _lines_with(doc.text, needles):
        line = doc.line(number)
        if line.lstrip().startswith("#") or doc.in_code(number):
            continue
        if not any(first <= number <= last for first, last in spans):
            yield number, line


def _lines_with(text: str, needles: Iterable[str]) -> list[int]:
    """Return the numbers of the lines of ``text`` that hold any of ``needles``.

    ``str.find`` over the whole text is several times faster than a case-insensitive
    regular expression or a loop over the lines, and rules run on every document.
    """
    offsets: list[int] = []
    for needle in needles:
        at = text.find(needle)
        while at != -1:
            offsets.append(at)
            at = text.find(needle, at + len(needle))
    numbers: list[int] = []
    line, counted = 1, 0
    for at in sorted(offsets):
        line += text.count("\n", counted, at)
        counted = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers
