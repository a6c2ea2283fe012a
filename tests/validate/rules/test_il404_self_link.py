from pathlib import Path

import pytest

from interlock.render.blank import BlankKind
from support.rule_checks import (
    BLANK_KINDS,
    SEED_NAMES,
    assert_findings,
    blank_path,
    blank_template,
    seed_text,
)


def test_dependency_on_itself_is_reported_at_the_id() -> None:
    text = "---\nid: spec-a\ndependencies: ['spec-b', 'spec-a']\n---\n\n# A\n"
    problems = assert_findings("self-link", text, [(3, 27)])
    assert problems[0].message == "dependencies names this spec's own id 'spec-a'"


def test_parent_and_related_on_itself_are_each_reported() -> None:
    text = "---\nid: spec-a\nparent: spec-a\nrelated:\n  - spec-a-extended\n  - spec-a\n---\n"
    problems = assert_findings("self-link", text, [(3, 9), (6, 5)])
    assert [p.message.split()[0] for p in problems] == ["parent", "related"]


def test_id_that_only_prefixes_a_link_is_not_a_self_link() -> None:
    text = "---\nid: spec-a\ndependencies: [spec-a-2, spec-a.v2]\n---\n"
    assert_findings("self-link", text, [])


def test_document_without_id_or_front_matter_passes() -> None:
    assert_findings("self-link", "---\nparent: spec-a\n---\n", [])
    assert_findings("self-link", "# Integration Points - Payments\n", [])


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_have_no_self_link(kind: BlankKind) -> None:
    assert_findings("self-link", blank_template(kind), [], path=blank_path(kind))


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_templates_have_no_self_link(seeds: Path, name: str) -> None:
    assert_findings("self-link", seed_text(seeds, name), [])
