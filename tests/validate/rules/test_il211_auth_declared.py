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

SPEC = """\
# Payments Integration Specification

## Third-Party System Information

### Technical Specifications

- **API Version**: 2024-04-10
- **Authentication Method**: {value}
- **Rate Limits**: 100 requests per second
"""


@pytest.mark.parametrize(
    "value",
    [
        "{{Authentication requirements}}",
        "[API Key | OAuth 2.0 | Basic Auth | Custom]",
        "<auth method>",
        "TBD",
        "",
    ],
    ids=["curly", "bracket", "angle", "tbd", "empty"],
)
def test_unfilled_authentication_field_is_reported_at_its_value(value: str) -> None:
    problems = assert_findings("auth-declared", SPEC.format(value=value), [(8, 30)])
    assert problems[0].message == "no authentication method is stated"


@pytest.mark.parametrize(
    "line",
    [
        "- **Authentication Method**: restricted secret key as a Bearer token",
        "- **Authentication**: none (public read-only endpoint)",
        "**Auth Method:** API key in the X-Api-Key header",
        "- Auth: mutual TLS with a client certificate from the internal CA",
        "- **Authentication**: OAuth 2.0 ({{scopes to confirm}})",
    ],
    ids=["field", "explicit-none", "colon-inside-bold", "plain-label", "partly-filled"],
)
def test_filled_authentication_field_passes(line: str) -> None:
    text = f"# Payments\n\n## Integration Contracts\n\n{line}\n"
    assert_findings("auth-declared", text, [])


def test_auth_method_table_column_passes() -> None:
    text = """\
# Integration Points - Checkout

### Authentication and Authorization
| Integration | Auth Method | Token Management |
|-------------|-------------|------------------|
| Stripe | OAuth 2.0 | Token refresh |
"""
    assert_findings("auth-declared", text, [])
    unfilled = text.replace("| OAuth 2.0 |", "| [method] |")
    assert_findings("auth-declared", unfilled, [(3, 1)])


def test_sentence_naming_a_scheme_passes() -> None:
    text = (
        "# Integration Points - Email\n\n## Overview\n\n"
        "The service authenticates to SendGrid with an API key kept in Vault.\n"
    )
    assert_findings("auth-declared", text, [])


def test_sentence_without_a_scheme_does_not_count() -> None:
    text = "# Integration Points - Email\n\n## Overview\n\nAuthentication is to be decided.\n"
    assert_findings("auth-declared", text, [(1, 1)])


def test_comments_and_code_do_not_count() -> None:
    text = """\
# Integration Points - Email

## Connection Details

<!-- Authentication: API key -->

```yaml
authentication: oauth2
```
"""
    problems = assert_findings("auth-declared", text, [(3, 1)])
    assert problems[0].message == "no authentication method is stated"


def test_missing_field_is_reported_at_the_technical_specifications_heading() -> None:
    text = SPEC.replace("- **Authentication Method**: {value}\n", "")
    assert_findings("auth-declared", text, [(5, 1)])


def test_other_document_kinds_are_not_checked() -> None:
    assert run_rule("auth-declared", "# Plan\n\nNothing here.\n") == []
    assert run_rule("auth-declared", "# Plan\n", kind=DocumentKind.INTEGRATION_POINTS) != []


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_fire_at_their_authentication_placeholder(kind: BlankKind) -> None:
    text = blank_template(kind)
    lines = text.splitlines()
    problems = run_rule("auth-declared", text, path=blank_path(kind))
    (problem,) = problems
    line = lines[problem.line - 1]
    assert line.startswith(("- **Authentication Method**:", "- **Authentication**:"))
    assert line[problem.column - 1] in "{["  # the placeholder, where the method goes


@pytest.mark.seeds
def test_raw_integration_template_fires_at_its_authentication_field(seeds: Path) -> None:
    problems = run_rule("auth-declared", seed_text(seeds, "004"))
    assert [(p.line, p.column) for p in problems] == [(85, 30)]


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_templates_are_read_as_integration_specs(seeds: Path, name: str) -> None:
    text = seed_text(seeds, name)
    problems = run_rule("auth-declared", text, kind=DocumentKind.INTEGRATION_SPEC)
    assert all(1 <= problem.line <= len(text.splitlines()) for problem in problems)


def test_authorization_is_not_authentication() -> None:
    text = (
        "# Integration Points - Email\n\n## Access Control\n\n- **Authorization**: token scopes\n"
    )
    assert_findings("auth-declared", text, [(3, 1)])
    header = "Every call carries an Authorization header with a bearer token.\n"
    assert_findings(
        "auth-declared", text.replace("- **Authorization**: token scopes\n", header), []
    )
