from pathlib import Path

import pytest

from interlock.documents.model import Document, Table, TableRow
from interlock.documents.parser import parse_document
from interlock.validate.rules._statements import (
    Field,
    column_cells,
    column_names,
    fold_name,
    is_unfilled,
    lines_with,
    preferred_section_line,
    read_field,
    statement_lines,
    strip_placeholders,
)


def _parse(text: str) -> Document:
    return parse_document(text, path=Path("specs/spec.md"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- **Rate Limits**: 100 rps", Field("rate limits", "100 rps", 20)),
        ("**Auth Method:** API key", Field("auth method", "API key", 18)),
        ("- Authentication: mutual TLS", Field("authentication", "mutual TLS", 19)),
        ("1. Max Retries: 3", Field("max retries", "3", 17)),
        ("__Timeout__: 5 s", Field("timeout", "5 s", 14)),
        ("  *  **Rate   LIMIT** :  none  ", Field("rate limit", "none", 26)),
        ("- **Timeout**:", Field("timeout", "", 15)),
    ],
    ids=[
        "bold-list-item",
        "colon-inside-bold",
        "plain-list-item",
        "numbered",
        "underscores",
        "loose-spacing",
        "empty-value",
    ],
)
def test_read_field_finds_name_value_and_value_column(line: str, expected: Field) -> None:
    assert read_field(line) == expected


@pytest.mark.parametrize(
    "line",
    ["The service retries failed calls.", "| Auth | API key |", f"{'x' * 61}: value", ""],
    ids=["prose", "table-row", "name-too-long", "empty"],
)
def test_read_field_rejects_lines_that_are_not_fields(line: str) -> None:
    assert read_field(line) is None


def test_fold_name_ignores_case_and_spacing() -> None:
    assert fold_name("  Rate\tLIMIT   Policy ") == "rate limit policy"


def test_strip_placeholders_removes_template_slots_but_keeps_links() -> None:
    text = "{{Auth}} [API key | OAuth] <method> see [docs](https://x.io) or <https://x.io>"
    assert strip_placeholders(text) == "   see [docs](https://x.io) or <https://x.io>"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "TBD",
        " n/a. ",
        "todo",
        "?",
        "{{Authentication requirements}}",
        "[API Key | OAuth]",
        "<auth method>",
        "`TBD`",
        "**—**",
        "{{a}}, {{b}}",
    ],
    ids=[
        "empty",
        "tbd",
        "na-with-dot",
        "todo",
        "question-mark",
        "curly",
        "bracket",
        "angle",
        "code-tbd",
        "bold-dash",
        "two-slots",
    ],
)
def test_is_unfilled_for_values_that_state_nothing(value: str) -> None:
    assert is_unfilled(value)


@pytest.mark.parametrize(
    "value",
    ["OAuth 2.0", "none", "0", "[docs](https://x.io)", "<https://api.example.com>", "{{old}} 5 s"],
    ids=["scheme", "explicit-none", "zero", "link", "autolink", "slot-beside-value"],
)
def test_is_unfilled_is_false_for_real_values(value: str) -> None:
    assert not is_unfilled(value)


def test_column_names_are_folded_in_order() -> None:
    doc = _parse("| Auth  Method | Rate LIMIT |\n|---|---|\n| API key | 10 rps |\n")
    assert column_names(doc.tables[0]) == ["auth method", "rate limit"]


def test_column_cells_yield_one_column_and_pass_over_short_rows() -> None:
    table = Table(
        line=1,
        end_line=5,
        header=TableRow(1, ("Method", "Path"), 2),
        rows=(
            TableRow(3, ("GET", "/a"), 2),
            TableRow(4, ("POST",), 1),
            TableRow(5, ("PUT", "/c"), 2),
        ),
    )
    assert list(column_cells(table, 1)) == ["/a", "/c"]
    assert list(column_cells(table, 0)) == ["GET", "POST", "PUT"]


@pytest.mark.parametrize(
    ("needles", "expected"),
    [(("uth",), [2, 3, 5]), (("zeta", "beta"), [2, 6]), (("AUTH",), []), (("nowhere",), [])],
    ids=["each-line-once", "several-needles-in-line-order", "case-sensitive", "no-hit"],
)
def test_lines_with_numbers_the_lines_holding_a_needle(
    needles: tuple[str, ...], expected: list[int]
) -> None:
    text = "alpha\nbeta auth\nOAuth and auth\n\nauth\nzeta"
    assert lines_with(text, needles) == expected


def test_statement_lines_skip_headings_code_comments_and_tables() -> None:
    text = (
        "# Auth\n"
        "\n"
        "- **Auth**: API key\n"
        "\n"
        "```\n"
        "auth: in code\n"
        "```\n"
        "\n"
        "<!-- auth in a comment -->\n"
        "\n"
        "| Auth |\n"
        "|------|\n"
        "| x    |\n"
        "\n"
        "Calls authenticate with OAuth.\n"
    )
    assert list(statement_lines(_parse(text), ("uth",))) == [
        (3, "- **Auth**: API key"),
        (15, "Calls authenticate with OAuth."),
    ]


SECTIONS = """\
---
id: spec-x
---

# Spec

## Connection Details

## Error Handling & Recovery:

## Technical Specifications

## Connection Details
"""


def test_preferred_section_line_follows_the_order_of_titles_not_of_the_document() -> None:
    doc = _parse(SECTIONS)
    assert preferred_section_line(doc, ("technical specifications", "connection details")) == 11


def test_preferred_section_line_takes_the_first_heading_of_a_repeated_title() -> None:
    assert preferred_section_line(_parse(SECTIONS), ("connection details",)) == 7


def test_preferred_section_line_compares_normalised_titles() -> None:
    assert preferred_section_line(_parse(SECTIONS), ("error handling and recovery",)) == 9


def test_preferred_section_line_falls_back_to_the_top_of_the_body() -> None:
    assert preferred_section_line(_parse(SECTIONS), ("retry mechanism",)) == 4
