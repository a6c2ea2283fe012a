"""Contradictions between answers: the bank's checks, shown while interviewing."""

from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.errors import BankError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank, parse_bank
from interlock.interview.engine import Engine

PAY = {"name": "Pay", "kind": "external-api"}
EVENTS = {"name": "Events", "kind": "queue"}
POST = ["POST /v1/charges - charge a card", "GET /v1/charges/{id} - read a charge"]
SKIP = {"skip": True, "reason": "not known yet", "owner": "Dana"}


@cache
def _built_in() -> Engine:
    return Engine(load_bank("integration"))


def _found(values: dict[str, Any], depth: str = "full") -> set[str]:
    engine = _built_in()
    sheet = AnswerSheet(name="orders", template="integration", depth=depth)
    sheet = engine.apply_answers(sheet, values)
    return {found.id for found in engine.state(sheet).contradictions}


# Each check: answers that contradict each other, and the same answers made consistent.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "at-least-once-without-dedupe": (
        {
            "systems": [EVENTS],
            "queue.delivery@events": "at-least-once",
            "edge.duplicates": "harmless",
        },
        {"edge.duplicates": "processed-ids"},
    ),
    "at-most-once-with-redelivery": (
        {
            "systems": [EVENTS],
            "queue.delivery@events": "at-most-once",
            "queue.retry@events": "immediate",
        },
        {"queue.retry@events": "none"},
    ),
    "retried-writes-without-idempotency-key": (
        {
            "systems": [PAY],
            "external.failure@pay": ["retry"],
            "external.endpoints@pay": POST,
            "edge.duplicates": "natural",
        },
        {"edge.duplicates": "idempotency-keys"},
    ),
    "fail-fast-and-retry": (
        {"systems": [PAY], "external.failure@pay": ["fail-fast", "retry"]},
        {"external.failure@pay": ["fail-fast", "circuit-breaker"]},
    ),
    "fail-fast-but-completed-later": (
        {
            "systems": [PAY],
            "external.failure@pay": ["fail-fast"],
            "external.fallback@pay": "complete-later",
        },
        {"external.fallback@pay": "error"},
    ),
    "completed-later-without-queue": (
        {
            "systems": [PAY],
            "external.failure@pay": ["circuit-breaker"],
            "external.fallback@pay": "complete-later",
            "edge.partial_failure": "saga",
        },
        {"edge.partial_failure": "outbox"},
    ),
    "pull-but-webhooks": (
        {
            "systems": [PAY],
            "scope.direction": "pull",
            "external.webhooks@pay": "Yes: charge events to POST /hooks/pay, signed",
        },
        {"external.webhooks@pay": "No inbound calls"},
    ),
    "sandbox-testing-without-sandbox": (
        {"systems": [PAY], "testing.doubles": ["sandboxes"], "external.sandbox@pay": "none"},
        {"external.sandbox@pay": "sandbox"},
    ),
    "availability-capped-by-dependency": (
        {"systems": [PAY], "constraints.availability": "99.99", "external.fallback@pay": "error"},
        {"constraints.availability": "99.9"},
    ),
    "ramp-without-flag-or-steps": (
        {"rollout.strategy": "canary", "rollout.flag": SKIP, "rollout.phases": SKIP},
        {"rollout.flag": "checkout-v2, ramped 1%, 10%, 50%, 100% over a week"},
    ),
    "gradual-switch-all-at-once": (
        {
            "problem.existing": "replace",
            "rollout.strategy": "all-at-once",
            "rollout.parallel": "gradual",
        },
        {"rollout.parallel": "cutover"},
    ),
    "flag-rollback-without-flag": (
        {"rollout.rollback": "flag-off", "rollout.strategy": "blue-green", "rollout.flag": SKIP},
        {"rollout.flag": "checkout-v2 guards every new path; off from the flag dashboard"},
    ),
    "regulated-data-classed-low": (
        {"constraints.compliance": ["gdpr"], "constraints.data_class": "internal"},
        {"constraints.data_class": "restricted"},
    ),
}


def _with_gates(values: dict[str, Any]) -> dict[str, Any]:
    """Add the answers that make a system's webhook question apply, where the bank gates it."""
    if "external.webhooks@pay" in values and _built_in().bank.question("external.callbacks"):
        return {"external.callbacks@pay": True, **values}
    return values


def test_every_check_of_the_built_in_bank_has_a_case() -> None:
    assert {check.id for check in _built_in().bank.checks} == set(CASES)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_a_check_fires_on_contradicting_answers_and_not_on_consistent_ones(check_id: str) -> None:
    clashing, consistent = CASES[check_id]
    assert check_id in _found(_with_gates(clashing))
    assert check_id not in _found(_with_gates({**clashing, **consistent}))


def test_retried_reads_need_no_idempotency_key() -> None:
    clashing, _ = CASES["retried-writes-without-idempotency-key"]
    reads = {**clashing, "external.endpoints@pay": ["GET /v1/charges/{id} - read a charge"]}
    assert "retried-writes-without-idempotency-key" not in _found(reads)


def test_a_contradiction_waits_until_every_answer_it_reads_is_in() -> None:
    engine = _built_in()
    sheet = AnswerSheet(name="orders", template="integration", depth="full")
    sheet = engine.apply_answers(
        sheet, {"systems": [EVENTS], "queue.delivery@events": "at-least-once"}
    )
    assert engine.next_round(sheet).contradictions == ()  # edge.duplicates is not answered yet
    sheet = engine.answer(sheet, "edge.duplicates", "harmless")
    shown = engine.next_round(sheet).to_dict()["contradictions"]
    assert [item for item in shown if item["id"] == "at-least-once-without-dedupe"] == [
        {
            "id": "at-least-once-without-dedupe",
            "message": (
                "Events delivers at least once, so every message can arrive twice, but "
                "nothing stops a duplicate from taking effect twice. Choose idempotency keys "
                "or a store of processed ids, or confirm that handling any message twice has "
                "no effect."
            ),
            "questions": ["queue.delivery@events", "edge.duplicates"],
            "key": "events",
        }
    ]


def test_a_contradiction_left_standing_is_an_open_item_and_revising_clears_it() -> None:
    engine = _built_in()
    sheet = AnswerSheet(name="orders", template="integration", depth="full")
    clashing, consistent = CASES["at-least-once-without-dedupe"]
    sheet = engine.apply_answers(sheet, clashing)
    resolved = engine.resolve(sheet)
    assert [found.id for found in resolved.contradictions] == ["at-least-once-without-dedupe"]
    (item,) = resolved.contradiction_questions
    assert item.id == "check.at-least-once-without-dedupe@events"
    assert item.subject == "Events"
    assert item.phase == "Edge Cases"
    assert "queue.delivery@events, edge.duplicates" in item.reason
    assert item.question.startswith("Events delivers at least once")
    assert item.id not in {question.id for question in resolved.open_questions}
    revised = engine.apply_answers(sheet, consistent)
    assert engine.resolve(revised).contradictions == ()
    assert engine.resolve(revised).contradiction_questions == ()


# -- checks as bank data ---------------------------------------------------------------

_BANK = """\
name: checked
title: A bank with checks
phases:
  - {id: one, title: One}
questions:
  - id: systems
    phase: one
    kind: entities
    prompt: Which systems?
    fields:
      - {name: name, required: true}
      - name: kind
        kind: choice
        options: [api, queue]
  - id: mode
    phase: one
    kind: choice
    prompt: When a call fails?
    options: [retry, fail]
  - id: attempts
    phase: one
    kind: number
    prompt: How many attempts?
  - id: api.auth
    phase: one
    for_each: "systems | selectattr('kind', 'equalto', 'api')"
    kind: choice
    prompt: "{name}: how do we authenticate?"
    options: [key, none]
checks:
  - id: too-many-attempts
    when: "mode == 'retry' and attempts is not none and attempts > 3"
    questions: [mode, attempts]
    message: "Retrying {{ attempts }} times is too many."
  - id: open-api
    for_each: "systems | selectattr('kind', 'equalto', 'api')"
    when: "api_auth == 'none' and mode == 'retry'"
    questions: [api.auth, mode]
    message: "{name} takes anyone's calls, and we retry them."
"""


@cache
def _checked() -> Engine:
    return Engine(parse_bank(_BANK, name="checked"))


_SYSTEMS = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Alpha", "Beta", "Gamma", "Delta"]),
            "kind": st.sampled_from(["api", "queue"]),
        }
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda record: record["name"],
)


@settings(max_examples=60, deadline=None)
@given(
    systems=_SYSTEMS,
    mode=st.sampled_from(["retry", "fail", None]),
    attempts=st.one_of(st.none(), st.integers(-5, 10)),
    auths=st.lists(st.sampled_from(["key", "none", None]), min_size=4, max_size=4),
)
def test_a_check_fires_exactly_when_its_condition_holds(
    systems: list[dict[str, str]], mode: str | None, attempts: int | None, auths: list[str | None]
) -> None:
    engine = _checked()
    sheet = engine.answer(AnswerSheet(name="x", template="checked"), "systems", systems)
    # None stands for a skipped answer: a settled question with no value.
    for question_id, value in [("mode", mode), ("attempts", attempts)]:
        sheet = (
            engine.skip(sheet, question_id, reason="unknown")
            if value is None
            else engine.answer(sheet, question_id, value)
        )
    apis = [record for record in systems if record["kind"] == "api"]
    for record, auth in zip(apis, auths, strict=False):
        question_id = f"api.auth@{record['name'].lower()}"
        if auth is None:
            sheet = engine.skip(sheet, question_id, reason="unknown")
        else:
            sheet = engine.answer(sheet, question_id, auth)
    found = [(item.id, item.key) for item in engine.state(sheet).contradictions]
    expected = []
    if mode == "retry" and attempts is not None and attempts > 3:
        expected.append(("too-many-attempts", None))
    for record, auth in zip(apis, auths, strict=False):
        if auth == "none" and mode == "retry":
            expected.append(("open-api", record["name"].lower()))
    assert found == expected


def test_a_global_check_message_is_rendered_with_the_answers() -> None:
    engine = _checked()
    sheet = AnswerSheet(name="x", template="checked")
    sheet = engine.apply_answers(
        sheet, {"systems": [{"name": "Alpha", "kind": "queue"}], "mode": "retry", "attempts": 9}
    )
    (found,) = engine.state(sheet).contradictions
    assert (found.message, found.questions, found.key) == (
        "Retrying 9 times is too many.",
        ("mode", "attempts"),
        None,
    )


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("questions: [mode, attempts]", "questions: [mode, atempts]", "unknown question 'atempts'"),
        (
            "questions: [api.auth, mode]",
            "questions: [mode, mode]",
            "question 'mode' is named twice",
        ),
        (
            "for_each: \"systems | selectattr('kind', 'equalto', 'api')\"\n    when: \"api_auth",
            'when: "api_auth',
            "'api_auth' is asked per entity of 'systems'",
        ),
        ('attempts > 3"', 'attempts >"', "does not compile"),
        ('message: "{name} takes', 'message: "{nam} takes', "unknown placeholder {nam}"),
        ("mode == 'retry' and attempts", "entity and attempts", "'entity' is only defined"),
    ],
    ids=[
        "unknown-question",
        "named-twice",
        "per-entity-read-in-global",
        "syntax",
        "placeholder",
        "entity",
    ],
)
def test_a_malformed_check_names_the_file_line_and_check(
    replace: str, by: str, expected: str
) -> None:
    assert replace in _BANK
    with pytest.raises(BankError) as caught:
        parse_bank(_BANK.replace(replace, by, 1), path="checked.yaml", name="checked")
    assert expected in caught.value.message
    assert "check '" in caught.value.message
    assert caught.value.line is not None and caught.value.line > 30
