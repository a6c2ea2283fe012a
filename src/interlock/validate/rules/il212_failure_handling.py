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
from collections.abc import Iterator, Mapping
from typing import Any

from interlock.documents.model import Document, DocumentKind, Table
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _statements

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
_SECTIONS = (
    "retry mechanism",
    "resilience patterns",
    "error handling and recovery",
    "error handling and resilience",
    "error handling",
    "failure handling",
)
"""Where the retry and timeout fields belong, most likely first."""
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


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    retry = timeout = False
    retry_field: tuple[int, int] | None = None
    timeout_field: tuple[int, int] | None = None
    vague_timeout = False
    for number, line in _statements.statement_lines(doc, _NEEDLES):
        field = _statements.read_field(line)
        if field and _RETRY.search(field.name):
            if not _statements.is_unfilled(field.value):
                retry = True
            # Only read when every retry field is unfilled: then it is the first of them.
            retry_field = retry_field or (number, field.column)
        elif field and _TIMEOUT.search(field.name):
            if _is_timeout(_statements.strip_placeholders(field.value)):
                timeout = True
            elif not timeout_field:
                timeout_field = (number, field.column)
                vague_timeout = not _statements.is_unfilled(field.value)
        else:
            prose = _statements.strip_placeholders(line)
            retry = retry or _states_retry(prose)
            timeout = timeout or _states_timeout(prose)
        if retry and timeout:
            return
    for table in doc.tables:
        table_retry, table_timeout = _table_states(table)
        retry, timeout = retry or table_retry, timeout or table_timeout
    if not retry:
        where = retry_field or (_statements.preferred_section_line(doc, _SECTIONS), 1)
        yield Problem(*where, "no retry policy is stated")
    if not timeout:
        where = timeout_field or (_statements.preferred_section_line(doc, _SECTIONS), 1)
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
    names = _statements.column_names(table) if "retr" in header else []
    retry_columns = [index for index, name in enumerate(names) if _RETRY.search(name)]
    names = _statements.column_names(table) if "time" in header else []
    timeout_columns = [index for index, name in enumerate(names) if _TIMEOUT.search(name)]
    retry = any(
        not _statements.is_unfilled(cell)
        for index in retry_columns
        for cell in _statements.column_cells(table, index)
    )
    timeout = any(
        _is_timeout(_statements.strip_placeholders(cell))
        for index in timeout_columns
        for cell in _statements.column_cells(table, index)
    )
    for row in table.rows:
        if retry and timeout:
            break
        text = " | ".join(row.cells)
        folded = text.casefold()
        if not retry and "retr" in folded:
            retry = _states_retry(_statements.strip_placeholders(text))
        if not timeout and "time" in folded:
            timeout = _states_timeout(_statements.strip_placeholders(text))
    return retry, timeout
