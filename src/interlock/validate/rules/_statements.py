"""Recognising the statements a spec makes, for the rules that ask "does the spec say X?".

The integration rules (endpoints, authentication, failure handling, rate limits) look
for the same three shapes of statement: a field line such as ``- **Rate Limits**: 100
requests per second``, a table column whose header names the thing, and a sentence of
prose. This module finds the lines worth reading, reads a field line into its name and
value, reads a table's column names and cells, and tells a real value from one that
states nothing (a template placeholder such as ``{{…}}`` or a stand-in such as TBD).
What a statement must say to satisfy a rule stays in the rule.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import NamedTuple

from interlock.documents.model import Document, Table, normalise_title

_FIELD = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?(?:\*\*|__)?(?P<name>[^*_:|\n]{1,60}?)[ \t]*"
    r"(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)?)[ \t]*(?P<value>.*?)[ \t]*$"
)
"""``Name: value``, optionally a list item, with the name in bold or the colon inside it."""
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\[[^\]]*\](?!\()|<(?![a-z]+://)[^<>]*>")
"""Template slots: ``{{…}}``, ``[…]`` that is not a link's text, ``<…>`` that is not a URL."""
_STAND_INS = frozenset({"", "tbd", "tbc", "todo", "n/a", "na", "?"})
_FILLER = " \t`*_.,;:()-—–…"
"""Markup and punctuation that do not make a value real on their own."""


class Field(NamedTuple):
    """A ``- **Name**: value`` statement on one line.

    A named tuple rather than a frozen dataclass: rules read many lines per document,
    and a named tuple is built in half the time.
    """

    name: str
    """The field's name, folded by :func:`fold_name`."""
    value: str
    """The text after the colon, without the blanks around it."""
    column: int
    """The 1-based column where the value starts (where it would start, when empty)."""


def read_field(line: str) -> Field | None:
    """Read ``line`` as a field, or return ``None`` when it is not one."""
    match = _FIELD.match(line)
    if match is None:
        return None
    return Field(fold_name(match["name"]), match["value"], match.start("value") + 1)


def fold_name(text: str) -> str:
    """Fold a field or column name for comparison: case and runs of white space."""
    return " ".join(text.casefold().split())


def strip_placeholders(text: str) -> str:
    """Return ``text`` without its template placeholders, so they cannot satisfy a rule."""
    return _PLACEHOLDER.sub("", text)


def is_unfilled(value: str) -> bool:
    """Return whether ``value`` states nothing: empty, a placeholder or a stand-in word."""
    return _PLACEHOLDER.sub("", value).strip(_FILLER).casefold() in _STAND_INS


def column_names(table: Table) -> list[str]:
    """Return the folded names of ``table``'s columns, in order."""
    return [fold_name(cell) for cell in table.header.cells]


def column_cells(table: Table, index: int) -> Iterator[str]:
    """Yield the cells of column ``index``, passing over rows too short to have one."""
    for row in table.rows:
        if index < len(row.cells):
            yield row.cells[index]


def statement_lines(doc: Document, needles: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield the number and text of each line holding a needle that is prose or a field.

    Headings, code, HTML comments and tables are passed over: a heading or a comment
    states nothing, and the rules read tables by column instead.
    """
    spans = sorted(
        [(comment.line, comment.end_line) for comment in doc.comments]
        + [(table.line, table.end_line) for table in doc.tables]
    )
    starts = [first for first, _ in spans]
    # reach[i]: the last line covered by any of the first i + 1 spans. A line is in a
    # span exactly when the spans starting at or before it reach it.
    reach = list(accumulate((last for _, last in spans), max))
    for number in lines_with(doc.text, needles):
        line = doc.line(number)
        if line.lstrip().startswith("#") or number in doc.code_lines:
            continue
        index = bisect_right(starts, number) - 1
        if index < 0 or reach[index] < number:
            yield number, line


def lines_with(text: str, needles: Iterable[str]) -> list[int]:
    """Return the numbers of the lines of ``text`` that hold any of ``needles``, in order.

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


def preferred_section_line(doc: Document, titles: Iterable[str]) -> int:
    """Return the line of the section named by the earliest of ``titles`` that the
    document has, or the line where its body starts.

    ``titles`` are in the form :func:`~interlock.documents.model.normalise_title` gives;
    a title used by several headings counts at its first.
    """
    lines: dict[str, int] = {}
    for section in doc.walk_sections():
        lines.setdefault(normalise_title(section.title), section.line)
    return next((lines[title] for title in titles if title in lines), doc.body_line)


__all__ = [
    "Field",
    "column_cells",
    "column_names",
    "fold_name",
    "is_unfilled",
    "lines_with",
    "preferred_section_line",
    "read_field",
    "statement_lines",
    "strip_placeholders",
]
