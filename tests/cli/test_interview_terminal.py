"""The interactive interview driven in a real pseudo-terminal, as a person would."""

from pathlib import Path

import pexpect
import pytest
import yaml

from interlock.workspace.layout import init_workspace
from support.terminal import spawn_interview


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    init_workspace(tmp_path)
    return tmp_path


def saved(workspace: Path) -> dict:  # type: ignore[type-arg]
    text = (workspace / "specs" / "demo" / "interview.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def test_answers_help_and_ctrl_c_keep_every_answer(workspace: Path) -> None:
    child = spawn_interview(workspace, timeout=20)
    child.expect("Phase 1 of 9")
    child.expect("what should this integration do")
    child.sendline("Charge cards at checkout.")
    child.expect("Why is it needed")
    child.sendline("?")
    child.expect("The pain today")
    child.expect("Why is it needed")
    child.sendline("Batch files delay captures by a day.")
    child.expect("Record 1")
    child.sendcontrol("c")
    child.expect("Resume with: interlock interview demo")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    answers = saved(workspace)["answers"]
    assert answers["problem.summary"]["value"] == "Charge cards at checkout."
    assert answers["problem.why"]["value"] == "Batch files delay captures by a day."
    assert answers["problem.why"]["by"] == "Dana"


def test_resume_asks_only_what_is_left_and_dont_know_becomes_open(workspace: Path) -> None:
    first = spawn_interview(workspace, timeout=20)
    first.expect("what should this integration do")
    first.sendline("Charge cards at checkout.")
    first.expect("Why is it needed")
    first.sendcontrol("c")
    first.expect(pexpect.EOF)
    first.close()
    again = spawn_interview(workspace, timeout=20)
    again.expect("Why is it needed")
    assert "what should this integration do" not in again.before
    again.sendline("-")
    again.expect("What is missing")
    again.sendline("waiting for finance")
    again.expect("Who will find out")
    again.sendline("Priya")
    again.expect("Record 1")
    again.sendcontrol("c")
    again.expect(pexpect.EOF)
    again.close()
    skipped = saved(workspace)["answers"]["problem.why"]
    assert skipped["skipped"] is True
    assert (skipped["reason"], skipped["owner"]) == ("waiting for finance", "Priya")


# A made-up token of GitHub's documented shape (ghp_ and 36 letters and digits).
TOKEN = "ghp_" + "R7tYu2KpL9mNq4WxZ8vB3cD6fH1jS5aE0gIo"


def test_a_credential_typed_as_an_answer_is_questioned_before_it_is_saved(
    workspace: Path,
) -> None:
    child = spawn_interview(workspace, timeout=20)
    child.expect("what should this integration do")
    child.sendline(f"Sync issues; the token is {TOKEN}")
    child.expect("looks like a GitHub Token")
    child.expect("Keep this answer with the credential in it")
    child.sendline("n")
    child.expect("what should this integration do")  # asked again
    child.sendline("Sync issues; the token is in Vault at secret/github/sync")
    child.expect("Why is it needed")
    child.sendline(f"Also {TOKEN}")
    child.expect("Keep this answer with the credential in it")
    child.sendline("y")
    child.expect("Record 1")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    answers = saved(workspace)["answers"]
    assert answers["problem.summary"]["value"].endswith("Vault at secret/github/sync")
    assert answers["problem.why"]["value"] == f"Also {TOKEN}", "kept, as the person chose"


def test_a_file_edited_during_the_interview_is_kept_and_the_hint_is_one_that_works(
    workspace: Path,
) -> None:
    child = spawn_interview(workspace, timeout=20)
    child.expect("what should this integration do")
    child.sendline("Charge cards at checkout.")
    child.expect("Why is it needed")
    answers = workspace / "specs" / "demo" / "interview.yaml"
    edited = answers.read_text(encoding="utf-8").replace("checkout.", "checkout, by hand.")
    answers.write_text(edited, encoding="utf-8")
    child.sendline("Batch files delay captures by a day.")
    child.expect(pexpect.EOF)
    child.close()
    output = child.before
    assert child.exitstatus == 2
    assert "the answers file changed on disk since it was loaded" in output
    assert "start the interview again to load it, then give this answer again" in output
    assert "force" not in output  # `interview` has no --force to offer
    assert answers.read_text(encoding="utf-8") == edited
