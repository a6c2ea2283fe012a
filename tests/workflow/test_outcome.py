"""`interlock outcome NAME`: outcome.md from the interview and plan, never over an edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from interlock.documents.model import DocumentKind, normalise_title
from interlock.documents.parser import load_document
from interlock.errors import RenderError
from interlock.folders.integration import IntegrationFolder
from interlock.interview.answers import AnswerSheet
from interlock.validate.runner import ConfigRequest, validate_paths

NAME = "order-service"
WRITTEN = date(2024, 7, 1)
Invoke = Callable[..., Result]


def _outcome(root: Path) -> Path:
    IntegrationFolder(root, NAME).write_outcome(author="Dana Ortiz", today=WRITTEN)
    return root / "specs" / NAME / "outcome.md"


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_outcome_records_purpose_components_configuration_testing_and_limits(
    workspace: Path,
) -> None:
    text = _outcome(workspace).read_text(encoding="utf-8")
    assert text.startswith("# Integration: Order Service\n\nWritten on 2024-07-01 for Dana Ortiz")
    assert "charges the customer's card through Stripe" in _section(text, "Purpose")
    components = _section(text, "Key Components")
    assert "- **Client module for Stripe** (Third-party API): API version 2024-06-20" in components
    assert "- **Client module for User Service** (Internal service): HTTP/REST" in components
    configuration = _section(text, "Configuration Required")
    assert "- USER_SERVICE_URL\n" in configuration
    secrets = configuration[configuration.index("### Secrets") :]
    assert "- STRIPE_API_KEY (secret)\n" in secrets and "USER_SERVICE_URL" not in secrets
    assert "- **Stored in**: A cloud secrets manager" in secrets
    testing = _section(text, "Testing")
    assert "- **Without the live systems**: In-process fakes or stubs" in testing
    assert "- **Stripe**: Test-mode credentials on the live API" in testing
    limits = _section(text, "Known Limitations")
    assert "- **SendGrid**: 600 requests per minute on mail send" in limits
    assert "- Payment methods other than cards" in limits


def test_lessons_learned_is_a_prompt_for_the_team(workspace: Path) -> None:
    text = _outcome(workspace).read_text(encoding="utf-8")
    lessons = _section(text, "Lessons Learned")
    assert "This section is for the team to write" in lessons
    for token in ("{{", "[", "TODO", "TBD"):
        assert token not in lessons


def test_the_success_criteria_not_ticked_in_the_plan_are_known_limitations(
    workspace: Path,
) -> None:
    plan = workspace / "specs" / NAME / "plan.md"
    text = plan.read_text(encoding="utf-8")
    open_before = text.count("- [ ] ")
    plan.write_text(text.replace("- [ ] **Authentication**", "- [x] **Authentication**"), "utf-8")
    outcome = _outcome(workspace).read_text(encoding="utf-8")
    gaps = outcome[outcome.index("### Success Criteria Not Met") :]
    assert f"; 5 of {open_before} were:" in gaps
    assert "- Authentication:" not in gaps
    assert "- Timeouts: Stripe: a call gives up after 10,000 ms\n" in gaps


def test_without_a_plan_the_outcome_says_how_to_get_one(workspace: Path) -> None:
    (workspace / "specs" / NAME / "plan.md").unlink()
    text = _outcome(workspace).read_text(encoding="utf-8")
    assert "`plan.md` was not found" in text and "`interlock render order-service`" in text


def test_the_outcome_passes_review_without_errors(workspace: Path) -> None:
    path = _outcome(workspace)
    assert load_document(path).kind is DocumentKind.WORKFLOW_NOTE
    result = validate_paths(
        [path], ConfigRequest(start=workspace, preset="review"), use_cache=False, cwd=workspace
    )
    findings = [(f.rule, f.severity) for file in result.files for f in file.findings]
    assert findings == []
    titles = load_document(path).section_titles()
    assert normalise_title("Lessons Learned") in titles


def test_an_edited_outcome_is_never_overwritten(workspace: Path) -> None:
    path = _outcome(workspace)
    edited = path.read_text(encoding="utf-8") + "\nThe sandbox never sent webhooks.\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(RenderError, match=r"outcome\.md was edited by hand"):
        IntegrationFolder(workspace, NAME).write_outcome(author="Dana Ortiz", today=WRITTEN)
    assert path.read_text(encoding="utf-8") == edited
    forced = IntegrationFolder(workspace, NAME).write_outcome(
        author="Dana Ortiz", today=WRITTEN, force=True
    )
    assert forced.written is not None
    assert [kept.read_text(encoding="utf-8") for kept in forced.written.kept] == [edited]


def test_an_untouched_outcome_is_written_again(workspace: Path) -> None:
    _outcome(workspace)
    later = IntegrationFolder(workspace, NAME).write_outcome(
        author="Dana Ortiz", today=date(2024, 8, 1)
    )
    assert later.written is not None and later.written.written == (later.path,)
    assert "Written on 2024-08-01" in later.path.read_text(encoding="utf-8")


def test_the_command_writes_the_outcome_and_refuses_over_an_edit(
    workspace: Path, invoke: Invoke
) -> None:
    first = invoke("outcome", NAME, "--author", "Lee")
    assert first.exit_code == 0, first.output
    assert "wrote specs/order-service/outcome.md" in first.output
    assert "Lessons Learned" in first.output
    path = workspace / "specs" / NAME / "outcome.md"
    assert "for Lee, from the interview" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "\nOur lesson.\n", encoding="utf-8")
    refused = invoke("outcome", NAME, "--author", "Lee")
    assert refused.exit_code == 2
    assert "outcome.md was edited by hand" in refused.output
    assert "Our lesson." in path.read_text(encoding="utf-8")
    diff = invoke("outcome", NAME, "--author", "Lee", "--diff")
    assert diff.exit_code == 0 and "-Our lesson." in diff.output


def test_the_command_without_an_interview_says_how_to_start(
    workspace: Path, invoke: Invoke
) -> None:
    result = invoke("outcome", "payments")
    assert result.exit_code == 2
    assert "no interview named 'payments'" in result.output
    assert "hint: start it with: interlock interview payments" in result.output


@pytest.mark.parametrize(
    "typed",
    ["## Not a heading", "{{ 7*7 }} and [Name]", "| a | b |\n---", "<!-- hidden --> `x`"],
    ids=["heading", "template-code", "table", "comment"],
)
def test_typed_text_never_changes_the_outcome_structure(
    typed: str,
    make_sheet: Callable[..., AnswerSheet],
    order_answers: dict[str, Any],
    save_answers: Callable[[AnswerSheet], Path],
) -> None:
    values = {
        **order_answers,
        "problem.summary": typed,
        "external.rate_limits@stripe": typed,
        "rollout.config": [typed, f"{typed} (secret)"],
    }
    root = save_answers(make_sheet(values))
    path = _outcome(root)
    doc = load_document(path)
    assert [section.title for section in doc.walk_sections() if section.level == 2] == [
        "Purpose",
        "Key Components",
        "Configuration Required",
        "Testing",
        "Known Limitations",
        "Lessons Learned",
    ]
    result = validate_paths(
        [path], ConfigRequest(start=root, preset="review"), use_cache=False, cwd=root
    )
    assert [f.rule for file in result.files for f in file.findings] == []
