"""Fixtures of the workflow tests: a workspace holding the order-service interview.

The answers are ``examples/order-service/answers.yaml`` (see ``support.answered``),
applied at full depth and fixed times, so rendered documents are the same every run.
Commands are tested through a small Typer app that registers each command function
the way ``interlock.cli.app`` does, wrapped in the error handler.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from interlock.cli.errors import handled
from interlock.cli.graph import graph
from interlock.cli.new import new
from interlock.cli.outcome import outcome
from interlock.folders.integration import IntegrationFolder
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from support.answered import AUTHOR, answered_sheet
from support.answered import bank as bank
from support.answered import order_answers as order_answers

STARTED = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
NAME = "order-service"

MakeSheet = Callable[..., AnswerSheet]
Invoke = Callable[..., Result]


@pytest.fixture
def make_sheet(bank: Bank) -> MakeSheet:
    """Return a builder of a full-depth answer sheet from answers, with skips."""

    def make(values: dict[str, Any], *, skip: tuple[str, ...] = ()) -> AnswerSheet:
        return answered_sheet(bank, values, name=NAME, depth="full", started=STARTED, skip=skip)

    return make


@pytest.fixture
def save_answers(tmp_path: Path) -> Callable[[AnswerSheet], Path]:
    """Return a function that saves a sheet as the workspace's interview; its root."""
    (tmp_path / ".interlock").mkdir(exist_ok=True)

    def save(sheet: AnswerSheet) -> Path:
        IntegrationFolder(tmp_path, sheet.name).store.save(sheet, force=True)
        return tmp_path

    return save


@pytest.fixture
def workspace(
    make_sheet: MakeSheet,
    order_answers: dict[str, Any],
    save_answers: Callable[[AnswerSheet], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """A workspace (the working directory) whose order-service documents are rendered."""
    root = save_answers(make_sheet(order_answers))
    IntegrationFolder(root, NAME).render(author=AUTHOR)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def invoke() -> Invoke:
    """Run one of this issue's commands as the ``interlock`` app would."""
    app = typer.Typer()
    for command in (new, outcome, graph):
        app.command(command.__name__)(handled(command))
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
