from pathlib import Path

import pytest

from interlock.documents.model import DocumentKind
from interlock.documents.parser import parse_document
from interlock.documents.reader import decode_text
from interlock.render.blank import BlankKind
from support.rule_checks import (
    BLANK_KINDS,
    assert_findings,
    blank_path,
    blank_template,
    run_rule,
    seed_text,
)

VALID = "---\nid: spec-integration-payments-001\ntitle: Payments\ntags: [a, b]\n---\n\n# Pay\n"

# The SpeckIt template's front matter as a YAML formatter leaves it: the placeholder
# braces of estimatedEffort (line 13) lost their quotes.
TEMPLATE_FRONT_MATTER = """---
# Required metadata for SpeckIt validation
id: 'spec-integration-{{integration-name}}-{{sequence-number}}'
title: '{{Integration Name}} Integration Specification'
type: 'service_spec'
category: 'architecture'
author: '{{author-name}}'
version: '1.0.0'
status: 'draft'
priority: '{{priority-level}}'
createdAt: '{{YYYY-MM-DD}}'
updatedAt: '{{YYYY-MM-DD}}'
estimatedEffort: { { hours } }
actualEffort: { { hours } }
reviewers: []
approvers: []
---

# {{Integration Name}} Integration Specification
"""


def test_valid_front_matter_passes() -> None:
    assert_findings("front-matter-invalid", VALID, [])


def test_empty_front_matter_is_valid() -> None:
    assert_findings("front-matter-invalid", "---\n---\n\n# Pay\n", [])


def test_unterminated_front_matter_is_reported_at_the_opening_fence() -> None:
    text = "---\nid: spec-a\ntitle: Payments\n\n# Payments\n\nText.\n"
    problems = assert_findings("front-matter-invalid", text, [(1, 1)])
    assert "never closed" in problems[0].message
    assert "'---'" in problems[0].hint


@pytest.mark.parametrize(
    ("block", "shape"),
    [("- id: spec-a\n- title: Payments\n", "a list"), ("just a sentence\n", "a single value")],
    ids=["list", "scalar"],
)
def test_front_matter_that_is_not_a_mapping_is_reported(block: str, shape: str) -> None:
    problems = assert_findings("front-matter-invalid", f"---\n{block}---\n", [(2, 1)])
    assert problems[0].message.endswith(f"not {shape}")
    assert "str" not in problems[0].message


def test_duplicate_key_is_reported_at_its_second_line() -> None:
    text = "---\nid: spec-a\ntitle: Payments\nid: spec-b\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(4, 1)])
    assert "duplicate key 'id'" in problems[0].message
    assert "line 2" in problems[0].message


def test_alias_bomb_is_refused_at_the_first_alias() -> None:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        rows.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "---\n" + "\n".join(rows) + "\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(3, 8)])
    assert "aliases" in problems[0].message


@pytest.mark.parametrize(
    ("opening", "closing", "column"),
    [("[", "]", 70), ("{a: ", "}", 259)],
    ids=["sequences", "mappings"],
)
def test_ten_thousand_levels_of_nesting_are_refused(
    opening: str, closing: str, column: int
) -> None:
    # Reported at the bracket that goes one level too deep.
    text = "---\nid: spec-a\ndeep: " + opening * 10_000 + closing * 10_000 + "\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(3, column)])
    assert "nested deeper than 64 levels" in problems[0].message


def test_tab_indentation_is_named_as_a_tab() -> None:
    text = "---\nid: spec-a\ntags:\n\t- payments\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(4, 1)])
    assert "tab" in problems[0].message
    assert "spaces" in problems[0].hint


def test_unquoted_colon_in_a_value_points_at_the_colon() -> None:
    text = "---\nid: spec-a\ntitle: Payments: cards\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(3, 16)])
    assert "': '" in problems[0].message


def test_value_starting_with_a_reserved_character_names_it() -> None:
    problems = assert_findings("front-matter-invalid", "---\nauthor: @dana\n---\n", [(2, 9)])
    assert "'@'" in problems[0].message


def test_unclosed_quote_is_explained() -> None:
    # Reported where the quote opens, though YAML only notices where the block ends.
    text = "---\ntitle: 'Payments\nid: spec-a\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(2, 8)])
    assert "quoted value is never closed" in problems[0].message
    assert "or above" in problems[0].hint


def test_unclosed_flow_list_is_explained() -> None:
    text = "---\ntags: [payments, cards\ntitle: Payments\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(3, 6)])
    assert "'[' list is not closed" in problems[0].message


def test_python_tags_are_refused() -> None:
    text = "---\nid: !!python/object/apply:os.system ['true']\n---\n"
    problems = assert_findings("front-matter-invalid", text, [(2, 1)])
    assert "tags" in problems[0].message


def test_impossible_unquoted_date_is_reported_at_its_line() -> None:
    text = "---\nid: spec-a\ncreatedAt: 2024-02-30\n---\n"
    (problem,) = run_rule("front-matter-invalid", text)
    assert "day is out of range" in problem.message
    assert (problem.line, problem.column) == (3, 12)


def test_template_with_unquoted_placeholder_braces_is_reported_at_the_braces_line() -> None:
    problems = assert_findings("front-matter-invalid", TEMPLATE_FRONT_MATTER, [(13, 1)])
    assert "'{ }' braces make a mapping, not text" in problems[0].message
    assert "'{{hours}}'" in problems[0].hint


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_front_matter_is_valid_yaml(kind: BlankKind) -> None:
    assert_findings("front-matter-invalid", blank_template(kind), [], path=blank_path(kind))


@pytest.mark.seeds
def test_raw_integration_spec_template_is_reported_at_estimated_effort(seeds: Path) -> None:
    doc = parse_document(seed_text(seeds, "004"), path=Path("specs/payments/spec.md"))
    assert doc.kind is DocumentKind.INTEGRATION_SPEC
    line = doc.lines.index("estimatedEffort: { { hours } }") + 1
    problems = assert_findings("front-matter-invalid", doc.text, [(line, 1)])
    assert "braces" in problems[0].message


def test_crlf_line_endings_and_a_byte_order_mark_are_valid() -> None:
    data = b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode()
    text = decode_text(data, path=Path("specs/spec.md"))
    assert_findings("front-matter-invalid", text, [])


def test_invalid_front_matter_is_reported_whatever_the_kind() -> None:
    text = "---\nid: spec-a\nid: spec-b\n---\n"
    assert_findings("front-matter-invalid", text, [(3, 1)], kind=DocumentKind.MARKDOWN)
