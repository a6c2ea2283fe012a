"""Every document says the same about each flow: which way it goes, and whether it waits.

The system-context view (:mod:`interlock.render.system_context`) is read from the
answers once; the diagram of both documents, the flows listed under Synchronous and
Asynchronous Integration, and the webhook rows of the spec's Data Flows table must all
agree with it, for any interview hypothesis draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.model.integration import Integration
from interlock.render.documents import render_documents
from interlock.render.system_context import Flow, calls_us, context_mermaid, system_context
from support.answered import integration_of
from support.generated_answers import interviews

MakeSheet = Callable[..., AnswerSheet]
_MERMAID = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _section(text: str, title: str) -> str:
    """Return the lines under the heading ``### title``, up to the next heading."""
    found = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^#)", text, re.MULTILINE | re.DOTALL)
    assert found is not None, f"no section {title!r}"
    return found.group(1)


def _listed(flow: Flow) -> str:
    return f"- **{flow.system}**: {flow.what} ({flow.direction_words}"


def _webhook_rows(spec: str, integration: Integration) -> set[str]:
    flows = _section(spec, "Data Flows")
    return {
        system.name
        for system in integration.known_systems
        if f"| {system.name} | {integration.title} | webhooks |" in flows
    }


def _check(documents: dict[str, str], integration: Integration) -> None:
    context = system_context(integration)
    points, spec = documents["integration-points.md"], documents["integration-spec.md"]
    if integration.known_systems:
        expected = context_mermaid(context)
        for name in ("integration-points.md", "integration-spec.md"):
            drawn = _MERMAID.findall(documents[name])
            assert drawn == [expected], f"{name} draws another diagram than the answers say"
    synchronous = _section(points, "Synchronous Integration")
    asynchronous = _section(points, "Asynchronous Integration")
    for flow in context.flows:
        line = _listed(flow)
        if flow.mode == "sync":
            assert line in synchronous and line not in asynchronous, line
        elif flow.mode == "async":
            assert line in asynchronous and line not in synchronous, line
        else:
            assert line not in synchronous and line not in asynchronous, line
    callers = {system.name for system in integration.known_systems if calls_us(system)}
    inbound = {flow.system for flow in context.flows if flow.what == "webhooks" and flow.inbound}
    assert inbound == callers
    assert _webhook_rows(spec, integration) == callers


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
    _check(documents, integration_of(interview.sheet, bank))


def test_no_inbound_calls_draws_no_webhook_flow_anywhere(
    make_sheet: MakeSheet, order_answers: dict[str, Any], bank: Bank
) -> None:
    answers = dict(order_answers, **{"external.webhooks@stripe": "No inbound calls"})
    sheet = make_sheet(answers)
    integration = integration_of(sheet, bank)
    documents = {
        name: str(text) for name, text in render_documents(sheet, bank, author="Dana").items()
    }
    _check(documents, integration)
    assert "Stripe" not in _webhook_rows(documents["integration-spec.md"], integration)
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
    asynchronous = _section(points, "Asynchronous Integration")
    assert "- **RabbitMQ**: order.paid (from us to it" in asynchronous
    assert "- **RabbitMQ**: refund.requested (from it to us" in asynchronous
    assert "refund.requested" not in _section(points, "Synchronous Integration")
