"""The parsed form of a Markdown spec that validator rules read.

A :class:`Document` is plain, frozen data: the text and its lines, the front matter
with the line of each key, the section tree, tables, task items, code blocks and
HTML comments, each with 1-based line numbers. Rules never parse Markdown themselves.

The parts a parse makes by the dozen (sections, table rows, tables, task items, code
blocks, comments) are named tuples: as immutable as frozen dataclasses, and built in a
third of the time, which counts when a run parses ten thousand specs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple


class DocumentKind(StrEnum):
    """What a document is, which decides the rules and sections that apply."""

    INTEGRATION_SPEC = "integration-spec"
    """SpeckIt front matter with ``type: service_spec`` and integration sections."""
    SPECKIT = "speckit"
    """Any other SpeckIt spec; also the kind of a spec whose front matter is missing."""
    INTEGRATION_POINTS = "integration-points"
    """The Integration Points document: bold header fields, no front matter."""
    INTERVIEW_SUMMARY = "interview-summary"
    """The integration interview summary with its numbered sections."""
    WORKFLOW_NOTE = "workflow-note"
    """``research.md``, ``plan.md`` or ``outcome.md`` of the integration workflow."""
    MARKDOWN = "markdown"
    """Plain Markdown, chosen by a config override: only content rules apply."""


@dataclass(frozen=True, slots=True)
class FrontMatterError:
    """Why the front matter block could not be used."""

    message: str
    line: int
    column: int = 1


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML block between ``---`` lines at the top of a document."""

    data: Mapping[str, Any]
    """The parsed mapping; empty when ``error`` is set."""
    start_line: int
    """Line of the opening ``---``."""
    end_line: int
    """Line of the closing ``---``; the last line of the file when unterminated."""
    key_lines: Mapping[str, int] = field(default_factory=dict)
    item_lines: Mapping[tuple[str, int], int] = field(default_factory=dict)
    """Line of each item of a list field, keyed by ``(field, index)``."""
    error: FrontMatterError | None = None

    def line_of(self, key: str) -> int:
        """Return the line of ``key``, or of the opening ``---`` when it is absent."""
        return self.key_lines.get(key, self.start_line)


class Section(NamedTuple):
    """A heading and everything under it up to the next heading of its level or higher."""

    title: str
    level: int
    line: int
    end_line: int
    own_text: str
    """Plain text of the blocks directly under the heading, not in subsections.
    HTML comments and tags do not count, only the text HTML shows; tables, lists and
    code do. Text that shows nothing (white space, zero-width characters) is ``""``."""
    children: tuple[Section, ...] = ()

    def has_content(self) -> bool:
        """Return whether the section or any subsection holds real content."""
        return bool(self.own_text.strip()) or any(child.has_content() for child in self.children)

    def walk(self) -> Iterator[Section]:
        """Yield this section and every subsection, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


class TableRow(NamedTuple):
    """One row of a table."""

    line: int
    cells: tuple[str, ...]
    """Cell texts as the CommonMark parser sees them (padded or cut to the header)."""
    source_cells: int
    """How many cells the row's source line really has."""


class Table(NamedTuple):
    """A GFM table: its header row and body rows."""

    line: int
    end_line: int
    header: TableRow
    rows: tuple[TableRow, ...]


class TaskItem(NamedTuple):
    """A task-list item, ``- [ ]`` or ``- [x]``."""

    line: int
    checked: bool
    text: str


class CodeBlock(NamedTuple):
    """A fenced or indented code block; its lines are never headings or prose."""

    line: int
    end_line: int
    info: str
    text: str


class Comment(NamedTuple):
    """An HTML comment, ``<!-- ... -->``, as a block or inline."""

    line: int
    end_line: int
    text: str
    """The comment's inner text, without ``<!--`` and ``-->``."""


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed Markdown spec document."""

    path: Path
    text: str
    """The decoded text: BOM removed, line endings normalised to ``\\n``."""
    lines: tuple[str, ...]
    """``lines[n - 1]`` is line ``n``, without its line ending."""
    kind: DocumentKind
    front_matter: FrontMatter | None
    sections: tuple[Section, ...]
    """Top-level sections: the highest-level headings, each with its subtree."""
    tables: tuple[Table, ...] = ()
    tasks: tuple[TaskItem, ...] = ()
    code_blocks: tuple[CodeBlock, ...] = ()
    comments: tuple[Comment, ...] = ()
    plain_text: str = ""
    """Body text with Markdown stripped (no markup, no comments, no front matter)."""
    body_line: int = 1
    """First line after the front matter."""
    code_lines: frozenset[int] = frozenset()
    """Lines inside code blocks, fences included."""
    all_sections: tuple[Section, ...] = ()
    """Every section depth first, in document order (the tree, flattened once)."""

    def __post_init__(self) -> None:
        if not self.all_sections and self.sections:
            flat = tuple(section for root in self.sections for section in root.walk())
            object.__setattr__(self, "all_sections", flat)

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based), or ``""`` past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def walk_sections(self) -> Iterator[Section]:
        """Yield every section depth first, in document order."""
        return iter(self.all_sections)

    def section_titles(self) -> frozenset[str]:
        """Return every heading title, normalised by :func:`normalise_title`."""
        return frozenset(normalise_title(section.title) for section in self.all_sections)

    def in_code(self, line: int) -> bool:
        """Return whether ``line`` is inside a code block."""
        return line in self.code_lines

    def field(self, key: str) -> Any:
        """Return front-matter field ``key``, or ``None``."""
        return self.front_matter.data.get(key) if self.front_matter is not None else None


def normalise_title(title: str) -> str:
    """Fold a heading title for comparison: case, spacing and trailing punctuation."""
    return " ".join(title.casefold().replace("&", "and").split()).rstrip(":.")


__all__ = [
    "CodeBlock",
    "Comment",
    "Document",
    "DocumentKind",
    "FrontMatter",
    "FrontMatterError",
    "Section",
    "Table",
    "TableRow",
    "TaskItem",
    "normalise_title",
]
