from typing import Any

import pytest

from interlock.documents.model import DocumentKind
from interlock.model.finding import Severity
from interlock.validate.registry import find_rule
from support.rule_checks import assert_findings


def spec(status: str | None, approvers: str | None) -> str:
    """Return a spec with ``status`` on line 3 and ``approvers`` on line 4 (when given)."""
    lines = ["---", "id: spec-integration-payments-001"]
    if status is not None:
        lines.append(f"status: {status}")
    if approvers is not None:
        lines.append(f"approvers: {approvers}")
    return "\n".join([*lines, "---", "", "# Payments", ""])


def test_rule_is_off_unless_a_preset_turns_it_on() -> None:
    rule = find_rule("approval")
    assert rule is not None
    assert rule.severity is Severity.OFF


@pytest.mark.parametrize("status", ["approved", "implemented"])
def test_approved_spec_with_approvers_passes(status: str) -> None:
    assert_findings("approval", spec(status, "[dana-ortiz]"), [])


def test_draft_spec_is_reported_at_its_status() -> None:
    problems = assert_findings("approval", spec("draft", "[dana-ortiz]"), [(3, 1)])
    assert problems[0].message == (
        "status 'draft' is not one of approved, implemented: the spec is not approved yet"
    )


@pytest.mark.parametrize(
    "approvers",
    ["[]", "", "''", "['', '  ']", "\n  -"],
    ids=["empty-list", "null", "empty-text", "blank-names", "empty-item"],
)
def test_approved_spec_without_approvers_is_reported_at_approvers(approvers: str) -> None:
    problems = assert_findings("approval", spec("approved", approvers), [(4, 1)])
    assert problems[0].message.startswith("approvers is empty")


def test_missing_approvers_are_reported_at_the_opening_fence() -> None:
    problems = assert_findings("approval", spec("approved", None), [(1, 1)])
    assert problems[0].message.startswith("approvers is missing")


def test_missing_status_and_approvers_are_both_reported_at_the_opening_fence() -> None:
    problems = assert_findings("approval", spec(None, None), [(1, 1), (1, 1)])
    assert problems[0].message.startswith("status is missing or empty")


def test_approvers_can_be_optional() -> None:
    options: dict[str, Any] = {"require_approvers": False}
    assert_findings("approval", spec("approved", "[]"), [], options=options)
    assert_findings("approval", spec("review", None), [(3, 1)], options=options)


def test_statuses_option_sets_what_counts_as_approved() -> None:
    options: dict[str, Any] = {"statuses": ["signed-off"]}
    assert_findings("approval", spec("signed-off", "[dana]"), [], options=options)
    problems = assert_findings("approval", spec("approved", "[dana]"), [(3, 1)], options=options)
    assert "not one of signed-off" in problems[0].message


def test_documents_without_usable_front_matter_are_left_to_other_rules() -> None:
    assert_findings("approval", "# Payments\n", [])
    assert_findings("approval", "---\nstatus: draft\nstatus: draft\n---\n", [])
    assert_findings("approval", spec("draft", "[]"), [], kind=DocumentKind.MARKDOWN)
