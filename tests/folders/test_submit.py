"""``IntegrationFolder.submit``: a batch saved whole or refused whole, a revision the
answers must still be at, and phases a person may answer."""

from __future__ import annotations

import pytest

from interlock.atomic_file import content_digest
from interlock.errors import BankError, ConflictError, NotAssignedError
from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch


def test_a_saved_batch_gives_the_next_round_and_the_new_revision(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("billing")
    with folder.interview(by="Dana Ortiz"):
        pass
    before = folder.next_round()
    revision = folder.store.revision
    submitted = folder.submit(
        AnswerBatch(answers=(("problem.summary", "Send invoices from the order system."),)),
        by="Dana Ortiz",
        revision=revision,
    )
    assert submitted.refused == ()
    assert submitted.next_round is not None
    assert submitted.next_round.progress.answered == before.progress.answered + 1
    assert submitted.revision != revision
    assert submitted.revision == content_digest(folder.store.path.read_bytes())
    answer = folder.sheet().answers["problem.summary"]
    assert (answer.value, answer.by) == ("Send invoices from the order system.", "Dana Ortiz")


def test_answers_sent_with_a_stale_revision_are_refused_and_nothing_is_saved(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("billing")
    with folder.interview(by="Dana Ortiz"):
        pass
    folder.next_round()
    stale = folder.store.revision
    other = workspace.integration("billing")  # another person, another request
    other.submit(AnswerBatch(answers=(("problem.why", "Invoices go out late."),)), by="Sam")
    on_disk = folder.store.path.read_bytes()

    with pytest.raises(ConflictError, match="changed since you read them"):
        folder.submit(
            AnswerBatch(answers=(("problem.summary", "Mine"),)), by="Dana Ortiz", revision=stale
        )
    assert folder.store.path.read_bytes() == on_disk
    # Read again, the same answers go through; Sam's answer is kept.
    folder.next_round()
    folder.submit(
        AnswerBatch(answers=(("problem.summary", "Mine"),)),
        by="Dana Ortiz",
        revision=folder.store.revision,
    )
    answers = folder.sheet().answers
    assert answers["problem.why"].by == "Sam"
    assert answers["problem.summary"].value == "Mine"


def test_a_revision_for_an_interview_not_begun_is_a_conflict(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("billing")
    with pytest.raises(ConflictError):
        folder.submit(AnswerBatch(answers=(("problem.why", "x"),)), revision="sha256:00")
    assert not folder.exists()


def test_refusals_are_returned_all_at_once_and_nothing_is_saved(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("billing")
    with folder.interview(by="Dana Ortiz"):
        pass
    on_disk = folder.store.path.read_bytes()
    submitted = folder.submit(
        AnswerBatch(
            answers=(
                ("problem.sumary", "typo"),
                ("problem.why", "Invoices go out late."),
                ("unknown.question", 3),
            )
        ),
        by="Dana Ortiz",
    )
    assert [question_id for question_id, _ in submitted.refused] == [
        "problem.sumary",
        "unknown.question",
    ]
    assert submitted.next_round is None
    assert folder.store.path.read_bytes() == on_disk


def test_only_the_phases_given_may_be_answered(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("billing")
    with folder.interview(by="Dana Ortiz"):
        pass
    phase = folder.next_round().questions[0].phase
    on_disk = folder.store.path.read_bytes()
    refused = folder.submit(
        AnswerBatch(answers=(("problem.why", "Invoices go out late."),)),
        by="Sam",
        phases={"operations"},
    ).refused
    assert [type(error) for _, error in refused] == [NotAssignedError]
    assert f"phase {phase!r}" in refused[0][1].message
    assert "operations" in refused[0][1].hint
    assert folder.store.path.read_bytes() == on_disk

    saved = folder.submit(
        AnswerBatch(answers=(("problem.why", "Invoices go out late."),)), by="Sam", phases={phase}
    )
    assert saved.refused == ()
    assert folder.sheet().answers["problem.why"].by == "Sam"


def test_an_interview_with_a_bank_that_does_not_load_leaves_nothing_behind(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("billing")
    with pytest.raises(BankError), folder.interview(template="no-such-bank"):
        pass
    assert not folder.exists()
    assert workspace.integration_names() == []
