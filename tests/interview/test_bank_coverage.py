"""What a standard interview of the built-in bank covers, and how much it asks.

Every topic a senior integration engineer would not skip is asked at standard depth
when earlier answers make it relevant, and not otherwise; every question explains why
it matters; and the questions asked once stay within the seed's budget of 20 to 30.
The interviews are walked round by round, as ``interlock interview --next --json``
does (see ``question_budget``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from question_budget import FEWEST, MOST, ONE_SYSTEM, SCENARIOS, THREE_SYSTEMS, walk

from interlock.interview.bank import load_bank
from interlock.interview.schema import Bank

STRIPE = {"name": "Stripe", "kind": "external-api", "criticality": "critical"}
GITHUB = {"name": "GitHub", "kind": "external-api", "criticality": "high"}
ORDERS_DB = {"name": "Orders DB", "kind": "database", "criticality": "critical"}
EVENTS = {"name": "Order Events", "kind": "queue"}
USERS = {"name": "User Service", "kind": "internal-service"}


@cache
def _bank() -> Bank:
    return load_bank("integration")


_ASKED: dict[str, frozenset[str]] = {}


def asked(answers: Mapping[str, Any]) -> frozenset[str]:
    """The base ids a standard interview asks, answering ``answers`` and typically otherwise."""
    key = repr(sorted(answers.items()))
    if key not in _ASKED:
        walked = walk(_bank(), answers)
        _ASKED[key] = frozenset(question_id.partition("@")[0] for question_id in walked.asked)
    return _ASKED[key]


# One case per topic: the questions that settle it, answers that make it relevant, and
# answers that do not. Everything not named is answered typically (question_budget).
TOPIC_CASES: dict[str, tuple[set[str], dict[str, Any], dict[str, Any]]] = {
    "webhooks": (
        {"external.webhooks", "external.webhook_verification", "external.webhook_replay"},
        {"systems": [STRIPE], "external.callbacks": True},
        {"systems": [STRIPE], "external.callbacks": False},
    ),
    "two-way-sync": (
        {"sync.ordering", "sync.conflicts", "sync.echo"},
        {"systems": [GITHUB], "sync.direction": "two-way"},
        {"systems": [GITHUB], "sync.direction": "to-it"},
    ),
    "backfill": (
        {"sync.initial_load", "sync.paging"},
        {"systems": [USERS], "sync.direction": "to-it", "sync.initial_load": "before"},
        {"systems": [USERS], "sync.direction": "calls"},
    ),
    "reconciliation": (
        {"sync.reconciliation"},
        {"systems": [STRIPE], "sync.direction": "to-it"},
        {"systems": [STRIPE], "sync.direction": "calls"},
    ),
    "oauth": (
        {"external.oauth_scopes", "external.oauth_tokens", "external.oauth_revocation"},
        {"systems": [GITHUB], "external.auth": "oauth2"},
        {"systems": [GITHUB], "external.auth": "api-key"},
    ),
    "own-database-failure": (
        {"database.failure"},
        {"systems": [STRIPE, ORDERS_DB]},
        {"systems": [STRIPE]},
    ),
    "sandbox-parity": (
        {"external.sandbox_parity"},
        {"systems": [STRIPE], "external.sandbox": "test-mode"},
        {"systems": [STRIPE], "external.sandbox": "none"},
    ),
    "quotas": (
        {"external.quotas"},
        {"systems": [STRIPE]},
        {"systems": [ORDERS_DB, EVENTS]},
    ),
    "vendor-exit": (
        {"external.exit"},
        {"systems": [STRIPE]},
        {"systems": [{**STRIPE, "criticality": "low"}]},
    ),
    "data-residency": (
        {"external.residency"},
        {"systems": [STRIPE], "constraints.compliance": ["gdpr"]},
        {"systems": [STRIPE], "constraints.compliance": []},
    ),
    "pii-in-logs": (
        {"metrics.pii"},
        {"constraints.compliance": ["gdpr", "pci-dss"]},
        {"constraints.compliance": []},
    ),
    "tracing": (
        {"metrics.tracing"},
        {"systems": [STRIPE, EVENTS], "scope.pattern": "request-reply"},
        {"systems": [STRIPE], "scope.pattern": "request-reply"},
    ),
}


@pytest.mark.parametrize("topic", sorted(TOPIC_CASES))
def test_each_topic_is_asked_at_standard_depth_only_when_the_answers_make_it_relevant(
    topic: str,
) -> None:
    questions, relevant, irrelevant = TOPIC_CASES[topic]
    assert questions <= asked(relevant), f"{topic}: not asked where it matters"
    assert not questions & asked(irrelevant), f"{topic}: asked where it does not matter"


@pytest.mark.parametrize("topic", sorted(TOPIC_CASES))
def test_the_questions_that_settle_a_topic_name_it(topic: str) -> None:
    questions, _, _ = TOPIC_CASES[topic]
    by_id = {question.id: question for question in _bank().questions}
    for question_id in questions:
        assert topic in by_id[question_id].topics, question_id


def test_every_topic_of_the_bank_is_settled_by_a_question_a_standard_interview_asks() -> None:
    by_topic: dict[str, set[str]] = {}
    for question in _bank().questions:
        for topic in question.topics:
            by_topic.setdefault(topic, set()).add(question.id)
    assert set(by_topic) == {topic.id for topic in _bank().topics}
    everything = {
        "systems": [STRIPE, GITHUB, ORDERS_DB, EVENTS, USERS],
        "constraints.compliance": ["gdpr"],
        "external.auth": "oauth2",
        "sync.direction": "two-way",
        "sync.initial_load": "before",
        "external.sandbox": "sandbox",
        "data.schema_change": "existing",
        "design.contract": "breaking",
        "problem.existing": "replace",
    }
    questions_asked = asked(everything)
    for topic, questions in by_topic.items():
        assert questions & questions_asked, f"no question on {topic} is asked at standard depth"


# -- help text ------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


@pytest.mark.parametrize("question", _bank().questions, ids=lambda question: question.id)
def test_every_question_has_help_that_says_why_it_matters(question: Any) -> None:
    help_words = _words(question.help)
    prompt_words = _words(question.prompt)
    assert len(help_words) >= 12, f"{question.id}: help is missing or a few words only"
    assert help_words != prompt_words, f"{question.id}: help repeats the prompt"
    assert " ".join(prompt_words) not in " ".join(help_words), (
        f"{question.id}: help quotes the prompt"
    )
    assert len(set(help_words) - set(prompt_words)) >= 8, f"{question.id}: help adds nothing"


# -- the budget of questions asked once -------------------------------------------------


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_standard_interview_asks_20_to_30_questions_before_per_system_ones(
    scenario: str,
) -> None:
    walked = walk(_bank(), SCENARIOS[scenario])
    assert 20 <= len(walked.base) <= 30, walked.base


@settings(max_examples=25, deadline=None)
@given(
    extremes=st.sampled_from([FEWEST, MOST]),
    systems=st.lists(
        st.sampled_from([STRIPE, GITHUB, ORDERS_DB, EVENTS, USERS]),
        unique_by=lambda system: system["name"],
        min_size=1,
        max_size=5,
    ),
    pattern=st.sampled_from(["request-reply", "async-queue", "events", "batch"]),
    compliance=st.lists(st.sampled_from(["gdpr", "pci-dss", "hipaa", "sox", "soc2"]), unique=True),
)
def test_no_answer_set_asks_more_than_30_questions_once(
    extremes: dict[str, Any], systems: list[dict[str, Any]], pattern: str, compliance: list[str]
) -> None:
    answers = {
        **extremes,
        "systems": systems,
        "scope.pattern": pattern,
        "constraints.compliance": compliance,
    }
    walked = walk(_bank(), answers)
    assert len(walked.base) <= 30, walked.base


def test_per_system_questions_grow_with_what_each_system_does() -> None:
    plain = walk(_bank(), {**FEWEST, "systems": ONE_SYSTEM, "external.callbacks": False})
    webhooks = walk(_bank(), {**FEWEST, "systems": ONE_SYSTEM, "external.callbacks": True})
    three = walk(_bank(), {**FEWEST, "systems": THREE_SYSTEMS, "external.callbacks": True})
    assert len(webhooks.per_system) == len(plain.per_system) + 3
    assert len(three.per_system) > len(webhooks.per_system)


@pytest.mark.parametrize("question", _bank().questions, ids=lambda question: question.id)
def test_no_prompt_tells_how_to_answer(question: Any) -> None:
    # A prompt becomes the decision's title in the documents; how to pick (one or
    # several options) is each front end's to say, in its own words.
    assert not re.search(
        r"\b(pick|choose|select|tick) (one|all|any|several)\b", question.prompt, re.I
    )
