"""A front matter field whose value has the wrong format.

Each known field is checked against the SpeckIt format, and the finding quotes the
value and says what is allowed:

- ``id``: lowercase letters and digits joined by single hyphens
  (``spec-integration-payments-001``);
- ``version``: a semantic version, ``MAJOR.MINOR.PATCH`` with an optional
  pre-release or build suffix (``1.0.0``, ``2.1.0-rc.1``);
- ``createdAt``, ``updatedAt``: ISO 8601 dates or date-times (``2024-05-02``,
  ``2024-05-02T14:30:00Z``), and ``updatedAt`` not before ``createdAt``;
- ``type``, ``category``, ``status``, ``priority``: one of the values of the options
  ``types``, ``categories``, ``statuses`` and ``priorities``, which a team can extend;
- ``estimatedEffort``, ``actualEffort``: a number of hours, 0 or more;
- ``reviewers``, ``approvers``, ``tags``, ``dependencies``, ``related``: lists of text;
- ``author``, ``parent``: text; ``title``: 3 to 100 characters.

Empty values are left to required-field, and values still holding a template
placeholder such as ``'{{author-name}}'`` to the placeholder rule, so one problem is
reported once. The rule never changes a value.

Fails::

    ---
    id: Spec_Payments
    version: '1.0'
    status: in-progress
    createdAt: 2024-05-02
    updatedAt: 2024-04-30
    estimatedEffort: two weeks
    reviewers: dana
    ---

Passes::

    ---
    id: spec-integration-payments-001
    version: 1.0.0
    status: review
    createdAt: 2024-05-02
    updatedAt: 2024-05-09T10:00:00Z
    estimatedEffort: 80
    reviewers: [dana, lee]
    ---
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from interlock.documents.model import Document, DocumentKind, FrontMatter
from interlock.model.finding import Problem, Severity
from interlock.validate.rules import _front_matter_fields

ID = "IL104"
NAME = "field-format"
ALIASES: tuple[str, ...] = ()
SEVERITY = Severity.ERROR
OPTIONS: Mapping[str, Any] = {
    "types": [
        "functional_requirement",
        "user_story",
        "data_model",
        "service_spec",
        "epic",
        "api_spec",
        "ui_spec",
    ],
    "categories": ["requirements", "architecture", "backlog", "documentation"],
    "statuses": ["draft", "review", "approved", "implemented", "deprecated"],
    "priorities": ["low", "medium", "high", "critical"],
}
FIX = "write the value in the format the message names"
KINDS = frozenset({DocumentKind.SPECKIT, DocumentKind.INTEGRATION_SPEC})
SCOPE = "document"

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# The grammar from semver.org, without its ^...$ anchors (fullmatch anchors it).
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
_PLACEHOLDER = "{{"
_CHOICE_OPTIONS = {
    "type": "types",
    "category": "categories",
    "status": "statuses",
    "priority": "priorities",
}
_LISTS = ("reviewers", "approvers", "tags", "dependencies", "related")
_TITLE_MIN, _TITLE_MAX = 3, 100
_SHOWN_MAX = 60

Verdict = tuple[str, str] | None
"""A message and a hint, or ``None`` when the value is fine."""


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Report each front matter value that does not have its field's format."""
    front_matter = _front_matter_fields.parsed(doc)
    if front_matter is None:
        return
    problems: list[Problem] = []
    for name, value in front_matter.data.items():
        if _front_matter_fields.is_empty(value) or _is_placeholder(value):
            continue
        if name in _LISTS:
            problems.extend(_check_list(doc, front_matter, name, value))
            continue
        verdict = _check_value(name, value, options)
        if verdict is not None:
            line = front_matter.line_of(name)
            problems.append(Problem(line, _value_column(doc.line(line), name), *verdict))
    problems.extend(_check_order(doc, front_matter))
    yield from sorted(problems, key=lambda problem: (problem.line, problem.column))


def _check_value(name: str, value: Any, options: Mapping[str, Any]) -> Verdict:
    if name in _CHOICE_OPTIONS:
        return _check_choice(name, value, options[_CHOICE_OPTIONS[name]])
    checker = _CHECKERS.get(name)
    return checker(name, value) if checker is not None else None


def _check_id(name: str, value: Any) -> Verdict:
    if isinstance(value, str) and _ID.fullmatch(value):
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return (
        f"{name} {_show(value)} is not lowercase letters and digits joined by single hyphens",
        f"for example {suggestion!r}" if suggestion else "for example 'spec-payments-001'",
    )


def _check_version(name: str, value: Any) -> Verdict:
    if isinstance(value, str) and _SEMVER.fullmatch(value):
        return None
    return (
        f"{name} {_show(value)} is not a semantic version MAJOR.MINOR.PATCH (such as 1.0.0)",
        "quote it if YAML reads it as a number: version: '1.0.0'",
    )


def _check_date(name: str, value: Any) -> Verdict:
    if _moment(value) is not None:
        return None
    return (
        f"{name} {_show(value)} is not an ISO 8601 date (2024-05-02)"
        " or date-time (2024-05-02T14:30:00Z)",
        "write the date as YYYY-MM-DD",
    )


def _check_effort(name: str, value: Any) -> Verdict:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and math.isfinite(value) and value >= 0:
        return None
    return (
        f"{name} {_show(value)} is not a number of hours of 0 or more",
        "write a plain number such as 16, or leave the field empty",
    )


def _check_text(name: str, value: Any) -> Verdict:
    if isinstance(value, str):
        return None
    return f"{name} {_show(value)} is not text", "write plain text, in quotes if need be"


def _check_title(name: str, value: Any) -> Verdict:
    if not isinstance(value, str):
        return _check_text(name, value)
    length = len(value.strip())
    if _TITLE_MIN <= length <= _TITLE_MAX:
        return None
    return (
        f"{name} {_show(value)} is {length} characters long;"
        f" a title has {_TITLE_MIN} to {_TITLE_MAX}",
        "shorten the title" if length > _TITLE_MAX else "write a descriptive title",
    )


def _check_choice(name: str, value: Any, allowed: list[str]) -> Verdict:
    if isinstance(value, str) and value in allowed:
        return None
    folded = {choice.casefold(): choice for choice in allowed}
    match = folded.get(value.strip().casefold()) if isinstance(value, str) else None
    option = _CHOICE_OPTIONS[name]
    return (
        f"{name} {_show(value)} is not one of {', '.join(allowed)}",
        f"write it as {match!r}"
        if match is not None
        else f"use one of these, or add it to the {NAME} rule's {option} option",
    )


_CHECKERS: Mapping[str, Callable[[str, Any], Verdict]] = {
    "id": _check_id,
    "version": _check_version,
    "createdAt": _check_date,
    "updatedAt": _check_date,
    "estimatedEffort": _check_effort,
    "actualEffort": _check_effort,
    "title": _check_title,
    "author": _check_text,
    "parent": _check_text,
}


def _check_list(
    doc: Document, front_matter: FrontMatter, name: str, value: Any
) -> Iterator[Problem]:
    key_line = front_matter.line_of(name)
    key_column = _value_column(doc.line(key_line), name)
    if not isinstance(value, list):
        yield Problem(
            key_line,
            key_column,
            f"{name} {_show(value)} is not a list",
            f"write {name}: [{value}]" if isinstance(value, str) else f"write {name}: [a, b]",
        )
        return
    # Items of a flow list share one line; each search starts after the previous item
    # so that two equal items, or an item equal to the key, get their own columns.
    cursors = {key_line: key_column - 1}
    for index, item in enumerate(value):
        line = front_matter.item_lines.get((name, index), key_line)
        text = doc.line(line)
        needle = item if isinstance(item, str) else str(item)
        found = text.find(needle, cursors.get(line, 0)) if needle else -1
        if found != -1:
            cursors[line] = found + len(needle)
        column = found + 1 if found != -1 else _front_matter_fields.text_column(text)
        if isinstance(item, str) and _PLACEHOLDER in item:
            continue
        if item is None or (isinstance(item, str) and not item.strip()):
            yield Problem(line, column, f"{name} entry {index + 1} is empty", "remove it")
        elif not isinstance(item, str):
            yield Problem(
                line, column, f"{name} entry {_show(item)} is not text", "write it in quotes"
            )


def _check_order(doc: Document, front_matter: FrontMatter) -> Iterator[Problem]:
    created = _moment(front_matter.data.get("createdAt"))
    updated = _moment(front_matter.data.get("updatedAt"))
    if created is None or updated is None or not _before(updated, created):
        return
    line = front_matter.line_of("updatedAt")
    yield Problem(
        line,
        _value_column(doc.line(line), "updatedAt"),
        f"updatedAt {_show(updated)} is before createdAt {_show(created)}",
        "set updatedAt to the date of the last change, on or after createdAt",
    )


def _moment(value: Any) -> date | None:
    """Return the date or date-time ``value`` holds, or ``None`` when it holds none."""
    if isinstance(value, date):
        return value  # YAML already read an unquoted date or timestamp
    if not isinstance(value, str):
        return None
    parsers: tuple[Callable[[str], date], ...] = (date.fromisoformat, datetime.fromisoformat)
    for parse in parsers:
        try:
            return parse(value)
        except ValueError:
            continue
    return None


def _before(later: date, earlier: date) -> bool:
    """Return whether ``later`` is earlier than ``earlier``, at the precision both have."""
    # An aware and a naive date-time cannot be ordered; nor can a date and a date-time
    # without inventing a time of day, so those compare by calendar day.
    if (
        isinstance(later, datetime)
        and isinstance(earlier, datetime)
        and (later.tzinfo is None) == (earlier.tzinfo is None)
    ):
        return later < earlier
    return _day(later) < _day(earlier)


def _day(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and _PLACEHOLDER in value


def _show(value: Any) -> str:
    """Quote ``value`` as the user wrote it, shortened when long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if len(value) > _SHOWN_MAX:
            value = value[: _SHOWN_MAX - 1] + "…"
        return repr(value)
    if value is None:
        return "null"
    return str(value)


def _value_column(text: str, name: str) -> int:
    """Return the column of the value after ``name:`` on ``text``, else of the key."""
    key_at = text.find(f"{name}:")
    if key_at == -1:
        return _front_matter_fields.text_column(text)
    after = key_at + len(name) + 1
    rest = text[after:]
    value = rest.lstrip()
    if not value or value.startswith("#"):
        return key_at + 1
    return after + len(rest) - len(value) + 1
