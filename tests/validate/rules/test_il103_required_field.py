from pathlib import Path

import pytest

from interlock.documents.model import DocumentKind
from interlock.documents.reader import decode_text
from support.rule_checks import assert_findings

FIELDS = """id: spec-integration-payments-001
title: Payments Integration Specification
type: service_spec
category: architecture
author: Dana Ortiz
version: 1.0.0
status: draft
priority: high
createdAt: 2024-05-02
updatedAt: 2024-05-09
"""
COMPLETE = f"---\n{FIELDS}---\n\n# Payments\n"


def without(*names: str) -> str:
    """Return the complete spec with the fields ``names`` removed."""
    kept = [line for line in FIELDS.splitlines() if line.split(":")[0] not in names]
    return "---\n" + "\n".join(kept) + "\n---\n\n# Payments\n"


def replacing(name: str, raw: str) -> str:
    """Return the complete spec with field ``name`` written as ``raw``."""
    lines = [
        f"{name}:{raw}" if line.startswith(f"{name}:") else line for line in FIELDS.split("\n")
    ]
    return "---\n" + "\n".join(lines) + "---\n\n# Payments\n"


def test_complete_front_matter_passes() -> None:
    assert_findings("required-field", COMPLETE, [])


def test_each_missing_field_is_reported_at_the_opening_fence() -> None:
    problems = assert_findings("required-field", without("author", "status"), [(1, 1), (1, 1)])
    assert [p.message for p in problems] == [
        "required field 'author' is missing",
        "required field 'status' is missing",
    ]
    assert "author:" in problems[0].hint


def test_empty_front_matter_misses_every_default_field() -> None:
    problems = assert_findings("required-field", "---\n---\n", [(1, 1)] * 10)
    assert "'updatedAt'" in problems[-1].message


@pytest.mark.parametrize(
    "raw", ["", " ''", ' "   "', " null", " ~"], ids=["nothing", "empty", "blank", "null", "tilde"]
)
def test_empty_value_is_reported_at_its_key(raw: str) -> None:
    problems = assert_findings("required-field", replacing("author", raw), [(6, 1)])
    assert problems[0].message == "required field 'author' is empty"


def test_empty_list_is_empty_when_the_field_is_required() -> None:
    text = "---\nid: spec-a\nreviewers: []\n---\n"
    options = {"fields": ["id", "reviewers"]}
    problems = assert_findings("required-field", text, [(3, 1)], options=options)
    assert "'reviewers' is empty" in problems[0].message


def test_fields_option_sets_what_is_required() -> None:
    text = "---\nid: spec-a\n---\n"
    assert_findings("required-field", text, [], options={"fields": ["id"]})
    problems = assert_findings("required-field", text, [(1, 1)], options={"fields": ["owner"]})
    assert "'owner'" in problems[0].message


def test_wrongly_typed_and_placeholder_values_are_present() -> None:
    # Formats and placeholders have their own rules; this one asks only "is it there".
    text = replacing("author", " '{{author-name}}'").replace("version: 1.0.0", "version: 1.0")
    assert_findings("required-field", text, [])


def test_no_front_matter_or_broken_front_matter_is_left_to_other_rules() -> None:
    assert_findings("required-field", "# Payments\n\nText.\n", [])
    assert_findings("required-field", "---\nid: a\nid: b\n---\n", [])
    assert_findings("required-field", "---\nid: a\n", [])


def test_documents_of_other_kinds_are_not_checked() -> None:
    assert_findings("required-field", "---\nid: spec-a\n---\n", [], kind=DocumentKind.MARKDOWN)


def test_crlf_and_byte_order_mark_keep_the_lines_right() -> None:
    data = b"\xef\xbb\xbf" + replacing("status", "").replace("\n", "\r\n").encode()
    text = decode_text(data, path=Path("specs/spec.md"))
    assert_findings("required-field", text, [(8, 1)])
