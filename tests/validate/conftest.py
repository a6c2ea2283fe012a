"""Fixtures of the bad-input and property tests: isolated workspaces and a validate runner.

``validate_cli`` runs ``interlock validate`` in-process, as a user would type it, in a
given workspace, and returns the exit code, the terminal output and the parsed JSON
report. Every run it makes is also checked for what must never happen, whatever the
input: a traceback, an exception escaping the command, or a rule crashing on a file.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interlock.cli.app import app

REPORT_NAME = "report.json"
RULE_CRASH = "please report this as a bug"
"""The end of the message the runner gives a finding when a rule raised on a file."""


@dataclass(frozen=True, slots=True)
class ValidateRun:
    """One ``interlock validate`` run: what the user sees and the JSON report."""

    exit_code: int
    output: str
    report: dict[str, Any] | None

    @property
    def findings(self) -> list[dict[str, Any]]:
        """The report's findings (empty when there is no report)."""
        return list(self.report["findings"]) if self.report else []

    def rules_of(self, path: str) -> set[str]:
        """Return the rule names of the findings reported for ``path``."""
        return {finding["rule"] for finding in self.findings if finding["path"] == path}

    def findings_of(self, path: str, rule: str) -> list[dict[str, Any]]:
        """Return the findings of ``rule`` reported for ``path``."""
        return [f for f in self.findings if f["path"] == path and f["rule"] == rule]


class ValidateCli:
    """Run ``interlock validate`` in a workspace through Typer's test runner."""

    def __init__(self) -> None:
        self._runner = CliRunner()

    def __call__(self, root: Path, *args: str, json_report: bool = True) -> ValidateRun:
        """Run ``interlock validate ARGS`` with ``root`` as the working directory.

        With ``json_report`` the report is written as JSON to ``root/report.json``
        and parsed; a report that does not parse fails the test.
        """
        report_path = root / REPORT_NAME
        report_path.unlink(missing_ok=True)
        extra = ["--format", "json", "--output", str(report_path)] if json_report else []
        with contextlib.chdir(root):
            result = self._runner.invoke(app, ["validate", *args, *extra])
        output = result.output
        assert "Traceback" not in output, output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"an exception escaped the command: {result.exception!r}\n{output}"
        )
        report: dict[str, Any] | None = None
        if json_report and report_path.exists():
            report = json.loads(report_path.read_text(encoding="utf-8"))
            crashed = [f for f in report["findings"] if RULE_CRASH in f["message"]]
            assert not crashed, f"a rule crashed: {crashed}"
        return ValidateRun(result.exit_code, output, report)


@pytest.fixture(scope="session")
def validate_cli() -> ValidateCli:
    """Run ``interlock validate`` in a workspace and check it never crashes."""
    return ValidateCli()


def make_workspace(root: Path) -> Path:
    """Turn ``root`` into a workspace: ``.interlock/`` (so the cache stays inside) and ``specs/``."""
    (root / ".interlock").mkdir(parents=True, exist_ok=True)
    (root / "specs").mkdir(exist_ok=True)
    return root


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return an empty workspace; the user cache directory points into ``tmp_path`` too."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return make_workspace(tmp_path / "workspace")


@pytest.fixture(scope="module")
def shared_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Return a workspace kept for a whole module, for property tests that rewrite one file.

    Hypothesis runs many examples per test function, so a function-scoped fixture
    would be shared by all of them anyway; this one says so.
    """
    root = tmp_path_factory.mktemp("property-workspace")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "user-cache"))
        yield make_workspace(root)
