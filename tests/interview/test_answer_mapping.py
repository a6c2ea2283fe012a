"""Answers become the integration model: labels, endpoints, open and inapplicable facts.

The mapping names question ids of the built-in bank; the first tests hold its tables
to the bank, so a renamed question fails here instead of dropping a fact from the
documents without a word.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from interlock.interview.answer_mapping import (
    INTEGRATION_FACTS,
    PRIORITY,
    REPLACES,
    RETRY_FACTS,
    RETRY_WHEN,
    SYSTEM_FACTS,
    SYSTEMS,
    Read,
    Reading,
    build_integration,
    parse_endpoint,
    question_ids,
)
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.model.integration import (
    Endpoint,
    Integration,
    OpenQuestion,
    RetryPolicy,
    System,
    SystemKind,
)
from interlock.model.spec_meta import Priority
from support.answered import answered_sheet, integration_of
from support.answered import bank as bank
from support.answered import order_answers as order_answers

MakeSheet = Callable[..., AnswerSheet]
STARTED = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
# The kinds of question each way of reading an answer is meant for.
KINDS = {
    Read.TEXT: {"text"},
    Read.LABEL: {"choice"},
    Read.LABELS: {"multi", "choice"},  # a field of several labels may come from one choice
    Read.ITEMS: {"list"},
    Read.NUMBER: {"number"},
    Read.BOOLEAN: {"boolean"},
    Read.ENDPOINTS: {"list"},
}


@pytest.fixture
def make_sheet(bank: Bank) -> MakeSheet:
    def make(values: dict[str, Any]) -> AnswerSheet:
        return answered_sheet(bank, values, name="order-service", depth="full", started=STARTED)

    return make


@pytest.fixture
def order_sheet(make_sheet: MakeSheet, order_answers: dict[str, Any]) -> AnswerSheet:
    return make_sheet(order_answers)


def test_every_question_the_mapping_reads_is_in_the_built_in_bank(bank: Bank) -> None:
    known = {question.id for question in bank.questions}
    assert sorted(question_ids() - known) == []


def test_every_question_of_the_built_in_bank_reaches_the_model(bank: Bank) -> None:
    known = {question.id for question in bank.questions}
    assert sorted(known - question_ids()) == []


def _table() -> list[tuple[str, Reading, bool]]:
    """Every reading: where it goes, and whether the question is asked per system."""
    rows = [
        (f"Integration.{field}", reading, False) for field, reading in INTEGRATION_FACTS.items()
    ]
    rows += [
        (f"System({kind}).{field}", reading, True)
        for kind, facts in SYSTEM_FACTS.items()
        for field, reading in facts.items()
    ]
    rows += [(f"RetryPolicy.{field}", reading, True) for field, reading in RETRY_FACTS.items()]
    return rows


@pytest.mark.parametrize(
    ("target", "reading", "per_system"), _table(), ids=[row[0] for row in _table()]
)
def test_each_reading_suits_its_question_and_its_field(
    target: str, reading: Reading, per_system: bool, bank: Bank
) -> None:
    question_id, how = reading
    question = next(q for q in bank.questions if q.id == question_id)
    assert question.kind in KINDS[how], f"{target} reads {question_id} ({question.kind}) as {how}"
    assert (question.for_each is not None) == per_system, target
    model, field = target.split(".")
    fields = {"Integration": Integration, "RetryPolicy": RetryPolicy}.get(model, System)
    assert field in fields.model_fields, target


def test_the_special_questions_hold_what_the_mapping_expects(bank: Bank) -> None:
    questions = {question.id: question for question in bank.questions}
    assert {option.value for option in questions[PRIORITY].options} == set(Priority)
    assert set(REPLACES[1]) <= {option.value for option in questions[REPLACES[0]].options}
    assert RETRY_WHEN[1] in {option.value for option in questions[RETRY_WHEN[0]].options}
    kinds = next(field for field in questions[SYSTEMS].fields if field.name == "kind")
    assert {option.value for option in kinds.options} == set(SystemKind)


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
    integration = integration_of(order_sheet, bank)
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
    integration = integration_of(order_sheet, bank)
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
    integration = integration_of(sheet, bank)
    stripe = integration.known_systems[0]
    assert stripe.auth == OpenQuestion(
        id="external.auth@stripe",
        question="Stripe: how do we authenticate to it?",
        owner="Security team",
        reason="security review",
        skipped=True,
        phase="Technical Design",
        subject="Stripe",
    )
    assert isinstance(integration.alerts, OpenQuestion)
    assert integration.alerts.reason == "not answered yet"
    assert integration.open_questions == (stripe.auth, integration.alerts)


def test_a_new_interview_is_all_open_questions(bank: Bank) -> None:
    integration = build_integration("payments", Engine(bank).resolve(AnswerSheet(name="payments")))
    assert isinstance(integration.systems, OpenQuestion)
    assert integration.known_systems == ()
    assert integration.open_questions
    assert all(question.reason == "not answered yet" for question in integration.open_questions)
