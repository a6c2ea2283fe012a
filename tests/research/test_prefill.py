"""Research records the system and proposes answers; it never answers for a person."""

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
from interlock.research.prefill import prefill_interview, proposed_values

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
def test_auth_is_proposed_only_when_the_document_settles_it(
    schemes: tuple[AuthScheme, ...], expected: str | None
) -> None:
    values = proposed_values(make_research(auth=schemes))
    assert values.get("external.auth") == expected


def test_an_unused_scheme_does_not_count() -> None:
    unused = AuthScheme("legacy", "apiKey", location="query", parameter="key", operations=0)
    assert proposed_values(make_research(auth=(OAUTH, unused)))["external.auth"] == "oauth2"


def test_a_new_interview_gets_the_system_and_nothing_else(engine: Engine) -> None:
    research = make_research(
        auth=(OAUTH, BEARER),
        servers=(Server("https://sandbox.example.com", "Sandbox", "sandbox"),),
    )
    result = prefill_interview(engine, AnswerSheet(name="payments"), research, by=BY)
    assert result.changed and result.answered == ("systems",)
    assert answer_values(result.sheet) == {
        "systems": [
            {"name": "Acme Payments", "kind": "external-api", "owner": None, "criticality": None}
        ]
    }
    assert result.proposed == (
        (f"external.auth@{KEY}", "oauth2"),
        (f"external.sandbox@{KEY}", "sandbox"),
    )


def test_the_interview_still_asks_what_research_proposed(engine: Engine) -> None:
    research = make_research(auth=(API_KEY,))
    sheet = prefill_interview(engine, AnswerSheet(name="payments"), research, by=BY).sheet
    pending = engine.state(sheet).pending
    for question in ("auth", "endpoints", "rate_limits", "sandbox"):
        assert f"external.{question}@{KEY}" in pending


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


def test_a_second_run_changes_nothing(engine: Engine) -> None:
    research = make_research(auth=(API_KEY,))
    first = prefill_interview(engine, AnswerSheet(name="payments"), research, by=BY)
    again = prefill_interview(engine, first.sheet, research, by=BY)
    assert not again.changed and again.sheet == first.sheet and again.answered == ()
    assert again.proposed == ((f"external.auth@{KEY}", "api-key"),)


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
def test_the_operations_used_are_never_proposed_as_an_answer(count: int) -> None:
    operations = tuple(Operation("GET", f"/things/{n}", "") for n in range(count))
    assert "external.endpoints" not in proposed_values(make_research(operations=operations))
