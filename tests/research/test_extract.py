"""The facts read from the fixture documents: system, servers, auth, endpoints, limits, gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.research.extract import extract_research
from interlock.research.facts import Research
from interlock.research.openapi import load_openapi

pytest.importorskip("openapi_spec_validator")

FIXTURES = Path(__file__).parent / "fixtures"


def research_of(name: str, **options: str) -> Research:
    return extract_research(load_openapi(str(FIXTURES / name)), **options)


def texts(research: Research, topic: str) -> tuple[str, ...]:
    constraint = research.constraint(topic)
    assert constraint is not None, f"no {topic} constraint"
    return tuple(detail.text for detail in constraint.details)


@pytest.fixture(scope="module")
def payments() -> Research:
    return research_of("payments-3.1.yaml")


@pytest.fixture(scope="module")
def petstore3() -> Research:
    return research_of("petstore-3.0.yaml")


@pytest.fixture(scope="module")
def petstore2() -> Research:
    return research_of("petstore-2.0.json")


def test_the_system_describes_itself(payments: Research) -> None:
    system = payments.system
    assert system.name == "Acme Payments API"
    assert system.version == "2024-06-01"  # a YAML date, read as the text it is
    assert system.spec == "OpenAPI 3.1.0"
    assert system.description.startswith("Acme Payments charges cards")
    assert "Every request" not in system.description  # only the first paragraph
    assert [link.url for link in system.links] == [
        "https://docs.payments.example.com",
        "https://payments.example.com/terms",
        "https://payments.example.com/support",
    ]


def test_the_system_name_can_be_chosen() -> None:
    research = research_of("petstore-3.0.yaml", system_name="Petstore")
    assert research.system.name == "Petstore"
    assert research.system.title == "Swagger Petstore - OpenAPI 3.0"


def test_servers_are_labelled_with_their_environment(payments: Research) -> None:
    assert [(s.environment, s.url) for s in payments.servers] == [
        ("production", "https://api.payments.example.com/v1"),
        ("sandbox", "https://sandbox.payments.example.com/v1"),
    ]


def test_swagger_2_servers_come_from_host_base_path_and_schemes(petstore2: Research) -> None:
    assert [s.url for s in petstore2.servers] == [
        "https://petstore.swagger.io/v2",
        "http://petstore.swagger.io/v2",
    ]
    assert {s.environment for s in petstore2.servers} == {""}


def test_oauth_client_credentials_and_bearer(payments: Research) -> None:
    oauth, bearer = payments.auth
    (flow,) = oauth.flows
    assert (oauth.key, flow.kind) == ("oauth2", "clientCredentials")
    assert flow.token_url == "https://auth.payments.example.com/oauth/token"
    assert [name for name, _ in flow.scopes] == ["payments:read", "payments:write"]
    assert (bearer.http_scheme, bearer.bearer_format) == ("bearer", "JWT")
    assert oauth.operations == bearer.operations == 4


@pytest.mark.parametrize(
    ("fixture", "authorization_url"),
    [
        ("petstore3", "https://petstore3.swagger.io/oauth/authorize"),
        ("petstore2", "https://petstore.swagger.io/oauth/authorize"),
    ],
    ids=["openapi-3.0", "swagger-2.0"],
)
def test_petstore_api_key_and_implicit_oauth(
    fixture: str, authorization_url: str, request: pytest.FixtureRequest
) -> None:
    research: Research = request.getfixturevalue(fixture)
    by_key = {scheme.key: scheme for scheme in research.auth}
    assert (by_key["api_key"].location, by_key["api_key"].parameter) == ("header", "api_key")
    (flow,) = by_key["petstore_auth"].flows
    assert (flow.kind, flow.authorization_url) == ("implicit", authorization_url)
    assert {name for name, _ in flow.scopes} == {"read:pets", "write:pets"}


def test_operations_with_parameters_responses_and_security(petstore3: Research) -> None:
    assert len(petstore3.operations) == 19
    get_pet = next(op for op in petstore3.operations if op.label == "GET /pet/{petId}")
    assert get_pet.summary == "Find pet by ID"
    assert [(p.name, p.location, p.required) for p in get_pet.parameters] == [
        ("petId", "path", True)
    ]
    assert [r.status for r in get_pet.responses] == ["200", "400", "404"]
    assert get_pet.security == (("api_key",), ("petstore_auth",))
    place_order = next(op for op in petstore3.operations if op.label == "POST /store/order")
    assert place_order.security is None  # the document does not say


def test_path_level_parameters_are_merged(payments: Research) -> None:
    refund = next(op for op in payments.operations if op.operation_id == "refundPayment")
    assert [p.name for p in refund.parameters] == ["payment_id", "Idempotency-Key"]


def test_webhooks_and_callbacks(payments: Research) -> None:
    assert [(w.name, w.method) for w in payments.webhooks] == [
        ("payment.succeeded", "POST"),
        ("refund.failed", "POST"),
    ]
    ((operation, callback),) = payments.callbacks
    assert operation.label == "POST /payments"
    assert (callback.name, callback.expression) == (
        "paymentSettled",
        "{$request.body#/callback_url}",
    )


def test_rate_limit_constraints(payments: Research) -> None:
    rates = payments.constraint("rate-limits")
    assert rates is not None
    assert rates.details[0].text.startswith("4 of 4 operations can answer 429")
    assert rates.details[0].sources == ("#/paths/~1payments/get/responses/429",)
    assert (
        "Headers about the limits: Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, "
        "X-RateLimit-Reset." in texts(payments, "rate-limits")
    )


def test_pagination_idempotency_and_size_limits(payments: Research) -> None:
    assert texts(payments, "pagination") == (
        "Pagination style: cursor on 1 operation.",
        "Cursor: GET /payments; the page is chosen by starting_after; page size limit "
        "(at most 100, default 20); the response carries has_more, next_cursor.",
    )
    assert texts(payments, "idempotency") == (
        "Idempotency-Key header (required) on POST /payments, POST /payments/{payment_id}/refunds.",
    )
    sizes = texts(payments, "size-limits")
    assert "NewPayment.description: at most 500 characters" in sizes
    assert "Money.currency: exactly 3 characters" in sizes
    assert "NewPayment.metadata: at most 20 entries" in sizes


def test_recursive_schemas_give_each_limit_once() -> None:
    assert texts(research_of("recursive.yaml"), "size-limits") == (
        "TreeNode.label: at most 40 characters",
        "TreeNode.children: at most 16 items",
        "Person.name: at most 80 characters",
        "Company.name: at most 120 characters",
    )


def test_deprecated_operations_and_rate_limit_headers_of_swagger_2(petstore2: Research) -> None:
    assert texts(petstore2, "deprecation") == ("Deprecated: GET /pet/findByTags.",)
    assert texts(petstore2, "rate-limits") == ("Headers about the limits: X-Rate-Limit.",)


def test_gaps_name_the_question_that_asks_them(payments: Research) -> None:
    questions = [gap.question for gap in payments.gaps]
    assert "external.sla@acme-payments-api" in questions
    assert "external.rate_limits@acme-payments-api" in questions
    assert "external.webhooks@acme-payments-api" in questions
    # Settled by the document: a sandbox server, idempotency keys, one kind of auth.
    assert "external.sandbox@acme-payments-api" not in questions
    assert "edge.duplicates" not in questions
    assert not any("Which do we use" in gap.text for gap in payments.gaps)


def test_gaps_of_the_petstore(petstore3: Research) -> None:
    texts = " ".join(gap.text for gap in petstore3.gaps)
    assert "The document offers petstore_auth: OAuth 2.0 (implicit); api_key: API key" in texts
    assert "names no sandbox or test server" in texts
    assert "declares no idempotency key" in texts
    assert "OpenAPI 3.0 cannot describe webhooks" in texts
