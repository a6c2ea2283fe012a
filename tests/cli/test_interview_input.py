"""How the interview takes its input: a terminal, a pipe, or flags; and what --help says."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from interlock.cli import options
from interlock.cli.prompts import Asker, Reply
from interlock.interview.schema import DEPTHS, Option, Question
from interlock.interview.views import QuestionView
from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli
from support.terminal import DOWN, ENTER, INTERLOCK, SPACE, spawn_interview


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    return outside_workspace


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


# -- no terminal ---------------------------------------------------------------------------


@pytest.mark.parametrize("piped", ["", "Charge cards at checkout.\n"], ids=["empty", "text"])
def test_piped_input_exits_2_saying_which_flags_to_use(workspace: Path, piped: str) -> None:
    done = subprocess.run(
        [INTERLOCK, "interview", "pay"],
        input=piped,
        capture_output=True,
        text=True,
        cwd=workspace,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr
    assert "the input is not a terminal" in done.stderr
    for flag in ("--next", "--answer ID=VALUE", "--answers FILE"):
        assert flag in done.stderr
    assert not (workspace / "specs" / "pay").exists(), "nothing is started"


def test_revise_needs_a_terminal_and_names_the_scripted_way(workspace: Path) -> None:
    result = run_cli("interview", "pay", "--revise", "problem.summary")
    assert result.exit_code == 2
    assert "--answer problem.summary=VALUE" in result.output
    combined = run_cli("interview", "pay", "--revise", "problem.summary", "--next")
    assert combined.exit_code == 2 and "does not combine" in combined.output


# -- --help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["interview", "answers", "new", "research", "validate"])
def test_help_shows_value_names_not_python_types(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    options_panel = result.output.split("Options")[1]
    for python_type in (
        "<str>",
        "<list[str]>",
        "<path>",
        "<float",
        "<int>",
        "<int range",
        "<tuple",
    ):
        assert python_type not in options_panel, (command, python_type)


def test_help_lists_the_depths_and_the_value_names() -> None:
    text = run_cli("interview", "--help").output
    assert "<quick|standard|full>" in text
    for shown in ("ID=VALUE", "FILE", "BANK"):
        assert shown in text
    assert "OLD NEW" in run_cli("answers", "--help").output


def test_the_depths_offered_are_the_core_s() -> None:
    assert tuple(depth.value for depth in options.InterviewDepth) == DEPTHS


def test_a_depth_typed_in_capitals_is_taken(workspace: Path) -> None:
    result = run_cli("interview", "pay", "--depth", "FULL", "--next")
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load((workspace / "specs" / "pay" / "interview.yaml").read_text())
    assert saved["depth"] == "full"


# -- multi-select and lists in the terminal ---------------------------------------------------

FAILURE = Question(
    id="failure",
    phase="edge",
    prompt="When it fails?",
    kind="multi",
    options=(Option(value="retry"), Option(value="queue"), Option(value="fail-fast")),
)


def _view(question: Question) -> QuestionView:
    return QuestionView(question.id, question, question.phase, question.prompt, "Why it matters.")


def _ask(keys: PipeInput, question: Question, *typed: str, current: object = None) -> Reply:
    for text in typed:
        keys.send_text(text)
    return Asker(input=keys, output=DummyOutput()).ask(_view(question), print, current)


def test_select_all_ticks_every_option_and_never_dont_know_or_help(keys: PipeInput) -> None:
    assert _ask(keys, FAILURE, "a" + ENTER) == Reply(["retry", "queue", "fail-fast"])


def test_dont_know_is_offered_only_with_nothing_ticked(keys: PipeInput) -> None:
    reply = _ask(keys, FAILURE, ENTER, ENTER, "vendor call\r", "Priya\r")
    assert reply == Reply(skipped=True, reason="vendor call", owner="Priya")


def test_with_nothing_ticked_the_person_can_go_back_to_the_options(keys: PipeInput) -> None:
    reply = _ask(keys, FAILURE, ENTER, DOWN + DOWN + ENTER, DOWN + SPACE + ENTER)
    assert reply == Reply(["queue"])


def test_an_optional_multi_can_be_answered_with_none(keys: PipeInput) -> None:
    optional = FAILURE.model_copy(update={"required": False})
    assert _ask(keys, optional, ENTER, ENTER) == Reply([])


def test_revising_a_multi_starts_from_its_answer(keys: PipeInput) -> None:
    reply = _ask(keys, FAILURE, DOWN + SPACE + ENTER, current=["retry"])
    assert reply == Reply(["retry", "queue"])


LIST = Question(id="keys", phase="data", prompt="Which fields key a record?", kind="list")


def test_a_list_is_one_item_per_line_and_commas_stay(keys: PipeInput) -> None:
    reply = _ask(keys, LIST, "github node id, etag\r", "?\r", "last synced at\r", "\r")
    assert reply == Reply(["github node id, etag", "last synced at"])


_ITEM = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda text: text.strip() not in ("", "?", "-"))


@given(st.lists(_ITEM, min_size=1, max_size=5))
def test_any_items_typed_line_by_line_come_back_whole(items: list[str]) -> None:
    with create_pipe_input() as pipe:
        for item in items:
            pipe.send_text(item + "\r")
        pipe.send_text("\r")
        reply = Asker(input=pipe, output=DummyOutput()).ask(_view(LIST), lambda _: None)
    assert reply == Reply([item.strip() for item in items])


# -- --revise in a real terminal ---------------------------------------------------------------


def test_revise_asks_one_question_again_with_its_answer_as_default(workspace: Path) -> None:
    first = run_cli("interview", "pay", "--by", "Dana", "--answer", "problem.summary=Charge cards")
    assert first.exit_code == 0, first.output
    child = spawn_interview(workspace, "--revise", "problem.summary", name="pay", by="Lee")
    child.expect('problem.summary: "Charge cards" \\(by Dana\\)')
    child.expect("what should this integration do")
    child.sendline(" and refunds.")  # the default is kept, and added to
    child.expect("Saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = yaml.safe_load((workspace / "specs" / "pay" / "interview.yaml").read_text())
    answer = saved["answers"]["problem.summary"]
    assert (answer["value"], answer["by"]) == ("Charge cards and refunds.", "Lee")
