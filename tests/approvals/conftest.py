"""A workspace whose order-service interview is answered and rendered, for approval tests.

The interview names four roles that must sign off (``consumers.approvers``):
Head of architecture, Security team, Payments team lead and Platform team lead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interlock.validate.registry import all_rules
from support.answered import ORDER_ANSWERS
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

ROLES = ("Head of architecture", "Security team", "Payments team lead", "Platform team lead")


@pytest.fixture
def rendered(outside_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The workspace root, with ``specs/orders/`` answered and rendered."""
    monkeypatch.setenv("INTERLOCK_CACHE_DIR", str(outside_workspace / "cache"))
    monkeypatch.delenv("CI", raising=False)
    assert run_cli("init").exit_code == 0
    assert run_cli("interview", "orders", "--answers", str(ORDER_ANSWERS)).exit_code == 0
    done = run_cli("render", "orders", "--author", "Dana Ortiz")
    assert done.exit_code == 0, done.output
    return outside_workspace


def run_approval_rule_only(root: Path) -> Path:
    """Make the workspace's config the production preset with every rule off but the
    approval rule, so that a run's exit status says what the approvals alone say."""
    lines = ["preset: production", "rules:"]
    lines += [f"  {rule.name}: 'off'" for rule in all_rules() if rule.name != "approval"]
    path = root / ".interlock" / "config.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def approval_findings(*paths: str) -> list[dict[str, object]]:
    """Return the approval rule's findings of a production run, as JSON objects."""
    done = run_cli("validate", "--preset", "production", "--format", "json", *paths)
    assert done.exit_code in (0, 1), done.output
    report = json.loads(done.stdout)
    return [finding for finding in report["findings"] if finding["rule"] == "approval"]
