"""The answers on webhooks, syncing, OAuth, quotas, residency, logs and tracing reach the model.

Each fact is the label of the option chosen when answered, the question's
:class:`OpenQuestion` while it is skipped or not answered, and ``None`` where the
question does not apply: never a default.
"""

from __future__ import annotations

from typing import Any

import pytest

from interlock.interview.answer_mapping import build_integration
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank, load_bank
from interlock.interview.engine import Engine
from interlock.model.integration import Integration, OpenQuestion, System

GITHUB = {"name": "GitHub", "kind": "external-api", "criticality": "high"}
ORDERS_DB = {"name": "Orders DB", "kind": "database", "criticality": "critical"}
EVENTS = {"name": "Order Events", "kind": "queue"}

ANSWERS: dict[str, Any] = {
    "systems": [GITHUB, ORDERS_DB, EVENTS],
    "scope.pattern": "request-reply",
    "constraints.compliance": ["gdpr"],
    "constraints.data_class": "restricted",
    "external.callbacks@github": True,
    "external.webhooks@github": "issues and issue_comment events to POST /webhooks/github",
    "external.webhook_verification@github": "signature",
    "external.webhook_replay@github": "window-and-ids",
    "external.auth@github": "oauth2",
    "external.oauth_scopes@github": ["repo: read and write issues", "read:org: list teams"],
    "external.oauth_tokens@github": "refresh-ahead",
    "external.oauth_revocation@github": "disconnect",
    "external.quotas@github": "alert-ahead",
    "external.residency@github": "safeguards",
    "external.exit@github": "adapter",
    "external.sandbox@github": "sandbox",
    "external.sandbox_parity@github": "A test organisation: same API, but no rate-limit pressure.",
    "sync.direction@github": "two-way",
    "sync.initial_load@github": "before",
    "sync.paging@github": "cursor",
    "sync.ordering@github": "version",
    "sync.conflicts@github": "field-owner",
    "sync.echo@github": "origin-marker",
    "sync.reconciliation@github": "scheduled-compare",
    "database.failure@orders-db": "refuse",
    "metrics.pii": "allow-list",
    "metrics.tracing": "trace-context",
}
"""A two-way sync with GitHub, our database and a queue: every new topic answered."""

SYSTEM_LABELS = {
    "webhook_verification": "We check its signature over the raw body with a shared secret (HMAC)",
    "webhook_replay": "Refuse timestamps outside a tolerance window, and remember event ids",
    "token_renewal": "Refreshed shortly before they expire, by one process at a time",
    "revocation": "Mark the connection disconnected, stop calling, and ask its owner to reconnect",
    "quotas": "Usage is measured, and an alert fires well before a quota runs out",
    "residency": "Outside that region, under transfer safeguards (e.g. standard contractual clauses)",
    "exit_plan": "Our own interface wraps it, so another provider can be plugged in",
    "sync_direction": "Both ways: the same records change on both sides and are kept in step",
    "initial_load": "A one-off backfill before go-live",
    "paging": "Its cursor or next-page token, saved after each page",
    "ordering": "A version or sequence number per record; older changes are dropped",
    "conflicts": "Each field has one owning side, whose value always wins",
    "echo": (
        "Our writes carry a marker (a dedicated integration user or a source field),"
        " and marked changes are skipped"
    ),
    "reconciliation": "A scheduled job compares both sides and repairs or reports every difference",
}
"""Field of GitHub's :class:`System` → the label ANSWERS choose."""
SYSTEM_QUESTIONS = {
    "webhook_verification": "external.webhook_verification",
    "webhook_replay": "external.webhook_replay",
    "token_renewal": "external.oauth_tokens",
    "revocation": "external.oauth_revocation",
    "quotas": "external.quotas",
    "residency": "external.residency",
    "exit_plan": "external.exit",
    "sync_direction": "sync.direction",
    "initial_load": "sync.initial_load",
    "paging": "sync.paging",
    "ordering": "sync.ordering",
    "conflicts": "sync.conflicts",
    "echo": "sync.echo",
    "reconciliation": "sync.reconciliation",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank("integration")


def _integration(bank: Bank, answers: dict[str, Any], skip: tuple[str, ...] = ()) -> Integration:
    engine = Engine(bank)
    sheet = engine.apply_answers(AnswerSheet(name="tracker", depth="standard"), answers)
    for question_id in skip:
        sheet = engine.skip(sheet, question_id, reason="asking the vendor", owner="Ana")
    return build_integration("tracker", engine.resolve(sheet))


def _system(integration: Integration, slug: str) -> System:
    return next(system for system in integration.known_systems if system.slug == slug)


def test_every_answered_topic_lands_in_the_model_as_the_label_chosen(bank: Bank) -> None:
    integration = _integration(bank, ANSWERS)
    github = _system(integration, "github")
    for field, label in SYSTEM_LABELS.items():
        assert getattr(github, field) == label, field
    assert github.callbacks is True
    assert github.oauth_scopes == ("repo: read and write issues", "read:org: list teams")
    assert github.sandbox_parity == "A test organisation: same API, but no rate-limit pressure."
    database = _system(integration, "orders-db")
    assert database.failure_handling == (
        "New work is refused with an error that tells senders to retry later",
    )
    assert integration.pii_in_logs == (
        "Structured logging that writes only fields on an allow-list; the same for trace attributes"
    )
    assert integration.tracing == (
        "Distributed tracing with W3C trace context, carried in headers and message attributes"
    )


@pytest.mark.parametrize("field", sorted(SYSTEM_QUESTIONS))
def test_a_skipped_topic_stays_an_open_question_never_a_default(bank: Bank, field: str) -> None:
    question_id = f"{SYSTEM_QUESTIONS[field]}@github"
    integration = _integration(bank, ANSWERS, skip=(question_id,))
    fact = getattr(_system(integration, "github"), field)
    assert isinstance(fact, OpenQuestion)
    assert (fact.id, fact.owner, fact.skipped) == (question_id, "Ana", True)
    assert fact in integration.open_questions


def test_a_topic_not_answered_yet_is_open_too(bank: Bank) -> None:
    answers = {key: value for key, value in ANSWERS.items() if key != "metrics.tracing"}
    integration = _integration(bank, answers)
    assert isinstance(integration.tracing, OpenQuestion)
    assert not integration.tracing.skipped
    assert integration.tracing in integration.open_questions


def test_topics_that_do_not_apply_leave_their_facts_out(bank: Bank) -> None:
    answers = {
        **{key: value for key, value in ANSWERS.items() if "@" not in key},
        "systems": [{**GITHUB, "criticality": "low"}, EVENTS],
        "constraints.compliance": [],
        "constraints.data_class": "internal",
        "scope.pattern": "request-reply",
        "external.callbacks@github": False,
        "external.auth@github": "api-key",
        "external.sandbox@github": "none",
        "sync.direction@github": "calls",
    }
    integration = _integration(bank, answers)
    github = _system(integration, "github")
    assert github.callbacks is False
    for field in (
        "webhooks",
        "webhook_verification",
        "webhook_replay",
        "oauth_scopes",
        "token_renewal",
        "revocation",
        "residency",
        "exit_plan",
        "sandbox_parity",
        "initial_load",
        "paging",
        "ordering",
        "conflicts",
        "echo",
        "reconciliation",
    ):
        assert getattr(github, field) is None, field
    assert integration.pii_in_logs is None
    assert _system(integration, "order-events").failure_handling is not None  # its retry policy
