"""Run one rule over a document given as text, the way rule tests want it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from interlock.documents.model import DocumentKind
from interlock.documents.parser import parse_document
from interlock.model.finding import Problem
from interlock.validate.registry import find_rule


def run_rule(
    name: str,
    text: str,
    *,
    path: str = "specs/spec.md",
    options: Mapping[str, Any] | None = None,
    kind: DocumentKind | None = None,
) -> list[Problem]:
    """Return the problems rule ``name`` finds in ``text``, with default options."""
    rule = find_rule(name)
    assert rule is not None, f"no rule named {name!r}"
    assert rule.scope == "document", f"{name} is a {rule.scope} rule"
    doc = parse_document(text, path=Path(path), kind=kind)
    if not rule.applies_to(doc.kind):
        return []
    merged = {**rule.options, **(options or {})}
    return list(rule.module.check(doc, merged))


def assert_findings(
    name: str,
    text: str,
    expected: Sequence[tuple[int, int]],
    **kwargs: Any,
) -> list[Problem]:
    """Assert that rule ``name`` finds problems exactly at ``expected`` (line, column)."""
    problems = run_rule(name, text, **kwargs)
    found = [(problem.line, problem.column) for problem in problems]
    assert found == list(expected), "\n".join(
        f"{problem.line}:{problem.column} {problem.message}" for problem in problems
    )
    return problems
