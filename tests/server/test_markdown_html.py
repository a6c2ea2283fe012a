"""Spec documents as the team server's document page shows them: sections with the lines
they cover, and HTML in which nothing a user typed becomes markup or goes missing."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.server.markdown_html import (
    Section,
    document_sections,
    sanitised_html,
    section_of_line,
)

ALLOWED_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tr th td "  # noqa: SIM905
    "code pre em strong del blockquote a hr br input".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},
    "th": {"align"},
    "td": {"align"},
}
ANCHOR = re.compile(r"[a-z0-9-]+")
REL = "noopener noreferrer nofollow"

SPEC = """\
---
title: Orders service
owner: "<b>Team</b>"
---

Draft for review; see [the contract][contract].

# Orders service

The service takes orders.

## Failure handling

```python
# not a heading
retry(times=3)
```

#### Retry budget
Three tries, then the queue.

Data retention
--------------

Orders are kept 7 years.

### Deletion

- [x] purge job
- [ ] audit trail

[contract]: https://example.com/contract "Contract"
"""


class Page(HTMLParser):
    """HTML as its start tags (with attributes) and the text a reader sees."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", {}))

    @property
    def text(self) -> str:
        """The visible text, white space collapsed."""
        return " ".join("".join(self.texts).split())


def assert_safe(html: str) -> Page:
    """Assert ``html`` holds only allowed elements, attributes and link schemes."""
    page = Page(html)
    for tag, attributes in page.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        assert set(attributes) <= ALLOWED_ATTRIBUTES.get(tag, set()), f"<{tag} {attributes}>"
        if tag == "input":
            assert attributes.get("type") == "checkbox"
        for value in attributes.values():
            # Browsers ignore white space and control characters inside a scheme.
            squeezed = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), value
    return page


def line_count(text: str) -> int:
    """Count lines as the document parser numbers them."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def spans(sections: list[Section]) -> list[tuple[str, int, int]]:
    return [(section.anchor, section.first_line, section.last_line) for section in sections]


# -- sections and their lines ------------------------------------------------------


def test_a_spec_is_cut_at_its_headings_of_level_one_to_three() -> None:
    sections = document_sections(SPEC)

    assert [(section.title, section.level) for section in sections] == [
        ("Front matter", 0),
        ("", 0),
        ("Orders service", 1),
        ("Failure handling", 2),
        ("Data retention", 2),
        ("Deletion", 3),
    ]
    assert spans(sections) == [
        ("s-front-matter", 1, 4),
        ("s-preamble", 5, 7),
        ("s-1-orders-service", 8, 11),
        ("s-2-failure-handling", 12, 21),
        ("s-3-data-retention", 22, 26),
        ("s-4-deletion", 27, 32),
    ]


def test_code_and_deeper_headings_stay_inside_their_section() -> None:
    failure = document_sections(SPEC)[3]
    page = Page(failure.html)

    assert [tag for tag, _ in page.tags if tag[0] == "h"] == ["h2", "h4"]
    assert "# not a heading" in page.text
    assert "Three tries, then the queue." in page.text


def test_the_setext_heading_starts_a_section_on_its_text_line() -> None:
    retention = document_sections(SPEC)[4]

    assert (retention.title, retention.first_line) == ("Data retention", 22)
    assert SPEC.splitlines()[21] == "Data retention"
    assert retention.html.startswith("<h2>Data retention</h2>")


def test_front_matter_is_shown_as_its_text_never_as_markdown() -> None:
    front = document_sections(SPEC)[0]
    page = Page(front.html)

    assert [tag for tag, _ in page.tags] == ["pre", "code"]
    assert "".join(page.texts).rstrip("\n") == (
        '---\ntitle: Orders service\nowner: "<b>Team</b>"\n---'
    )


def test_blank_lines_after_front_matter_belong_to_it() -> None:
    sections = document_sections("---\na: 1\n---\n\n\n# Title\ntext\n")

    assert spans(sections) == [("s-front-matter", 1, 5), ("s-1-title", 6, 7)]


def test_a_never_closed_fence_is_markdown_not_front_matter() -> None:
    sections = document_sections("---\n# Title\ntext\n")

    assert spans(sections) == [("s-preamble", 1, 1), ("s-1-title", 2, 3)]
    assert "<hr>" in sections[0].html


def test_a_heading_inside_a_list_or_quote_does_not_cut_it() -> None:
    sections = document_sections("# Top\n\n- item\n\n  ## In a list\n\n> ## In a quote\n")

    assert spans(sections) == [("s-1-top", 1, 7)]
    assert Page(sections[0].html).text == "Top item In a list In a quote"


def test_windows_line_endings_count_as_the_validator_counts() -> None:
    sections = document_sections("\ufeff---\r\na: 1\r\n---\r\n# One\r\ntext\r# Two\r\n")

    assert spans(sections) == [("s-front-matter", 1, 3), ("s-1-one", 4, 5), ("s-2-two", 6, 6)]


def test_an_empty_document_has_no_sections() -> None:
    assert document_sections("") == []
    assert sanitised_html("") == ""


@pytest.mark.parametrize(
    ("markdown", "anchors"),
    [
        ("# Intro\n# Intro\n", ["s-1-intro", "s-2-intro"]),
        ("# Über größe — ünicode!\n", ["s-1-uber-groe-unicode"]),
        ("# 日本語\n# <b>\n", ["s-1", "s-2-b"]),
        ("# " + "word " * 40 + "\n", ["s-1-" + ("word-" * 12).strip("-")]),
    ],
    ids=["duplicate-titles", "accents", "no-ascii", "long-title"],
)
def test_anchors_are_unique_slugs(markdown: str, anchors: list[str]) -> None:
    sections = document_sections(markdown)

    assert [section.anchor for section in sections] == anchors
    assert all(ANCHOR.fullmatch(anchor) for anchor in anchors)


def test_a_heading_with_raw_html_shows_it_as_text_in_title_and_page() -> None:
    (section,) = document_sections('## Owner <span class="x">team</span>\n')

    assert section.title == 'Owner <span class="x">team</span>'
    assert Page(section.html).text == 'Owner <span class="x">team</span>'


def test_section_of_line_finds_the_section_holding_a_line() -> None:
    sections = document_sections(SPEC)

    assert [section_of_line(sections, line) for line in (1, 4, 5, 8, 14, 32)] == [
        sections[0],
        sections[0],
        sections[1],
        sections[2],
        sections[3],
        sections[5],
    ]
    assert section_of_line(sections, 0) is None
    assert section_of_line(sections, 33) is None
    assert section_of_line([], 1) is None


def test_the_whole_document_is_its_sections_in_order() -> None:
    assert sanitised_html(SPEC) == "".join(section.html for section in document_sections(SPEC))


# -- what Markdown produces --------------------------------------------------------


def test_a_link_uses_a_definition_from_another_section() -> None:
    preamble = document_sections(SPEC)[1]
    page = Page(preamble.html)

    link = {"href": "https://example.com/contract", "title": "Contract", "rel": REL}
    assert ("a", link) in page.tags


def test_task_items_are_disabled_checkboxes() -> None:
    deletion = document_sections(SPEC)[5]
    inputs = [attributes for tag, attributes in Page(deletion.html).tags if tag == "input"]

    assert inputs == [
        {"disabled": "", "type": "checkbox", "checked": ""},
        {"disabled": "", "type": "checkbox"},
    ]


def test_table_alignment_survives_without_style_attributes() -> None:
    html = sanitised_html("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")

    assert '<th align="center">a</th><th align="right">b</th>' in html
    assert "style" not in html


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[x](https://example.com/a?b=1)", "https://example.com/a?b=1"),
        ("[x](http://example.com)", "http://example.com"),
        ("[x](mailto:team@example.com)", "mailto:team@example.com"),
        ("[x](../plan.md)", "../plan.md"),
        ("[x](#s-2-failure-handling)", "#s-2-failure-handling"),
        ("[x](javascript:alert(1))", None),
        ("[x](JavaScript&#58;alert(1))", None),
        ("[x](data:text/html,<script>alert(1)</script>)", None),
        ("[x](vbscript:msgbox)", None),
    ],
    ids=[
        "https",
        "http",
        "mailto",
        "relative",
        "fragment",
        "javascript",
        "entity-colon",
        "data",
        "vbscript",
    ],
)
def test_links_keep_only_safe_addresses(markdown: str, href: str | None) -> None:
    page = assert_safe(sanitised_html(markdown))

    (link,) = [attributes for tag, attributes in page.tags if tag == "a"]
    assert link.get("href") == href
    assert link["rel"] == REL
    assert page.text == "x"


def test_an_image_becomes_a_link_to_it_with_its_text_shown() -> None:
    page = assert_safe(sanitised_html('![Order flow *v2*](https://example.com/flow.png "Flow")'))

    assert all(tag != "img" for tag, _ in page.tags)
    link = {"href": "https://example.com/flow.png", "title": "Flow", "rel": REL}
    assert ("a", link) in page.tags
    assert page.text == "!Order flow v2"


# -- hostile content ---------------------------------------------------------------

HOSTILE = {
    "script": ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    "script-inline": ("Hi <script>alert(1)</script> there", "Hi <script>alert(1)</script> there"),
    "img-onerror": ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    "img-inline": ("a <img src=x onerror=alert(1)> b", "a <img src=x onerror=alert(1)> b"),
    "javascript-link": ("[x](javascript:alert(1))", "x"),
    "data-anchor": (
        'See <a href="data:text/html,<script>alert(1)</script>">this</a>',
        'See <a href="data:text/html,<script>alert(1)</script>">this</a>',
    ),
    "iframe": (
        '<iframe src="https://evil.example"></iframe>',
        '<iframe src="https://evil.example"></iframe>',
    ),
    "svg-onload": ("<svg onload=alert(1)>", "<svg onload=alert(1)>"),
    "svg-inline": ("x <svg/onload=alert(1)> y", "x <svg/onload=alert(1)> y"),
    "style": ("<style>body{display:none}</style>", "<style>body{display:none}</style>"),
    "comment": ("<!-- <script>alert(1)</script> -->", "<!-- <script>alert(1)</script> -->"),
    "comment-inline": ("a <!-- hidden --> b", "a <!-- hidden --> b"),
    "entities": ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
    "autolink": ("<javascript:alert(1)>", "javascript:alert(1)"),
    "div-onclick": (
        '<div onclick="alert(1)">\n*hi*\n</div>',
        '<div onclick="alert(1)"> *hi* </div>',
    ),
    "in-a-quote": ("> <script>\n> alert(1)\n> </script>", "<script> alert(1) </script>"),
    "in-a-list": (
        "- item\n\n  <img src=x\n  onerror=alert(1)>",
        "item <img src=x onerror=alert(1)>",
    ),
    "in-a-table": (
        "| a |\n|---|\n| <b onmouseover=alert(1)>x</b> |",
        "a <b onmouseover=alert(1)>x</b>",
    ),
    "in-code": ("`<script>alert(1)</script>`", "<script>alert(1)</script>"),
    "typed-answer": ('<b>x</b> & "y"', '<b>x</b> & "y"'),
}


@pytest.mark.parametrize(("markdown", "shown"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_content_is_shown_as_text_never_as_markup(markdown: str, shown: str) -> None:
    for html in (sanitised_html(markdown), *(s.html for s in document_sections(markdown))):
        page = assert_safe(html)
        assert not {"script", "img", "iframe", "svg", "style", "!--"} & {t for t, _ in page.tags}
        assert not re.search(r"<[^>]*\bon\w+\s*=", html, re.IGNORECASE)
    assert Page(sanitised_html(markdown)).text == shown


def test_a_hostile_heading_keeps_its_text_in_title_and_page() -> None:
    (section,) = document_sections("# <img src=x onerror=alert(1)> Plan\n")

    assert section.title == "<img src=x onerror=alert(1)> Plan"
    assert assert_safe(section.html).text == section.title


def test_a_document_cannot_spell_out_the_marks_that_stand_for_raw_html() -> None:
    markdown = "<b>one</b>\n\n&#xE000;0 and \ue0000\ue001\n"

    assert Page(sanitised_html(markdown)).text == "<b>one</b> \ue0000 and \ue0000\ue001"


# -- any text at all ---------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "\n", "\n\n", "# ", "## ", "#### ", "---\n", "===\n", "```\n", "~~~", "    ", "> ",
        "- ", "1. ", "- [ ] ", "| a | b |\n|---|:-:|\n", "<", ">", "</", '"', "'", "&", "`",
        "<script>", "</script>", "<!--", "-->", "<div>", "</div>", "<img src=x onerror=a()>",
        "<a href='javascript:a()'>", "[x](", "](javascript:alert(1))", "](data:x)", "![",
        "<javascript:a()>", "&lt;", "&#", "&#58;", "\\", "[r]: javascript:x\n", "[r]",
        "<?", "<![CDATA[", "<!X", "\r", "\r\n", "\t", "title: x\n", "*", "_",
    ]
)  # fmt: skip
MARKDOWNISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), MARKDOWNISH))
def test_any_text_gives_safe_html_and_sections_covering_every_line(markdown: str) -> None:
    sections = document_sections(markdown)

    for section in sections:
        assert_safe(section.html)
        assert section.first_line <= section.last_line
        assert ANCHOR.fullmatch(section.anchor)
    assert len({section.anchor for section in sections}) == len(sections)
    covered = [line for s in sections for line in range(s.first_line, s.last_line + 1)]
    assert covered == list(range(1, line_count(markdown) + 1))
    assert sanitised_html(markdown) == "".join(section.html for section in sections)
