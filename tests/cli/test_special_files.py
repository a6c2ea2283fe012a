"""A pipe, a device or an oversized file where a file is expected: refused, never read.

Each case would hang or fill memory if Interlock read it like a file. The pipes here
have no writer, so a blocking read would never return: these tests finish only
because nothing is read.
"""

import json
import os
from pathlib import Path

import pytest

from interlock.interview.answers_file import MAX_ANSWERS_BYTES
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli as invoke

SPEC = "# Payments\n\nThe order service charges cards through the payment provider.\n"


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    (outside_workspace / ".interlock").mkdir()
    (outside_workspace / "specs").mkdir()
    return outside_workspace


@pytest.mark.parametrize("kind", ["pipe", "dev-zero"])
def test_a_spec_that_is_no_regular_file_is_an_unreadable_finding(
    workspace: Path, kind: str
) -> None:
    (workspace / "specs" / "a.md").write_text(SPEC, encoding="utf-8")
    odd = workspace / "specs" / "b.md"
    if kind == "pipe":
        os.mkfifo(odd)
    else:
        odd.symlink_to("/dev/zero")
    result = invoke("validate", "--format", "json", "--no-cache")
    findings = json.loads(result.output)["findings"]
    unreadable = [item for item in findings if item["rule"] == "unreadable"]
    assert [item["path"] for item in unreadable] == ["specs/b.md"]
    # A device can only come in through a link, which leads out of the workspace.
    reason = "not a regular file" if kind == "pipe" else "/dev/zero, outside the workspace"
    assert reason in unreadable[0]["message"]
    assert result.exit_code == 1


def test_a_config_that_is_a_pipe_is_a_usage_error_not_ignored(workspace: Path) -> None:
    (workspace / "specs" / "a.md").write_text(SPEC, encoding="utf-8")
    os.mkfifo(workspace / ".interlock" / "config.yaml")
    result = invoke("validate", "--no-cache")
    assert result.exit_code == 2
    assert "config.yaml" in result.output
    assert "not a regular file" in result.output


def test_an_answers_file_that_is_a_pipe_is_refused(workspace: Path) -> None:
    os.mkfifo(workspace / "answers.yaml")
    result = invoke("interview", "pay", "--answers", "answers.yaml", "--no-input")
    assert result.exit_code == 2
    assert "answers.yaml" in result.output
    assert "not a regular file" in result.output


def test_an_oversized_answers_file_is_refused_before_it_is_parsed(workspace: Path) -> None:
    big = workspace / "answers.yaml"
    with big.open("w", encoding="utf-8") as stream:
        stream.write("problem.summary: '")
        stream.write("x" * MAX_ANSWERS_BYTES)
        stream.write("'\n")
    result = invoke("interview", "pay", "--answers", "answers.yaml", "--no-input")
    assert result.exit_code == 2
    assert "over the" in result.output
    assert not (workspace / "specs" / "pay" / "interview.yaml").exists()


def test_an_interview_file_replaced_by_a_device_is_a_clear_error(workspace: Path) -> None:
    folder = workspace / "specs" / "pay"
    folder.mkdir()
    (folder / "interview.yaml").symlink_to("/dev/urandom")
    result = invoke("status", "pay")
    assert result.exit_code == 2
    assert "interview.yaml is a link to /dev/urandom, outside the workspace" in result.output


def test_a_folder_named_as_a_config_file_is_called_a_folder(workspace: Path) -> None:
    (workspace / "specs" / "a.md").write_text(SPEC, encoding="utf-8")
    result = invoke("validate", "--no-cache", "--config", "specs")
    assert result.exit_code == 2
    assert "specs: error: this is a folder, not a config file" in result.output


def test_a_folder_in_place_of_the_workspace_config_is_called_a_folder(workspace: Path) -> None:
    (workspace / ".interlock" / "config.yaml").mkdir()
    (workspace / "specs" / "a.md").write_text(SPEC, encoding="utf-8")
    result = invoke("validate", "--no-cache")
    assert result.exit_code == 2
    assert "this is a folder, not a file" in result.output
    assert "Traceback" not in result.output
