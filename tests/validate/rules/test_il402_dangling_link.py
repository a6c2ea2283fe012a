from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from interlock.documents.parser import parse_document
from interlock.model.finding import WorkspaceProblem
from interlock.validate.registry import find_rule
from interlock.workspace.index import Workspace, entry_of
from support.rule_checks import SEED_NAMES, blank_path, blank_template, config_error, seed_text


def _problems(files: Mapping[str, str], **options: Any) -> list[WorkspaceProblem]:
    rule = find_rule("dangling-link")
    assert rule is not None and rule.scope == "workspace"
    workspace = Workspace(
        entries=tuple(
            entry_of(parse_document(text, path=Path(name))) for name, text in files.items()
        )
    )
    return list(rule.module.check(workspace, {**rule.options, **options}))


SPEC = """\
---
id: spec-pay-001
parent: spec-checkout-001
dependencies:
  - spec-vault-002
  - spec-ledger-009
related: ['spec-mail-003', 'JIRA-1432']
---

# Payments
"""
OTHERS = {
    "checkout.md": "---\nid: spec-checkout-001\n---\n",
    "vault.md": "---\nid: spec-vault-002\n---\n",
}


def test_links_to_undefined_ids_are_reported_at_their_lines() -> None:
    problems = _problems({"pay.md": SPEC, **OTHERS})
    assert [(p.path, p.line, p.column) for p in problems] == [
        ("pay.md", 6, 1),
        ("pay.md", 7, 1),
        ("pay.md", 7, 1),
    ]
    assert problems[0].message.startswith("dependencies names 'spec-ledger-009'")
    assert problems[1].message.startswith("related names 'spec-mail-003'")
    assert "'JIRA-1432'" in problems[2].message


def test_undefined_parent_is_named_as_parent() -> None:
    problems = _problems({"pay.md": SPEC})
    assert problems[0].line == 3
    assert problems[0].message.startswith("parent names 'spec-checkout-001'")


def test_ignore_accepts_ids_defined_elsewhere() -> None:
    problems = _problems(
        {"pay.md": SPEC, **OTHERS}, ignore=[r"^JIRA-\d+$", r"^spec-(ledger|mail)-"]
    )
    assert problems == []


def test_all_links_defined_passes() -> None:
    files = {
        "a.md": "---\nid: a\nparent: b\ndependencies: [b]\nrelated: [a]\n---\n",
        "b.md": "---\nid: b\n---\n",
    }
    assert _problems(files) == []


def test_template_placeholders_are_left_to_placeholder_rules() -> None:
    text = (
        "---\nid: 'spec-integration-{{name}}-{{n}}'\nparent: '{{parent-spec-id}}'\n"
        "dependencies: ['{{dependency-spec-id-1}}', '[dependency id]']\n---\n"
    )
    assert _problems({"template.md": text}) == []


def test_document_without_id_still_has_its_links_checked() -> None:
    problems = _problems({"notes.md": "---\ntitle: Notes\nparent: spec-ghost-404\n---\n"})
    assert [(p.line, p.message.split(",")[0]) for p in problems] == [
        (3, "parent names 'spec-ghost-404'")
    ]


def test_an_ignore_pattern_that_does_not_compile_is_a_config_error(tmp_path: Path) -> None:
    error = config_error(
        tmp_path, "  dangling-link:\n    options:\n      ignore: ['^JIRA-\\d+$', '(unclosed']\n"
    )
    assert error.line == 4
    assert "option 'ignore' of rule dangling-link: '(unclosed'" in error.message


def test_the_blank_templates_links_are_placeholders_left_to_placeholder_rules() -> None:
    text = blank_template()
    assert "parent: '{{parent-spec-id}}'" in text  # there are links to read
    assert _problems({blank_path(): text}) == []


@pytest.mark.seeds
def test_raw_seed_templates_have_only_placeholder_links(seeds: Path) -> None:
    files = {f"{name}.md": seed_text(seeds, name) for name in SEED_NAMES}
    assert _problems(files) == []
    workspace = Workspace(
        entries=tuple(entry_of(parse_document(text, path=Path(n))) for n, text in files.items())
    )
    for name in ("duplicate-id", "dependency-cycle"):
        rule = find_rule(name)
        assert rule is not None
        assert list(rule.module.check(workspace, rule.options)) == []
