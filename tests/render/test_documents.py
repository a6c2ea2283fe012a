"""What a reader and the validator find in the documents rendered from an interview."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from interlock.documents.model import Document, DocumentKind, normalise_title
from interlock.documents.parser import parse_document
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.model.finding import Severity
from interlock.render.documents import render_documents
from interlock.validate.result import RunResult
from interlock.validate.runner import ConfigRequest, validate_paths
from support.answered import integration_of

MakeSheet = Callable[..., AnswerSheet]
# Dropped from the complete answers: the interview stopped after the edge cases.
LATER_PHASES = (
    "testing.",
    "metrics.",
    "rollout.",
    "closing.",
    "external.sandbox",
    "data.rehearsal",
)


def _parse(documents: dict[str, str]) -> dict[str, Document]:
    return {name: parse_document(text, path=Path(name)) for name, text in documents.items()}


def _section(doc: Document, title: str) -> str:
    """Return the source lines of the first section titled ``title``."""
    for section in doc.walk_sections():
        if normalise_title(section.title) == normalise_title(title):
            return "\n".join(doc.lines[section.line - 1 : section.end_line])
    raise AssertionError(f"no section {title!r}")


@pytest.fixture
def partial_sheet(make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank) -> AnswerSheet:
    """The order-service interview stopped before testing, with three questions skipped."""
    values = {
        key: value for key, value in order_answers.items() if not key.startswith(LATER_PHASES)
    }
    sheet = make_sheet(values)
    engine = Engine(bank)
    sheet = engine.skip(
        sheet,
        "external.rate_limits@sendgrid",
        reason="waiting for the vendor's answer",
        owner="growth team",
    )
    sheet = engine.skip(
        sheet,
        "external.auth@stripe",
        reason="depends on the security review",
        owner="Security team",
    )
    return engine.skip(sheet, "constraints.latency")


def _validate(folder: Path, documents: dict[str, str], preset: str) -> RunResult:
    specs = folder / "specs" / "order-service"
    specs.mkdir(parents=True)
    (folder / ".interlock").mkdir()
    for name, text in documents.items():
        (specs / name).write_text(text, encoding="utf-8")
    return validate_paths(
        [folder / "specs"], ConfigRequest(start=folder, preset=preset), use_cache=False, cwd=folder
    )


def _findings(result: RunResult) -> list[tuple[str, int, str, Severity]]:
    return [
        (Path(finding.path).name, finding.line, finding.rule, finding.severity)
        for file in result.files
        for finding in file.findings
    ]


def test_the_spec_opens_with_speckit_front_matter(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    doc = _parse(render_documents(order_sheet, bank, author=author))["integration-spec.md"]
    assert doc.kind is DocumentKind.INTEGRATION_SPEC
    assert doc.front_matter is not None
    data = dict(doc.front_matter.data)
    assert data["id"] == "spec-integration-order-service-001"
    assert data["title"] == "Order Service Integration Specification"
    assert (data["type"], data["category"], data["status"]) == (
        "service_spec",
        "architecture",
        "draft",
    )
    assert (data["author"], data["version"], data["priority"]) == (author, "1.0.0", "high")
    assert (str(data["createdAt"]), str(data["updatedAt"])) == ("2024-05-02", "2024-05-09")
    assert data["estimatedEffort"] is None and data["actualEffort"] is None
    # Who must approve is not who approved: approvers is written from approvals.yaml.
    assert data["approvers"] == []
    assert data["parent"] is None
    assert "stripe" in data["tags"] and "integration" in data["tags"]


def test_a_priority_nobody_gave_is_labelled_as_the_default(
    make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank, author: str
) -> None:
    values = {key: value for key, value in order_answers.items() if key != "problem.priority"}
    sheet = make_sheet(values, depth="standard")
    text = render_documents(sheet, bank, author=author)["integration-spec.md"]
    assert "\npriority: medium  # a default: the priority is not asked at this depth\n" in text
    assert parse_document(text, path=Path("integration-spec.md")).field("priority") == "medium"


def test_a_skipped_priority_is_labelled_as_the_default_and_open(
    make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank, author: str
) -> None:
    sheet = Engine(bank).skip(make_sheet(order_answers), "problem.priority", reason="ask Ana")
    text = render_documents(sheet, bank, author=author)["integration-spec.md"]
    assert "\npriority: medium  # a default: the priority is an open question\n" in text


def test_a_priority_given_is_stated_plainly(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    text = render_documents(order_sheet, bank, author=author)["integration-spec.md"]
    assert "\npriority: high\n" in text


def test_each_document_is_recognised_for_what_it_is(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    docs = _parse(render_documents(order_sheet, bank, author=author))
    assert docs["integration-points.md"].kind is DocumentKind.INTEGRATION_POINTS
    assert docs["interview-summary.md"].kind is DocumentKind.INTERVIEW_SUMMARY


def test_the_spec_covers_the_interview_spec_outline(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    doc = _parse(render_documents(order_sheet, bank, author=author))["integration-spec.md"]
    titles = doc.section_titles()
    for title in (
        "Problem Statement",
        "Systems Overview",
        "API Contracts",
        "Data Flows",
        "Error Handling and Recovery",
        "Testing Strategy",
        "Monitoring and Logging",
    ):
        assert normalise_title(title) in titles


def test_every_external_system_states_auth_retries_timeout_and_rate_limits(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    doc = _parse(render_documents(order_sheet, bank, author=author))["integration-spec.md"]
    stripe = _section(doc, "Stripe")
    assert "- **Authentication Method**: An API key" in stripe
    assert "- **Rate Limits**: 100 read and 100 write requests per second" in stripe
    assert "- **Timeout**: 10,000 ms" in stripe
    retries = _section(doc, "Retry Mechanism")
    assert "- **SendGrid**:\n  - **Max Attempts**: 5\n  - **Backoff**: Exponentially\n" in retries


def test_endpoints_are_tables_with_method_and_endpoint_columns(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    doc = _parse(render_documents(order_sheet, bank, author=author))["integration-spec.md"]
    calls = [table for table in doc.tables if table.header.cells[:2] == ("Method", "Endpoint")]
    rows = {row.cells for table in calls for row in table.rows}
    assert ("POST", "/v1/payment_intents", "create and confirm a payment") in rows
    assert ("GET", "/v1/orders/{id}", "read an order and its payment status") in rows
    # Events are not calls: they get their own table.
    assert all(row[0] in {"GET", "POST"} for row in rows)
    events = [table for table in doc.tables if table.header.cells[0] == "Event"]
    assert ("order.paid", "the payment succeeded") in {row.cells for row in events[0].rows}


def test_the_summary_has_the_fourteen_sections_and_a_decision_log(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    doc = _parse(render_documents(order_sheet, bank, author=author))["interview-summary.md"]
    numbered = [s.title for s in doc.sections[0].children if re.match(r"\d+\. ", s.title)]
    assert [int(title.split(".")[0]) for title in numbered] == list(range(1, 15))
    log = _section(doc, "Decision Log")
    assert "### 1. How do the systems talk to each other?" in log
    assert "- **Chosen**: Synchronous request and reply: Simple to build" in log
    assert "- **Rejected**: Asynchronous messages through a queue: The caller is decoupled" in log


def test_a_choice_against_the_recommendation_says_so(
    order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    doc = _parse(render_documents(order_sheet, bank, author=author))["interview-summary.md"]
    log = _section(doc, "34. SendGrid: how should the wait between attempts grow?")
    assert "- **Chosen**: Exponentially: Backs off fast" in log
    assert "- **Rejected**: Exponentially, with random jitter (recommended)" in log
    assert "- **Against the recommendation**: It avoids waves of synchronised retries" in log


@pytest.mark.parametrize("case", ["complete", "partial"])
def test_no_template_placeholder_is_left_anywhere(
    case: str, order_sheet: AnswerSheet, partial_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    sheet = order_sheet if case == "complete" else partial_sheet
    for name, text in render_documents(sheet, bank, author=author).items():
        for token in ("{{", "{%", "[Name]", "YYYY-MM-DD", "TBD", "SEV-X", "[ ]("):
            assert token not in text, (name, token)


def test_open_questions_are_listed_once_per_document_with_owner_and_reason(
    partial_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    documents = render_documents(partial_sheet, bank, author=author)
    opened = integration_of(partial_sheet, bank).open_questions
    for name, doc in _parse(documents).items():
        if name == "plan.md":
            # The plan points at the summary's list rather than repeat every question.
            assert "interview-summary.md#12-open-integration-questions" in documents[name]
            continue
        sections = [s for s in doc.walk_sections() if "open" in s.title.casefold()]
        assert len(sections) == 1, name
        items = [
            line for line in _section(doc, sections[0].title).split("\n") if line.startswith("- ")
        ]
        assert len(items) == len(opened), name
        assert (
            "- SendGrid: which rate limits or quotas apply, and what do we do when we reach one?"
            " (owner: growth team, reason: waiting for the vendor's answer)"
        ) in items
        assert any(
            item.startswith("- Which response time must it keep")
            and item.endswith("(owner: not named yet, reason: skipped without a reason)")
            for item in items
        )
        assert any(
            item.startswith("- How will it reach production?")
            and item.endswith("(owner: not named yet, reason: not answered yet)")
            for item in items
        )


def test_an_unanswered_fact_points_to_the_open_questions(
    partial_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    documents = render_documents(partial_sheet, bank, author=author)
    spec = _section(_parse(documents)["integration-spec.md"], "Stripe")
    assert (
        "- **Authentication Method**: open question, see [Open Questions](#open-questions)" in spec
    )
    summary = documents["interview-summary.md"]
    assert "see [12. Open Integration Questions](#12-open-integration-questions)" in summary


def test_a_complete_interview_passes_review_without_errors_or_warnings(
    tmp_path: Path, order_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    result = _validate(tmp_path, render_documents(order_sheet, bank, author=author), "review")
    serious = [item for item in _findings(result) if item[3] is not Severity.INFO]
    assert serious == []
    # Only the reviewers' checklists are left for a person to tick.
    assert {item[2] for item in _findings(result)} == {"unchecked-item"}


def test_a_partial_interview_is_flagged_on_its_open_questions_and_nothing_else(
    tmp_path: Path,
    order_sheet: AnswerSheet,
    partial_sheet: AnswerSheet,
    bank: Bank,
    author: str,
) -> None:
    complete = _validate(
        tmp_path / "complete", render_documents(order_sheet, bank, author=author), "review"
    )
    partial = _validate(
        tmp_path / "partial", render_documents(partial_sheet, bank, author=author), "review"
    )
    opened = len(integration_of(partial_sheet, bank).open_questions)
    flagged = [item for item in _findings(partial) if item[3] is not Severity.INFO]
    assert {(rule, severity) for _, _, rule, severity in flagged} == {
        ("open-question", Severity.WARNING)
    }
    assert Counter(name for name, *_ in flagged) == {
        "integration-spec.md": opened,
        "integration-points.md": opened,
        "interview-summary.md": opened,
    }
    infos = Counter(
        (name, rule) for name, _, rule, severity in _findings(partial) if severity is Severity.INFO
    )
    assert infos == Counter(
        (name, rule) for name, _, rule, severity in _findings(complete) if severity is Severity.INFO
    )


def test_production_makes_the_open_questions_errors(
    tmp_path: Path, partial_sheet: AnswerSheet, bank: Bank, author: str
) -> None:
    result = _validate(tmp_path, render_documents(partial_sheet, bank, author=author), "production")
    errors = {rule for _, _, rule, severity in _findings(result) if severity is Severity.ERROR}
    assert "open-question" in errors
