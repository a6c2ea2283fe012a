from pathlib import Path

import pytest

from interlock.documents.model import DocumentKind
from interlock.render.blank import BlankKind
from support.rule_checks import (
    BLANK_KINDS,
    SEED_NAMES,
    assert_findings,
    blank_path,
    blank_template,
    run_rule,
    seed_text,
)

TEMPLATE_CONTRACTS = """\
# {{Integration Name}} Integration Specification

## Integration Contracts

<!-- Include API contracts, e.g. POST /v1/charges -->

### API Contracts

#### {{Endpoint/Operation Name}}

**Method**: {{GET, POST, PUT, DELETE, etc.}}
**Endpoint**: {{Third-party endpoint URL}}
**Purpose**: {{Purpose of this endpoint}}

### Event Contracts (if applicable)

**Event Schema**:

```json
{
  "{{field-name}}": "{{data-type}}"
}
```
"""


def test_unfilled_template_declares_no_endpoint() -> None:
    problems = assert_findings("endpoint-contract", TEMPLATE_CONTRACTS, [(3, 1)])
    assert problems[0].message == "no endpoint is declared (an HTTP method and a path)"


def test_filled_method_and_endpoint_fields_pass() -> None:
    text = """\
# Payments

## Integration Contracts

#### Create Charge

**Method**: POST
**Endpoint**: https://api.stripe.com/v1/charges
**Purpose**: charge a saved card

#### Retrieve Charge

- **Endpoint**: `/v1/charges/{id}`
- **Method:** GET
"""
    assert_findings("endpoint-contract", text, [])


def test_method_without_path_is_reported_at_the_endpoint_field() -> None:
    text = """\
## Integration Contracts

**Method**: POST
**Endpoint**: {{Third-party endpoint URL}}
"""
    problems = assert_findings("endpoint-contract", text, [(4, 15)])
    assert problems[0].message == "POST endpoint has no path"


def test_unknown_method_is_reported_at_its_value() -> None:
    text = "## Integration Contracts\n\n- **Method**: SEND\n- **Endpoint**: /v1/messages\n"
    problems = assert_findings("endpoint-contract", text, [(3, 15)])
    assert problems[0].message == "'SEND' is not an HTTP method"


def test_path_that_is_not_a_path_or_url_is_reported() -> None:
    text = "## Integration Contracts\n\n**Method**: GET\n**Endpoint**: the orders endpoint\n"
    problems = assert_findings("endpoint-contract", text, [(4, 15)])
    assert problems[0].message == "'the orders endpoint' is not a path or URL"


def test_endpoint_field_holding_method_and_path_passes() -> None:
    text = "## APIs This Feature Exposes\n\n**Endpoint**: `POST /api/v1/orders`\n- **Purpose**: x\n"
    assert_findings("endpoint-contract", text, [], kind=DocumentKind.INTEGRATION_SPEC)
    broken = text.replace("POST /api", "SEND /api")
    assert_findings("endpoint-contract", broken, [(3, 15)], kind=DocumentKind.INTEGRATION_SPEC)


def test_endpoint_field_without_method_is_reported() -> None:
    text = "## Integration Contracts\n\n**Endpoint**: https://api.example.com/v1/orders\n"
    problems = assert_findings("endpoint-contract", text, [(3, 15)])
    assert "has no HTTP method" in problems[0].message


ENDPOINT_TABLE = """\
# Integration Points - Checkout

#### API Endpoints
| Method | Endpoint | Purpose |
|--------|----------|---------|
| GET | `/users/{id}` | Get user info |
|  | `/orders` | Create order |
| FETCH | /orders/{id} | Update order |
| PUT | orders | Update order |
| [METHOD] | [/path] | [purpose] |
"""


def test_table_rows_are_checked_one_by_one() -> None:
    problems = assert_findings("endpoint-contract", ENDPOINT_TABLE, [(7, 2), (8, 3), (9, 9)])
    assert [problem.message for problem in problems] == [
        "endpoint '/orders' has no HTTP method",
        "'FETCH' is not an HTTP method",
        "'orders' is not a path or URL",
    ]


def test_filled_endpoint_table_passes() -> None:
    text = """\
# Integration Points - Checkout

| Method | Path | Purpose |
|--------|------|---------|
| GET | `/users/{id}` | Get user info |
| POST | https://api.example.com/v1/orders | Create order |
"""
    assert_findings("endpoint-contract", text, [])


def test_endpoint_column_holding_methods_passes_and_other_rows_are_ignored() -> None:
    text = """\
# Integration Points - Checkout

| Endpoint | Purpose |
|----------|---------|
| POST /orders | Create order |
| /health | Health check |
"""
    assert_findings("endpoint-contract", text, [])


def test_inline_mentions_declare_endpoints() -> None:
    text = """\
# Integration Points - Payments

- **Endpoints used**:
  - `POST /v1/charges` - Create payment
  - `GET /v1/charges/{id}` - Get payment status
"""
    assert_findings("endpoint-contract", text, [])


def test_mention_inside_a_comment_declares_nothing() -> None:
    assert_findings(
        "endpoint-contract",
        "# Integration Points - Payments\n\n<!-- e.g. POST /v1/charges -->\n",
        [(1, 1)],
    )


def test_event_schema_satisfies_a_queue_integration() -> None:
    text = """\
## Integration Contracts

### Event Contracts

**Event Type**: order.completed

```json
{"orderId": "string", "completedAt": "iso-8601"}
```
"""
    assert_findings("endpoint-contract", text, [])
    assert_findings("endpoint-contract", text, [(1, 1)], options={"accept_events": False})


def test_placeholder_event_schema_does_not_satisfy() -> None:
    assert "Event Contracts" in TEMPLATE_CONTRACTS
    assert_findings("endpoint-contract", TEMPLATE_CONTRACTS, [(3, 1)])


def test_filled_event_schema_field_satisfies() -> None:
    text = "## Integration Contracts\n\n### Event Contracts\n\n- **Event Schema**: schemas/order.avsc\n"
    assert_findings("endpoint-contract", text, [])


def test_other_document_kinds_are_not_checked() -> None:
    assert run_rule("endpoint-contract", "# Research notes\n\nNothing about endpoints.\n") == []


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_fire_once_at_their_contracts_heading(kind: BlankKind) -> None:
    text = blank_template(kind)
    lines = text.splitlines()
    problems = run_rule("endpoint-contract", text, path=blank_path(kind))
    # The contracts section of a spec, the API endpoints of an Integration Points document.
    (problem,) = problems
    assert lines[problem.line - 1] in ("## Integration Contracts", "#### API Endpoints")
    assert problem.column == 1


@pytest.mark.seeds
def test_raw_integration_template_fires_at_its_contracts_heading(seeds: Path) -> None:
    problems = run_rule("endpoint-contract", seed_text(seeds, "004"))
    assert [(p.line, p.column) for p in problems] == [(156, 1)]


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_templates_are_read_as_integration_specs(seeds: Path, name: str) -> None:
    text = seed_text(seeds, name)
    problems = run_rule("endpoint-contract", text, kind=DocumentKind.INTEGRATION_SPEC)
    assert all(1 <= problem.line <= len(text.splitlines()) for problem in problems)


SLACK_RPC = """\
# Notifications Integration Specification

## Integration Contracts

### API Contracts

#### Called on Slack

**API Style**: RPC

| Method | Endpoint | Purpose |
| --- | --- | --- |
| none given | `chat.postMessage` | Post the order's message |
| POST | `conversations.list` | Find the channel |
| none given | `/users.lookupByEmail` | Find the person |
"""


def test_rpc_operations_pass_where_the_system_declares_an_rpc_style() -> None:
    assert_findings("endpoint-contract", SLACK_RPC, [])


def test_rpc_operations_are_flagged_without_the_declaration() -> None:
    undeclared = SLACK_RPC.replace("**API Style**: RPC\n", "")
    problems = assert_findings("endpoint-contract", undeclared, [(12, 3), (13, 10), (14, 3)])
    assert problems[1].message == "'conversations.list' is not a path or URL"


def test_rpc_acceptance_can_be_turned_off() -> None:
    problems = run_rule("endpoint-contract", SLACK_RPC, options={"accept_rpc": False})
    assert len(problems) == 3


def test_an_rpc_declaration_covers_only_its_own_section() -> None:
    text = (
        SLACK_RPC
        + "\n#### Called on Stripe\n\n| Method | Endpoint | Purpose |\n| --- | --- | --- |\n| POST | charges.create | Charge |\n"
    )
    problems = assert_findings("endpoint-contract", text, [(21, 10)])
    assert "is not a path or URL" in problems[0].message


def test_an_rpc_section_still_checks_what_it_states() -> None:
    text = SLACK_RPC.replace("| POST | `conversations.list`", "| SEND | `conversations.list`")
    text = text.replace("`/users.lookupByEmail`", "`users#lookupByEmail`")
    problems = assert_findings("endpoint-contract", text, [(14, 3), (15, 16)])
    assert problems[0].message == "'SEND' is not an HTTP method"
    assert problems[1].message == "'users#lookupByEmail' is not an operation name, a path or a URL"


@pytest.mark.parametrize(
    "declaration",
    [
        "**API Style**: RPC",
        "- **Type**: gRPC",
        "**Protocol**: JSON-RPC over HTTP",
        "**Style**: xml-rpc",
    ],
)
def test_each_form_of_the_declaration_is_read(declaration: str) -> None:
    text = SLACK_RPC.replace("**API Style**: RPC", declaration)
    assert_findings("endpoint-contract", text, [])


def test_a_word_holding_rpc_is_no_declaration() -> None:
    text = SLACK_RPC.replace("**API Style**: RPC", "**Type**: rpcish-api")
    assert len(run_rule("endpoint-contract", text)) == 3


def test_an_operation_column_lists_operations_in_an_rpc_section() -> None:
    text = """\
## Integration Points

### Integration A: Orders service

**Type**: gRPC

#### Interface Specification

| Operation | Purpose |
| --- | --- |
| orders.v1.Orders/GetOrder | Read an order |
"""
    assert_findings("endpoint-contract", text, [])
    assert len(run_rule("endpoint-contract", text.replace("**Type**: gRPC", "**Type**: REST"))) == 1
