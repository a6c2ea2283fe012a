from pathlib import Path

import pytest

from interlock.documents.reader import decode_text
from interlock.render.blank import BlankKind
from support.rule_checks import (
    BLANK_KINDS,
    SEED_NAMES,
    assert_findings,
    blank_path,
    blank_template,
    run_rule,
    seed_text,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"

ENDPOINTS = """\
# Spec

| Method | Endpoint     | Purpose        |
| ------ | ------------ | -------------- |
| POST   | /v1/payments | Create payment | 201 |
| GET    | /v1/payments/{id} |
| GET    | /v1/refunds  | List refunds   |
"""


def test_rows_with_more_or_fewer_cells_are_reported_with_both_counts() -> None:
    problems = assert_findings("table-shape", ENDPOINTS, [(5, 1), (6, 1)])
    assert "4 cells" in problems[0].message
    assert "header has 3" in problems[0].message
    assert "2 cells" in problems[1].message


@pytest.mark.parametrize(
    "row",
    [
        "| GET | `/v1/a\\|b` | Escaped pipe in code |",
        "| GET | /v1/a\\|b | Escaped pipe |",
        "GET | /v1/refunds | No outer pipes",
    ],
    ids=["escaped-pipe-in-code", "escaped-pipe", "no-outer-pipes"],
)
def test_rows_of_the_right_shape_pass(row: str) -> None:
    # GFM splits cells at a pipe even inside a code span; only an escaped pipe is text.
    text = f"| Method | Endpoint | Purpose |\n| --- | --- | --- |\n{row}\n"
    assert_findings("table-shape", text, [])


def test_indented_table_row_is_reported_at_its_first_character() -> None:
    text = "- Endpoints:\n\n  | Method | Endpoint |\n  | --- | --- |\n  | GET | /a | extra |\n"
    assert_findings("table-shape", text, [(5, 3)])


def test_tables_in_code_blocks_are_not_tables() -> None:
    text = "```\n| a | b |\n| - | - |\n| 1 | 2 | 3 |\n```\n"
    assert_findings("table-shape", text, [])


def test_crlf_text_gives_the_same_positions() -> None:
    text = decode_text(ENDPOINTS.replace("\n", "\r\n").encode(), path=Path("spec.md"))
    assert_findings("table-shape", text, [(5, 1), (6, 1)])


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_tables_are_well_formed(kind: BlankKind) -> None:
    text = blank_template(kind)
    assert "| ---" in text or "|---" in text  # the check has tables to read
    assert_findings("table-shape", text, [], path=blank_path(kind))


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_tables_are_well_formed(seeds: Path, name: str) -> None:
    assert run_rule("table-shape", seed_text(seeds, name)) == []


@pytest.mark.parametrize("name", ["filled-integration-spec.md", "filled-integration-points.md"])
def test_filled_in_documents_pass(name: str) -> None:
    assert_findings("table-shape", (FIXTURES / name).read_text(encoding="utf-8"), [])


def test_unescaped_pipe_in_code_span_splits_the_cell() -> None:
    text = "| Method | Endpoint | Purpose |\n| --- | --- | --- |\n| GET | `/v1/a|b` | Pipe |\n"
    assert_findings("table-shape", text, [(3, 1)])
