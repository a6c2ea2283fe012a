"""Find the line and column of a place in JSON text, scanning only what is needed.

The standard library parses JSON fast but keeps no positions, and recording a
position for every node of a 13 MB document would cost more than the parse. A
warning needs the line of a few places only, so :class:`JsonLocator` finds each on
demand: it walks down the path, member by member, letting the standard library's C
decoder step over every value it does not enter, and remembers the offsets of the
members of each container it has walked so that the next place costs little.

No maintained package does this: ``json-source-map`` builds the map of every node in
pure Python (the cost avoided here), and a tree-sitter parser would bring two
compiled dependencies for one lookup.
"""

from __future__ import annotations

import bisect
import json
import re

from interlock.safe_yaml import PathKey

__all__ = ["JsonLocator"]

_SPACE = re.compile(r"[ \t\n\r]*")


def _other_form(part: str | int) -> str | int:
    """Return a list index as a key, or a key of digits as an index."""
    if isinstance(part, int):
        return str(part)
    return int(part) if part.isascii() and part.isdigit() else part


class JsonLocator:
    """The 1-based line and column of members and items of one JSON text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._decoder = json.JSONDecoder()
        self._members: dict[PathKey, dict[str | int, tuple[int, int]]] = {}
        """Path of a container → each child's (start of its key or item, start of its value)."""
        self._newlines: list[int] | None = None

    def position_of(self, path: PathKey) -> tuple[int, int]:
        """Return the line and column of ``path``, or of its nearest ancestor in the text.

        A member is found at its key, an item at its value; the root at its first
        character.
        """
        return self._line_and_column(self._offset(tuple(path)))

    def _offset(self, path: PathKey) -> int:
        value_at = _SPACE.match(self._text, 0)
        start = value_at.end() if value_at else 0
        found, value = start, start
        for depth, part in enumerate(path):
            children = self._children(path[:depth], value)
            place = children.get(part, children.get(_other_form(part)))
            if place is None:
                break
            found, value = place
        return found

    def _children(self, path: PathKey, start: int) -> dict[str | int, tuple[int, int]]:
        known = self._members.get(path)
        if known is None:
            known = self._members[path] = self._scan(start)
        return known

    def _scan(self, start: int) -> dict[str | int, tuple[int, int]]:
        """Return the children of the container opening at ``start`` (none for a scalar)."""
        text, children = self._text, {}
        opening = text[start : start + 1]
        if opening not in ("{", "["):
            return {}
        closing = "}" if opening == "{" else "]"
        position = self._skip_space(start + 1)
        index = 0
        while position < len(text) and text[position] != closing:
            member = position
            key: str | int = index
            if opening == "{":
                key, position = self._decoder.raw_decode(text, position)
                position = self._skip_space(position) + 1  # the colon
                position = self._skip_space(position)
            children[key] = (member, position)
            _, position = self._decoder.raw_decode(text, position)
            position = self._skip_space(position)
            if text[position : position + 1] == ",":
                position = self._skip_space(position + 1)
            index += 1
        return children

    def _skip_space(self, position: int) -> int:
        found = _SPACE.match(self._text, position)
        return found.end() if found else position

    def _line_and_column(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [found.start() for found in re.finditer("\n", self._text)]
        line = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1
