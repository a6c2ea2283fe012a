"""Answer text reads literally in Markdown: no headings, lists, tables or HTML sneak in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.documents.parser import parse_document
from interlock.render.markdown_escape import (
    escape_block,
    escape_cell,
    escape_heading,
    escape_inline,
    normalise_text,
)

HOSTILE = [
    "# a heading",
    "## Open Questions",
    "- a list item",
    "+ another",
    "* and another",
    "1. numbered",
    "7) numbered",
    "> a quote",
    "---",
    "***",
    "===",
    "```python",
    "~~~",
    "    indented code",
    "<!-- a comment -->",
    "<div>html</div>",
    "[a link](http://example.com)",
    "[label]: http://example.com",
    "| a | b |",
    "|---|---|",
    "{{ 7*7 }}",
    "{% raw %}",
    "snake_case and _emphasis_ and **bold**",
    "back\\slash at the end\\",
    "`code`",
    "&copy; &amp;",
]

# Random Unicode rarely builds Markdown syntax; this alphabet builds little else.
MARKUP = st.text(alphabet=st.sampled_from("#|-*_`[]()<>!&{}%\\\n\r\t =+.1:~aé"))
ANSWER_TEXT = st.text() | MARKUP


def _plain(markdown: str) -> str:
    """Return the text a reader sees when ``markdown`` is one paragraph, without spaces.

    The parser joins the pieces of a paragraph with spaces, so texts are compared
    without any.
    """
    doc = parse_document(f"{markdown}\n", path=Path("x.md"))
    return _squash(doc.plain_text)


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_inline_text_stays_one_paragraph_of_the_same_text(text: str) -> None:
    doc = parse_document(f"Before: {escape_inline(text)}\n", path=Path("x.md"))
    assert doc.sections == ()
    assert doc.tables == ()
    assert doc.code_blocks == ()
    assert doc.comments == ()
    assert _squash(doc.plain_text) == _squash(f"Before: {text}")


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_list_item_holds_the_text_and_nothing_else(text: str) -> None:
    doc = parse_document(f"- {escape_inline(text)}\n- next\n", path=Path("x.md"))
    assert doc.sections == ()
    assert doc.tables == ()
    assert doc.code_blocks == ()
    assert _squash(doc.plain_text) == _squash(f"{text} next")


def test_line_breaks_become_br_so_a_list_item_stays_whole() -> None:
    escaped = escape_inline("first line\n\n# not a heading\r\n- not an item")
    assert "\n" not in escaped
    assert escaped == r"first line<br><br>\# not a heading<br>\- not an item"


def test_a_cell_never_splits_its_row() -> None:
    row = f"| {escape_cell('a | b')} | {escape_cell('line 1' + chr(10) + 'line 2')} |"
    doc = parse_document(f"| A | B |\n| --- | --- |\n{row}\n", path=Path("x.md"))
    (table,) = doc.tables
    assert table.rows[0].cells == ("a | b", "line 1line 2")
    assert table.rows[0].source_cells == 2


def test_heading_text_is_one_line_and_keeps_a_trailing_hash() -> None:
    heading = escape_heading("C#  and\nF #")
    doc = parse_document(f"## {heading}\n", path=Path("x.md"))
    assert [section.title for section in doc.sections] == ["C# and F #"]


def test_block_text_keeps_paragraphs_and_line_breaks() -> None:
    text = "First paragraph\nsecond line\n\n\n- not a list\n---"
    doc = parse_document(f"## S\n\n{escape_block(text)}\n", path=Path("x.md"))
    assert [section.title for section in doc.walk_sections()] == ["S"]
    assert escape_block(text) == "First paragraph\\\nsecond line\n\n\\- not a list\\\n\\---"


def test_template_code_is_escaped_so_it_is_no_placeholder() -> None:
    assert escape_inline("{{ 7*7 }}") == r"\{\{ 7\*7 \}\}"
    assert _plain(escape_inline("{{ 7*7 }}")) == "{{7*7}}"


def test_underscores_inside_words_are_left_alone() -> None:
    assert escape_inline("order_id and _x_") == r"order_id and \_x\_"


def test_carriage_returns_and_nul_are_normalised() -> None:
    assert escape_inline("a\rb\x00") == "a<br>b\ufffd"


@given(ANSWER_TEXT)
def test_any_inline_text_is_one_list_item_with_no_structure(text: str) -> None:
    doc = parse_document(f"## Before\n\n- {escape_inline(text)}\n- after\n", path=Path("x.md"))
    assert [section.title for section in doc.walk_sections()] == ["Before"]
    assert doc.tables == ()
    assert doc.code_blocks == ()
    assert doc.comments == ()


@given(st.lists(ANSWER_TEXT, min_size=1, max_size=3))
def test_any_cells_keep_the_row_shape(cells: list[str]) -> None:
    header = "| " + " | ".join(f"H{index}" for index in range(len(cells))) + " |"
    rule = "|" + " --- |" * len(cells)
    row = "| " + " | ".join(escape_cell(cell) for cell in cells) + " |"
    doc = parse_document(f"{header}\n{rule}\n{row}\n", path=Path("x.md"))
    (table,) = doc.tables
    assert len(table.rows) == 1
    assert table.rows[0].source_cells == len(cells)


@given(ANSWER_TEXT)
def test_any_block_text_adds_no_heading_table_or_code(text: str) -> None:
    doc = parse_document(f"## S\n\n{escape_block(text)}\n\n## T\n", path=Path("x.md"))
    assert [section.title for section in doc.walk_sections()] == ["S", "T"]
    assert doc.tables == ()
    assert doc.code_blocks == ()
    assert doc.comments == ()


@given(ANSWER_TEXT)
def test_any_heading_text_is_exactly_one_heading(text: str) -> None:
    doc = parse_document(f"## System: {escape_heading(text)}\n\nbody\n", path=Path("x.md"))
    (section,) = doc.sections
    assert section.title == " ".join(f"System: {normalise_text(text)}".split())


@pytest.mark.parametrize(
    "escape", [escape_inline, escape_cell, escape_heading, escape_block], ids=lambda f: f.__name__
)
def test_bidi_controls_and_zero_width_spaces_are_shown_not_obeyed(escape: Any) -> None:
    # Reads "retry 3 times" in an editor that obeys U+202E, but says something else.
    typed = "retry \u202eemit 3\u202c times\u200b, then\ufeff stop"
    shown = str(escape(typed))
    assert not any(character in shown for character in "\u202e\u202c\u200b\ufeff")
    for code in ("U+202E", "U+202C", "U+200B", "U+FEFF"):
        assert code in shown


def test_joiners_that_scripts_and_emoji_need_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert str(escape_inline(f"{family} {persian}")) == f"{family} {persian}"
