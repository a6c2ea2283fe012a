"""The integration folder, driven as a server or an agent would: start, answer, status, render."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from interlock.documents.parser import parse_document
from interlock.errors import AnswerError, RenderError, StoreError, UsageError
from interlock.folders.integration import IntegrationFolder
from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch, AnswersFile
from interlock.interview.values import entity_key
from interlock.model.integration import NOT_ANSWERED

PARTIAL = {
    "problem.summary": "Charge cards at checkout.",
    "problem.why": {"skip": True, "reason": "waiting on finance", "owner": "Dana"},
    "systems": [{"name": "Stripe", "kind": "external-api", "owner": "Payments team"}],
}


def _batch(values: dict[str, Any]) -> AnswerBatch:
    return AnswerBatch(AnswersFile(Path("answers.yaml"), values))


def _open_items(document: str) -> list[str]:
    """Return the list items of a rendered document's open questions section."""
    doc = parse_document(document, path=Path("doc.md"))
    section = next(s for s in doc.walk_sections() if "open" in s.title.casefold())
    lines = doc.lines[section.line : section.end_line]
    return [line for line in lines if line.startswith("- ")]


def test_a_front_end_starts_answers_and_renders_without_the_command_line(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("payments")
    assert not folder.exists()
    with folder.interview(by="agent") as session:
        first = session.next_round().questions[0]
        session.answer(first.id, "Charge cards at checkout.")
        session.skip("problem.why", reason="waiting on finance", owner="Dana")
        assert session.sheet.answers[first.id].by == "agent"
    assert workspace.integration_names() == ["payments"]
    assert folder.next_round().progress.answered == 1
    assert folder.integration().summary == "Charge cards at checkout."
    status = folder.status()
    assert status.state.progress.answered == 1 and status.state.progress.skipped == 1
    assert [question.id for question in status.skipped] == ["problem.why"]
    rendered = folder.render(author="Agent")
    assert rendered.written is not None
    assert {path.name for path in rendered.written.written} == {
        "integration-spec.md",
        "integration-points.md",
        "interview-summary.md",
        "plan.md",
    }
    assert "author: Agent" in (folder.path / "integration-spec.md").read_text(encoding="utf-8")


def test_status_and_render_count_the_same_open_questions(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("payments")
    folder.answer(_batch(PARTIAL), by="ci")
    status = folder.status()
    rendered = folder.render(author="CI")
    # Status once counted only the skipped questions, render every unsettled one.
    assert status.open_questions == rendered.open_questions
    assert len(status.open_questions) == 1 + status.state.progress.remaining
    assert len(status.to_dict()["open_questions"]) == len(rendered.open_questions)
    for name in ("integration-spec.md", "integration-points.md", "interview-summary.md"):
        assert len(_open_items(rendered.documents[name])) == len(status.open_questions), name
    why = next(item for item in status.to_dict()["open_questions"] if item["id"] == "problem.why")
    assert (why["reason"], why["owner"]) == ("waiting on finance", "Dana")
    reasons = {item.reason for item in status.open_questions if not item.skipped}
    assert reasons == {NOT_ANSWERED}


def test_a_batch_is_applied_all_or_nothing(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("payments")
    folder.answer(_batch(PARTIAL), by="ci")
    before = folder.store.path.read_bytes()
    refused = AnswerBatch(
        answers=(("problem.goals", ["Fewer failed checkouts"]), ("problem.priority", "urgent"))
    )
    with pytest.raises(AnswerError, match="'urgent' is not an option"):
        folder.answer(refused, by="ci")
    assert folder.store.path.read_bytes() == before


def test_a_new_interview_keeps_its_depth_and_bank(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("payments")
    round_ = folder.answer(AnswerBatch(), depth="quick", by="ci")
    assert not round_.complete
    sheet = folder.sheet()
    assert (sheet.name, sheet.template, sheet.depth) == ("payments", "integration", "quick")
    with pytest.raises(UsageError, match="unknown depth 'deep'"):
        folder.answer(AnswerBatch(), depth="deep")


def test_a_workspace_bank_is_used_for_its_interviews(workspace: WorkspaceFolder) -> None:
    banks = workspace.root / ".interlock" / "banks"
    (banks / "tiny.yaml").write_text(
        "name: tiny\ntitle: Tiny\nversion: 1\n"
        "phases:\n  - id: one\n    title: One\n"
        "questions:\n  - id: only.question\n    phase: one\n    kind: text\n"
        "    prompt: The only question?\n",
        encoding="utf-8",
    )
    folder = workspace.integration("payments")
    round_ = folder.answer(AnswerBatch(), template="tiny", by="ci")
    assert [view.prompt for view in round_.questions] == ["The only question?"]


def test_without_an_interview_it_says_how_to_start_one(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("payments")
    for read in (folder.sheet, folder.status, folder.render, folder.write_outcome):
        with pytest.raises(UsageError, match="no interview named 'payments'") as caught:
            read()
        assert caught.value.hint == "start it with: interlock interview payments"
    checklist = folder.checklist()
    assert not checklist.interviewed and checklist.plan is None


def test_a_hand_edited_document_stops_the_render_until_forced(
    workspace: WorkspaceFolder, order_answers: dict[str, Any]
) -> None:
    folder = workspace.integration("order-service")
    folder.answer(_batch(order_answers), depth="full", by="ci")
    folder.render(author="Dana")
    spec = folder.path / "integration-spec.md"
    spec.write_text(spec.read_text(encoding="utf-8") + "\nA note by hand.\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"integration-spec\.md was edited by hand"):
        folder.render(author="Dana")
    preview = folder.render(author="Dana", dry_run=True)
    assert preview.written is None
    assert "-A note by hand.\n" in preview.diffs["integration-spec.md"]
    forced = folder.render(author="Dana", force=True)
    assert forced.written is not None
    assert [path.name.split(".edited-")[0] for path in forced.written.kept] == [
        "integration-spec.md"
    ]
    assert forced.open_questions == ()
    assert "A note by hand." not in spec.read_text(encoding="utf-8")


def test_every_file_of_the_integration_lives_in_its_folder(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("payments")
    specs = workspace.root / "specs" / "payments"
    assert folder.path == specs
    assert folder.store.path == specs / "interview.yaml"
    assert (folder.plan_path, folder.research_path, folder.outcome_path) == (
        specs / "plan.md",
        specs / "research",
        specs / "outcome.md",
    )
    assert folder.write_blank(author="Dana").parent == specs


def test_the_lock_keeps_a_second_writer_out_while_a_session_is_open(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("payments")
    other = IntegrationFolder(workspace.root, "payments", lock_timeout=0.1)
    second = _batch({"problem.summary": "A second writer."})
    with folder.interview(by="person"), pytest.raises(StoreError, match="in use by this process"):
        other.answer(second, by="agent")
    assert "problem.summary" not in folder.sheet().answers


def test_a_name_that_is_not_a_slug_is_refused(workspace: WorkspaceFolder) -> None:
    with pytest.raises(StoreError, match="may not contain slashes"):
        workspace.integration("../payments")


# -- revising: systems keep their answers ------------------------------------------------

_NAMES = st.text(alphabet="abcdefgh XYZ-", min_size=1, max_size=12).filter(
    lambda name: entity_key(name) != "" and not entity_key(name).startswith("e-")
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_NAMES, min_size=1, max_size=3, unique_by=entity_key),
    new=_NAMES,
    which=st.integers(min_value=0, max_value=2),
    purposes=st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=3, max_size=3),
)
def test_renaming_any_system_keeps_exactly_its_answers(
    names: list[str], new: str, which: int, purposes: list[str]
) -> None:
    old = names[which % len(names)]
    assume(all(entity_key(new) != entity_key(name) for name in names if name != old))
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        WorkspaceFolder.create(root)
        folder = WorkspaceFolder(root).integration("payments")
        systems = [{"name": name, "kind": "external-api"} for name in names]
        given_answers = {"systems": systems}
        given_answers |= {
            f"external.purpose@{entity_key(name)}": purpose
            for name, purpose in zip(names, purposes, strict=False)
        }
        folder.answer(_batch(given_answers), by="Dana")
        before = folder.sheet().answers
        with folder.revise(by="Lee") as session:
            change = session.rename_system(old, new)
        after = folder.sheet().answers
    moved = {f"{base}@{change.new_key}": f"{base}@{change.key}" for base in ("external.purpose",)}
    for question_id, answer in after.items():
        if question_id == "systems":
            continue
        assert answer == before[moved.get(question_id, question_id)]
    assert len(after) == len(before)
    renamed = [record["name"] for record in after["systems"].value]
    assert renamed == [new.strip() if name == old else name for name in names]
    assert after["systems"].by == "Lee"


def test_removing_a_system_drops_only_its_answers_and_keeps_its_notes(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("payments")
    folder.answer(_batch(PARTIAL | {"external.purpose@stripe": "Charging cards"}), by="Dana")
    note = folder.research_path / "stripe.md"
    note.parent.mkdir()
    note.write_text("# Stripe\n", encoding="utf-8")
    with folder.revise(by="Lee") as session:
        planned = session.system_removal("stripe")
        assert folder.sheet().answers["external.purpose@stripe"].value == "Charging cards"
        removed = session.remove_system("stripe")
    assert planned == removed
    assert removed.answers == ("external.purpose@stripe",) and removed.notes == (note,)
    answers = folder.sheet().answers
    assert "external.purpose@stripe" not in answers
    assert "systems" not in answers, "with no system left, it is asked again"
    assert answers["problem.summary"].value == "Charge cards at checkout."
    assert note.read_text(encoding="utf-8") == "# Stripe\n"


def test_revising_an_interview_that_has_not_begun_starts_nothing(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("payments")
    with pytest.raises(UsageError, match="no interview named 'payments'"):
        folder.revise(by="Lee")
    assert not folder.path.exists()
