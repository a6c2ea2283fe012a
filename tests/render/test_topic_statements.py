"""The documents state each new topic where a reviewer looks for it, and only from answers.

Webhook verification sits under security, personal data in logs and tracing under
monitoring, syncing under data mapping; a skipped topic is an open question in those
places and in the open questions, never a decision; a topic that does not apply is
not mentioned at all.
"""

from __future__ import annotations

from typing import Any

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank, load_bank
from interlock.interview.engine import Engine
from interlock.render.documents import render_documents

GITHUB = {"name": "GitHub", "kind": "external-api", "criticality": "high"}
ANSWERS: dict[str, Any] = {
    "systems": [GITHUB, {"name": "Tracker DB", "kind": "database"}],
    "scope.pattern": "request-reply",
    "constraints.compliance": ["gdpr"],
    "constraints.data_class": "restricted",
    "external.callbacks@github": True,
    "external.webhooks@github": "issues events to POST /webhooks/github",
    "external.webhook_verification@github": "signature",
    "external.webhook_replay@github": "window-and-ids",
    "external.auth@github": "oauth2",
    "external.oauth_scopes@github": ["repo: read and write issues"],
    "external.oauth_tokens@github": "refresh-ahead",
    "external.oauth_revocation@github": "disconnect",
    "sync.direction@github": "two-way",
    "sync.conflicts@github": "field-owner",
    "sync.echo@github": "origin-marker",
    "database.failure@tracker-db": "refuse",
    "metrics.pii": "allow-list",
    "metrics.tracing": "correlation-id",
}
VERIFICATION = "We check its signature over the raw body with a shared secret (HMAC)"
PII = "Structured logging that writes only fields on an allow-list"
TRACING = "A correlation id we create, pass along and log everywhere"
CONFLICTS = "Each field has one owning side, whose value always wins"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank("integration")


def _documents(bank: Bank, answers: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, str]:
    engine = Engine(bank)
    sheet = engine.apply_answers(AnswerSheet(name="tracker", depth="standard"), answers)
    for question_id in skip:
        sheet = engine.skip(sheet, question_id, reason="asking the vendor", owner="Ana")
    return render_documents(sheet, bank, author="Dana Ortiz")


def _section(text: str, title: str) -> str:
    """Return the level-2 section ``title`` of a document, up to the next one."""
    parts = text.split("\n## ")
    found = [part for part in parts if part.split("\n", 1)[0].strip() == title]
    assert len(found) == 1, f"no single section {title!r}"
    return found[0]


def test_answered_topics_are_stated_in_the_sections_a_reviewer_reads(bank: Bank) -> None:
    documents = _documents(bank, ANSWERS)
    spec = documents["integration-spec.md"]
    security = _section(spec, "Security Considerations")
    assert f"**Signature Verification**: {VERIFICATION}" in security
    assert "**Replay and Clock Skew**: Refuse timestamps outside a tolerance window" in security
    assert "**OAuth Scopes (GitHub)**: repo: read and write issues" in security
    assert "**Revocation and Uninstall (GitHub)**: Mark the connection disconnected" in security
    monitoring = _section(spec, "Monitoring and Logging")
    assert f"**Personal Data in Logs and Traces**: {PII}" in monitoring
    assert f"**How a Request Is Followed**: {TRACING}" in monitoring
    assert f"**Conflicting Changes**: {CONFLICTS}" in _section(
        spec, "Data Mapping and Transformation"
    )
    assert "Tracker DB fails | Database" in spec
    assert "New work is refused with an error" in _section(spec, "Error Handling and Recovery")

    summary = documents["interview-summary.md"]
    dependencies = _section(summary, "1. External Dependencies")
    assert f"**Webhook signature verification**: {VERIFICATION}" in dependencies
    assert f"**Conflicting changes**: {CONFLICTS}" in dependencies
    assert f"**Tracing across systems**: {TRACING}" in _section(
        summary, "10. Monitoring Integration Health"
    )
    points = documents["integration-points.md"]
    assert f"**Webhook Signature Verification**: {VERIFICATION}" in _section(
        points, "External System Integrations"
    )
    assert f"**Personal Data in Logs and Traces**: {PII}" in _section(
        points, "Performance and Scalability"
    )
    plan = documents["plan.md"]
    assert "Forged or replayed webhook" in plan
    assert "Access revoked or app uninstalled" in plan


@pytest.mark.parametrize(
    ("question_id", "decided", "where"),
    [
        (
            "external.webhook_verification@github",
            VERIFICATION,
            ("integration-spec.md", "Security Considerations", "**Signature Verification**"),
        ),
        (
            "metrics.pii",
            PII,
            ("integration-spec.md", "Monitoring and Logging", "**Personal Data in Logs"),
        ),
        (
            "metrics.tracing",
            TRACING,
            ("interview-summary.md", "10. Monitoring Integration Health", "**Tracing across"),
        ),
        (
            "sync.conflicts@github",
            CONFLICTS,
            ("integration-spec.md", "Data Mapping and Transformation", "**Conflicting Changes**"),
        ),
    ],
)
def test_a_skipped_topic_is_open_where_it_would_be_stated_and_decided_nowhere(
    bank: Bank, question_id: str, decided: str, where: tuple[str, str, str]
) -> None:
    documents = _documents(bank, ANSWERS, skip=(question_id,))
    document, title, label = where
    line = next(line for line in _section(documents[document], title).splitlines() if label in line)
    assert "open question, see [" in line
    for text in documents.values():
        assert decided not in text
    prompt = (
        Engine(bank)
        .view(Engine(bank).apply_answers(AnswerSheet(name="tracker"), ANSWERS), question_id)
        .prompt
    )
    assert f"- {prompt} (owner: Ana, reason: asking the vendor)" in documents["integration-spec.md"]


def test_topics_that_do_not_apply_are_not_mentioned(bank: Bank) -> None:
    answers = {
        **{key: value for key, value in ANSWERS.items() if "@" not in key},
        "systems": [GITHUB],
        "constraints.compliance": [],
        "constraints.data_class": "internal",
        "external.callbacks@github": False,
        "external.auth@github": "api-key",
        "sync.direction@github": "calls",
    }
    documents = _documents(bank, answers)
    for text in documents.values():
        for absent in (
            "Signature Verification",
            "signature verification",
            "Personal Data in Logs",
            "Personal data in logs",
            "Tracing Across Systems",
            "Tracing across systems",
            "Conflicting",
            "OAuth Scopes",
            "Forged or replayed webhook",
        ):
            assert absent not in text, absent
