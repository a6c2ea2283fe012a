"""Turn a spec document into sanitised HTML, cut into sections, for the team server's pages.

The document page shows each section beside the findings on its lines and lets people
comment on it, so a section carries its source lines and a stable anchor. A section
starts at every top-level heading of level 1 to 3; deeper headings, and headings inside
lists or quotes, stay inside the section around them. Front matter is a section of its
own, shown as its text, never read as Markdown.

Nothing a user typed becomes markup, and nothing typed is lost: raw HTML (an HTML block,
an inline tag, a comment) is shown as the text it is, an image becomes a link to its
picture, and what Markdown itself produces passes through an allow-list of ordinary
document elements. Links keep only ``http``, ``https``, ``mailto`` and relative
addresses, and never pass on the page's address.

Line endings are normalised as :func:`interlock.documents.reader.decode_text` does, so
section lines match the lines findings name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import accumulate
from typing import Any, NamedTuple

import nh3
import pyromark

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
_SECTION_LEVELS = {"H1": 1, "H2": 2, "H3": 3}
"""Heading levels that start a section; deeper headings stay inside one."""
_FENCE = "---"
_CLOSERS = ("---", "...")
_FRONT_MATTER_TITLE = "Front matter"

_TAGS = set(
    "p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tr th td "  # noqa: SIM905
    "code pre em strong del blockquote a hr br input".split()
)
"""Every element the HTML may hold; anything else is dropped, its text kept."""
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "input": {"checked", "disabled"}}
_ALIGNMENTS = {"left", "center", "right"}
_ATTRIBUTE_VALUES = {
    # An input survives only as a task-list checkbox.
    "input": {"type": {"checkbox"}},
    "th": {"align": _ALIGNMENTS},
    "td": {"align": _ALIGNMENTS},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "noopener noreferrer nofollow"
_DROPPED_WITH_CONTENT = {"script", "style"}
"""Raw HTML never reaches the sanitiser as markup; should it ever, these go whole."""
_ALIGNED_CELL = re.compile(r'<(th|td) style="text-align: (left|center|right)">')
"""A table cell as pyromark aligns it: the style becomes an ``align`` the allow-list
can check, since no style attribute is kept."""
_MARK_START = "\ue000"
_MARK_STOP = "\ue001"
"""Private-use characters around a mark: the text that stands for a piece of raw HTML
while the Markdown is rendered, replaced by that HTML as text afterwards."""
_SLUG_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a document, as the document page shows it."""

    anchor: str
    """Unique HTML id within the document, of ``[a-z0-9-]`` only: ``s-front-matter``,
    ``s-preamble``, or ``s-<n>-<slug of the title>`` for the n-th heading section."""
    title: str
    """Plain text of the heading; ``""`` for text before the first heading and
    ``"Front matter"`` for front matter."""
    level: int
    """Heading level, 1 to 3; 0 for the preamble and the front matter."""
    first_line: int
    """1-based source line where the section begins (its heading's first line)."""
    last_line: int
    """1-based last source line of the section, inclusive."""
    html: str
    """Sanitised HTML of the section, heading included."""


def document_sections(markdown: str) -> list[Section]:
    """Cut ``markdown`` into sections whose line ranges cover all of its lines, in order.

    Lines before the first heading form a preamble section, unless they are blank and
    follow front matter, whose section then takes them. An empty text has no sections.
    """
    text = _normalised(markdown)
    lines = _lines(text)
    if not lines:
        return []
    used = _front_matter_length(lines)
    # Blank front matter keeps its lines, so body offsets still map to document lines.
    body_lines = [""] * used + lines[used:]
    body = "\n".join(body_lines) + "\n"
    source = body.encode("utf-8")
    starts = [0, *accumulate(len(line.encode("utf-8")) + 1 for line in body_lines)]
    mark_end = _mark_end(text)
    scan = _Scan(starts, mark_end).run(body)
    headings = scan.headings
    renderer = _Renderer(source, scan.edits, scan.raws, mark_end, _resolver(body))
    sections: list[Section] = []
    if used:
        sections.append(_front_matter_section(lines[:used]))
    body_first = headings[0].line if headings else len(lines) + 1
    if body_first > used + 1:
        preamble = renderer.render(starts[used], starts[body_first - 1])
        if preamble or not sections:
            sections.append(Section("s-preamble", "", 0, used + 1, body_first - 1, preamble))
        else:
            sections[-1] = _extended(sections[-1], body_first - 1)
    for number, heading in enumerate(headings, start=1):
        last_line = headings[number].line - 1 if number < len(headings) else len(lines)
        html = renderer.render(starts[heading.line - 1], starts[last_line])
        anchor = _anchor(number, heading.title)
        sections.append(
            Section(anchor, heading.title, heading.level, heading.line, last_line, html)
        )
    return sections


def sanitised_html(markdown: str) -> str:
    """Render the whole of ``markdown`` as sanitised HTML, section after section."""
    return "".join(section.html for section in document_sections(markdown))


def section_of_line(sections: Sequence[Section], line: int) -> Section | None:
    """Return the section that 1-based ``line`` falls in, or ``None`` when none holds it.

    Args:
        sections: sections in line order, as :func:`document_sections` returns them.
    """
    index = bisect_right(sections, line, key=lambda section: section.first_line) - 1
    if index >= 0 and line <= sections[index].last_line:
        return sections[index]
    return None


def _normalised(markdown: str) -> str:
    """Drop a byte order mark and make every line end with ``\\n``."""
    text = markdown.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _lines(text: str) -> list[str]:
    """Split ``text`` into its lines, as the document parser numbers them."""
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


def _front_matter_length(lines: Sequence[str]) -> int:
    """Count the lines of the front matter, fences included; 0 when there is none.

    A first ``---`` line never closed is not front matter: the page then shows the
    document as Markdown rather than as one block of text.
    """
    if lines[0].rstrip() != _FENCE:
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return index + 1
    return 0


def _front_matter_section(lines: Sequence[str]) -> Section:
    """Show front matter as its own text, fences included, never as Markdown."""
    html = _clean("<pre><code>" + escape("\n".join(lines)) + "</code></pre>\n")
    return Section("s-front-matter", _FRONT_MATTER_TITLE, 0, 1, len(lines), html)


def _extended(section: Section, last_line: int) -> Section:
    """Return ``section`` reaching down to ``last_line``."""
    return Section(
        section.anchor, section.title, section.level, section.first_line, last_line, section.html
    )


def _anchor(number: int, title: str) -> str:
    """Make the anchor of the ``number``-th heading section: unique, however titled."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower())[:_SLUG_LENGTH].strip("-")
    return f"s-{number}-{slug}" if slug else f"s-{number}"


class _Heading(NamedTuple):
    """A heading that starts a section."""

    line: int
    level: int
    title: str


class _Edit(NamedTuple):
    """Bytes ``start:end`` of the source become ``text`` before rendering."""

    start: int
    end: int
    text: str


class _Scan:
    """Find the headings that start sections, and how raw HTML and images are rewritten.

    After :meth:`run`, ``edits`` make each piece of raw HTML into a mark (an inline
    mark, or an HTML comment holding a block's mark) and each image into a link, and
    ``raws`` holds the raw HTML, the n-th mark standing for ``raws[n]``.
    """

    def __init__(self, starts: Sequence[int], mark_end: str) -> None:
        """Prepare a scan.

        Args:
            starts: the byte offset where each line of the body starts.
            mark_end: what ends every mark, from :func:`_mark_end`.
        """
        self.starts = starts
        self.mark_end = mark_end
        self.headings: list[_Heading] = []
        self.edits: list[_Edit] = []
        self.raws: list[str] = []
        self.block: list[tuple[int, int, str]] = []
        self.depth = 0
        self.title: list[str] | None = None

    def run(self, body: str) -> _Scan:
        """Scan ``body``, the document with its front matter blanked out."""
        # pyromark's event types are precise unions; the scan reads them as data.
        events: Any = pyromark.events_with_range(body, options=_OPTIONS)
        for event, span in events:
            if isinstance(event, str):
                if self.title is not None:
                    self.title.append(" ")  # a line break inside a setext heading
                continue
            ((kind, value),) = event.items()
            if kind == "Start":
                self._start(value, span["start"])
            elif kind == "End":
                self._end(value, span["start"])
            elif kind == "Html":
                self.block.append((span["start"], span["end"], value))
            elif kind == "InlineHtml":
                self.edits.append(_Edit(span["start"], span["end"], self._mark(value)))
                if self.title is not None:
                    self.title.append(value)
            elif kind in ("Text", "Code") and self.title is not None:
                self.title.append(value)
        return self

    def _start(self, value: Any, start: int) -> None:
        if isinstance(value, dict) and "Heading" in value and self.depth == 0:
            self.title = []
        elif isinstance(value, dict) and "Image" in value:
            # An escaped "!" leaves a link to the picture, its text still shown.
            self.edits.append(_Edit(start, start, "\\"))
        self.depth += 1

    def _end(self, value: Any, start: int) -> None:
        self.depth -= 1
        if value == "HtmlBlock":
            raw = "".join(line for _, _, line in self.block)
            self.edits.extend(_block_edits(self.block, self._mark(raw)))
            self.block = []
        elif isinstance(value, dict) and self.title is not None and self.depth == 0:
            level = _SECTION_LEVELS.get(value.get("Heading", ""))
            if level is not None:
                title = " ".join("".join(self.title).split())
                self.headings.append(_Heading(bisect_right(self.starts, start), level, title))
            self.title = None

    def _mark(self, raw: str) -> str:
        """Keep ``raw`` HTML aside; return the mark that stands for it."""
        self.raws.append(raw)
        return f"{_MARK_START}{len(self.raws) - 1}{self.mark_end}"


def _block_edits(block: Sequence[tuple[int, int, str]], mark: str) -> list[_Edit]:
    """Make an HTML block into one HTML comment holding only its ``mark``.

    Each of the block's lines keeps its place, emptied, so the block still ends on its
    own last line and the lists and quotes around it keep their shape; a comment ends
    on the line holding ``-->`` whatever lies between.
    """
    edits = [_Edit(start, end - 1 if raw.endswith("\n") else end, "") for start, end, raw in block]
    if not edits:
        return []
    edits[0] = edits[0]._replace(text=f"<!--{mark}")
    edits[-1] = edits[-1]._replace(text=edits[-1].text + "-->")
    return edits


def _mark_end(text: str) -> str:
    """Return a string ``text`` cannot produce, which ends every mark's number.

    It is derived from the text itself, so a document cannot spell out its own marks
    (not even with character references) without knowing its own hash.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] + _MARK_STOP


def _resolver(body: str) -> Callable[[Any], tuple[str, str] | None]:
    """Resolve link references against the whole document's definitions.

    Sections are rendered one by one, and a link may use a definition written in
    another section.
    """
    definitions = {
        _label(label): (definition["dest"], definition["title"] or "")
        for label, definition in pyromark.reference_definitions(body, options=_OPTIONS).items()
    }

    def resolve(link: Any) -> tuple[str, str] | None:
        return definitions.get(_label(str(link["reference"])))

    return resolve


def _label(label: str) -> str:
    """Normalise a link label as CommonMark matches them."""
    return " ".join(label.split()).casefold()


class _Renderer:
    """Render byte ranges of a document's body to sanitised HTML."""

    def __init__(
        self,
        source: bytes,
        edits: Sequence[_Edit],
        raws: Sequence[str],
        mark_end: str,
        resolve: Callable[[Any], tuple[str, str] | None],
    ) -> None:
        self.source = source
        self.edits = sorted(edits)
        self.edit_starts = [edit.start for edit in self.edits]
        self.raws = raws
        self.resolve = resolve
        number = re.escape(_MARK_START) + r"(\d+)" + re.escape(mark_end)
        self.block = re.compile("<!--" + number + r"\s*-->")
        self.inline = re.compile(number)

    def render(self, start: int, end: int) -> str:
        """Render the body's bytes ``start:end`` (whole lines) as sanitised HTML."""
        pieces: list[bytes] = []
        done = start
        first = bisect_right(self.edit_starts, start - 1)
        last = bisect_right(self.edit_starts, end - 1)
        for edit in self.edits[first:last]:
            pieces += [self.source[done : edit.start], edit.text.encode("utf-8")]
            done = edit.end
        pieces.append(self.source[done:end])
        markdown = b"".join(pieces).decode("utf-8")
        html = pyromark.html(markdown, options=_OPTIONS, broken_link_callback=self.resolve)
        html = self.block.sub(self._shown_block, html)
        html = self.inline.sub(self._shown_inline, html)
        return _clean(_ALIGNED_CELL.sub(r'<\1 align="\2">', html))

    def _shown_block(self, match: re.Match[str]) -> str:
        return f"<pre><code>{escape(self.raws[int(match[1])])}</code></pre>"

    def _shown_inline(self, match: re.Match[str]) -> str:
        return escape(self.raws[int(match[1])])


def _clean(html: str) -> str:
    """Keep only the allowed elements, attributes and link schemes of ``html``."""
    return str(
        nh3.clean(
            html,
            tags=_TAGS,
            clean_content_tags=_DROPPED_WITH_CONTENT,
            attributes=_ATTRIBUTES,
            tag_attribute_values=_ATTRIBUTE_VALUES,
            link_rel=_LINK_REL,
            url_schemes=_URL_SCHEMES,
            strip_comments=True,
        )
    )


__all__ = [
    "Section",
    "document_sections",
    "sanitised_html",
    "section_of_line",
]
