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

TEMPLATE = """\
# {{Integration Name}} Integration Specification

## Error Handling and Recovery

<!-- Define retry mechanisms and backoff strategies; timeout after 5 s -->

### Error Categories

| Error Type     | Description     | Handling Strategy     | Retry Logic     |
| -------------- | --------------- | --------------------- | --------------- |
| {{error-type}} | {{description}} | {{handling strategy}} | {{retry logic}} |

### Retry Mechanism

- **Retry Strategy**: {{Exponential backoff, linear backoff, etc.}}
- **Max Retries**: {{Maximum number of retry attempts}}

### Circuit Breaker Pattern

- **Timeout**: {{Timeout duration}}
"""


SPEC = DocumentKind.INTEGRATION_SPEC


def test_unfilled_template_reports_both_halves_at_their_fields() -> None:
    problems = assert_findings("failure-handling", TEMPLATE, [(15, 23), (20, 16)], kind=SPEC)
    assert [p.message for p in problems] == [
        "no retry policy is stated",
        "no timeout is stated",
    ]


def test_filled_fields_pass() -> None:
    text = (
        TEMPLATE.replace("{{Exponential backoff, linear backoff, etc.}}", "exponential backoff")
        .replace("{{Maximum number of retry attempts}}", "3")
        .replace("{{Timeout duration}}", "5 s per request")
    )
    assert_findings("failure-handling", text, [], kind=SPEC)


def test_only_the_missing_half_is_reported() -> None:
    text = TEMPLATE.replace("{{Maximum number of retry attempts}}", "3")
    problems = assert_findings("failure-handling", text, [(20, 16)], kind=SPEC)
    assert problems[0].message == "no timeout is stated"


def test_timeout_without_a_duration_is_reported_as_vague() -> None:
    text = TEMPLATE.replace("{{Maximum number of retry attempts}}", "3").replace(
        "{{Timeout duration}}", "as needed"
    )
    problems = assert_findings("failure-handling", text, [(20, 16)], kind=SPEC)
    assert problems[0].message == "the timeout is stated without a duration"


@pytest.mark.parametrize(
    "sentence",
    [
        "Failed calls are retried 3 times with exponential backoff; each call times out "
        "after 5 seconds.",
        "Payments are never retried. Requests time out after 800 ms.",
        "- **Failure handling**: circuit breaker with 3 retries; timeout of 2 s",
    ],
    ids=["retried-times-out", "never-time-out", "failure-handling-field"],
)
def test_prose_states_both(sentence: str) -> None:
    text = f"# Integration Points - Email\n\n## Error Handling\n\n{sentence}\n"
    assert_findings("failure-handling", text, [])


def test_prose_without_policy_or_duration_does_not_count() -> None:
    text = (
        "# Integration Points - Email\n\n## Error Handling\n\n"
        "We will think about retries and the timeout later.\n"
    )
    assert_findings("failure-handling", text, [(3, 1), (3, 1)])


def test_tables_state_retry_and_timeout() -> None:
    text = """\
# Integration Points - Email

### Failure Scenarios
| Scenario | Impact | Response | Retry Logic |
|----------|--------|----------|-------------|
| Network timeout | no response in 5 s | queue | 3 retries, exponential |
"""
    assert_findings("failure-handling", text, [])
    no_duration = text.replace("no response in 5 s", "degraded")
    assert_findings("failure-handling", no_duration, [(1, 1)])


def test_timeout_column_with_a_duration_passes() -> None:
    text = """\
# Integration Points - Email

| Integration | Timeout | Retry Policy |
|-------------|---------|--------------|
| SendGrid | 10 s | none, messages are queued |
"""
    assert_findings("failure-handling", text, [])


def test_missing_fields_are_reported_at_the_error_handling_section() -> None:
    text = "---\nid: x\n---\n\n## Overview\n\nText.\n\n## Error Handling and Recovery\n\nTBD.\n"
    assert_findings("failure-handling", text, [(9, 1), (9, 1)], kind=SPEC)


def test_other_document_kinds_are_not_checked() -> None:
    assert run_rule("failure-handling", "# Plan\n\nNothing here.\n") == []


@pytest.mark.parametrize("kind", BLANK_KINDS, ids=str)
def test_the_blank_templates_fire_at_their_retry_and_timeout_placeholders(kind: BlankKind) -> None:
    text = blank_template(kind)
    lines = text.splitlines()
    problems = run_rule("failure-handling", text, path=blank_path(kind))
    retry, timeout = problems
    assert lines[retry.line - 1].startswith(("- **Retry Strategy**:", "- **Retry Logic**:"))
    assert lines[timeout.line - 1].startswith("- **Timeout**:")
    for problem in problems:
        assert lines[problem.line - 1][problem.column - 1] in "{["


@pytest.mark.seeds
def test_raw_integration_template_fires_at_its_retry_and_timeout_fields(seeds: Path) -> None:
    problems = run_rule("failure-handling", seed_text(seeds, "004"))
    assert [(p.line, p.column) for p in problems] == [(259, 23), (269, 16)]


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_templates_are_read_as_integration_specs(seeds: Path, name: str) -> None:
    text = seed_text(seeds, name)
    problems = run_rule("failure-handling", text, kind=DocumentKind.INTEGRATION_SPEC)
    assert all(1 <= problem.line <= len(text.splitlines()) for problem in problems)
