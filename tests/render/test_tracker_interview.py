"""The issue tracker that syncs with GitHub, notifies Slack and bills through Stripe.

A realistic standard-depth interview: three third-party APIs, webhooks from two of
them, a two-way sync with GitHub, a flag-guarded ramped rollout, and a question
skipped with a reason and an owner. Its documents must state only what the answers
say: skipping any answered question adds nothing but open-question pointers; every
flow reads the same in the diagram, the lists and the data-flow table; the skipped
question is open, with its owner, and decided nowhere; the defects found when this
integration was first tried stay gone; and the spec passes review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.model.finding import Severity
from interlock.validate.runner import ConfigRequest, validate_paths
from support.answered import answered_sheet, integration_of
from support.document_checks import (
    check_flows,
    new_statements,
    render,
    skippable,
    structure_problems,
)
from support.generated_answers import STARTED

SYSTEMS = [
    {"name": "GitHub", "kind": "external-api", "owner": "Platform team", "criticality": "high"},
    {"name": "Slack", "kind": "external-api", "owner": "Support team", "criticality": "medium"},
    {"name": "Stripe", "kind": "external-api", "owner": "Billing team", "criticality": "critical"},
]
ANSWERS: dict[str, Any] = {
    "problem.summary": (
        "Our issue tracker keeps its issues in step with GitHub issues, posts status"
        " changes to the team's Slack channel and bills each workspace through Stripe."
    ),
    "problem.why": (
        "Teams copy issues between the tracker and GitHub by hand today, which loses"
        " comments and costs each team about two hours a week."
    ),
    "systems": SYSTEMS,
    "problem.existing": "new",
    "external.purpose@github": "The source of code-linked issues and their comments.",
    "external.purpose@slack": "Posting status changes to each team's channel.",
    "external.purpose@stripe": "Monthly subscriptions per workspace, and their invoices.",
    "consumers.systems": ["Tracker web app", "Tracker mobile app"],
    "external.sla@github": "99.9% monthly uptime under the Enterprise Cloud agreement.",
    "external.sla@slack": "99.99% uptime on the Business+ plan, credits below it.",
    "external.sla@stripe": "99.99% API availability, as published on its status page.",
    "scope.operations": [
        "Create, update and close GitHub issues from tracker issues",
        "Post a Slack message when an issue changes status",
        "Charge the monthly subscription of each workspace",
    ],
    "scope.pattern": "request-reply",
    "scope.mapping": (
        "Tracker status maps to GitHub open or closed plus a status label; we keep"
        " GitHub's node id, etag, last synced at on each tracker issue."
    ),
    "external.callbacks@github": True,
    "external.callbacks@slack": False,
    "external.callbacks@stripe": True,
    "external.webhooks@github": "issues and issue_comment events to POST /webhooks/github",
    "external.webhooks@stripe": "invoice.paid and invoice.payment_failed to POST /webhooks/stripe",
    "sync.direction@github": "two-way",
    "sync.initial_load@github": "background",
    "sync.direction@slack": "calls",
    "sync.direction@stripe": "to-it",
    "sync.initial_load@stripe": "none",
    "design.contract": "none",
    "data.schema_change": "additive",
    "data.migration": "expand-contract",
    "external.auth@github": "oauth2",
    "external.oauth_scopes@github": ["repo: read and write issues"],
    "external.oauth_tokens@github": "refresh-ahead",
    "external.oauth_revocation@github": "disconnect",
    "external.style@github": "rest",
    "external.endpoints@github": [
        "POST /repos/{owner}/{repo}/issues - create an issue",
        "PATCH /repos/{owner}/{repo}/issues/{number} - update an issue",
    ],
    "external.rate_limits@github": "5,000 requests an hour per installation; we back off on 403.",
    "external.quotas@github": "alert-ahead",
    "external.webhook_verification@github": "signature",
    "external.webhook_replay@github": "window-and-ids",
    "external.client@github": "REST API 2022-11-28 through octokit, pinned.",
    "external.auth@slack": "oauth2",
    "external.oauth_scopes@slack": ["chat:write: post status messages"],
    "external.oauth_tokens@slack": "refresh-ahead",
    "external.oauth_revocation@slack": "disconnect",
    "external.style@slack": "rpc",
    "external.endpoints@slack": ["chat.postMessage - post a status change"],
    "external.rate_limits@slack": "About one message per second per channel; we queue beyond it.",
    "external.quotas@slack": "none",
    "external.client@slack": "Web API through the official Python SDK, pinned.",
    "external.auth@stripe": "api-key",
    "external.style@stripe": "rest",
    "external.endpoints@stripe": [
        "POST /v1/subscriptions - start a workspace's subscription",
        "POST /v1/customers - create the workspace's customer",
    ],
    "external.rate_limits@stripe": "100 read and 100 write operations a second in live mode.",
    "external.quotas@stripe": "none",
    "external.webhook_verification@stripe": "signature",
    "external.webhook_replay@stripe": "window-and-ids",
    "external.client@stripe": "API version 2024-06-20 through stripe-python, pinned.",
    "sync.paging@github": "cursor",
    "constraints.latency": 500,
    "constraints.availability": "99.9",
    "constraints.compliance": ["gdpr"],
    "secrets.storage": "secrets-manager",
    "constraints.data_class": "confidential",
    "external.residency@github": "safeguards",
    "external.exit@github": "adapter",
    "external.residency@slack": "safeguards",
    "external.residency@stripe": "safeguards",
    "external.exit@stripe": "data-export",
    "edge.partial_failure": "outbox",
    "edge.duplicates": "idempotency-keys",
    "edge.format_change": "tolerant",
    "external.timeout@github": 5000,
    "external.failure@github": ["retry"],
    "external.fallback@github": "complete-later",
    "external.retry_attempts@github": 5,
    "external.retry_backoff@github": "exponential-jitter",
    "external.timeout@slack": 3000,
    "external.failure@slack": ["retry", "queue"],
    "external.retry_attempts@slack": 3,
    "external.retry_backoff@slack": "exponential",
    "external.timeout@stripe": 10000,
    "external.failure@stripe": ["retry", "circuit-breaker"],
    "external.fallback@stripe": "complete-later",
    "external.retry_attempts@stripe": 3,
    "external.retry_backoff@stripe": "exponential-jitter",
    "external.breaker@stripe": "Opens after 5 failures within 30 s; one trial call after 60 s.",
    "sync.ordering@github": "version",
    "sync.conflicts@github": "field-owner",
    "sync.echo@github": "origin-marker",
    "sync.reconciliation@github": "scheduled-compare",
    "sync.reconciliation@stripe": "scheduled-compare",
    "testing.doubles": ["fakes", "contract-tests", "sandboxes"],
    "testing.staging": "A staging workspace against a test GitHub organisation and Stripe test mode.",
    "external.sandbox@github": "sandbox",
    "external.sandbox@slack": "sandbox",
    "external.sandbox@stripe": "test-mode",
    "external.sandbox_parity@github": "A test organisation: the same API, lower rate limits.",
    "external.sandbox_parity@slack": "A test workspace: the same API and limits.",
    "external.sandbox_parity@stripe": "Test mode: the same API; no real card network.",
    "metrics.alerts": "Sync lag over 10 minutes or webhook failures over 1% page the on-call.",
    "metrics.pii": "allow-list",
    "metrics.tracing": "trace-context",
    "rollout.strategy": "flag-ramp",
    "rollout.rollback": "flag-off",
    "closing.missed": "",
}
SKIPPED = "external.fallback@slack"
"""Skipped with a reason and an owner: the tracker team has not decided it yet."""
FIRST_TRIAL = (
    "Slack: no retry",
    "Delivered in one step",
    "No feature flag was named",
    "No migration to rehearse",
    "GitHub Inc.",
    "SEV-1",
    "test data",
    "Pick one or more",
    "Audit Logging",
    "\npriority: medium\n",
)
"""What the documents said when this integration was first tried, none of it answered."""


@pytest.fixture(scope="module")
def tracker(bank: Bank) -> AnswerSheet:
    sheet = answered_sheet(bank, ANSWERS, name="tracker", depth="standard", started=STARTED)
    sheet = Engine(bank).skip(sheet, SKIPPED, reason="the tracker team decides", owner="Mia")
    assert Engine(bank).next_round(sheet).complete, "the scenario answers every question"
    return sheet


def test_the_interview_is_complete_with_every_signal_settled(
    tracker: AnswerSheet, bank: Bank
) -> None:
    status = Engine(bank).state(tracker)
    assert not status.pending
    assert all(signal.settled for signal in status.signals)


def test_skipping_any_answered_question_states_nothing_new(
    tracker: AnswerSheet, bank: Bank
) -> None:
    engine = Engine(bank)
    answered = render(tracker, bank)
    problems = [
        f"{question_id}: {line}"
        for question_id in skippable(tracker)
        for line in new_statements(
            answered, render(engine.skip(tracker, question_id, reason="unsure"), bank)
        )
    ]
    assert not problems, "\n".join(problems)


def test_every_flow_reads_the_same_everywhere(tracker: AnswerSheet, bank: Bank) -> None:
    documents = render(tracker, bank)
    check_flows(documents, integration_of(tracker, bank))
    points = documents["integration-points.md"]
    assert "- **Slack**: webhooks" not in points  # Slack does not call us
    assert "- **GitHub**: webhooks (from it to us" in points
    assert "- **Stripe**: webhooks (from it to us" in points


def test_the_skipped_question_is_open_with_its_owner_and_decided_nowhere(
    tracker: AnswerSheet, bank: Bank
) -> None:
    documents = render(tracker, bank)
    spec = documents["integration-spec.md"]
    open_section = spec[spec.index("## Open Questions") :]
    assert "Slack" in open_section and "Mia" in open_section
    assert "Slack is unavailable or slow" in spec
    row = next(line for line in spec.splitlines() if line.startswith("| Slack is unavailable"))
    assert "what users get: open question" in row


def test_nothing_the_first_trial_found_comes_back(tracker: AnswerSheet, bank: Bank) -> None:
    documents = render(tracker, bank)
    found = [
        f"{name}: {phrase.strip()!r}"
        for name, text in documents.items()
        for phrase in FIRST_TRIAL
        if phrase in text
    ]
    assert not found, found
    operation = "- Create, update and close GitHub issues from tracker issues\n"
    assert operation in documents["integration-spec.md"]  # commas do not split an item
    problems = [
        problem for name, text in documents.items() for problem in structure_problems(name, text)
    ]
    assert not problems, problems


def test_the_documents_pass_review_without_errors(
    tracker: AnswerSheet, bank: Bank, tmp_path: Path
) -> None:
    folder = tmp_path / "specs" / "tracker"
    folder.mkdir(parents=True)
    (tmp_path / ".interlock").mkdir()
    for name, text in render(tracker, bank).items():
        (folder / name).write_text(text, encoding="utf-8")
    result = validate_paths(
        [tmp_path / "specs"],
        ConfigRequest(start=tmp_path, preset="review"),
        use_cache=False,
        cwd=tmp_path,
    )
    errors = [
        f"{finding.path}:{finding.line} {finding.code} {finding.message}"
        for finding in result.findings
        if finding.severity is Severity.ERROR
    ]
    assert result.files and not errors, errors
