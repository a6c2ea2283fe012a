from collections.abc import Mapping
from pathlib import Path
from typing import Any

from interlock.documents.parser import parse_document
from interlock.model.finding import WorkspaceProblem
from interlock.validate.registry import find_rule
from interlock.workspace.index import Workspace, entry_of


def _problems(files: Mapping[str, str], **options: Any) -> list[WorkspaceProblem]:
    rule = find_rule("duplicate-id")
    assert rule is not None and rule.scope == "workspace"
    workspace = Workspace(
        entries=tuple(
            entry_of(parse_document(text, path=Path(name))) for name, text in files.items()
        )
    )
    return list(rule.module.check(workspace, {**rule.options, **options}))


def _spec(spec_id: str) -> str:
    return f"---\ntitle: Payments\nid: {spec_id}\n---\n\n# Spec\n"


def test_each_copy_of_a_duplicated_id_is_reported_naming_the_others() -> None:
    problems = _problems(
        {
            "specs/a.md": _spec("spec-pay-001"),
            "specs/b.md": _spec("spec-pay-001"),
            "specs/c.md": _spec("spec-pay-001"),
            "specs/d.md": _spec("spec-pay-002"),
        }
    )
    assert [(p.path, p.line, p.column) for p in problems] == [
        ("specs/a.md", 3, 1),
        ("specs/b.md", 3, 1),
        ("specs/c.md", 3, 1),
    ]
    assert "'spec-pay-001'" in problems[0].message
    assert "specs/b.md, specs/c.md" in problems[0].message
    assert "specs/a.md, specs/c.md" in problems[1].message


def test_unique_ids_pass() -> None:
    assert _problems({"a.md": _spec("spec-pay-001"), "b.md": _spec("spec-pay-002")}) == []


def test_documents_without_id_are_not_duplicates_of_each_other() -> None:
    files = {"a.md": "# Plain\n", "b.md": "# Plain too\n", "c.md": "---\nid: ''\n---\n"}
    assert _problems(files) == []
