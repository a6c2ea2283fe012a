from pathlib import Path
from typing import Any

import pytest

from interlock.documents.parser import parse_document
from interlock.validate.rules._front_matter_fields import is_empty, parsed, text_column


def test_parsed_returns_front_matter_that_parsed() -> None:
    doc = parse_document("---\nid: spec-001\n---\n# Spec\n", path=Path("specs/spec.md"))

    front_matter = parsed(doc)

    assert front_matter is not None
    assert front_matter.data == {"id": "spec-001"}


@pytest.mark.parametrize(
    "text",
    ["# Spec\n\nNo front matter.\n", "---\nid: [unclosed\n---\n# Spec\n"],
    ids=["missing", "broken"],
)
def test_parsed_returns_none_without_usable_front_matter(text: str) -> None:
    assert parsed(parse_document(text, path=Path("specs/spec.md"))) is None


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        ("", True),
        ("  \t", True),
        ([], True),
        ("Dana", False),
        ([None], False),
        (0, False),
        (False, False),
        ({}, False),
    ],
    ids=["null", "blank", "whitespace", "empty-list", "text", "list", "zero", "false", "map"],
)
def test_is_empty_only_for_null_blank_text_and_empty_lists(value: Any, empty: bool) -> None:
    assert is_empty(value) is empty


@pytest.mark.parametrize(
    ("text", "column"),
    [("id: x", 1), ("  - dana", 3), ("\tkey: v", 2), ("", 1), ("   ", 4)],
    ids=["flush", "indented", "tab", "empty", "blank"],
)
def test_text_column_is_where_the_text_starts(text: str, column: int) -> None:
    assert text_column(text) == column
