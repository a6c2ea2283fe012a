"""The scriptable interview protocol: what automation, the REST API and agents rely on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import Result

from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "interview" / "fixtures"
ORDER_SERVICE = Path(__file__).resolve().parents[2] / "examples" / "order-service" / "answers.yaml"
HOLD_LOCK = Path(__file__).resolve().parents[1] / "interview" / "store_fixtures" / "hold_lock.py"
STRIPE = {"name": "Stripe", "kind": "external-api", "owner": "Payments team"}


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    return outside_workspace


def interview(*args: str) -> Result:
    return run_cli("interview", "pay", "--by", "ci", *args)


def next_round(*args: str) -> dict:  # type: ignore[type-arg]
    result = interview("--next", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_next_json_has_the_documented_shape(workspace: Path) -> None:
    data = next_round()
    assert set(data) == {"complete", "questions", "progress", "signals", "contradictions"}
    assert data["complete"] is False
    assert 1 <= len(data["questions"]) <= 4
    question = data["questions"][0]
    assert set(question) == {
        "id",
        "phase",
        "prompt",
        "kind",
        "help",
        "required",
        "options",
        "fields",
        "suggestions",
    }
    assert {signal["id"] for signal in data["signals"]} and not any(
        signal["met"] for signal in data["signals"]
    )
    assert data["progress"]["phase"] == 1


def test_answers_move_the_interview_on(workspace: Path) -> None:
    first = next_round()["questions"][0]["id"]
    after = next_round("--answer", f"{first}=Charge cards at checkout.")
    assert first not in [question["id"] for question in after["questions"]]
    saved = (workspace / "specs" / "pay" / "interview.yaml").read_text(encoding="utf-8")
    assert "Charge cards at checkout." in saved


def test_json_values_and_per_system_follow_ups(workspace: Path) -> None:
    data = next_round("--answer", "systems=" + json.dumps([STRIPE]))
    ids = set()
    for _ in range(40):
        ids |= {question["id"] for question in data["questions"]}
        if any(question_id.endswith("@stripe") for question_id in ids) or data["complete"]:
            break
        skip = [arg for question in data["questions"] for arg in ("--skip", question["id"])]
        data = next_round(*skip)
    assert any(question_id.endswith("@stripe") for question_id in ids)


def test_retry_follow_ups_appear_only_when_retries_are_chosen(workspace: Path) -> None:
    interview("--answers", str(ORDER_SERVICE))
    status = json.loads(run_cli("status", "pay", "--json").output)
    assert status["complete"] is True
    revised = interview("--answer", 'external.failure@stripe=["fail-fast"]', "--next", "--json")
    assert revised.exit_code == 0, revised.output
    after = json.loads(run_cli("status", "pay", "--json").output)
    assert "external.retry_attempts@stripe" in after["inactive"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--answer", "systems=3"], "expected a list of records"),
        (["--answer", "nope=3"], "unknown question 'nope'"),
        (["--answer", "no-equals-sign"], "is not ID=VALUE"),
        (["--skip", "nope"], "unknown question 'nope'"),
        (["--depth", "deep"], "'deep' is not one of 'quick',"),
    ],
    ids=["wrong-kind", "unknown-id", "not-assignment", "skip-unknown", "bad-depth"],
)
def test_refusals_exit_2_and_save_nothing(workspace: Path, args: list[str], words: str) -> None:
    result = interview(*args)
    assert result.exit_code == 2
    assert words in result.output
    sheet = workspace / "specs" / "pay" / "interview.yaml"
    assert not sheet.exists() or "answers: {}" in sheet.read_text(encoding="utf-8")


def test_option_not_offered_lists_the_allowed_values(workspace: Path) -> None:
    interview("--answers", str(ORDER_SERVICE))
    result = interview("--answer", 'external.failure@stripe=["pray"]')
    assert result.exit_code == 2
    assert "pray" in result.output and "fail-fast" in result.output


def test_answers_file_error_names_its_line(workspace: Path) -> None:
    bad = workspace / "answers.yaml"
    bad.write_text("problem.summary: Charge cards.\nsystems: 42\n", encoding="utf-8")
    result = interview("--answers", str(bad))
    assert result.exit_code == 2
    assert "answers.yaml:2" in result.output


def test_skip_with_reason_and_owner_is_an_open_question(workspace: Path) -> None:
    first = next_round()["questions"][0]["id"]
    interview("--skip", first, "--reason", "ask finance", "--owner", "Priya")
    status = json.loads(run_cli("status", "pay", "--json").output)
    skipped, *unanswered = status["open_questions"]
    assert skipped == {
        "id": first,
        "question": skipped["question"],
        "reason": "ask finance",
        "owner": "Priya",
    }
    # The questions that apply and are not answered yet are open too, as in the documents.
    assert len(unanswered) == status["progress"]["remaining"]
    assert {(item["reason"], item["owner"]) for item in unanswered} == {("not answered yet", "")}


def test_status_and_render_report_the_same_open_questions(workspace: Path) -> None:
    interview("--answer", "problem.summary=Charge cards at checkout.")
    interview("--skip", "problem.why", "--reason", "ask finance", "--owner", "Priya")
    status = json.loads(run_cli("status", "pay", "--json").output)
    rendered = run_cli("render", "pay", "--author", "CI")
    assert rendered.exit_code == 0, rendered.output
    opened = len(status["open_questions"])
    assert opened == status["progress"]["skipped"] + status["progress"]["remaining"] > 1
    assert f"{opened} open questions are listed in the documents." in rendered.output
    listing = run_cli("status").output
    assert f"│ {opened}" in listing  # the table's "open" column
    text = run_cli("status", "pay").output
    assert f"Open questions: 1 skipped, {opened - 1} not answered yet" in text


def test_complete_interview_meets_every_signal(workspace: Path) -> None:
    result = interview("--answers", str(ORDER_SERVICE), "--next", "--json")
    data = json.loads(result.output)
    assert data["complete"] is True and data["questions"] == []
    assert all(signal["met"] for signal in data["signals"])
    listing = run_cli("status")
    assert "pay" in listing.output and "complete" in listing.output


def test_outside_a_workspace_says_how_to_make_one(outside_workspace: Path) -> None:
    result = interview("--next")
    assert result.exit_code == 2
    assert "interlock init" in result.output


def test_second_process_fails_naming_the_holder(workspace: Path) -> None:
    interview("--next")
    path = workspace / "specs" / "pay" / "interview.yaml"
    holder = subprocess.Popen(
        [sys.executable, str(HOLD_LOCK), str(path), "session"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = interview("--next")
        assert result.exit_code == 2
        assert f"pid {holder.pid}" in result.output
    finally:
        holder.communicate("")
