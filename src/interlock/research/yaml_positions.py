"""Find the line of a place in YAML text, from the parser's events, on first need.

A vendor's YAML document is read into data by a fast parser that keeps no positions
(:mod:`~interlock.research.syntax`). A warning needs the line of a few places only, so
:class:`YamlLocator` reads nothing until the first place is asked for; then one pass
over the events of libyaml's C parser (no nodes composed, no values built) records
the line of each mapping key and sequence item, in a tree shaped like the document,
and every later place is a walk down that tree.
"""

from __future__ import annotations

from typing import TypeAlias

import yaml

from interlock.safe_yaml import PathKey

__all__ = ["YamlLocator"]

try:
    _Parser: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

_Mapping: TypeAlias = dict[str, "tuple[int, _Node]"]
_Sequence: TypeAlias = list["tuple[int, _Node]"]
_Node: TypeAlias = "_Mapping | _Sequence | None"


class YamlLocator:
    """The 1-based line of members and items of one YAML text."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._root: _Node = None
        self._first_line = 1

    def line_of(self, path: PathKey) -> int:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        if self._text is not None:
            self._root, self._first_line = _index(self._text)
            self._text = None  # the index is all that is needed from now on
        line, node = self._first_line, self._root
        for step in path:
            found = _child(node, step)
            if found is None:
                break
            line, node = found
        return line


def _child(node: _Node, step: str | int) -> tuple[int, _Node] | None:
    if isinstance(node, dict):
        return node.get(str(step))
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


def _index(text: str) -> tuple[_Node, int]:
    """Return the tree of lines of the text's first document, and its first line."""
    root: list[_Node] = [None]
    first_line = 1
    # Each open container, and for a mapping the key whose value comes next.
    stack: list[tuple[_Mapping | _Sequence, str | None, int]] = []
    try:
        for event in yaml.parse(text, Loader=_Parser):
            mark = event.start_mark
            if isinstance(event, yaml.DocumentStartEvent):
                first_line = mark.line + 1 if mark is not None else 1
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                if not stack:
                    break
                continue
            line = mark.line + 1 if mark is not None else first_line
            child: _Mapping | _Sequence | None = None
            if isinstance(event, yaml.MappingStartEvent):
                child = {}
            elif isinstance(event, yaml.SequenceStartEvent):
                child = []
            elif not isinstance(event, yaml.NodeEvent):
                continue
            if not stack:
                root[0] = child
            else:
                _place(stack, event, line, child)
            if child is not None:
                stack.append((child, None, line))
    except yaml.YAMLError:
        pass  # the lines read so far still serve
    return root[0], first_line


def _place(
    stack: list[tuple[_Mapping | _Sequence, str | None, int]],
    event: yaml.Event,
    line: int,
    child: _Mapping | _Sequence | None,
) -> None:
    """Record the event in the innermost container: an item, a key, or a key's value."""
    container, key, key_line = stack[-1]
    if isinstance(container, list):
        container.append((line, child))
    elif key is None:  # a key: its value comes next
        name = event.value if isinstance(event, yaml.ScalarEvent) else f"<key at line {line}>"
        stack[-1] = (container, name, line)
    else:
        container[key] = (key_line, child)
        stack[-1] = (container, None, 0)
