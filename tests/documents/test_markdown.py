"""How the Markdown body parser reads raw HTML, and headings written in odd ways."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.documents.model import Document
from interlock.documents.parser import parse_document

NEXT_HEADINGS = {
    "span": '## <span id="x">Next</span>',
    "trailing-anchor": '## Next <a name="n"></a>',
    "leading-anchor": '## <a name="n"></a>Next',
    "em-tag": "## <em>Next</em>",
    "nested-tags": '## <span class="a"><b>Next</b></span>',
    "inline-comment": "## Next <!-- renamed -->",
    "setext": '<span id="x">Next</span>\n-----',
    "html-block": "<h2>Next</h2>",
    "html-block-attributes": '<H2 id="next" class="x">\n  <a name="n"></a>Next\n</H2>',
    "image-alt": '## <img src="next.png" alt="Next">',
    "code": "## `Next`",
    "markdown-image": "## ![Next](next.png)",
    "emphasis": "## *Next*",
    "blockquote": "> ## Next",
    "list-item": "- ## Next",
}


def parse(text: str) -> Document:
    return parse_document(text, path=Path("spec.md"))


def outline(doc: Document) -> list[tuple[str, int, int, str]]:
    return [(s.title, s.level, s.line, s.own_text) for s in doc.walk_sections()]


@pytest.mark.parametrize("heading", NEXT_HEADINGS.values(), ids=NEXT_HEADINGS.keys())
def test_a_heading_written_with_html_leaves_the_section_before_it_empty(heading: str) -> None:
    doc = parse(f"# Title\n\nIntro.\n\n## Empty section\n\n{heading}\n\nText.\n")
    assert outline(doc) == [
        ("Title", 1, 1, "Intro."),
        ("Empty section", 2, 5, ""),
        ("Next", 2, 7, "Text."),
    ]


def test_an_html_heading_right_under_a_heading_starts_a_section() -> None:
    doc = parse("# Title\n\n## Empty section\n<h3>Next</h3>\n\nText.\n")
    assert outline(doc) == [
        ("Title", 1, 1, ""),
        ("Empty section", 2, 3, ""),
        ("Next", 3, 4, "Text."),
    ]
    assert doc.sections[0].children[0].end_line == 6


def test_a_heading_of_nothing_but_html_has_an_empty_title() -> None:
    doc = parse('# Title\n\n## <a name="n"></a>\n\nText.\n')
    assert outline(doc)[1] == ("", 2, 3, "Text.")


def test_headings_inside_an_html_block_split_its_text_between_sections() -> None:
    text = (
        "# Title\n\n<div>\n<p>Before.</p>\n<h3 id='x'>Inner\n<em>title</em></h3>\n"
        "<p>After.</p>\n<h2>Last</h2>\n</div>\n"
    )
    assert outline(parse(text)) == [
        ("Title", 1, 1, "Before."),
        ("Inner title", 3, 5, "After."),
        ("Last", 2, 8, ""),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<!--\n<h2>Hidden</h2>\n-->",
        "<div>\n<!-- <h2>Hidden</h2> -->\n</div>",
        "<script>\nlet title = '<h2>Hidden</h2>';\n</script>",
        "<h2>Unclosed\n<p>text</p>",
    ],
    ids=["comment-block", "comment-in-div", "script", "unclosed"],
)
def test_a_heading_tag_that_does_not_show_is_no_heading(html: str) -> None:
    doc = parse(f"# Title\n\n{html}\n")
    assert [section.title for section in doc.walk_sections()] == ["Title"]


@pytest.mark.parametrize(
    ("body", "own_text"),
    [
        ("<!-- to do -->", ""),
        ("<div>\n<!-- to do -->\n</div>", ""),
        ('<a name="anchor"></a>', ""),
        ("<br>", ""),
        ("<div>&nbsp;</div>", ""),
        ('<p align="center">\n  <img src="diagram.png">\n</p>', ""),
        ("<style>\np { color: red }\n</style>", ""),
        ("&#8203;", ""),
        ("\u200b\u2060\ufeff", ""),
        ("<p>Real <b>words</b>.</p>", "Real words."),
        ('<img src="diagram.png" alt="Sequence diagram">', "Sequence diagram"),
        ('<p><img alt="Sequence diagram" src="d.png"></p>', "Sequence diagram"),
        ("<details>\n<summary>More</summary>\n</details>", "More"),
        ("<fill in>", "<fill in>"),
        ("Owner: <fill in>", "Owner: <fill in>"),
        ("<div>Fish &amp; chips</div>", "Fish & chips"),
    ],
    ids=[
        "comment",
        "comment-in-div",
        "anchor",
        "br",
        "nbsp",
        "image-without-alt",
        "style",
        "zero-width-entity",
        "zero-width-characters",
        "paragraph",
        "image-alt",
        "image-alt-in-block",
        "details",
        "placeholder-block",
        "placeholder-inline",
        "entity",
    ],
)
def test_html_counts_by_the_text_it_shows(body: str, own_text: str) -> None:
    (section,) = parse(f"## Goals\n\n{body}\n").sections
    assert " ".join(section.own_text.split()) == own_text


def test_html_tags_are_not_plain_text() -> None:
    doc = parse('# T\n\nA <span class="note">short</span> line<br>here.\n\n<div>\nBlock\n</div>\n')
    assert doc.plain_text.split() == ["A", "short", "line", "here.", "Block"]


def test_comments_in_a_quoted_html_block_keep_their_lines_without_the_quote_marks() -> None:
    doc = parse("# T\n\n> <div>\n> <!-- a\n> b -->\n> </div>\n")
    assert [(c.line, c.end_line, c.text) for c in doc.comments] == [(4, 5, " a\nb ")]
    assert doc.sections[0].own_text == ""


def test_a_block_of_unclosed_tags_parses() -> None:
    text = "# T\n\n<div " + '<a "x ' * 5000 + "\n\n<h2 " * 2000 + "\n"
    assert parse(text).sections[0].title == "T"


_WRAPS = {
    "none": "{}",
    "span": '<span id="a">{}</span>',
    "anchor-before": '<a name="a"></a>{}',
    "anchor-after": '{} <a name="a"></a>',
    "strong": "<strong>{}</strong>",
    "comment": "{} <!-- note -->",
}
_BODIES = ["", "Some text.", "<!-- guidance -->", '<a name="x"></a>', "- [ ] Task"]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 6),
            st.sampled_from(sorted(_WRAPS)),
            st.booleans(),
            st.sampled_from(_BODIES),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_wrapping_heading_text_in_html_changes_no_title_and_no_emptiness(
    headings: list[tuple[int, str, bool, str]],
) -> None:
    def document(wrapped: bool) -> str:
        parts = []
        for number, (level, wrap, html_block, body) in enumerate(headings):
            title = f"Heading {number}"
            if not wrapped:
                line = f"{'#' * level} {title}"
            elif html_block:
                line = f"<h{level}>{_WRAPS[wrap].format(title)}</h{level}>"
            else:
                line = f"{'#' * level} {_WRAPS[wrap].format(title)}"
            parts.append(f"{line}\n\n{body}\n\n")
        return "".join(parts)

    def shape(doc: Document) -> list[tuple[str, int, int, int, bool]]:
        return [
            (s.title, s.level, s.line, s.end_line, s.has_content()) for s in doc.walk_sections()
        ]

    assert shape(parse(document(wrapped=True))) == shape(parse(document(wrapped=False)))
