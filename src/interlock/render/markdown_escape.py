"""Escape answer text so that it reads literally in a rendered Markdown document.

Answers are whatever people typed: they may hold ``#``, ``|``, backticks, HTML, lines
of ``---`` or text that looks like template code. Rendered as they are, such text
could add a heading, split a table row or hide under an HTML comment. Every value a
template prints goes through one of the functions here:

- :func:`escape_inline` for a value inside a sentence, a list item or a bold field
  line: one line, its line breaks turned into ``<br>``;
- :func:`escape_cell` for a table cell: the same, so a cell never splits its row;
- :func:`escape_heading` for heading text: one line, runs of white space folded;
- :func:`escape_block` for free prose standing as its own paragraphs: paragraphs and
  line breaks kept, but no line can start a heading, list, quote, fence or table.

Escaping uses CommonMark backslash escapes, which every renderer shows as the bare
character, so the reader sees exactly what was typed. Their results are
:class:`Markdown`, which the template environment prints as it is; anything else it
prints through :func:`escape_inline`.
"""

from __future__ import annotations

import re

__all__ = [
    "Markdown",
    "escape_block",
    "escape_cell",
    "escape_heading",
    "escape_inline",
    "normalise_text",
]


class Markdown(str):
    """Text that is already Markdown: printed by a template as it is."""

    __slots__ = ()


# Characters that mean something wherever they stand. ``{`` and ``}`` are plain text
# to Markdown, but escaping them keeps typed ``{{ x }}`` from reading as an unfilled
# template placeholder to the validator; ``_`` is handled apart (see _UNDERSCORE).
_ANYWHERE = re.compile(r"[\\`*\[\]<&|{}~]")
_UNDERSCORE = re.compile(r"_")
# What opens a block at the start of a line: ATX headings (#), block quotes (>), list
# items (-, + and 1. or 1) before a blank), thematic breaks and setext underlines
# (---, ===). Only the first character needs its escape; ``*``, ``_``, backticks and
# ``~`` (the other list, break and fence characters) are escaped wherever they stand.
_LINE_START = re.compile(r"[-+=#>]|\d{1,9}(?=[.)](?:[ \t]|$))")
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BLANK_RUN = re.compile(r"\n[ \t]*\n\s*")
# Bidirectional controls reorder what a reader sees (a "Trojan Source" answer can show
# one thing and say another) and zero-width spaces hide text; each is shown as its
# code point. The zero-width (non-)joiners stay: scripts and emoji need them.
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def normalise_text(text: str) -> str:
    """Return ``text`` with every kind of line break as ``\\n`` and no unusable code points.

    A lone carriage return is a line break to a Markdown parser but not to most
    readers of the file, and NUL is replaced by every parser; both would make the
    document say something other than what it shows. So would bidirectional controls
    and zero-width spaces: they are written out as ``<U+202E>``.
    """
    text = _BREAKS.sub("\n", text)
    text = text.replace("\x00", "\ufffd")
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)
    return _SURROGATE.sub("\ufffd", text)


def _escape_characters(text: str) -> str:
    text = _ANYWHERE.sub(lambda match: "\\" + match.group(), text)
    return _UNDERSCORE.sub(_underscore, text) if "_" in text else text


def _underscore(match: re.Match[str]) -> str:
    # An underscore between two letters or digits can neither open nor close emphasis
    # (CommonMark's flanking rules), so snake_case names stay readable in the source.
    text, at = match.string, match.start()
    inside_word = 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum()
    return "_" if inside_word else "\\_"


def _escape_line(line: str) -> str:
    """Escape one line so that it can stand at the start of a Markdown line."""
    # Leading blanks would make an indented code block or a nested list item.
    escaped = _escape_characters(line.strip(" \t"))
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    if start.group()[0].isdigit():
        # "1." or "1)" opens an ordered list; the escape goes on its punctuation.
        end = start.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def escape_inline(text: str) -> Markdown:
    """Escape ``text`` for one line of Markdown: a sentence, list item or field value."""
    lines = normalise_text(text).strip().split("\n")
    return Markdown("<br>".join(_escape_line(line) for line in lines))


def escape_cell(text: str) -> Markdown:
    """Escape ``text`` for a table cell: pipes escaped, line breaks as ``<br>``."""
    lines = normalise_text(text).strip().split("\n")
    return Markdown("<br>".join(_escape_characters(line.strip(" \t")) for line in lines))


def escape_heading(text: str) -> Markdown:
    """Escape ``text`` for a heading: one line, white space folded to single spaces."""
    # Inside a heading nothing opens a block, but a run of ``#`` at the end of the line
    # closes the heading and would be dropped.
    line = _escape_characters(" ".join(normalise_text(text).split()))
    return Markdown(line.replace("#", "\\#"))


def escape_block(text: str) -> Markdown:
    """Escape ``text`` as paragraphs: blank lines separate them, line breaks are kept."""
    paragraphs = _BLANK_RUN.split(normalise_text(text).strip())
    rendered = []
    for paragraph in paragraphs:
        lines = [_escape_line(line) for line in paragraph.split("\n")]
        # A backslash at the end of a line is a hard line break.
        rendered.append("\\\n".join(line for line in lines if line))
    return Markdown("\n\n".join(part for part in rendered if part))
