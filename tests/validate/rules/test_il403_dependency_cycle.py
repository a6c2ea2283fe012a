from collections.abc import Mapping
from pathlib import Path
from typing import Any

from interlock.documents.model import DocumentKind
from interlock.documents.parser import parse_document
from interlock.model.finding import WorkspaceProblem
from interlock.validate.registry import find_rule
from interlock.workspace.index import Link, SpecEntry, Workspace, entry_of
from support.rule_checks import config_error


def _check(workspace: Workspace, **options: Any) -> list[WorkspaceProblem]:
    rule = find_rule("dependency-cycle")
    assert rule is not None and rule.scope == "workspace"
    return list(rule.module.check(workspace, {**rule.options, **options}))


def _problems(files: Mapping[str, str], **options: Any) -> list[WorkspaceProblem]:
    workspace = Workspace(
        entries=tuple(
            entry_of(parse_document(text, path=Path(name))) for name, text in files.items()
        )
    )
    return _check(workspace, **options)


def test_cycle_is_printed_once_in_the_first_ids_document() -> None:
    files = {
        "orders.md": "---\nid: orders\ndependencies: [payments]\n---\n",
        "payments.md": "---\nid: payments\ntitle: P\ndependencies:\n  - vault\n  - ledger\n---\n",
        "ledger.md": "---\nid: ledger\ndependencies: [orders]\n---\n",
        "vault.md": "---\nid: vault\n---\n",
    }
    problems = _problems(files)
    assert [(p.path, p.line, p.column) for p in problems] == [("ledger.md", 3, 1)]
    assert problems[0].message == "dependency cycle: ledger → orders → payments → ledger"


def test_two_cycles_are_two_problems() -> None:
    files = {
        "a.md": "---\nid: a\ndependencies: [b]\n---\n",
        "b.md": "---\nid: b\ndependencies: [a]\n---\n",
        "x.md": "---\nid: x\ndependencies: [y]\n---\n",
        "y.md": "---\nid: y\ndependencies: [x]\n---\n",
    }
    messages = [p.message for p in _problems(files)]
    assert messages == ["dependency cycle: a → b → a", "dependency cycle: x → y → x"]


def test_acyclic_dependencies_pass() -> None:
    files = {
        "a.md": "---\nid: a\ndependencies: [b, c]\n---\n",
        "b.md": "---\nid: b\ndependencies: [c]\n---\n",
        "c.md": "---\nid: c\nrelated: [a]\n---\n",
    }
    assert _problems(files) == []


def test_parent_links_count_only_when_asked() -> None:
    files = {
        "a.md": "---\nid: a\nparent: b\n---\n",
        "b.md": "---\nid: b\nparent: a\n---\n",
    }
    assert _problems(files) == []
    problems = _problems(files, relations=["dependencies", "parent"])
    assert [(p.path, p.line) for p in problems] == [("a.md", 3)]
    assert problems[0].message == "dependency cycle: a → b → a"


def test_self_dependency_is_left_to_self_link() -> None:
    assert _problems({"a.md": "---\nid: a\ndependencies: [a]\n---\n"}) == []


def test_long_cycle_is_shortened_around_a_count() -> None:
    entries = tuple(
        SpecEntry(
            f"s{n:02d}.md",
            f"s{n:02d}",
            2,
            DocumentKind.SPECKIT,
            (Link("dependencies", f"s{(n + 1) % 30:02d}", 3),),
        )
        for n in range(30)
    )
    (problem,) = _check(Workspace(entries=entries))
    assert problem.path == "s00.md"
    assert problem.message == (
        "dependency cycle: s00 → s01 → s02 → s03 → s04 → s05 → … 21 more … → s27 → s28 → s29 → s00"
    )


def test_unknown_relation_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    error = config_error(
        tmp_path,
        "  dependency-cycle:\n    options:\n      relations:\n        - parent\n        - depends\n",
    )
    assert error.line == 6
    assert error.message == (
        "option 'relations' of rule dependency-cycle: 'depends' is not one of "
        "parent, dependencies, related"
    )
