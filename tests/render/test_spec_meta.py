"""The SpeckIt front matter is valid YAML in the template's order, whatever the values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from interlock.documents.parser import parse_document
from interlock.model.spec_meta import Priority, SpecMeta

ORDER = [
    "id",
    "title",
    "type",
    "category",
    "author",
    "version",
    "status",
    "priority",
    "createdAt",
    "updatedAt",
    "estimatedEffort",
    "actualEffort",
    "reviewers",
    "approvers",
    "tags",
    "parent",
    "dependencies",
    "related",
]


def _meta(**changes: object) -> SpecMeta:
    fields: dict[str, object] = {
        "id": "spec-integration-payments-001",
        "title": "Payments Integration Specification",
        "author": "Dana Ortiz",
        "createdAt": date(2024, 5, 2),
        "updatedAt": date(2024, 5, 9),
    }
    fields.update(changes)
    return SpecMeta.model_validate(fields)


def test_fields_come_in_the_template_order_with_its_defaults() -> None:
    text = _meta().front_matter()
    assert text == (
        "---\n"
        "id: spec-integration-payments-001\n"
        "title: Payments Integration Specification\n"
        "type: service_spec\n"
        "category: architecture\n"
        "author: Dana Ortiz\n"
        "version: 1.0.0\n"
        "status: draft\n"
        "priority: medium\n"
        "createdAt: 2024-05-02\n"
        "updatedAt: 2024-05-09\n"
        "estimatedEffort: null\n"
        "actualEffort: null\n"
        "reviewers: []\n"
        "approvers: []\n"
        "tags: []\n"
        "parent: null\n"
        "dependencies: []\n"
        "related: []\n"
        "---\n"
    )


def test_whole_hours_are_written_as_integers() -> None:
    assert "estimatedEffort: 16\n" in _meta(estimatedEffort=16.0).to_yaml()
    assert "estimatedEffort: 2.5\n" in _meta(estimatedEffort=2.5).to_yaml()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "Spec Payments"),
        ("version", "1.0"),
        ("priority", "urgent"),
        ("estimatedEffort", -4),
        ("author", ""),
    ],
    ids=["id", "version", "priority", "effort", "author"],
)
def test_values_outside_the_format_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        _meta(**{field: value})


@given(
    title=st.text(min_size=1),
    author=st.text(min_size=1),
    tags=st.lists(st.text(), max_size=3),
    priority=st.sampled_from(Priority),
)
def test_any_values_read_back_exactly(
    title: str, author: str, tags: list[str], priority: Priority
) -> None:
    meta = _meta(title=title, author=author, tags=tags, priority=priority)
    doc = parse_document(meta.front_matter() + "\n# Title\n", path=Path("spec.md"))
    assert doc.front_matter is not None
    assert doc.front_matter.error is None
    assert list(doc.front_matter.data) == ORDER
    assert doc.front_matter.data["title"] == title
    assert doc.front_matter.data["author"] == author
    assert doc.front_matter.data["tags"] == tags
    assert doc.front_matter.data["priority"] == priority.value
