"""Answers given on the command line or in a file keep what was typed where text is asked.

JSON reads ``12`` and ``1e3`` as numbers, and YAML reads ``012``, ``1.50``, ``yes`` and
``2024-05-01`` as numbers, booleans and dates; a text question's answer is the text as
typed all the same, while a number or yes/no question takes what they read as.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from interlock.interview.store import AnswerStore
from interlock.safe_yaml import dump_yaml
from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

TEXT_QUESTION = "problem.summary"


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    return outside_workspace


def _saved(workspace: Path, question_id: str) -> object:
    sheet = AnswerStore(workspace / "specs" / "pay" / "interview.yaml").load()
    return sheet.answers[question_id].value


def _answer(*args: str) -> None:
    result = run_cli("interview", "pay", "--by", "ci", "--no-input", *args)
    assert result.exit_code == 0, result.output


_TYPED = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
).filter(str.strip)
_HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_HYPOTHESIS
@given(typed=_TYPED)
@example("012")
@example("12")
@example("1e3")
@example("-0.50")
@example("true")
@example("null")
@example('"quoted"')
@example('["a", "b"]')
@example('{"a": 1}')
@example(" spaced ")
def test_a_text_answer_given_with_answer_is_kept_as_typed(workspace: Path, typed: str) -> None:
    _answer("--answer", f"{TEXT_QUESTION}={typed}")
    assert _saved(workspace, TEXT_QUESTION) == typed


_READ_AS_SOMETHING_ELSE = st.one_of(
    st.from_regex(r"\A[-+]?[0-9][0-9_]{0,12}\Z"),
    st.from_regex(r"\A[-+]?[0-9]{1,6}\.[0-9]{0,6}([eE][-+][0-9]{1,2})?\Z"),
    st.sampled_from(
        [
            "yes", "No", "ON", "off", "true", "False",
            ".inf", "-.Inf", ".NaN", "0x1F", "0o17", "0b101", "1:30",
            "2024-01-31", "2024-01-31T10:00:00Z", "1e3", "0012.50",
        ]
    ),
)  # fmt: skip


@_HYPOTHESIS
@given(typed=_READ_AS_SOMETHING_ELSE)
def test_an_unquoted_text_answer_in_an_answers_file_is_kept_as_written(
    workspace: Path, typed: str
) -> None:
    answers = workspace / "answers.yaml"
    answers.write_text(f"{TEXT_QUESTION}: {typed}\n", encoding="utf-8")
    _answer("--answers", str(answers))
    assert _saved(workspace, TEXT_QUESTION) == typed


@_HYPOTHESIS
@given(typed=_TYPED)
def test_any_text_answer_in_an_answers_file_is_kept(workspace: Path, typed: str) -> None:
    answers = workspace / "answers.yaml"
    answers.write_text(dump_yaml({TEXT_QUESTION: typed}), encoding="utf-8")
    _answer("--answers", str(answers))
    assert _saved(workspace, TEXT_QUESTION) == typed


def test_other_kinds_still_take_what_json_and_yaml_read(workspace: Path) -> None:
    answers = workspace / "answers.yaml"
    answers.write_text(
        "problem.summary: 1.50\nproblem.existing: new\nconstraints.latency: 250\n",
        encoding="utf-8",
    )
    _answer("--answers", str(answers))
    assert _saved(workspace, "problem.summary") == "1.50"
    assert _saved(workspace, "problem.existing") == "new"
    assert _saved(workspace, "constraints.latency") == 250
    _answer(
        "--answer",
        "constraints.latency=1e3",
        "--answer",
        'problem.existing="replace"',
        "--answer",
        'problem.goals=["Fewer failed payments", "1e3"]',
    )
    assert _saved(workspace, "constraints.latency") == 1000.0
    assert _saved(workspace, "problem.existing") == "replace"
    assert _saved(workspace, "problem.goals") == ["Fewer failed payments", "1e3"]


def test_an_answers_file_that_is_a_folder_is_named_as_such(workspace: Path) -> None:
    result = run_cli("interview", "pay", "--answers", "specs")
    assert result.exit_code == 2
    assert "specs: error: this is a folder, not an answers file" in result.output
    assert "Errno" not in result.output
    assert not (workspace / "specs" / "pay").exists()
