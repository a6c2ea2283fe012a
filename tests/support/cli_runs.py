"""Run the ``interlock`` app in-process, from a working directory of the test's choosing.

A test module takes the ``outside_workspace`` fixture from here (imported under its
own name, so pytest finds it); a module's own ``workspace`` fixture builds on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from interlock.cli.app import app

_RUNNER = CliRunner()


def run_cli(*args: str) -> Result:
    """Run ``interlock ARGS``, letting an unexpected exception fail the test."""
    return _RUNNER.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def outside_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory that no workspace contains."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
