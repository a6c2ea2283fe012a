"""Run the ``interlock`` app in-process, from a working directory of the test's choosing.

A test module takes the ``outside_workspace`` fixture from here (imported under its
own name, so pytest finds it); a module's own ``workspace`` fixture builds on it.
:func:`modules_loaded_by` imports modules in a fresh interpreter, for start-up tests.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
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


def modules_loaded_by(modules: Iterable[str], prefixes: Iterable[str]) -> list[str]:
    """Return the loaded modules starting with one of ``prefixes`` after importing ``modules``.

    The import runs in a fresh interpreter, so nothing this test process loaded counts.
    """
    code = (
        f"import sys, {', '.join(modules)}\n"
        f"print('\\n'.join(sorted(n for n in sys.modules if n.startswith({tuple(prefixes)!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def interlock_process(
    cwd: Path, *args: str, check: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``interlock ARGS`` as its own process in ``cwd``, as a person at a terminal
    does (a server's own tests run it beside the server)."""
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )
