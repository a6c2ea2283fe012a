"""Answers become the integration model: labels, endpoints, open and inapplicable facts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.model.integration import Endpoint, OpenQuestion, SystemKind
from interlock.render.answer_mapping import build_integration, parse_endpoint

MakeSheet = Callable[..., AnswerSheet]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "POST /v1/orders - create an order",
            Endpoint(method="POST", path="/v1/orders", purpose="create an order"),
        ),
        (
            "get /v2/users/{id} — read a user",
            Endpoint(method="GET", path="/v2/users/{id}", purpose="read a user"),
        ),
        (
            "DELETE https://api.example.com/x",
            Endpoint(method="DELETE", path="https://api.example.com/x"),
        ),
        (
            "event order.paid - payment confirmed",
            Endpoint(method="EVENT", path="order.paid", purpose="payment confirmed"),
        ),
        ("orders feed: nightly export", Endpoint(path="orders feed", purpose="nightly export")),
        ("FETCH /x", Endpoint(path="FETCH /x")),
    ],
    ids=["post", "lower-case", "url", "event", "no-method", "unknown-verb"],
)
def test_endpoint_lines_are_read_into_method_path_and_purpose(
    line: str, expected: Endpoint
) -> None:
    assert parse_endpoint(line) == expected


def test_choices_become_their_labels_and_systems_their_kinds(
    order_sheet: AnswerSheet, bank: Bank
) -> None:
    integration = build_integration(order_sheet, bank)
    assert integration.pattern == "Synchronous request and reply"
    assert [system.kind for system in integration.known_systems] == [
        SystemKind.EXTERNAL_API,
        SystemKind.EXTERNAL_API,
        SystemKind.INTERNAL_SERVICE,
        SystemKind.QUEUE,
        SystemKind.DATABASE,
    ]
    stripe = integration.known_systems[0]
    assert stripe.retry is not None
    assert (stripe.retry.max_attempts, stripe.retry.backoff) == (
        3,
        "Exponentially, with random jitter",
    )
    assert stripe.timeout_ms == 10000
    assert integration.open_questions == ()


def test_questions_that_do_not_apply_leave_their_facts_out(
    order_sheet: AnswerSheet, bank: Bank
) -> None:
    integration = build_integration(order_sheet, bank)
    sendgrid = integration.known_systems[1]
    assert sendgrid.circuit_breaker is None  # no circuit breaker was chosen for it
    assert integration.migration_path is None  # the contract is new, not breaking
    queue = integration.known_systems[3]
    assert queue.auth is None and queue.rate_limits is None


def test_skipped_and_pending_questions_become_open_questions(
    make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank
) -> None:
    values = {key: value for key, value in order_answers.items() if key != "metrics.alerts"}
    sheet = Engine(bank).skip(
        make_sheet(values), "external.auth@stripe", reason="security review", owner="Security team"
    )
    integration = build_integration(sheet, bank)
    stripe = integration.known_systems[0]
    assert stripe.auth == OpenQuestion(
        question="Stripe: how do we authenticate to it?",
        owner="Security team",
        reason="security review",
        phase="Technical Design",
        subject="Stripe",
    )
    assert isinstance(integration.alerts, OpenQuestion)
    assert integration.alerts.reason == "not answered yet"
    assert integration.open_questions == (stripe.auth, integration.alerts)


def test_a_new_interview_is_all_open_questions(bank: Bank) -> None:
    integration = build_integration(AnswerSheet(name="payments"), bank)
    assert isinstance(integration.systems, OpenQuestion)
    assert integration.known_systems == ()
    assert integration.open_questions
    assert all(question.reason == "not answered yet" for question in integration.open_questions)
