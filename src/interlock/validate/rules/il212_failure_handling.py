"""The spec does not say how calls are retried or when they time out.

Every external call fails eventually. A spec states both halves of the answer: a retry
policy (how often, with what backoff, or explicitly no retries) and a timeout (how long
to wait). The finding names the half that is missing; each is reported once.

A retry policy is stated by any one of:

- a field whose name mentions retries (Retry Strategy, Retry Policy, Retry Logic, Max
  Retries), written ``- **Max Retries**: 3`` or ``**Retry Logic:** none``, with a real
  value;
- a table column whose header mentions retries (``| Retry Logic |``) with a real cell,
  or a table cell such as "Retry with backoff";
- a sentence about retries that says how: a number, backoff, exponential, linear,
  jitter, once, twice, or no/never/not ("failed calls are retried 3 times with
  exponential backoff", "payments are never retried").

A timeout is stated by any one of:

- a field whose name mentions a timeout (Timeout, Request Timeout, Connect Timeout)
  whose value is a duration (``5 s``, ``800 ms``, ``2 minutes``) or "none";
- a table column named Timeout with a duration, or a table row that mentions a timeout
  and gives a duration ("network timeout | no response in 5 s");
- a sentence with "timeout", "time out" or "times out" and a duration ("requests time
  out after 5 seconds").

Placeholders (``{{…}}``, ``[…]``, ``<…>``, TBD, N/A) never satisfy the rule; code
blocks and HTML comments are not read. Each finding is placed on the first unfilled
field of its kind, else on the Retry Mechanism, Resilience Patterns or Error Handling
section, else at the top of the document.

Fails::

    ### Retry Mechanism

    - **Retry Strategy**: {{Exponential backoff, linear backoff, etc.}}
    - **Timeout**: as needed

Passes::

    ### Retry Mechanism

    - **Retry Strategy**: exponential backoff with full jitter, at most 3 attempts
    - **Timeout**: 5 s per request (connect 1 s)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Table, normalise_title
from interlock.model.finding import Problem, Severity

ID = "IL212"
NAME = "failure-handling"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.WARNING
OPTIONS: Mapping[str, Any] = {}
FIX = "state the retry policy and the timeout, e.g. '- **Max Retries**: 3' and '- **Timeout**: 5 s'"
KINDS = frozenset({DocumentKind.INTEGRATION_SPEC, DocumentKind.INTEGRATION_POINTS})
SCOPE = "document"

_NEEDLES = ("etr", "imeout", " out")
"""Parts of retry, retries, Retried, timeout and "times out": each search scans the
whole text, so a few loose needles beat many exact ones."""
_RETRY = re.compile(r"\bretr(?:y|ies|ied|ying)\b", re.IGNORECASE)
_RETRY_HOW = re.compile(
    r"\d|\b(?:no|not|never|once|twice|backoff|back-off|exponential|exponentially|linear"
    r"|jitter|immediately|idempotent)\b",
    re.IGNORECASE,
)
_TIMEOUT = re.compile(r"\btime[- ]?outs?\b|\btime[sd]? out\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?"
    r"|h|hrs?|hours?)\b",
    re.IGNORECASE,
)
_NO_TIMEOUT = re.compile(r"\b(?:none|no timeout|infinite|unbounded)\b", re.IGNORECASE)
_SECTIONS = (
    "retry mechanism",
    "resilience patterns",
    "error handling and recovery",
    "error handling and resilience",
    "error handling",
    "failure handling",
)

_FIELD = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?(?:\*\*|__)?(?P<name>[^*_:|\n]{1,60}?)[ \t]*"
    r"(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)?)[ \t]*(?P<value>.*?)[ \t]*$"
)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\[[^\]]*\](?!\()|<(?![a-z]+://)[^<>]*>")
_STAND_INS = frozenset({"", "tbd", "tbc", "todo", "n/a", "na", "?"})


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    retry = timeout = False
    retry_field: tuple[int, int] | None = None
    timeout_field: tuple[int, int] | None = None
    vague_timeout = False
    for number, line in _statement_lines(doc, _NEEDLES):
        field = _FIELD.match(line)
        name = _name(field["name"]) if field else ""
        if field and _RETRY.search(name):
            if not _is_unfilled(field["value"]):
                retry = True
            # Only read when every retry field is unfilled: then it is the first of them.
            retry_field = retry_field or (number, field.start("value") + 1)
        elif field and _TIMEOUT.search(name):
            value = field["value"]
            if _is_timeout(_PLACEHOLDER.sub("", value)):
                timeout = True
            elif not timeout_field:
                timeout_field = (number, field.start("value") + 1)
                vague_timeout = not _is_unfilled(value)
        else:
            prose = _PLACEHOLDER.sub("", line)
            retry = retry or _states_retry(prose)
            timeout = timeout or _states_timeout(prose)
        if retry and timeout:
            return
    for table in doc.tables:
        table_retry, table_timeout = _table_states(table)
        retry, timeout = retry or table_retry, timeout or table_timeout
    if not retry:
        yield Problem(*(retry_field or (_section_line(doc), 1)), "no retry policy is stated")
    if not timeout:
        where = timeout_field or (_section_line(doc), 1)
        if vague_timeout:
            yield Problem(*where, "the timeout is stated without a duration")
        else:
            yield Problem(*where, "no timeout is stated")


def _states_retry(prose: str) -> bool:
    return bool(_RETRY.search(prose) and _RETRY_HOW.search(prose))


def _states_timeout(prose: str) -> bool:
    return bool(_TIMEOUT.search(prose) and _DURATION.search(prose))


def _is_timeout(value: str) -> bool:
    return bool(_DURATION.search(value) or _NO_TIMEOUT.search(value))


def _table_states(table: Table) -> tuple[bool, bool]:
    """Return whether ``table`` states a retry policy, and whether it states a timeout.

    A row reads as one statement: "network timeout | no response in 5 s" gives both the
    timeout and its duration. Substring tests come first because most tables mention
    neither, and a regular expression per cell would cost more than the whole rule.
    """
    header = " | ".join(table.header.cells).casefold()
    names = [_name(cell) for cell in table.header.cells] if "retr" in header else []
    retry_columns = [index for index, name in enumerate(names) if _RETRY.search(name)]
    names = [_name(cell) for cell in table.header.cells] if "time" in header else []
    timeout_columns = [index for index, name in enumerate(names) if _TIMEOUT.search(name)]
    retry = timeout = False
    for row in table.rows:
        cells = row.cells
        retry = retry or any(not _is_unfilled(cells[i]) for i in retry_columns if i < len(cells))
        timeout = timeout or any(
            _is_timeout(_PLACEHOLDER.sub("", cells[i])) for i in timeout_columns if i < len(cells)
        )
        text = " | ".join(cells)
        folded = text.casefold()
        if not retry and "retr" in folded:
            retry = _states_retry(_PLACEHOLDER.sub("", text))
        if not timeout and "time" in folded:
            timeout = _states_timeout(_PLACEHOLDER.sub("", text))
    return retry, timeout


def _section_line(doc: Document) -> int:
    """Return the line of the first section where the fields belong, or the body's top."""
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
