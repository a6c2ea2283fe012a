"""`interlock answers NAME`: every answer with who and when, and a team revising them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import Result

from interlock.render.manifest import MANIFEST_NAME, edited_documents
from interlock.workspace.layout import init_workspace
from support.cli_runs import outside_workspace as outside_workspace
from support.cli_runs import run_cli

SYSTEMS = [
    {"name": "Stripe", "kind": "external-api", "owner": "Payments"},
    {"name": "Slack", "kind": "external-api"},
]
STRIPE_ANSWERS = {
    "external.purpose@stripe": "Charging cards",
    "external.failure@stripe": ["retry", "circuit-breaker"],
    "external.retry_attempts@stripe": 3,
}


@pytest.fixture
def workspace(outside_workspace: Path) -> Path:
    init_workspace(outside_workspace)
    return outside_workspace


def interview(*args: str, by: str = "Dana") -> Result:
    return run_cli("interview", "pay", "--by", by, *args)


def answers(*args: str) -> Result:
    return run_cli("answers", "pay", *args)


def answered(*pairs: tuple[str, object], by: str = "Dana") -> None:
    # A text question keeps VALUE as typed, so text is given as it is, the rest as JSON.
    given = [
        arg
        for key, value in pairs
        for arg in ("--answer", f"{key}={value if isinstance(value, str) else json.dumps(value)}")
    ]
    result = interview("--no-input", *given, by=by)
    assert result.exit_code == 0, result.output


def saved(workspace: Path) -> str:
    return (workspace / "specs" / "pay" / "interview.yaml").read_text(encoding="utf-8")


def listed(*args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = answers("--json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.output)["answers"]}


@pytest.fixture
def with_stripe(workspace: Path) -> Path:
    answered(("problem.summary", "Charge cards at checkout."), ("systems", SYSTEMS))
    answered(*STRIPE_ANSWERS.items())
    research = workspace / "specs" / "pay" / "research"
    research.mkdir()
    (research / "stripe.md").write_text("# Stripe\n", encoding="utf-8")
    (research / "stripe.json").write_text("{}\n", encoding="utf-8")
    return workspace


def test_every_answer_is_listed_with_who_and_when(with_stripe: Path) -> None:
    answered(("problem.summary", "Charge cards, and refund them."), by="Lee")
    result = answers()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    summary = lines.index("problem.summary  In two or three sentences, what should this "
                          "integration do?")  # fmt: skip
    assert lines[summary + 1] == "  Charge cards, and refund them."
    assert lines[summary + 2].startswith("  by Lee, 20")
    assert "  - Stripe [stripe] (kind external-api, owner Payments)" in lines
    rows = listed()
    assert rows["problem.summary"]["by"] == "Lee"
    assert rows["external.purpose@stripe"]["by"] == "Dana"
    assert rows["external.failure@stripe"]["value"] == ["retry", "circuit-breaker"]
    assert rows["systems"]["status"] == "answered"


def test_unset_asks_the_question_again(with_stripe: Path) -> None:
    result = answers("--unset", "external.purpose@stripe")
    assert result.exit_code == 0, result.output
    assert 'unset external.purpose@stripe (was "Charging cards", by Dana)' in result.output
    assert "external.purpose@stripe" not in listed()
    pending = interview("--next", "--json")
    assert "external.purpose@stripe" in [q["id"] for q in json.loads(pending.output)["questions"]]


def test_unset_of_an_id_with_no_answer_changes_nothing(with_stripe: Path) -> None:
    before = saved(with_stripe)
    result = answers("--unset", "problem.summary", "--unset", "external.purpose@strpe")
    assert result.exit_code == 2
    assert "'external.purpose@strpe' has no answer to unset" in result.output
    assert "did you mean external.purpose@stripe," in result.output
    assert saved(with_stripe) == before, "all or nothing: problem.summary is kept too"


def test_renaming_a_system_keeps_its_answers_notes_and_their_record(with_stripe: Path) -> None:
    before = listed()
    result = run_cli("answers", "pay", "--rename-system", "Stripe", "Stripe Billing", "--by", "Lee")
    assert result.exit_code == 0, result.output
    assert "key stripe -> stripe-billing" in result.output
    after = listed()
    for question_id, value in STRIPE_ANSWERS.items():
        moved = question_id.replace("@stripe", "@stripe-billing")
        assert after[moved]["value"] == value
        assert (after[moved]["by"], after[moved]["at"]) == (
            before[question_id]["by"],
            before[question_id]["at"],
        ), "who answered, and when, move with the answer"
        assert question_id not in after
    assert after["systems"]["value"][0]["name"] == "Stripe Billing"
    assert after["systems"]["by"] == "Lee"
    research = with_stripe / "specs" / "pay" / "research"
    assert sorted(path.name for path in research.glob("stripe*")) == [
        "stripe-billing.json",
        "stripe-billing.md",
    ]
    assert (research / "stripe-billing.md").read_text(encoding="utf-8") == "# Stripe\n"
    ids = {q["id"] for q in json.loads(interview("--next", "--json").output)["questions"]}
    assert not any(question_id.endswith("@stripe") for question_id in ids)


def test_a_renamed_research_note_still_reads_as_written_by_research(workspace: Path) -> None:
    from interlock.research.notes import write_note

    answered(("systems", SYSTEMS))
    research = workspace / "specs" / "pay" / "research"
    write_note(research, "stripe", "# Stripe\n", "{}\n")
    assert answers("--rename-system", "Stripe", "Stripe Billing").exit_code == 0
    record = json.loads((research / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    assert set(record) == {"stripe-billing.md", "stripe-billing.json"}
    moved = {"stripe-billing.md": "# Stripe\n", "stripe-billing.json": "{}\n"}
    assert edited_documents(research, moved) == [], "research may write it again"


def test_a_rename_that_only_changes_the_spelling_keeps_the_key(with_stripe: Path) -> None:
    result = answers("--rename-system", "Stripe", "STRIPE")
    assert result.exit_code == 0, result.output
    assert "its key stays stripe" in result.output
    assert listed()["external.purpose@stripe"]["value"] == "Charging cards"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Stripe", "slack", "'slack' has the key 'slack' of the system 'Slack'"),
        ("Stripes", "Billing", "no system named 'Stripes'"),
    ],
    ids=["new-key-taken", "unknown-system"],
)
def test_a_rename_that_cannot_be_made_changes_nothing(
    with_stripe: Path, old: str, new: str, message: str
) -> None:
    before = saved(with_stripe)
    result = answers("--rename-system", old, new)
    assert result.exit_code == 2
    assert message in result.output
    assert saved(with_stripe) == before
    assert (with_stripe / "specs" / "pay" / "research" / "stripe.md").is_file()


def test_a_rename_onto_answers_left_under_the_new_key_is_refused(with_stripe: Path) -> None:
    path = with_stripe / "specs" / "pay" / "research" / "billing.md"
    path.write_text("someone else's note\n", encoding="utf-8")
    before = saved(with_stripe)
    result = answers("--rename-system", "Stripe", "Billing")
    assert result.exit_code == 2
    assert "billing.md exists already" in result.output
    assert saved(with_stripe) == before
    assert path.read_text(encoding="utf-8") == "someone else's note\n"


def test_removing_a_system_says_what_it_drops_and_needs_yes_in_a_script(
    with_stripe: Path,
) -> None:
    before = saved(with_stripe)
    refused = answers("--remove-system", "Stripe")
    assert refused.exit_code == 2
    assert "removing 'Stripe' drops 3 answers; nothing was changed" in refused.output
    assert "external.retry_attempts@stripe" in refused.output and "--yes" in refused.output
    assert saved(with_stripe) == before
    done = answers("--remove-system", "Stripe", "--yes")
    assert done.exit_code == 0, done.output
    assert "removed 'Stripe' and 3 answers about it" in done.output
    assert "kept stripe.md" in done.output
    rows = listed()
    assert [record["name"] for record in rows["systems"]["value"]] == ["Slack"]
    assert not [question_id for question_id in rows if question_id.endswith("@stripe")]
    assert (with_stripe / "specs" / "pay" / "research" / "stripe.md").is_file()


def test_adding_a_system_asks_its_questions(with_stripe: Path) -> None:
    result = answers("--add-system", "GitHub", "--kind", "external-api")
    assert result.exit_code == 0, result.output
    assert "added 'GitHub' (key github)" in result.output
    again = answers("--add-system", "github", "--kind", "queue")
    assert again.exit_code == 2 and "'GitHub' is a system already" in again.output
    wrong = answers("--add-system", "Kafka", "--kind", "broker")
    assert wrong.exit_code == 2 and "'broker' is not an option" in wrong.output
    names = [record["name"] for record in listed()["systems"]["value"]]
    assert names == ["Stripe", "Slack", "GitHub"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--add-system", "GitHub"), "--add-system 'GitHub' needs --kind"),
        (("--kind", "queue"), "--kind goes with --add-system NAME"),
        (("--unset", "x", "--remove-system", "Stripe"), "--unset and --remove-system"),
    ],
    ids=["add-without-kind", "kind-alone", "two-changes"],
)
def test_flags_that_do_not_go_together_are_refused(
    with_stripe: Path, args: tuple[str, ...], message: str
) -> None:
    result = answers(*args)
    assert result.exit_code == 2 and message in result.output


def test_revising_an_answer_through_the_protocol_records_who_and_when(with_stripe: Path) -> None:
    before = listed()["external.purpose@stripe"]
    answered(("external.purpose@stripe", "Charging cards and refunds"), by="Lee")
    after = listed()["external.purpose@stripe"]
    assert (after["value"], after["by"]) == ("Charging cards and refunds", "Lee")
    assert after["at"] >= before["at"]


def test_answering_an_inactive_question_warns_why_and_keeps_the_answer(with_stripe: Path) -> None:
    answered(("external.failure@stripe", ["fail-fast"]))
    result = interview("--json", "--answer", "external.retry_attempts@stripe=5")
    assert result.exit_code == 0, result.output
    warning = json.loads(result.stdout)["warnings"][0]
    assert warning["id"] == "external.retry_attempts@stripe"
    assert "'retry' in external_failure" in warning["why"]
    assert 'external.failure@stripe is ["fail-fast"]' in warning["why"]
    row = listed()["external.retry_attempts@stripe"]
    assert (row["status"], row["value"]) == ("inactive", 5)
    assert "external.failure@stripe" in row["why"]


def test_a_question_deeper_than_the_interview_says_so(with_stripe: Path) -> None:
    result = interview("--answer", "problem.goals=Refunds within a day, for 99%")
    assert result.exit_code == 0, result.output
    assert "problem.goals is not asked now: it is asked at full depth" in result.output
    assert listed()["problem.goals"]["value"] == ["Refunds within a day, for 99%"]


def test_errors_under_json_are_json(with_stripe: Path) -> None:
    result = interview("--json", "--answer", "external.retry_attempts@strpe=3")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "AnswerError"
    assert "no entity 'strpe'" in error["message"] and "stripe" in error["hint"]
    missing = run_cli("answers", "nothing-here", "--json")
    assert missing.exit_code == 2
    assert json.loads(missing.stdout)["error"]["message"] == (
        "no interview named 'nothing-here' in this workspace"
    )


def test_answers_of_an_interview_not_begun_say_how_to_begin(workspace: Path) -> None:
    result = answers("--unset", "problem.summary")
    assert result.exit_code == 2
    assert "start it with: interlock interview pay" in result.output
    assert not (workspace / "specs" / "pay").exists()
