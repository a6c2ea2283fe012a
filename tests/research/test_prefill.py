"""Prefilling the interview: what the document settles, and what a person said stays."""

from __future__ import annotations

from typing import Any

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank
from interlock.interview.engine import Engine
from interlock.research.facts import (
    AuthScheme,
    OAuthFlow,
    Operation,
    Research,
    Server,
    System,
)
from interlock.research.prefill import prefill_interview, prefill_values

BY = "openapi:payments.yaml"
KEY = "acme-payments"


def make_research(
    *,
    auth: tuple[AuthScheme, ...] = (),
    operations: tuple[Operation, ...] = (Operation("GET", "/payments", "List payments"),),
    servers: tuple[Server, ...] = (),
    name: str = "Acme Payments",
) -> Research:
    system = System(
        name=name,
        title=name,
        version="1",
        summary="",
        description="",
        spec="OpenAPI 3.1.0",
        source="payments.yaml",
        source_name="payments.yaml",
        links=(),
        contact="",
        license="",
    )
    return Research(system, servers, auth, operations, (), (), (), (), True)


OAUTH = AuthScheme(
    "oauth2",
    "oauth2",
    flows=(OAuthFlow("clientCredentials", "", "https://t", "", ()),),
    operations=1,
)
BEARER = AuthScheme("bearer", "http", http_scheme="bearer", operations=1)
API_KEY = AuthScheme("key", "apiKey", location="header", parameter="X-Key", operations=1)
BASIC = AuthScheme("basic", "http", http_scheme="basic", operations=1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_bank("integration"))


def answer_values(sheet: AnswerSheet) -> dict[str, Any]:
    return {key: answer.value for key, answer in sheet.answers.items()}


@pytest.mark.parametrize(
    ("schemes", "expected"),
    [
        ((OAUTH, BEARER), "oauth2"),
        ((API_KEY,), "api-key"),
        ((BASIC,), "basic"),
        ((AuthScheme("mtls", "mutualTLS", operations=1),), "mtls"),
        ((AuthScheme("oidc", "openIdConnect", operations=1),), "oauth2"),
        ((API_KEY, OAUTH), None),
        ((BEARER,), None),
        ((), None),
    ],
    ids=[
        "oauth-and-its-bearer-token",
        "api-key",
        "basic",
        "mutual-tls",
        "openid-connect",
        "two-ways-to-choose-from",
        "bearer-of-unknown-origin",
        "none-declared",
    ],
)
def test_the_auth_answer_is_given_only_when_the_document_settles_it(
    schemes: tuple[AuthScheme, ...], expected: str | None
) -> None:
    values = prefill_values(make_research(auth=schemes))
    assert values.get("external.auth") == expected


def test_an_unused_scheme_does_not_count() -> None:
    unused = AuthScheme("legacy", "apiKey", location="query", parameter="key", operations=0)
    assert prefill_values(make_research(auth=(OAUTH, unused)))["external.auth"] == "oauth2"


def test_a_new_interview_gets_the_system_and_its_answers(engine: Engine) -> None:
    research = make_research(
        auth=(OAUTH, BEARER),
        operations=(
            Operation("GET", "/payments", "List payments"),
            Operation("POST", "/payments", ""),
        ),
        servers=(Server("https://sandbox.example.com", "Sandbox", "sandbox"),),
    )
    result = prefill_interview(engine, AnswerSheet(name="payments"), research, by=BY)
    assert result.changed
    assert answer_values(result.sheet) == {
        "systems": [
            {"name": "Acme Payments", "kind": "external-api", "owner": None, "criticality": None}
        ],
        f"external.auth@{KEY}": "oauth2",
        f"external.sandbox@{KEY}": "sandbox",
    }
    assert {answer.by for answer in result.sheet.answers.values()} == {BY}
    assert result.answered == ("systems", f"external.auth@{KEY}", f"external.sandbox@{KEY}")


def test_the_interview_then_asks_only_what_is_left(engine: Engine) -> None:
    research = make_research(auth=(API_KEY,))
    sheet = prefill_interview(engine, AnswerSheet(name="payments"), research, by=BY).sheet
    pending = engine.state(sheet).pending
    assert f"external.auth@{KEY}" not in pending
    assert f"external.endpoints@{KEY}" in pending, "which operations are used is asked"
    assert f"external.rate_limits@{KEY}" in pending
    assert f"external.sandbox@{KEY}" in pending  # no sandbox server in the document


def test_systems_named_before_are_kept(engine: Engine) -> None:
    sheet = engine.answer(
        AnswerSheet(name="payments"),
        "systems",
        [
            {"name": "Orders DB", "kind": "database", "owner": "Orders team"},
            {"name": "Mailer", "kind": "internal-service"},
        ],
        by="Dana",
    )
    result = prefill_interview(engine, sheet, make_research(), by=BY)
    names = [record["name"] for record in result.sheet.answers["systems"].value]
    assert names == ["Orders DB", "Mailer", "Acme Payments"]
    assert result.sheet.answers["systems"].value[0]["owner"] == "Orders team"


def test_answers_given_by_a_person_are_never_replaced(engine: Engine) -> None:
    sheet = engine.answer(
        AnswerSheet(name="payments"),
        "systems",
        [{"name": "Acme Payments", "kind": "external-api", "criticality": "critical"}],
        by="Dana",
    )
    sheet = engine.answer(sheet, f"external.auth@{KEY}", "mtls", by="Dana")
    sheet = engine.skip(sheet, f"external.sandbox@{KEY}", reason="asking the vendor", by="Dana")
    research = make_research(
        auth=(API_KEY,), servers=(Server("https://sandbox.example.com", "", "sandbox"),)
    )
    result = prefill_interview(engine, sheet, research, by=BY)
    answers = result.sheet.answers
    assert answers["systems"].by == "Dana"
    assert answers["systems"].value[0]["criticality"] == "critical"
    assert answers[f"external.auth@{KEY}"].value == "mtls"
    assert answers[f"external.sandbox@{KEY}"].skipped
    assert result.kept == (f"external.auth@{KEY}", f"external.sandbox@{KEY}")
    assert result.answered == ()


def test_a_second_run_changes_nothing_and_a_changed_document_refreshes(engine: Engine) -> None:
    research = make_research(auth=(API_KEY,))
    first = prefill_interview(engine, AnswerSheet(name="payments"), research, by=BY)
    again = prefill_interview(engine, first.sheet, research, by=BY)
    assert not again.changed
    assert again.sheet == first.sheet
    assert again.answered == ()
    assert again.current == (f"external.auth@{KEY}",)
    changed = make_research(auth=(BASIC,))
    refreshed = prefill_interview(engine, first.sheet, changed, by=BY)
    assert refreshed.changed
    assert refreshed.sheet.answers[f"external.auth@{KEY}"].value == "basic"
    assert refreshed.answered == (f"external.auth@{KEY}",)


def test_a_system_recorded_with_another_kind_is_left_alone(engine: Engine) -> None:
    sheet = engine.answer(
        AnswerSheet(name="payments"),
        "systems",
        [{"name": "Acme Payments", "kind": "internal-service"}],
        by="Dana",
    )
    result = prefill_interview(engine, sheet, make_research(auth=(API_KEY,)), by=BY)
    assert not result.changed
    assert result.sheet == sheet
    ((question, reason),) = result.passed
    assert question == "systems"
    assert "recorded with kind 'internal-service'" in reason


@pytest.mark.parametrize("count", [1, 2, 501])
def test_the_operations_used_are_never_answered_from_the_document(count: int) -> None:
    operations = tuple(Operation("GET", f"/things/{n}", "") for n in range(count))
    assert "external.endpoints" not in prefill_values(make_research(operations=operations))
