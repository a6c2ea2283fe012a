"""Links that lead out of the workspace: nothing is read or written through them.

A pull request can add a symbolic link as easily as a file. A spec linked to an SSH key
would be quoted in reports; a linked ``specs/NAME`` would have answers and documents
written anywhere. Each test plants such a link and checks that the outside file is
neither read (its text appears nowhere) nor written, and that the message names it.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli as invoke

SECRET = "PRIVATE KEY MATERIAL that must never be quoted\n"
SPEC = "# Payments\n\nThe order service charges cards through the payment provider.\n"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the workspace holding a file nobody may read through a link."""
    folder = tmp_path_factory.mktemp("home")
    (folder / "id_rsa").write_text(SECRET, encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\n" + SECRET, encoding="utf-8")
    return folder


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    assert invoke("init").exit_code == 0
    return outside_workspace


def validate_json(*paths: str) -> tuple[int, list[dict[str, object]], str]:
    result = invoke("validate", *paths, "--format", "json", "--no-cache")
    report = json.loads(result.output)
    return result.exit_code, report["findings"], result.output


def test_a_spec_linked_out_of_the_workspace_is_not_read(workspace: Path, outside: Path) -> None:
    (workspace / "specs" / "a.md").write_text(SPEC, encoding="utf-8")
    (workspace / "specs" / "key.md").symlink_to(outside / "id_rsa")
    code, findings, output = validate_json()
    assert code == 1
    refused = [item for item in findings if item["path"] == "specs/key.md"]
    assert [item["rule"] for item in refused] == ["unreadable"]
    message = str(refused[0]["message"])
    assert str(outside / "id_rsa") in message and "outside the workspace" in message
    assert "PRIVATE KEY" not in output


def test_a_spec_named_through_a_link_is_not_read_either(workspace: Path, outside: Path) -> None:
    (workspace / "specs" / "notes.md").symlink_to(outside / "notes.md")
    code, findings, output = validate_json("specs/notes.md")
    assert code == 1
    assert [item["rule"] for item in findings] == ["unreadable"]
    assert "PRIVATE KEY" not in output


def test_a_linked_specs_folder_is_not_read(workspace: Path, outside: Path) -> None:
    shutil.rmtree(workspace / "specs")
    (workspace / "specs").symlink_to(outside)
    code, findings, output = validate_json()
    assert code == 1
    assert {item["rule"] for item in findings} == {"unreadable"}
    assert {item["path"] for item in findings} == {"specs/notes.md"}
    assert "PRIVATE KEY" not in output


def test_links_inside_the_workspace_are_followed(workspace: Path) -> None:
    (workspace / "docs").mkdir()
    (workspace / "docs" / "shared.md").write_text(SPEC, encoding="utf-8")
    (workspace / "specs" / "shared.md").symlink_to(workspace / "docs" / "shared.md")
    _, findings, _ = validate_json()
    assert "unreadable" not in {item["rule"] for item in findings}
    assert {item["path"] for item in findings} == {"specs/shared.md"}


def test_a_file_named_outside_the_workspace_without_a_link_is_read(
    workspace: Path, outside: Path
) -> None:
    """The person at the terminal may name any file: only links are suspect."""
    _, findings, _ = validate_json(str(outside / "notes.md"))
    assert "unreadable" not in {item["rule"] for item in findings}


@pytest.mark.parametrize(
    "command",
    [
        ["interview", "pay", "--answer", "problem.summary=Charge cards", "--no-input"],
        ["render", "pay"],
        ["new", "pay", "--blank"],
        ["status", "pay"],
    ],
)
def test_a_linked_integration_folder_is_refused_before_anything_is_written(
    workspace: Path, outside: Path, command: list[str]
) -> None:
    target = outside / "pay"
    target.mkdir()
    (workspace / "specs" / "pay").symlink_to(target)
    result = invoke(*command)
    assert result.exit_code == 2, result.output
    assert "specs/pay is a link to" in result.output and str(target) in result.output
    assert list(target.iterdir()) == []


def test_an_answers_file_linked_out_is_refused(workspace: Path, outside: Path) -> None:
    folder = workspace / "specs" / "pay"
    folder.mkdir()
    (folder / "interview.yaml").symlink_to(outside / "id_rsa")
    for command in (["status", "pay"], ["render", "pay"], ["interview", "pay", "--next"]):
        result = invoke(*command)
        assert result.exit_code == 2, result.output
        assert "specs/pay/interview.yaml is a link to" in result.output
        assert "PRIVATE KEY" not in result.output
    assert (outside / "id_rsa").read_text(encoding="utf-8") == SECRET


def test_status_lists_every_integration_and_names_the_one_it_cannot_read(
    workspace: Path, outside: Path
) -> None:
    for name in ("alpha", "gamma"):
        assert invoke("interview", name, "--no-input").exit_code == 0
    (workspace / "specs" / "beta").symlink_to(outside)
    (outside / "interview.yaml").write_text("template: integration\n", encoding="utf-8")
    table = invoke("status")
    assert table.exit_code == 2
    assert "alpha" in table.output and "gamma" in table.output
    assert "unreadable" in table.output
    assert "specs/beta is a link to" in table.output
    listed = invoke("status", "--json")
    assert listed.exit_code == 2
    rows = json.loads(listed.stdout)["integrations"]
    assert [row["name"] for row in rows] == ["alpha", "beta", "gamma"]
    assert "outside the workspace" in rows[1]["error"]


def test_a_workspace_config_linked_out_is_refused(workspace: Path, outside: Path) -> None:
    config = workspace / ".interlock" / "config.yaml"
    config.unlink()
    (outside / "config.yaml").write_text("preset: draft\n# PRIVATE KEY\n", encoding="utf-8")
    config.symlink_to(outside / "config.yaml")
    (workspace / "specs" / "a.md").write_text(SPEC, encoding="utf-8")
    result = invoke("validate", "--no-cache")
    assert result.exit_code == 2
    assert "config.yaml" in result.output and "outside the workspace" in result.output
    assert "PRIVATE KEY" not in result.output
    named = invoke("validate", "--no-cache", "--config", str(outside / "config.yaml"))
    assert named.exit_code in (0, 1), named.output  # named by the person: read


def test_a_workspace_bank_linked_out_is_refused(workspace: Path, outside: Path) -> None:
    (outside / "integration.yaml").write_text("name: integration\n# PRIVATE KEY\n")
    (workspace / ".interlock" / "banks" / "integration.yaml").symlink_to(
        outside / "integration.yaml"
    )
    result = invoke("interview", "pay", "--next")
    assert result.exit_code == 2, result.output
    assert "integration.yaml" in result.output and "outside the workspace" in result.output
    assert "PRIVATE KEY" not in result.output


def test_a_workspace_bank_that_is_a_pipe_is_refused_not_replaced_by_the_built_in(
    workspace: Path,
) -> None:
    os.mkfifo(workspace / ".interlock" / "banks" / "integration.yaml")
    result = invoke("interview", "pay", "--next")
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output


def test_a_bank_that_is_not_utf8_is_reported_with_its_line(workspace: Path) -> None:
    bank = workspace / ".interlock" / "banks" / "integration.yaml"
    bank.write_bytes(b"name: integration\ntitle: caf\xe9\n")
    result = invoke("interview", "pay", "--next")
    assert result.exit_code == 2, result.output
    assert "integration.yaml:2: " in result.output and "not UTF-8" in result.output
