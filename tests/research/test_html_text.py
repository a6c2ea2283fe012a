"""Descriptions with HTML become Markdown; angle-bracket placeholders stay text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.research.html_text import prose


def test_a_placeholder_in_angle_brackets_is_kept_as_written() -> None:
    # Stripe's basic scheme: neither placeholder is an element of HTML.
    text = (
        "Allowed headers-- Authorization: Basic <api_key> | "
        "Authorization: Basic <base64 hash of `api_key:`>"
    )
    assert prose(text) == text


def test_html_is_converted_and_a_placeholder_inside_it_survives() -> None:
    assert prose("<p>Use <api_key> &amp; <code>x</code></p>") == "Use <api_key> & `x`"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<h1>Create</h1>", "# Create"),
        ("<a href='https://x.example'>charge</a>", "[charge](https://x.example)"),
        ("one<br>two", "one  \ntwo"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<p>shown</p><script>hidden()</script>", "shown"),
    ],
)
def test_elements_of_html_become_markdown(html: str, markdown: str) -> None:
    assert prose(html) == markdown


def test_text_without_an_element_is_returned_untouched() -> None:
    for text in ("a < b and c > d", "List<String>", "<T> generic", "x <= 3", "<unknown-tag>"):
        assert prose(text) == text


@given(st.text(alphabet=st.characters(blacklist_characters="&"), max_size=80))
def test_no_word_of_a_text_without_elements_is_lost(text: str) -> None:
    # Any text that names no element of HTML comes back exactly as it was.
    text = text.replace("<", "<x_")
    assert prose(text) == text
