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

- **Protocol**: REST over HTTPS
- **Rate Limits**: {value}
"""


@pytest.mark.parametrize(
    "value",
    [
        "100 read and 100 write requests per second",
        "none (internal service)",
        "no limit",
        "Unlimited on the enterprise plan",
        "25/s per account",
    ],
    ids=["number", "none", "no-limit", "unlimited", "per-second"],
)
def test_rate_limit_with_a_number_or_explicit_none_passes(value: str) -> None:
    assert_findings("rate-limit-declared", SPEC.format(value=value), [])


@pytest.mark.parametrize(
    "value",
    ["{{Rate limiting information}}", "[Requests per minute/hour/day]", "N/A", ""],
    ids=["curly", "bracket", "n-a", "empty"],
)
def test_unfilled_rate_limit_is_reported_at_its_value(value: str) -> None:
    problems = assert_findings("rate-limit-declared", SPEC.format(value=value), [(8, 20)])
    assert problems[0].message == "no rate limit is stated"


def test_rate_limit_without_a_number_is_reported_as_vague() -> None:
    text = SPEC.format(value="generous, see the vendor's documentation")
    problems = assert_findings("rate-limit-declared", text, [(8, 20)])
    assert problems[0].message == "the rate limit is stated without a number or an explicit 'none'"


def test_missing_field_is_reported_at_the_technical_specifications_heading() -> None:
    text = SPEC.replace("- **Rate Limits**: {value}\n", "")
    assert_findings("rate-limit-declared", text, [(5, 1)])


def test_throughput_column_of_the_performance_table_passes() -> None:
    text = """\
# Integration Points - Checkout

### Performance Requirements
| Integration | Response Time | Throughput | Availability |
|-------------|---------------|------------|--------------|
| Critical API | < 200ms | 1000 req/s | 99.9% |
"""
    assert_findings("rate-limit-declared", text, [])
    unfilled = text.replace("| 1000 req/s |", "| [requests per second] |")
    assert_findings("rate-limit-declared", unfilled, [(3, 1)])


def test_rate_limit_column_passes() -> None:
    text = """\
# Integration Points - Checkout

| Endpoint | Rate limit |
|----------|------------|
| POST /orders | 100 requests/minute per user |
"""
    assert_findings("rate-limit-declared", text, [])


def test_failure_row_mentioning_rate_limits_is_not_a_limit() -> None:
    text = """\
# Integration Points - Checkout

| Scenario | Impact | Detection | Response |
|----------|--------|-----------|----------|
| Rate limit exceeded | Throttled requests | HTTP 429 | Queue and retry |
"""
    assert_findings("rate-limit-declared", text, [(1, 1)])


@pytest.mark.parametrize(
    "sentence",
    [
        "Stripe rate-limits us to 25 calls per second in test mode.",
        "The internal API has no rate limit; the mesh sheds load instead.",
        "Quota: 10,000 messages a day.",
    ],
    ids=["limited-to", "no-rate-limit", "quota"],
)
def test_prose_stating_a_limit_passes(sentence: str) -> None:
    text = f"# Integration Points - Email\n\n## Overview\n\n{sentence}\n"
    assert_findings("rate-limit-declared", text, [])


def test_prose_without_a_rate_does_not_count() -> None:
    text = "# Integration Points - Email\n\n## Overview\n\nWe must respect the rate limits.\n"
    assert_findings("rate-limit-declared", text, [(1, 1)])


def test_other_document_kinds_are_not_checked() -> None:
    assert run_rule("rate-limit-declared", "# Plan\n\nNothing here.\n") == []


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_fire_at_their_rate_limits_placeholder(kind: BlankKind) -> None:
    text = blank_template(kind)
    lines = text.splitlines()
    problems = run_rule("rate-limit-declared", text, path=blank_path(kind))
    (problem,) = problems
    assert lines[problem.line - 1].startswith("- **Rate Limits**:")
    assert lines[problem.line - 1][problem.column - 1] in "{["


@pytest.mark.seeds
def test_raw_integration_template_fires_at_its_rate_limits_field(seeds: Path) -> None:
    problems = run_rule("rate-limit-declared", seed_text(seeds, "004"))
    assert [(p.line, p.column) for p in problems] == [(87, 20)]


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_templates_are_read_as_integration_specs(seeds: Path, name: str) -> None:
    text = seed_text(seeds, name)
    problems = run_rule("rate-limit-declared", text, kind=DocumentKind.INTEGRATION_SPEC)
    assert all(1 <= problem.line <= len(text.splitlines()) for problem in problems)
