"""Every document says the same about each flow: which way it goes, and whether it waits.

The system-context view (:mod:`interlock.render.system_context`) is read from the
answers once; the diagram of both documents, the flows listed under Synchronous and
Asynchronous Integration, and the webhook rows of the spec's Data Flows table must all
agree with it, for any interview hypothesis draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.render.documents import render_documents
from support.answered import integration_of
from support.document_checks import check_flows, section, webhook_rows
from support.generated_answers import interviews

MakeSheet = Callable[..., AnswerSheet]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_interview_renders_each_flow_the_same_way_everywhere(
    bank: Bank, data: st.DataObject
) -> None:
    interview = data.draw(interviews(bank))
    documents = {
        name: str(text)
        for name, text in render_documents(interview.sheet, bank, author="Dana").items()
    }
    check_flows(documents, integration_of(interview.sheet, bank))


def test_no_inbound_calls_draws_no_webhook_flow_anywhere(
    make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank
) -> None:
    answers = dict(order_answers, **{"external.webhooks@stripe": "No inbound calls"})
    sheet = make_sheet(answers)
    integration = integration_of(sheet, bank)
    documents = {
        name: str(text) for name, text in render_documents(sheet, bank, author="Dana").items()
    }
    check_flows(documents, integration)
    assert "Stripe" not in webhook_rows(documents["integration-spec.md"], integration)
    assert "- **Stripe**: webhooks" not in documents["integration-points.md"]


def test_a_queue_we_consume_flows_to_us_and_one_we_publish_to_flows_from_us(
    make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank
) -> None:
    answers = dict(
        order_answers,
        **{"queue.topics@rabbitmq": ["order.paid (publish)", "refund.requested (consume)"]},
    )
    sheet = make_sheet(answers)
    points = str(render_documents(sheet, bank, author="Dana")["integration-points.md"])
    asynchronous = section(points, "Asynchronous Integration")
    assert "- **RabbitMQ**: order.paid (from us to it" in asynchronous
    assert "- **RabbitMQ**: refund.requested (from it to us" in asynchronous
    assert "refund.requested" not in section(points, "Synchronous Integration")
