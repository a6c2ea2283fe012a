"""Contradicting answers shown in the terminal, and the progress line's count of signals.

The order-service answers are loaded without the duplicates and test-double questions,
and with the rollback question skipped with a reason; then the interview is driven in a
real pseudo-terminal, as a person would, answering that duplicates are harmless while
RabbitMQ delivers at least once.
"""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest
import yaml

from interlock.workspace.layout import init_workspace
from support.answered import ORDER_ANSWERS
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli
from support.terminal import DOWN, ENTER, SPACE, spawn_interview

RABBITMQ = "Contradiction: RabbitMQ delivers at least once"
"""The start of the at-least-once-without-dedupe check's message for RabbitMQ."""


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    """A workspace whose `demo` interview waits for edge.duplicates and testing.doubles."""
    init_workspace(outside_workspace)
    answers = yaml.safe_load(ORDER_ANSWERS.read_text(encoding="utf-8"))
    del answers["edge.duplicates"], answers["testing.doubles"]
    answers["rollout.rollback"] = {"skip": True, "reason": "platform team decides", "owner": "Li"}
    path = outside_workspace / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    loaded = run_cli("interview", "demo", "--by", "Dana", "--answers", str(path), "--no-input")
    assert loaded.exit_code == 0, loaded.output
    return outside_workspace


def test_a_contradiction_is_shown_right_after_the_answer_that_caused_it(
    workspace: Path,
) -> None:
    child = spawn_interview(workspace, width=400)
    # A signal waived by a skip with a reason (rollback) counts as settled: 5 are met,
    # 1 is waived, and the test doubles still hold back "integration-testing".
    child.expect("1 skipped · signals settled 6/7")
    child.expect("What stops it from taking effect twice")
    assert "Contradiction" not in child.before, "none stands before the answer"
    child.send(DOWN * 3 + ENTER)  # harmless
    child.expect(RABBITMQ)
    shown_before_next_question = child.before
    child.expect("answers involved: queue.delivery@rabbitmq, edge.duplicates")
    child.expect("to fix it, revise one of them: interlock interview demo --revise queue")
    child.expect("left as it is, it stays recorded as an open question in the documents")
    child.expect("How do we test without the live systems")
    assert "How do we test" not in shown_before_next_question
    child.send(SPACE + ENTER)  # fakes
    child.expect("The interview is complete")
    assert RABBITMQ not in child.before, "a contradiction still standing is shown once"
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = yaml.safe_load((workspace / "specs" / "demo" / "interview.yaml").read_text())
    assert saved["answers"]["edge.duplicates"]["value"] == "harmless"


def test_revising_shows_what_still_contradicts_the_revised_answer(workspace: Path) -> None:
    answered = run_cli("interview", "demo", "--by", "Dana", "--answer", "edge.duplicates=natural")
    assert answered.exit_code == 0, answered.output
    child = spawn_interview(workspace, "--revise", "edge.duplicates", width=400)
    child.expect("What stops it from taking effect twice")
    child.send(DOWN + ENTER)  # natural -> harmless: RabbitMQ still delivers twice
    child.expect("Saved")
    child.expect(RABBITMQ)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_next_round_in_text_lists_contradictions_with_the_scripted_fix(
    workspace: Path,
) -> None:
    result = run_cli(
        "interview", "demo", "--by", "Dana", "--answer", "edge.duplicates=harmless", "--no-input"
    )
    assert result.exit_code == 0, result.output
    assert "signals settled 6/7" in result.output
    assert RABBITMQ in result.output
    assert "answers involved: queue.delivery@rabbitmq, edge.duplicates" in result.output
    assert "--answer queue.delivery@rabbitmq=VALUE" in result.output
    assert "left as it is, it stays recorded as an open question" in result.output


def test_every_signal_settled_by_skips_with_reasons_is_counted(workspace: Path) -> None:
    result = run_cli(
        "interview",
        "demo",
        "--by",
        "Dana",
        "--answer",
        "edge.duplicates=idempotency-keys",
        "--skip",
        "testing.doubles",
        "--reason",
        "the vendor's sandbox terms are unknown",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    assert "signals settled 7/7" in result.output
    assert "The interview is complete" in result.output
    assert "Contradiction" not in result.output
