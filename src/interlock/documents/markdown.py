"""Turn a Markdown body into sections, tables, task items, code blocks and comments.

The body is parsed by pyromark (pulldown-cmark, a CommonMark parser with the GFM table
and task-list extensions), and its events, which carry UTF-8 byte ranges, are folded
into the line-numbered structures of :mod:`interlock.documents.model`. Text inside
code blocks is never a heading; HTML comments are content of no section.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import Any, NamedTuple

import pyromark

from interlock.documents.model import CodeBlock, Comment, Section, Table, TableRow, TaskItem

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
_COMMENT = re.compile(r"<!--(.*?)(?:-->|\Z)", re.DOTALL)
_LEVELS = {f"H{level}": level for level in range(1, 7)}


class _Heading(NamedTuple):
    """A heading as the fold meets it; sections are built from these at the end."""

    title: str
    level: int
    line: int
    first: int
    """Index in the body's text fragments where the section's own text starts; it
    stops where the next heading's starts."""


@dataclass(frozen=True, slots=True)
class Body:
    """Everything :func:`parse_body` finds in a Markdown body."""

    sections: tuple[Section, ...]
    all_sections: tuple[Section, ...]
    """Every section, depth first: the order of their headings."""
    tables: tuple[Table, ...]
    tasks: tuple[TaskItem, ...]
    code_blocks: tuple[CodeBlock, ...]
    comments: tuple[Comment, ...]
    plain_text: str
    code_lines: frozenset[int]


class _LineIndex:
    """Map UTF-8 byte offsets of the source to 1-based line numbers."""

    def __init__(self, source: bytes) -> None:
        # Each line starts one byte past the end of the one before it; the last
        # "start" would lie past the end of the source.
        lengths = [len(line) + 1 for line in source.split(b"\n")]
        self._starts = [0, *accumulate(lengths[:-1])]
        self.line: Callable[[int], int] = partial(bisect_right, self._starts)
        """The line of a byte offset: a partial of a C function, called without a
        Python frame, since the fold asks it for every heading and table row."""

    def last_line(self, end_offset: int) -> int:
        """Line of the last byte of a range ending (exclusively) at ``end_offset``."""
        return bisect_right(self._starts, max(end_offset - 1, 0))


def parse_body(text: str, lines: tuple[str, ...]) -> Body:
    """Parse ``text`` (the whole document, front matter already blanked out)."""
    return _BodyParser(text, lines).run()


class _BodyParser:
    def __init__(self, text: str, lines: tuple[str, ...]) -> None:
        self.text = text
        self.lines = lines
        self.source = text.encode("utf-8")
        self.index = _LineIndex(self.source)
        self.headings: list[_Heading] = []
        self.tables: list[Table] = []
        self.tasks: list[TaskItem] = []
        self.code_blocks: list[CodeBlock] = []
        self.comments: list[Comment] = []
        self.plain: list[str] = []
        self.code_lines: set[int] = set()

    def run(self) -> Body:
        # pyromark's event types are precise unions; the fold below reads them as data.
        # This loop sees about a thousand events per spec, so each event is dispatched
        # on its one key, read once.
        events: Iterable[tuple[Any, Any]] = pyromark.events_with_range(self.text, options=_OPTIONS)
        plain = self.plain
        lines = self.lines
        line_of = self.index.line
        heading: list[str] | None = None
        table_rows: list[TableRow] = []
        row_cells: list[str] = []
        cell: list[str] | None = None
        table_start = 0
        row_line = 0
        # One entry per open list item: its task marker (line, checked, text) or None.
        items: list[tuple[int, bool, list[str]] | None] = []
        code_start = -1
        code_text: list[str] = []
        code_info = ""
        for event, span in events:
            if type(event) is not dict:
                continue  # SoftBreak, HardBreak, Rule
            ((key, value),) = event.items()
            if key == "Text" or key == "Code":
                if heading is not None:
                    heading.append(value)
                    continue
                plain.append(value)
                if cell is not None:
                    cell.append(value)
                if items and items[-1] is not None:
                    items[-1][2].append(value)
                if code_start >= 0:
                    code_text.append(value)
            elif key == "Start":
                if type(value) is str:
                    if value == "Item":
                        items.append(None)
                    elif value == "TableCell":
                        cell = []
                    elif value == "TableHead" or value == "TableRow":
                        row_cells = []
                        row_line = line_of(span["start"])
                    elif value == "HtmlBlock":
                        self._html_block(span["start"], span["end"])
                elif "Heading" in value:
                    heading = []
                elif "CodeBlock" in value:
                    code_start = line_of(span["start"])
                    code_text = []
                    block = value["CodeBlock"]
                    code_info = block.get("Fenced", "") if type(block) is dict else ""
                elif "Table" in value:
                    table_rows = []
                    table_start = line_of(span["start"])
            elif key == "End":
                if type(value) is str:
                    if value == "TableCell" and cell is not None:
                        row_cells.append("".join(cell).strip())
                        cell = None
                    elif value == "Item" and items:
                        task = items.pop()
                        if task is not None:
                            text = "".join(task[2]).strip()
                            self.tasks.append(TaskItem(task[0], task[1], text))
                    elif value == "TableHead" or value == "TableRow":
                        source = _count_cells(lines[row_line - 1] if row_line <= len(lines) else "")
                        table_rows.append(TableRow(row_line, tuple(row_cells), source))
                    elif value == "CodeBlock" and code_start >= 0:
                        end_line = self.index.last_line(span["end"])
                        self.code_blocks.append(
                            CodeBlock(code_start, end_line, code_info, "".join(code_text))
                        )
                        self.code_lines.update(range(code_start, end_line + 1))
                        code_start = -1
                    elif value == "Table" and table_rows:
                        last = self.index.last_line(span["end"])
                        rows = tuple(table_rows[1:])
                        self.tables.append(Table(table_start, last, table_rows[0], rows))
                elif "Heading" in value and heading is not None:
                    title = "".join(heading).strip()
                    level = _LEVELS[value["Heading"]]
                    self.headings.append(_Heading(title, level, line_of(span["start"]), len(plain)))
                    heading = None
            elif key == "TaskListMarker":
                if items:
                    items[-1] = (line_of(span["start"]), bool(value), [])
            elif key == "InlineHtml":
                self._inline_html(value, span["start"])
        return self._finish()

    def _content(self, value: str) -> None:
        self.plain.append(value)

    def _html_block(self, start: int, end: int) -> None:
        block = self.source[start:end].decode("utf-8", errors="replace")
        first_line = self.index.line(start)
        outside = _COMMENT.sub("", block).strip()
        if outside:
            self._content(outside)
        for match in _COMMENT.finditer(block):
            line = first_line + block.count("\n", 0, match.start())
            end_line = first_line + block.count("\n", 0, match.end() - 1)
            self.comments.append(Comment(line, end_line, match.group(1)))

    def _inline_html(self, html: Any, start: int) -> None:
        value = str(html)
        match = _COMMENT.match(value)
        if match is None:
            self._content(value)
            return
        line = self.index.line(start)
        self.comments.append(Comment(line, line + value.count("\n"), match.group(1)))

    def _finish(self) -> Body:
        roots, every = self._sections()
        return Body(
            sections=roots,
            all_sections=every,
            tables=tuple(self.tables),
            tasks=tuple(sorted(self.tasks, key=lambda task: task.line)),
            code_blocks=tuple(self.code_blocks),
            comments=tuple(self.comments),
            plain_text=" ".join(self.plain),
            code_lines=frozenset(self.code_lines),
        )

    def _sections(self) -> tuple[tuple[Section, ...], tuple[Section, ...]]:
        """Build the section tree from the headings, last heading first; return its
        top-level sections and every section in the order of the headings.

        Going backwards, every section after a heading is built before it: the ones
        still waiting for a parent and deeper than the heading are its children, and
        the nearest one waiting that is not deeper is where its section ends.
        """
        plain = self.plain
        waiting: list[Section] = []
        every: list[Section] = []
        text_end = len(plain)
        for title, level, line, first in reversed(self.headings):
            children: list[Section] = []
            while waiting and waiting[-1].level > level:
                children.append(waiting.pop())
            end_line = waiting[-1].line - 1 if waiting else len(self.lines)
            own_text = " ".join(plain[first:text_end])
            section = Section(title, level, line, end_line, own_text, tuple(children))
            waiting.append(section)
            every.append(section)
            text_end = first
        waiting.reverse()
        every.reverse()
        return tuple(waiting), tuple(every)


def _count_cells(line: str) -> int:
    """Count the cells a table row's source line has, as a reader would see them."""
    row = line.strip()
    # GFM splits cells at every unescaped pipe, inside code spans too; a pipe that
    # opens or closes the row does not split.
    if "\\" not in row:
        cells = row.count("|") + 1
        if row.startswith("|"):
            cells -= 1
        if len(row) > 1 and row.endswith("|"):
            cells -= 1
        return cells
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = 1
    escaped = False
    for char in row:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells += 1
    return cells


__all__ = ["Body", "parse_body"]
