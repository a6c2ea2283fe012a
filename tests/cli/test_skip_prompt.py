"""What the terminal says when a question is skipped: the reason's effect on documents
and completion, asked in a real pseudo-terminal."""

from __future__ import annotations

from pathlib import Path

import pexpect
import yaml

from interlock.workspace.layout import init_workspace
from support.terminal import spawn_interview


def test_the_reason_prompt_says_what_a_skip_with_a_reason_does(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    child = spawn_interview(tmp_path, width=400)  # wide enough that no prompt wraps
    child.expect("what should this integration do")
    child.sendline("-")
    child.expect("What is missing to answer it")
    child.expect("With a reason, it stays in the documents as an open question")
    child.expect("with the owner you name next")
    child.expect("waived for the interview's completion signals")
    child.sendline("waiting for finance")
    child.expect("Who will find out")
    child.expect("named with the open question")
    child.sendline("Priya")
    child.expect("Why is it needed")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    text = (tmp_path / "specs" / "demo" / "interview.yaml").read_text(encoding="utf-8")
    skipped = yaml.safe_load(text)["answers"]["problem.summary"]
    assert skipped["skipped"] is True
    assert (skipped["reason"], skipped["owner"]) == ("waiting for finance", "Priya")
