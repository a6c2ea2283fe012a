"""``validate`` reads the interviews' answers files for credentials, and stops at folders
it cannot list instead of passing the specs inside them unread."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli as invoke

# A made-up token of GitHub's documented shape (ghp_ and 36 letters and digits).
TOKEN = "ghp_" + "R7tYu2KpL9mNq4WxZ8vB3cD6fH1jS5aE0gIo"


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    assert invoke("init").exit_code == 0
    return outside_workspace


def answer(name: str, question: str, value: str) -> None:
    result = invoke("interview", name, "--answer", f"{question}={value}", "--no-input")
    assert result.exit_code == 0, result.output


def report(*args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("validate", *args, "--format", "json", "--no-cache")
    return result.exit_code, json.loads(result.output)


def test_a_credential_typed_as_an_answer_fails_validation(workspace: Path) -> None:
    answer("pay", "problem.summary", f"Charge cards; the token is {TOKEN}")
    code, data = report()
    assert code == 1
    findings = [item for item in data["findings"] if item["path"] == "specs/pay/interview.yaml"]
    assert [item["rule"] for item in findings] == ["secret"]
    text = (workspace / "specs" / "pay" / "interview.yaml").read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if TOKEN in row)
    assert findings[0]["line"] == line
    assert "in the answers" in findings[0]["message"]
    assert TOKEN not in json.dumps(data), "the token is masked in the whole report"
    files = {item["path"]: item for item in data["files"]}
    assert files["specs/pay/interview.yaml"]["kind"] == "answers"


def test_answers_files_are_checked_for_secrets_only_and_not_scored(workspace: Path) -> None:
    answer("pay", "problem.summary", "Charge cards at checkout.")
    code, data = report()
    assert code == 0
    assert data["findings"] == []
    assert data["summary"]["score"] == 100


def test_the_secret_rule_off_or_an_exclude_glob_leaves_answers_alone(workspace: Path) -> None:
    answer("pay", "problem.summary", f"the token is {TOKEN}")
    config = workspace / ".interlock" / "config.yaml"
    config.write_text("rules:\n  secret: off\n", encoding="utf-8")
    assert report()[1]["findings"] == []
    config.write_text('exclude: ["specs/pay/**"]\n', encoding="utf-8")
    assert report()[1]["findings"] == []


def test_an_answers_file_named_on_the_command_line_is_checked_as_answers(
    workspace: Path,
) -> None:
    answer("pay", "problem.summary", f"the token is {TOKEN}")
    code, data = report("specs/pay/interview.yaml")
    assert code == 1
    assert [item["rule"] for item in data["findings"]] == ["secret"]


def test_a_folder_that_cannot_be_listed_stops_the_run(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "specs" / "private").mkdir()
    (workspace / "specs" / "private" / "a.md").write_text("# A\n", encoding="utf-8")
    real_scandir = os.scandir

    def refusing(path: str | os.PathLike[str] = ".") -> object:
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result = invoke("validate", "--no-cache")
    assert result.exit_code == 2
    assert "specs/private: cannot read the folder (Permission denied)" in result.output
    assert "would go unchecked" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list a folder of mode 000")
def test_a_folder_of_mode_000_stops_the_run(workspace: Path) -> None:
    private = workspace / "specs" / "private"
    private.mkdir()
    (private / "a.md").write_text("# A\n", encoding="utf-8")
    private.chmod(0)
    try:
        result = invoke("validate", "--no-cache")
    finally:
        private.chmod(0o755)
    assert result.exit_code == 2
    assert "cannot read the folder" in result.output
