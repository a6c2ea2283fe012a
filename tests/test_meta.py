"""Checks on the project itself: rules are documented and tested, docs are current."""

import ast
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import interlock
from interlock.validate.registry import all_rules
from interlock.validate.rule_docs import rules_markdown

ROOT = Path(__file__).resolve().parents[1]
RULE_TESTS = ROOT / "tests" / "validate" / "rules"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.name)
def test_rule_module_is_named_after_its_code_and_name(rule) -> None:  # type: ignore[no-untyped-def]
    module = rule.module.__name__.rsplit(".", 1)[1]
    assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.name)
def test_rule_is_documented_with_examples_and_a_fix(rule) -> None:  # type: ignore[no-untyped-def]
    doc = rule.documentation
    assert rule.summary and rule.summary.endswith("."), rule.name
    assert "Fails" in doc and "Passes" in doc, f"{rule.name} needs Fails/Passes examples"
    assert rule.fix.strip(), rule.name


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.name)
def test_rule_has_a_test_module(rule) -> None:  # type: ignore[no-untyped-def]
    module = rule.module.__name__.rsplit(".", 1)[1]
    assert (RULE_TESTS / f"test_{module}.py").is_file(), f"tests for {module} are missing"


def _needs_seeds(test: ast.FunctionDef) -> bool:
    marked = any("mark.seeds" in ast.unparse(decorator) for decorator in test.decorator_list)
    return marked or any(argument.arg == "seeds" for argument in test.args.args)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.name)
def test_rule_has_a_test_that_runs_without_the_seed_documents(rule) -> None:  # type: ignore[no-untyped-def]
    module = rule.module.__name__.rsplit(".", 1)[1]
    tree = ast.parse((RULE_TESTS / f"test_{module}.py").read_text(encoding="utf-8"))
    module_marks = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        )
    ]
    assert not any("seeds" in ast.unparse(node) for node in module_marks), module
    bare = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test_")
        and not _needs_seeds(node)
    ]
    assert bare, f"every test of {rule.name} needs the seed documents: add one a bare clone runs"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.name)
def test_rule_default_options_pass_its_own_option_checks(rule) -> None:  # type: ignore[no-untyped-def]
    assert list(rule.option_problems(rule.options)) == []


def test_rule_codes_and_names_are_unique() -> None:
    codes = [rule.code for rule in all_rules()]
    names = [rule.name for rule in all_rules()]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


def test_rule_reference_is_current() -> None:
    reference = ROOT / "docs" / "rules.md"
    assert reference.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `interlock rules --markdown > docs/rules.md`"
    )


def test_public_api_is_exactly_all() -> None:
    public = sorted(
        name
        for name, value in vars(interlock).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    )
    assert public == [], public
    assert interlock.__all__ == ["__version__"]


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "interlock").rglob("*.py")
        if not re.match(r'\s*(#.*\n\s*)*"""', path.read_text(encoding="utf-8"))
    ]
    assert missing == []


def test_modules_import_on_their_own() -> None:
    modules = [
        ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
        for path in (ROOT / "src" / "interlock").rglob("*.py")
        # Alembic runs env.py inside a migration, with the connection it hands over.
        if path.name not in ("__main__.py",) and path.parts[-2:] != ("migrations", "env.py")
    ]
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    for name in modules:
        done = subprocess.run(
            [sys.executable, "-c", code, name], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{name}: {done.stderr}"
