"""Placing the matches a rule finds by searching a document's whole text at once.

Searching ``doc.text`` in one pass is far faster than searching it line by line, but
it leaves each match as an offset. The placeholder and open-question rules use this
module to turn those offsets into lines and columns, and to tell whether a column of a
line lies inside inline code (a span between backticks), which quotes material rather
than stating it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import TypeVar

_BACKTICKS = re.compile(r"`+")

Found = TypeVar("Found")


def locate(
    text: str, matches: Iterable[tuple[int, Found]]
) -> Iterator[tuple[int, int, int, Found]]:
    """Yield each ``(offset, value)`` match as its offset, 1-based line, 0-based column and value.

    Offsets must come in ascending order: only the text between one match and the next
    is read, so placing every match costs one pass over the text.
    """
    line = 1
    line_start = 0
    scanned = 0
    for start, found in matches:
        newlines = text.count("\n", scanned, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", scanned, start) + 1
        scanned = start
        yield start, line, start - line_start, found


def in_code_span(
    source: str, line: int, column: int, spans: dict[int, list[tuple[int, int]]]
) -> bool:
    """Return whether ``column`` of the line is inside inline code.

    Args:
        source: the text of the line.
        line: its number, the key under which its spans are cached.
        column: the 0-based column asked about.
        spans: a cache of :func:`code_spans` by line, owned by the caller and filled
            on first use, so a line with several matches is read once.
    """
    if "`" not in source:
        return False
    ranges = spans.get(line)
    if ranges is None:
        ranges = spans[line] = code_spans(source)
    index = bisect_right(ranges, (column, len(source))) - 1
    return index >= 0 and column < ranges[index][1]


def code_spans(source: str) -> list[tuple[int, int]]:
    """Return the inline code spans of a line as ``(start, end)`` offsets, in order.

    A run of backticks opens a span that the next run of the same length closes; a run
    that is never closed is literal text. Runs are paired through a per-length index,
    so a hostile line of many unmatched runs is still read in near-linear time.
    """
    runs = [match.span() for match in _BACKTICKS.finditer(source)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        closing = bisect_right(same, index)
        if closing == len(same):
            index += 1
            continue
        spans.append((start, runs[same[closing]][1]))
        index = same[closing] + 1
    return spans
