"""The system-context view: each flow drawn from an answer, its direction as answered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.model.integration import Integration
from interlock.render.system_context import (
    Flow,
    context_dot,
    context_json,
    context_mermaid,
    system_context,
)
from support.answered import integration_of


@pytest.fixture
def order(order_sheet: AnswerSheet, bank: Bank) -> Integration:
    return integration_of(order_sheet, bank)


def flows_of(integration: Integration, system: str) -> list[Flow]:
    return [flow for flow in system_context(integration).flows if flow.system == system]


def test_queues_we_publish_to_flow_out_and_those_we_consume_flow_in(order: Integration) -> None:
    flows = {flow.what: flow for flow in flows_of(order, "RabbitMQ")}
    assert (flows["order.paid"].outbound, flows["order.paid"].inbound) == (True, False)
    both = flows["email.requests"]  # "(publish and consume)"
    assert (both.outbound, both.inbound) == (True, True)
    assert all(flow.mode == "async" for flow in flows.values())


def test_external_apis_are_called_and_call_back_only_when_they_send_webhooks(
    order: Integration, make_sheet: Any, order_answers: dict[str, Any], bank: Bank
) -> None:
    stripe = flows_of(order, "Stripe")
    assert [(flow.what, flow.mode) for flow in stripe] == [
        ("calls its API", "sync"),
        ("webhooks", "async"),
    ]
    assert stripe[1].inbound and not stripe[1].outbound
    quiet = dict(order_answers, **{"external.webhooks@stripe": "No, it never calls us."})
    stripe = flows_of(integration_of(make_sheet(quiet), bank), "Stripe")
    assert [flow.what for flow in stripe] == ["calls its API"]
    never = dict(order_answers, **{"external.callbacks@stripe": False})
    del never["external.webhooks@stripe"]
    stripe = flows_of(integration_of(make_sheet(never), bank), "Stripe")
    assert [flow.what for flow in stripe] == ["calls its API"]


def test_a_webhook_flow_whose_answer_is_open_says_so_without_a_direction(
    make_sheet: Any, order_answers: dict[str, Any], bank: Bank
) -> None:
    sheet = Engine(bank).skip(make_sheet(order_answers), "external.callbacks@stripe", reason="ask")
    webhooks = flows_of(integration_of(sheet, bank), "Stripe")[1]
    assert webhooks.what == "webhooks: open question"
    assert webhooks.direction == "not stated"


def test_a_direction_nobody_stated_is_drawn_without_an_arrowhead(
    make_sheet: Any, order_answers: dict[str, Any], bank: Bank
) -> None:
    answers = dict(order_answers, **{"database.tables@orders-db": ["orders", "audit (write)"]})
    flows = flows_of(integration_of(make_sheet(answers), bank), "Orders DB")
    unstated, written = flows
    assert (unstated.outbound, unstated.inbound) == (False, False)
    assert "direction not stated" in unstated.label
    assert (written.outbound, written.inbound) == (True, False)
    mermaid = context_mermaid(system_context(integration_of(make_sheet(answers), bank)))
    assert '---|"orders, sync, direction not stated"|' in mermaid


def test_a_skipped_protocol_is_an_open_question_not_a_guess(
    order_sheet: AnswerSheet, bank: Bank
) -> None:
    from interlock.interview.engine import Engine

    sheet = Engine(bank).skip(order_sheet, "service.communication@user-service", reason="r")
    (flow,) = flows_of(integration_of(sheet, bank), "User Service")
    assert flow.protocol == "open question"
    assert flow.mode == ""


def test_every_system_is_drawn_with_its_flows_in_all_formats(order: Integration) -> None:
    context = system_context(order)
    mermaid = context_mermaid(context)
    assert mermaid.startswith("flowchart LR\n")
    for name, _ in context.systems:
        assert f'["{name}<br/>' in mermaid
    assert mermaid.count("-->") + mermaid.count("---|") == len(context.flows)
    dot = context_dot(context)
    assert dot.count(" -> ") == len(context.flows)
    data = json.loads(context_json([context]))
    assert [flow["system"] for flow in data[0]["flows"]] == [f.system for f in context.flows]
    assert {flow["direction"] for flow in data[0]["flows"]} <= {
        "both",
        "outbound",
        "inbound",
        "not stated",
    }


def test_a_system_two_integrations_share_is_drawn_once(order: Integration) -> None:
    other = order.model_copy(update={"title": "Billing"})
    mermaid = context_mermaid([system_context(order), system_context(other)])
    assert mermaid.count('["Stripe<br/>') == 1
    assert mermaid.count("this integration") == 2


def test_labels_cannot_break_the_diagram(
    make_sheet: Any, order_answers: dict[str, Any], bank: Bank
) -> None:
    answers = dict(order_answers, **{"queue.topics@rabbitmq": ['a"|b]-->x (publish)']})
    mermaid = context_mermaid(system_context(integration_of(make_sheet(answers), bank)))
    line = next(line for line in mermaid.splitlines() if "a#34;" in line)
    assert line.count('"') == 2 and "-->x" not in line
