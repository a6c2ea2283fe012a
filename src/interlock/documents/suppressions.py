"""Inline suppressions: HTML comments that silence rules for a line or a stretch.

- ``<!-- interlock-disable-next-line NAME [NAME…] -->`` silences the named rules on
  the next non-blank line after the comment;
- ``<!-- interlock-disable NAME [NAME…] -->`` silences them from the comment to a
  matching ``<!-- interlock-enable NAME [NAME…] -->`` or the end of the file.

Names are rule names, codes or aliases, separated by spaces or commas; no name at
all means every rule. Comments inside code blocks are text, not suppressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from interlock.documents.model import Document

ALL = "*"
_DIRECTIVE = re.compile(
    r"^\s*interlock-(disable-next-line|disable|enable)\b([^\n]*)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Suppressions:
    """Where which rules are silenced in one document."""

    lines: tuple[tuple[int, frozenset[str]], ...] = ()
    """``(line, names)``: rules silenced on exactly that line."""
    ranges: tuple[tuple[int, int, frozenset[str]], ...] = ()
    """``(first, last, names)``: rules silenced on every line in between."""

    def covers(self, keys: Iterable[str], line: int) -> bool:
        """Return whether a finding of the rule known by ``keys`` on ``line`` is silenced."""
        wanted = {key.lower() for key in keys} | {ALL}
        for number, names in self.lines:
            if number == line and names & wanted:
                return True
        return any(first <= line <= last and names & wanted for first, last, names in self.ranges)

    def __bool__(self) -> bool:
        return bool(self.lines or self.ranges)


def find_suppressions(doc: Document) -> Suppressions:
    """Collect the suppression directives of ``doc``'s HTML comments."""
    lines: list[tuple[int, frozenset[str]]] = []
    ranges: list[tuple[int, int, frozenset[str]]] = []
    open_ranges: dict[str, int] = {}
    last = len(doc.lines)
    for comment in doc.comments:
        match = _DIRECTIVE.match(comment.text.strip())
        if match is None:
            continue
        verb = match.group(1).lower()
        names = frozenset(
            name.lower() for name in re.split(r"[\s,]+", match.group(2).strip()) if name
        ) or frozenset({ALL})
        if verb == "disable-next-line":
            lines.append((_next_content_line(doc, comment.end_line), names))
        elif verb == "disable":
            for name in names:
                open_ranges.setdefault(name, comment.line)
        else:
            for name in names if ALL not in names else set(open_ranges):
                start = open_ranges.pop(name, None)
                if start is not None:
                    ranges.append((start, comment.end_line, frozenset({name})))
    ranges.extend((start, last, frozenset({name})) for name, start in open_ranges.items())
    return Suppressions(tuple(lines), tuple(ranges))


def _next_content_line(doc: Document, after: int) -> int:
    for number in range(after + 1, len(doc.lines) + 1):
        if doc.lines[number - 1].strip():
            return number
    return after + 1


__all__ = ["ALL", "Suppressions", "find_suppressions"]
