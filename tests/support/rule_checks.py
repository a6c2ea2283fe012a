"""Run one rule over a document given as text, the way rule tests want it.

Also the configuration error a rule's options give when a workspace's config file
sets them (:func:`config_error`), and the documents rule tests read: the project's own blank templates (what
``interlock new NAME --blank`` writes, present in every clone) and, for tests marked
``seeds``, one seed document from the folder the ``seeds`` fixture gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from interlock.documents.model import DocumentKind
from interlock.documents.parser import parse_document
from interlock.errors import ConfigError
from interlock.model.finding import Problem
from interlock.render.blank import BlankKind, render_blank
from interlock.validate.config import load_config
from interlock.validate.registry import find_rule

SEED_NAMES = ("000", "001", "002", "003", "004")
"""The seed documents by number: interview guide, interview summary, Integration
Points, workflow, integration specification."""
BLANK_KINDS = tuple(BlankKind)


def blank_template(kind: BlankKind = BlankKind.INTEGRATION_SPEC) -> str:
    """Return the blank document ``interlock new payments --blank --kind KIND`` writes."""
    return render_blank("payments", kind, author="Dana Ortiz", today=date(2024, 5, 2))


def blank_path(kind: BlankKind = BlankKind.INTEGRATION_SPEC) -> str:
    """Return where ``interlock new payments --blank --kind KIND`` writes its document."""
    return f"specs/payments/{kind.file}"


def seed_text(seeds: Path, number: str) -> str:
    """Return the text of seed document ``number`` (``"004"``) from the ``seeds`` folder."""
    (seed,) = seeds.glob(f"{number}_*")
    return seed.read_text(encoding="utf-8")


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


def config_error(root: Path, rules: str) -> ConfigError:
    """Return the error loading a workspace whose ``.interlock/config.yaml`` holds ``rules``.

    ``rules`` is the YAML under the file's ``rules:`` key, indented by two spaces, so
    its first line is line 2 of the file.
    """
    config = root / ".interlock" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("rules:\n" + rules, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert raised.value.path == config
    return raised.value
