"""Turn a Markdown body into sections, tables, task items, code blocks and comments.

The body is parsed by pyromark (pulldown-cmark, a CommonMark parser with the GFM table
and task-list extensions), and its events, which carry UTF-8 byte ranges, are folded
into the line-numbered structures of :mod:`interlock.documents.model`. Text inside
code blocks is never a heading; HTML comments are content of no section.

Raw HTML counts by what a reader sees: a tag of an HTML element is markup, never text,
so ``## <span id="x">Next</span>`` is the heading "Next" and an anchor such as
``<a name="n"></a>`` or a ``<br>`` fills no section; the text between tags, an image's
``alt`` text and anything in angle brackets that names no HTML element (``<fill in>``)
are text. An HTML block adds the text it shows to its section, and each ``<h1>`` to
``<h6>`` element in it is a heading. Text of nothing but white space and characters
that show nothing (zero-width spaces, joiners, direction marks) is no content.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from html import unescape
from itertools import accumulate
from typing import Any, NamedTuple

import pyromark

from interlock.documents.model import CodeBlock, Comment, Section, Table, TableRow, TaskItem

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
_COMMENT = re.compile(r"<!--(.*?)(?:-->|\Z)", re.DOTALL)
_LEVELS = {f"H{level}": level for level in range(1, 7)}
_SHOWN = re.compile(
    r"[^\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
"""A character that shows: not white space, nor a character that renders as nothing."""
# No part of a tag may hold a ``<``, so every match ends before the next ``<`` and a
# block full of unclosed tags is read in linear time.
_MARKUP = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:"[^"<]*"|'[^'<]*'|[^'"<>])*)>"""
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![^<>]*>|<\?.*?(?:\?>|\Z)",
    re.DOTALL,
)
"""A tag, or a CDATA section, declaration or processing instruction (none shows)."""
_HIDDEN = re.compile(r"<(script|style|template)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
"""Elements whose content never shows."""
_HTML_HEADING = re.compile(
    r"""<h([1-6])(?:\s(?:"[^"<]*"|'[^'<]*'|[^'"<>])*)?>"""
    r"([^<]*(?:<(?!/?h[1-6])[^<]*)*)</h\1\s*>",
    re.IGNORECASE,
)
"""An ``<h1>`` to ``<h6>`` element; its content stops at the next heading tag."""
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
# The names are written as words: a reader checks them against a list of HTML
# elements more easily than a column of quoted strings.
_INLINE_ELEMENTS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font "  # noqa: SIM905
    "i ins kbd label mark nobr q s samp small span strike strong sub sup time tt u var".split()
)
"""Elements that sit inside a line of text: their tags do not separate words."""
_ELEMENTS = _INLINE_ELEMENTS | frozenset(
    "address area article aside audio base blockquote body br button "  # noqa: SIM905
    "canvas caption center col colgroup datalist dd details dialog div dl dt embed fieldset "
    "figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr "
    "html iframe img input legend li link main map marquee math menu meta meter nav noscript "
    "object ol optgroup option output p param picture pre progress rp rt ruby script search "
    "section select slot source style summary svg table tbody td template textarea tfoot th "
    "thead title tr track ul video wbr".split()
)
"""The HTML elements, in lower case; a tag naming anything else reads as text."""


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
        self.index = _LineIndex(text.encode("utf-8"))
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
        events: Iterator[tuple[Any, Any]] = iter(
            pyromark.events_with_range(self.text, options=_OPTIONS)
        )
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
                        # Reads the block's own events, up to and with its end.
                        self._html_block(events, span["start"])
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
                # A tag inside a heading is part of the heading, not text of the
                # section before it.
                shown = self._inline_html(value, span["start"])
                if shown:
                    (plain if heading is None else heading).append(shown)
        return self._finish()

    def _html_block(self, events: Iterator[tuple[Any, Any]], start: int) -> None:
        """Read an HTML block's lines: its comments, its headings and the text it shows.

        The lines come from the block's events, without the ``>`` or indent of a quote
        or list around it; each ends with its line break.
        """
        lines: list[str] = []
        for event, _ in events:
            if "Html" not in event:
                break  # the block's end
            lines.append(event["Html"])
        block = "".join(lines)
        first_line = self.index.line(start)
        if "<!--" in block:
            for match in _COMMENT.finditer(block):
                line = first_line + block.count("\n", 0, match.start())
                end_line = first_line + block.count("\n", 0, match.end() - 1)
                self.comments.append(Comment(line, end_line, match.group(1)))
            block = _COMMENT.sub(_keep_line_breaks, block)
        block = _HIDDEN.sub(_keep_line_breaks, block)
        done = 0
        for match in _HTML_HEADING.finditer(block):
            self._add_shown(block[done : match.start()])
            title = " ".join(_shown_text(match[2]).split())
            line = first_line + block.count("\n", 0, match.start())
            self.headings.append(_Heading(title, int(match[1]), line, len(self.plain)))
            done = match.end()
        self._add_shown(block[done:])

    def _add_shown(self, html: str) -> None:
        shown = _shown_text(html).strip()
        if shown:
            self.plain.append(shown)

    def _inline_html(self, html: Any, start: int) -> str:
        """Record an inline comment; return the text an inline tag shows (mostly none)."""
        value = str(html)
        match = _COMMENT.match(value)
        if match is None:
            return _shown_text(value)
        line = self.index.line(start)
        self.comments.append(Comment(line, line + value.count("\n"), match.group(1)))
        return ""

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
            if own_text and _SHOWN.search(own_text) is None:
                own_text = ""
            section = Section(title, level, line, end_line, own_text, tuple(children))
            waiting.append(section)
            every.append(section)
            text_end = first
        waiting.reverse()
        every.reverse()
        return tuple(waiting), tuple(every)


def _shown_text(html: str) -> str:
    """Return the text that ``html`` (no comments in it) shows a reader."""
    shown = _MARKUP.sub(_shown_by_tag, html)
    return unescape(shown) if "&" in shown else shown


def _shown_by_tag(match: re.Match[str]) -> str:
    name = match[2]
    if name is None:
        return " "
    name = name.lower()
    if name not in _ELEMENTS:
        return match[0]  # not HTML: a placeholder such as ``<fill in>`` is text
    if name in _INLINE_ELEMENTS:
        return ""
    if name == "img" and not match[1]:
        alt = _ALT.search(match[3])
        if alt is not None:
            return alt[1] or alt[2] or alt[3] or ""  # unescaped with the rest
    return " "


def _keep_line_breaks(match: re.Match[str]) -> str:
    """Blank out a match, keeping its line breaks so later lines keep their numbers."""
    return "\n" * match[0].count("\n")


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
