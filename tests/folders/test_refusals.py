"""Every refused answer of a batch, each with why, and nothing saved."""

from __future__ import annotations

from interlock.folders.workspace import WorkspaceFolder
from interlock.interview.batch import AnswerBatch


def test_each_refused_answer_is_named_and_the_others_are_tried_in_order(
    workspace: WorkspaceFolder,
) -> None:
    folder = workspace.integration("billing")
    batch = AnswerBatch(
        answers=(
            ("problem.sumary", "typo in the id"),
            ("systems", [{"name": "Stripe", "kind": "external-api"}]),
            ("external.auth@stripe", "not an option"),
            ("problem.why", "Invoices go out late."),
        ),
        skips=("nonsense.question",),
        reason="nobody knows",
    )
    with folder.interview(by="Dana Ortiz") as session:
        refused = session.refusals(batch)
        assert [question_id for question_id, _ in refused] == [
            "problem.sumary",
            "external.auth@stripe",
            "nonsense.question",
        ]
        assert "problem.summary" in refused[0][1].hint
        # Stripe was named earlier in the batch: the answer about it is refused for its
        # value, not for naming a system nobody gave.
        assert refused[1][1].message.endswith("'not an option' is not an option")
        assert "oauth2" in refused[1][1].hint
        # Alone, the same system is unknown: the batch's order is what made it known.
        alone = session.refusals(AnswerBatch(answers=(("external.auth@stripe", "oauth2"),)))
        assert "no entity 'stripe'" in alone[0][1].message
    assert folder.sheet().answers == {}, "nothing saved"


def test_a_batch_without_refusals_has_none(workspace: WorkspaceFolder) -> None:
    folder = workspace.integration("billing")
    batch = AnswerBatch(
        answers=(
            ("systems", [{"name": "Stripe", "kind": "external-api"}]),
            ("problem.why", "Invoices go out late."),
        )
    )
    with folder.interview(by="Dana Ortiz") as session:
        assert session.refusals(batch) == []
