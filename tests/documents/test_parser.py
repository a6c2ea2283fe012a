from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.documents.model import DocumentKind
from interlock.documents.parser import load_document, parse_document
from interlock.documents.reader import decode_text
from interlock.errors import InputError
from interlock.render.blank import BlankKind
from support.rule_checks import SEED_NAMES, blank_path, blank_template

SPEC = """---
id: spec-integration-payments-001
title: Payments Integration Specification
type: service_spec
dependencies:
  - spec-users-001
  - spec-queue-001
---

# Payments Integration Specification

## Overview and Context

We charge cards through the payment provider.

## Integration Architecture

### Integration Pattern

| Pattern | Flow |
| --- | --- |
| request/reply | sync |
| event | async | extra |

```yaml
# not a heading
```

- [ ] Contracts reviewed
- [x] Auth working

<!-- PURPOSE: guidance -->
"""


def parse(text: str, name: str = "spec.md") -> object:
    return parse_document(text, path=Path(name))


def test_front_matter_keys_and_list_items_keep_their_lines() -> None:
    doc = parse_document(SPEC, path=Path("spec.md"))
    assert doc.front_matter is not None
    assert doc.front_matter.data["id"] == "spec-integration-payments-001"
    assert doc.front_matter.line_of("title") == 3
    assert doc.front_matter.item_lines[("dependencies", 1)] == 7
    assert doc.body_line == 9


def test_section_tree_has_levels_lines_and_ends() -> None:
    doc = parse_document(SPEC, path=Path("spec.md"))
    titles = [(section.level, section.title, section.line) for section in doc.walk_sections()]
    assert titles == [
        (1, "Payments Integration Specification", 10),
        (2, "Overview and Context", 12),
        (2, "Integration Architecture", 16),
        (3, "Integration Pattern", 18),
    ]
    overview = doc.sections[0].children[0]
    assert overview.end_line == 15
    assert "payment provider" in overview.own_text


def test_yaml_comments_and_code_block_lines_are_never_headings() -> None:
    doc = parse_document(SPEC, path=Path("spec.md"))
    assert "not a heading" not in {section.title for section in doc.walk_sections()}
    assert doc.in_code(26)
    assert doc.code_blocks[0].info == "yaml"


def test_tables_count_source_cells_per_row() -> None:
    doc = parse_document(SPEC, path=Path("spec.md"))
    table = doc.tables[0]
    assert table.header.cells == ("Pattern", "Flow")
    assert [(row.line, row.source_cells) for row in table.rows] == [(22, 2), (23, 3)]


def test_tasks_and_comments() -> None:
    doc = parse_document(SPEC, path=Path("spec.md"))
    assert [(task.line, task.checked, task.text) for task in doc.tasks] == [
        (29, False, "Contracts reviewed"),
        (30, True, "Auth working"),
    ]
    assert doc.comments[0].line == 32
    assert "PURPOSE" in doc.comments[0].text


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (SPEC, "spec.md", DocumentKind.INTEGRATION_SPEC),
        ("---\nid: x\ntype: user_story\n---\n# Story\n", "s.md", DocumentKind.SPECKIT),
        (
            "# Integration Points - Checkout\n\n## Overview\n",
            "p.md",
            DocumentKind.INTEGRATION_POINTS,
        ),
        (
            "# Integration & Deployment Interview Summary\n",
            "s.md",
            DocumentKind.INTERVIEW_SUMMARY,
        ),
        ("# Research\n\n## External System\n", "research.md", DocumentKind.WORKFLOW_NOTE),
        ("# Notes\n\nJust text.\n", "notes.md", DocumentKind.SPECKIT),
    ],
    ids=["integration-spec", "speckit", "points", "summary", "workflow-note", "bare"],
)
def test_kind_detection(text: str, name: str, kind: DocumentKind) -> None:
    assert parse_document(text, path=Path(name)).kind is kind


def test_kind_override_wins() -> None:
    doc = parse_document(SPEC, path=Path("spec.md"), kind=DocumentKind.MARKDOWN)
    assert doc.kind is DocumentKind.MARKDOWN


def test_unterminated_front_matter_is_an_error_not_a_crash() -> None:
    doc = parse_document("---\nid: x\n# Title\n", path=Path("spec.md"))
    assert doc.front_matter is not None
    assert doc.front_matter.error is not None
    assert "never closed" in doc.front_matter.error.message


@pytest.mark.parametrize(
    ("yaml_text", "words"),
    [("- a\n- b", "not a list"), ("just text", "not a single value"), ("a: [", "invalid YAML")],
    ids=["list", "scalar", "syntax"],
)
def test_front_matter_that_is_not_a_mapping(yaml_text: str, words: str) -> None:
    doc = parse_document(f"---\n{yaml_text}\n---\n# T\n", path=Path("spec.md"))
    assert doc.front_matter is not None and doc.front_matter.error is not None
    assert words in doc.front_matter.error.message


def test_crlf_and_bom_decode_to_the_same_document() -> None:
    plain = decode_text(SPEC.encode(), path=Path("a.md"))
    windows = decode_text(b"\xef\xbb\xbf" + SPEC.replace("\n", "\r\n").encode(), path=Path("a.md"))
    assert plain == windows


@pytest.mark.parametrize(
    ("data", "line", "column", "words"),
    [
        (b"# T\n\nok\x00\n", 3, 3, "NUL"),
        (b"# T\n\ncaf\xe9\n", 3, 4, "invalid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 3, 1, "NUL"),
    ],
    ids=["nul", "latin-1", "png"],
)
def test_undecodable_bytes_name_line_and_column(
    data: bytes, line: int, column: int, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        decode_text(data, path=Path("bad.md"))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    with pytest.raises(InputError, match="over the"):
        load_document(big)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (BlankKind.INTEGRATION_SPEC, DocumentKind.INTEGRATION_SPEC),
        (BlankKind.INTEGRATION_POINTS, DocumentKind.INTEGRATION_POINTS),
    ],
    ids=str,
)
def test_the_blank_templates_parse_as_their_kind(kind: BlankKind, expected: DocumentKind) -> None:
    doc = parse_document(blank_template(kind), path=Path(blank_path(kind)))
    assert doc.kind is expected
    assert doc.sections and doc.tables


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_raw_seed_templates_parse(seeds: Path, name: str) -> None:
    (seed,) = seeds.glob(f"{name}_*")
    assert load_document(seed).sections


@given(st.lists(st.tuples(st.integers(1, 6), st.booleans()), max_size=25))
def test_every_section_is_listed_in_heading_order_as_the_tree_walks(
    headings: list[tuple[int, bool]],
) -> None:
    text = "".join(
        f"{'#' * level} Heading {number}\n\n{'Some text.' if text else ''}\n\n"
        for number, (level, text) in enumerate(headings)
    )
    doc = parse_document(text, path=Path("spec.md"))
    walked = tuple(section for root in doc.sections for section in root.walk())
    assert doc.all_sections == walked
    assert [section.title for section in walked] == [f"Heading {n}" for n in range(len(headings))]
