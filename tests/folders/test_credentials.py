"""Credentials typed as answers are found before they are saved, whatever the front end."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.folders.credentials import credential_warnings
from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli as invoke

# Made-up values of each vendor's documented shape, never real keys.
TOKEN = "ghp_" + "R7tYu2KpL9mNq4WxZ8vB3cD6fH1jS5aE0gIo"
AWS_KEY_ID = "AKIA" + "Z7QF3M4XJ2LPRT6N"


def test_a_session_saves_the_answer_and_says_what_it_holds(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("pay")
    batch = AnswerBatch(answers=(("problem.summary", f"Sync with token {TOKEN}"),))
    with folder.interview(by="agent") as session:
        warnings = session.apply(batch)
        assert session.sheet.answers["problem.summary"].value == f"Sync with token {TOKEN}"
    assert [(item.question_id, item.kind) for item in warnings] == [
        ("problem.summary", "GitHub Token")
    ]
    assert TOKEN not in warnings[0].message and warnings[0].shown.startswith("ghp_")
    assert "name where the credential is stored" in warnings[0].message


def test_lists_and_entity_records_are_searched_too() -> None:
    warnings = credential_warnings(
        [
            ("data.fields", ["id", f"key {AWS_KEY_ID}"]),
            ("systems", [{"name": "stripe", "auth": f"header {TOKEN}"}]),
        ]
    )
    assert [(item.question_id, item.kind) for item in warnings] == [
        ("data.fields", "AWS Access Key"),
        ("systems", "GitHub Token"),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "Read at start-up from Vault, path secret/payments/stripe",
        "ghp_your-token-here",
        "An API key in the Authorization header, rotated every 90 days",
        ["oauth2", "client credentials"],
        42,
        None,
    ],
)
def test_answers_without_a_credential_raise_no_warning(value: object) -> None:
    assert credential_warnings([("external.auth", value)]) == []


_WORD = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12)


@given(st.lists(_WORD, max_size=30).map(" ".join))
def test_prose_never_looks_like_a_credential(text: str) -> None:
    """Words of letters, none longer than twelve: shorter than any key format."""
    assert credential_warnings([("problem.summary", text)]) == []


def test_the_command_line_warns_on_stderr_and_keeps_the_answer(outside_workspace: object) -> None:
    assert invoke("init").exit_code == 0
    result = invoke("interview", "pay", "--answer", f"problem.summary=token {TOKEN}", "--no-input")
    assert result.exit_code == 0
    assert "warning: problem.summary: this looks like a GitHub Token (ghp_" in result.stderr
    assert TOKEN not in result.output
