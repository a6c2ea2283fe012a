"""``interlock graph --view systems``: the systems each integration talks to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interlock.cli.app import app
from interlock.workspace.layout import init_workspace

ANSWERS = Path(__file__).resolve().parents[2] / "examples" / "order-service" / "answers.yaml"
runner = CliRunner()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("orders", "billing"):
        done = runner.invoke(
            app, ["interview", name, "--answers", str(ANSWERS), "--depth", "full", "--by", "t"]
        )
        assert done.exit_code == 0, done.output
    return tmp_path


def test_the_systems_view_draws_every_integration_and_shares_their_systems(
    workspace: Path,
) -> None:
    result = runner.invoke(app, ["graph", "--view", "systems"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart LR\n")
    assert result.stdout.count("this integration") == 2
    assert result.stdout.count('["Stripe<br/>') == 1
    assert '-->|"order.paid, At least once, async"|' in result.stdout


def test_the_systems_view_of_one_integration_as_json_and_dot(workspace: Path) -> None:
    result = runner.invoke(app, ["graph", "--view", "systems", "orders", "--format", "json"])
    assert result.exit_code == 0, result.output
    (view,) = json.loads(result.stdout)
    assert view["integration"] == "Orders"
    assert {"system": "Stripe", "direction": "inbound", "mode": "async"}.items() <= next(
        flow for flow in view["flows"] if flow["what"] == "webhooks"
    ).items()
    dot = runner.invoke(app, ["graph", "--view", "systems", "orders", "--format", "dot"])
    assert dot.exit_code == 0 and dot.stdout.startswith("digraph system_context {")


def test_an_unknown_integration_is_named_with_those_that_exist(workspace: Path) -> None:
    result = runner.invoke(app, ["graph", "--view", "systems", "nope"])
    assert result.exit_code == 2
    assert "no integration named 'nope'" in result.output
    assert "billing, orders" in result.output


def test_the_specs_view_is_still_the_default(workspace: Path) -> None:
    result = runner.invoke(app, ["graph"])
    assert result.exit_code == 0, result.output
    assert "this integration" not in result.stdout
