"""The interview engine: validation, follow-ups, entities, rounds, depth, signals."""

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.errors import AnswerError
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.bank import Bank, Question, load_bank, load_bank_file, parse_bank
from interlock.interview.engine import Engine
from interlock.interview.values import entity_key
from interlock.interview.views import QuestionView, Round
from interlock.safe_yaml import load_yaml
from support.follow_ups import BREAKER_FOLLOW_UP, EXTERNAL_API_FOLLOW_UPS

FIXTURES = Path(__file__).parent / "fixtures"
INSTANCE_ID = re.compile(r"^[a-z][a-z0-9_.]*@[a-z0-9]+(-[a-z0-9]+)*$")
SYSTEMS = [
    {"name": "Stripe", "kind": "external-api", "owner": "Payments"},
    {"name": "SendGrid", "kind": "external-api"},
    {"name": "User Service", "kind": "internal-service", "owner": "Identity"},
    {"name": "Order Events", "kind": "queue"},
]

Answerer = Callable[[QuestionView], Any]


@cache
def _small() -> Engine:
    return Engine(load_bank_file(FIXTURES / "small.yaml"))


@cache
def _built_in() -> Engine:
    return Engine(load_bank("integration"))


@cache
def _fixture_answers() -> dict[str, Any]:
    text = (FIXTURES.parents[2] / "examples" / "order-service" / "answers.yaml").read_text(
        encoding="utf-8"
    )
    value = load_yaml(text).value
    assert isinstance(value, dict)
    return value


def _sheet(depth: str = "standard", template: str = "small") -> AnswerSheet:
    return AnswerSheet(name="orders", template=template, depth=depth)


def _answers(engine: Engine, sheet: AnswerSheet, values: dict[str, Any]) -> AnswerSheet:
    for question_id, value in values.items():
        sheet = engine.answer(sheet, question_id, value)
    return sheet


def _run(engine: Engine, sheet: AnswerSheet, answer: Answerer) -> tuple[AnswerSheet, list[Round]]:
    """Answer every round until the interview is complete; return the rounds asked."""
    rounds: list[Round] = []
    for _ in range(400):
        next_round = engine.next_round(sheet)
        if next_round.complete:
            assert next_round.questions == ()
            return sheet, rounds
        rounds.append(next_round)
        for view in next_round.questions:
            sheet = engine.answer(sheet, view.id, answer(view))
    raise AssertionError("the interview did not end")


def _generic(overrides: dict[str, Any] | None = None) -> Answerer:
    """Answer anything: the first option, one item, a plain text; ``overrides`` by base id."""

    def answer(view: QuestionView) -> Any:
        question = view.question
        if overrides and question.id in overrides:
            return overrides[question.id]
        kind = question.kind
        if kind == "choice":
            return question.options[0].value
        if kind == "multi":
            return [question.options[0].value]
        if kind == "number":
            return int(question.minimum or 0) + 1
        if kind == "boolean":
            return True
        if kind == "list":
            return ["one item"]
        if kind == "entities":
            return SYSTEMS
        return f"An answer to {view.id}"

    return answer


def _from_fixture(view: QuestionView) -> Any:
    answers = _fixture_answers()
    assert view.id in answers, f"the order-service answers lack {view.id}"
    return answers[view.id]


def _asked(rounds: list[Round]) -> list[str]:
    return [view.id for round_ in rounds for view in round_.questions]


# -- values: every kind, typed and as a person types it -----------------------------


@pytest.mark.parametrize(
    ("question_id", "given", "stored"),
    [
        ("intro.summary", "A payments gateway", "A payments gateway"),
        ("intro.summary", "  kept exactly, spaces too \n", "  kept exactly, spaces too \n"),
        ("intro.summary", 42, "42"),
        ("failure.mode", "retry", "retry"),
        ("failure.mode", "Retry with backoff", "retry"),
        ("failure.mode", " QUEUE ", "queue"),
        ("extra.formats", ["json", "xml"], ["json", "xml"]),
        ("extra.formats", "json, CSV", ["json", "csv"]),
        ("extra.formats", ["XML", "xml", "JSON"], ["xml", "json"]),
        ("intro.count", 7, 7),
        ("intro.count", "3", 3),
        ("intro.count", " 2.5 ", 2.5),
        ("intro.count", 0, 0),
        ("intro.enabled", True, True),
        ("intro.enabled", "yes", True),
        ("intro.enabled", "No", False),
        ("intro.enabled", "y", True),
        ("intro.enabled", 0, False),
        ("intro.tags", ["alpha", "beta"], ["alpha", "beta"]),
        ("intro.tags", "alpha\n beta \ngamma", ["alpha", "beta", "gamma"]),
        (
            "intro.tags",
            "github node id, etag, last synced at",
            ["github node id, etag, last synced at"],
        ),
        ("intro.tags", "one, with a comma\ntwo", ["one, with a comma", "two"]),
        ("intro.tags", ["x", 3], ["x", "3"]),
        ("intro.tags", "", []),
        (
            "systems",
            "Stripe, external-api, Payments\nUsers, Internal service",
            [
                {"name": "Stripe", "kind": "external-api", "owner": "Payments"},
                {"name": "Users", "kind": "internal-service", "owner": None},
            ],
        ),
        (
            "systems",
            "Stripe, owner=Payments, kind=Third-party API; Bus, queue",
            [
                {"name": "Stripe", "kind": "external-api", "owner": "Payments"},
                {"name": "Bus", "kind": "queue", "owner": None},
            ],
        ),
        (
            "systems",
            [{"name": "Stripe", "kind": "external-api"}],
            [{"name": "Stripe", "kind": "external-api", "owner": None}],
        ),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_values_are_normalised_to_one_stored_form(
    question_id: str, given: Any, stored: Any
) -> None:
    engine = _small()
    sheet = engine.answer(_sheet(), question_id, given, by="alice")
    answer = sheet.answers[question_id]
    assert answer.value == stored
    assert type(answer.value) is type(stored)
    assert answer.by == "alice"


@pytest.mark.parametrize(
    ("question_id", "given", "message", "hint"),
    [
        ("failure.mode", "retyr", "'retyr' is not an option", "fail-fast, retry, queue"),
        ("failure.mode", ["retry"], "expected one of fail-fast, retry, queue", ""),
        ("failure.mode", True, "expected one of fail-fast, retry, queue", ""),
        ("extra.formats", "json, yaml", "'yaml' is not an option", "json, xml, csv"),
        ("extra.formats", [], "choose at least one option", "json, xml, csv"),
        ("extra.formats", 3, "expected a list of options", "json, xml, csv"),
        ("intro.count", "three", "expected a number, got 'three'", "digits"),
        ("intro.count", True, "expected a number", ""),
        ("intro.count", "nan", "expected a number", ""),
        ("intro.count", float("inf"), "expected a finite number", ""),
        ("intro.count", 101, "101 is above the maximum of 100", ""),
        ("intro.count", "-1", "-1 is below the minimum of 0", ""),
        ("intro.enabled", "maybe", "expected yes or no", "yes/no"),
        ("intro.enabled", 2, "expected yes or no", ""),
        ("intro.summary", "   ", "an answer is required", "skip"),
        ("intro.summary", ["a"], "expected text, got a list", ""),
        ("intro.summary", True, "expected text, got a yes/no value", "quotes"),
        ("intro.summary", None, "expected text, got nothing", ""),
        ("intro.tags", {"a": 1}, "expected a list of texts", ""),
        ("intro.tags", [["nested"]], "list items must be text", ""),
        ("systems", [{"name": "Stripe", "kind": "api"}], "'api' is not an option", "external-api"),
        (
            "systems",
            [{"name": "S", "kind": "queue", "colour": "red"}],
            "unknown field 'colour'",
            "",
        ),
        ("systems", [{"kind": "queue"}], "record 1: the field 'name' is required", ""),
        ("systems", "Stripe, queue\nstripe!, queue", "'Stripe' and 'stripe!' are the same key", ""),
        ("systems", "Stripe, queue, Ops, extra", "too many values", "name, kind, owner"),
        ("systems", ["Stripe"], "expected a mapping of fields", "name, kind, owner"),
        ("systems", [], "give at least one record", ""),
    ],
    ids=lambda value: repr(value)[:30],
)
def test_wrong_values_are_refused_with_what_is_allowed(
    question_id: str, given: Any, message: str, hint: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        _small().answer(_sheet(), question_id, given)
    assert message in caught.value.message
    assert caught.value.message.startswith(question_id)
    assert hint in caught.value.hint


@pytest.mark.parametrize(
    ("question_id", "message", "hint"),
    [
        ("intro.sumary", "unknown question 'intro.sumary'", "did you mean intro.summary"),
        ("failure.attemps", "unknown question", "failure.attempts"),
        ("api.auth", "'api.auth' is asked once per entity", "api.auth@stripe"),
        ("api.auth@strpe", "no entity 'strpe' for 'api.auth'", "did you mean api.auth@stripe?"),
        ("intro.summary@stripe", "'intro.summary' is asked once, not per entity", ""),
        ("api.auth@stripe-x", "no entity 'stripe-x'", "sendgrid"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_unknown_question_ids_are_refused_with_close_matches(
    question_id: str, message: str, hint: str
) -> None:
    engine = _small()
    sheet = engine.answer(_sheet(), "systems", SYSTEMS)
    with pytest.raises(AnswerError) as caught:
        engine.answer(sheet, question_id, "api-key")
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_per_entity_questions_wait_for_their_records() -> None:
    with pytest.raises(AnswerError) as caught:
        _small().answer(_sheet(), "api.auth@stripe", "api-key")
    assert "once 'systems' names the entities" in caught.value.hint


def test_answers_for_another_bank_are_refused() -> None:
    with pytest.raises(AnswerError, match="are for the bank 'integration', not 'small'"):
        _small().next_round(_sheet(template="integration"))


def test_an_unknown_depth_is_refused() -> None:
    with pytest.raises(AnswerError, match="unknown interview depth 'deep'"):
        _small().next_round(_sheet(depth="deep"))


# -- conditions and revisions ----------------------------------------------------------


def test_a_follow_up_appears_and_disappears_as_its_answer_is_revised() -> None:
    engine = _small()
    sheet = _answers(engine, _sheet(), {"failure.mode": "retry"})
    assert "failure.attempts" in engine.state(sheet).pending

    sheet = engine.answer(sheet, "failure.attempts", 3)
    sheet = engine.answer(sheet, "failure.mode", "fail-fast")
    state = engine.state(sheet)
    assert "failure.attempts" not in state.pending
    assert state.inactive == ("failure.attempts",)
    assert sheet.answers["failure.attempts"].value == 3

    sheet = engine.answer(sheet, "failure.mode", "Retry with backoff")
    state = engine.state(sheet)
    assert "failure.attempts" not in state.pending
    assert state.inactive == ()
    assert state.walk.by_id["failure.attempts"].status == "answered"


def test_a_follow_up_is_never_asked_in_the_round_of_what_it_follows() -> None:
    bank = parse_bank(
        "name: t\ntitle: T\nphases:\n  - {id: one, title: One}\nquestions:\n"
        "  - {id: a.flag, phase: one, kind: boolean, prompt: Flag?}\n"
        "  - {id: a.why_not, phase: one, kind: text, when: 'not a_flag', prompt: Why not?}\n"
        "  - {id: a.more, phase: one, kind: text, prompt: More?}\n"
    )
    engine = Engine(bank)
    first = engine.next_round(_sheet(template="t"))
    assert [view.id for view in first.questions] == ["a.flag", "a.more"]
    assert first.progress.remaining == 2
    sheet = engine.answer(_sheet(template="t"), "a.flag", "no")
    assert [view.id for view in engine.next_round(sheet).questions] == ["a.why_not", "a.more"]


def test_revising_records_re_evaluates_the_per_entity_questions() -> None:
    engine = _small()
    sheet = _answers(
        engine,
        _sheet(),
        {"systems": SYSTEMS, "api.auth@stripe": "oauth2", "api.auth@sendgrid": "api-key"},
    )
    sheet = engine.answer(sheet, "api.scopes@stripe", "charges:write")
    renamed = [dict(SYSTEMS[0], name="Stripe Payments"), *SYSTEMS[1:3]]
    sheet = engine.answer(sheet, "systems", renamed)
    state = engine.state(sheet)
    assert set(state.inactive) == {"api.auth@stripe", "api.scopes@stripe"}
    assert "api.auth@stripe-payments" in state.pending
    assert sheet.answers["api.scopes@stripe"].value == "charges:write"

    no_longer_external = [dict(SYSTEMS[1], kind="internal-service"), SYSTEMS[0]]
    sheet = engine.answer(sheet, "systems", no_longer_external)
    state = engine.state(sheet)
    assert "api.auth@sendgrid" in state.inactive
    assert "service.protocol@sendgrid" in state.pending
    assert {"api.auth@stripe", "api.scopes@stripe"} <= set(state.walk.by_id)


# -- per-entity questions ---------------------------------------------------------------


def test_only_external_apis_get_the_external_api_questions() -> None:
    engine = _small()
    sheet = engine.answer(_sheet(), "systems", SYSTEMS)
    asked = engine.state(sheet).pending
    assert [qid for qid in asked if qid.startswith("api.")] == [
        "api.auth@stripe",
        "api.auth@sendgrid",
    ]
    assert [qid for qid in asked if qid.startswith("service.")] == ["service.protocol@user-service"]
    assert not [qid for qid in asked if qid.endswith("order-events")]
    assert all(INSTANCE_ID.match(qid) for qid in asked if "@" in qid)


def test_prompts_name_the_entity() -> None:
    engine = _small()
    sheet = _answers(engine, _sheet(), {"systems": SYSTEMS, "api.auth@stripe": "oauth2"})
    assert engine.view(sheet, "api.auth@sendgrid").prompt == "SendGrid: how do we authenticate?"
    assert engine.view(sheet, "api.scopes@stripe").prompt == "Stripe: which scopes do we need?"
    not_asked = engine.view(sheet, "api.scopes@sendgrid")
    assert not_asked.prompt == "SendGrid: which scopes do we need?"
    service = engine.view(sheet, "service.protocol@user-service")
    assert service.prompt == "User Service (owned by Identity): which protocol?"
    assert service.entity == "User Service"


def test_a_follow_up_applies_only_to_the_entity_whose_answer_calls_for_it() -> None:
    engine = _small()
    sheet = _answers(
        engine,
        _sheet(),
        {"systems": SYSTEMS, "api.auth@stripe": "oauth2", "api.auth@sendgrid": "api-key"},
    )
    pending = engine.state(sheet).pending
    assert "api.scopes@stripe" in pending
    assert "api.scopes@sendgrid" not in pending


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Stripe", "stripe"),
        ("Zürich Payments API", "zurich-payments-api"),
        ("{{ 7*7 }}", "7-7"),
        ("  --Orders DB v2--  ", "orders-db-v2"),
        ("東京", "e-" + "0" * 8),
    ],
    ids=["plain", "accents", "template", "punctuation", "no-ascii"],
)
def test_entity_keys_are_safe_in_yaml_and_on_a_command_line(name: str, key: str) -> None:
    found = entity_key(name)
    if key.startswith("e-0"):
        assert re.fullmatch(r"e-[0-9a-f]{8}", found)
        assert entity_key(name) == found
    else:
        assert found == key


# -- open questions ----------------------------------------------------------------------


def test_a_skipped_question_becomes_an_open_question_with_its_owner() -> None:
    engine = _small()
    sheet = engine.answer(_sheet(), "systems", SYSTEMS)
    sheet = engine.skip(
        sheet, "api.auth@stripe", reason="vendor contract not signed", owner="Dana (payments)"
    )
    opened = engine.resolve(sheet).open_questions
    skipped = [question for question in opened if question.skipped]
    assert len(skipped) == 1
    assert skipped[0].id == "api.auth@stripe"
    assert skipped[0].question == "Stripe: how do we authenticate?"
    assert (skipped[0].reason, skipped[0].owner) == (
        "vendor contract not signed",
        "Dana (payments)",
    )
    assert (skipped[0].phase, skipped[0].subject) == ("Two", "Stripe")
    state = engine.state(sheet)
    assert state.progress.skipped == 1
    # The questions that apply and wait for an answer are open too, as the documents say.
    unanswered = [question.id for question in opened if not question.skipped]
    assert unanswered == list(state.pending)
    assert {question.reason for question in opened if not question.skipped} == {"not answered yet"}
    assert "api.auth@stripe" not in state.pending
    assert {s.id: s.met for s in state.signals}["systems-known"] is False


def test_a_skipped_required_question_does_not_block_completion() -> None:
    engine = _small()
    sheet, _ = _run(engine, engine.skip(_sheet(), "intro.summary", reason="?"), _generic())
    assert engine.state(sheet).complete
    assert [o.id for o in engine.resolve(sheet).open_questions] == ["intro.summary"]


def test_an_answer_after_a_skip_closes_the_open_question() -> None:
    engine = _small()
    sheet = engine.skip(_sheet(), "intro.summary", owner="Bo")
    sheet = engine.answer(sheet, "intro.summary", "Now we know.")
    assert "intro.summary" not in [o.id for o in engine.resolve(sheet).open_questions]


# -- bank evolution ----------------------------------------------------------------------


def _evolved(bank: Bank) -> Bank:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  - id: extra.owner\n    phase: three\n    kind: text\n    prompt: Who owns the formats?\n",
        "  - id: extra.version\n    phase: three\n    kind: text\n    prompt: Which version?\n",
    )
    evolved = parse_bank(text)
    assert evolved.question("extra.owner") is None and bank.question("extra.owner") is not None
    return evolved


def test_resuming_with_a_changed_bank_asks_only_what_is_new() -> None:
    old = _small()
    sheet, _ = _run(old, _sheet(), _generic())
    assert old.state(sheet).complete
    new = Engine(_evolved(old.bank))
    state = new.state(sheet)
    assert state.pending == ("extra.version",)
    assert state.orphaned == ("extra.owner",)
    assert state.progress.orphaned == 1
    assert sheet.answers["extra.owner"].value == "An answer to extra.owner"
    sheet, rounds = _run(new, sheet, _generic())
    assert _asked(rounds) == ["extra.version"]
    assert "extra.owner" in sheet.answers


def test_an_answer_that_no_longer_fits_the_bank_is_asked_again_and_kept() -> None:
    engine = _small()
    sheet = _sheet().with_answer("failure.mode", Answer(value="pray"))
    state = engine.state(sheet)
    assert "failure.mode" in state.pending
    assert sheet.answers["failure.mode"].value == "pray"


# -- rounds, phases, depth ---------------------------------------------------------------


def test_rounds_hold_three_or_four_questions_in_phase_order() -> None:
    engine = _small()
    _, rounds = _run(engine, _sheet(depth="full"), _generic({"failure.mode": "retry"}))
    assert [[view.id for view in round_.questions] for round_ in rounds] == [
        ["intro.summary", "systems", "intro.count", "intro.enabled"],
        # The round ends where the entity changes once it has three questions.
        ["intro.tags", "api.auth@stripe", "api.auth@sendgrid"],
        # failure.attempts may follow failure.mode: phase three waits for it.
        ["service.protocol@user-service", "failure.mode"],
        ["failure.attempts", "extra.formats", "extra.note", "extra.owner"],
        ["wrap.notes"],
    ]


def test_the_built_in_interview_goes_phase_by_phase_in_rounds_of_three_or_four() -> None:
    engine = _built_in()
    _, rounds = _run(engine, _sheet(template="integration"), _from_fixture)
    phases = [phase.id for phase in engine.bank.phases]
    order = [phases.index(view.phase) for round_ in rounds for view in round_.questions]
    assert order == sorted(order)
    sizes = [len(round_.questions) for round_ in rounds]
    assert max(sizes) == 4
    assert sum(size >= 3 for size in sizes) >= 0.8 * len(sizes)


def test_per_entity_questions_are_asked_record_by_record() -> None:
    engine = _built_in()
    answers = _fixture_answers()
    design = {q.id for q in engine.bank.questions if q.phase == "design"}
    earlier = {k: v for k, v in answers.items() if k.partition("@")[0] not in design}
    sheet = engine.apply_answers(_sheet(template="integration"), earlier)
    sheet = _answers(engine, sheet, {"design.contract": "none", "data.schema_change": "none"})
    first = engine.next_round(sheet)
    assert [view.entity for view in first.questions] == ["Stripe"] * 4
    assert first.progress.phase_title == "Technical Design"
    for view in first.questions:
        sheet = engine.answer(sheet, view.id, answers[view.id])
    # Stripe has eight design questions: four in the first round, four in the second.
    second = engine.next_round(sheet)
    assert [view.entity for view in second.questions] == ["Stripe"] * 4
    for view in second.questions:
        sheet = engine.answer(sheet, view.id, answers[view.id])
    assert [view.entity for view in engine.next_round(sheet).questions] == ["SendGrid"] * 4


def test_progress_counts_answered_skipped_and_remaining() -> None:
    engine = _small()
    sheet = engine.answer(_sheet(), "intro.summary", "x")
    sheet = engine.skip(sheet, "intro.count")
    progress = engine.next_round(sheet).progress
    assert (progress.answered, progress.skipped) == (1, 1)
    assert progress.remaining == len(engine.state(sheet).pending)
    assert (progress.phase, progress.phases, progress.phase_id) == (1, 3, "one")


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        ("quick", ["intro.summary", "systems", "failure.mode", "api.auth@stripe", "wrap.notes"]),
        (
            "standard",
            [
                "intro.summary",
                "systems",
                "intro.count",
                "intro.enabled",
                "api.auth@stripe",
                "failure.mode",
                "extra.formats",
                "extra.note",
                "extra.owner",
                "wrap.notes",
            ],
        ),
        (
            "full",
            [
                "intro.summary",
                "systems",
                "intro.count",
                "intro.enabled",
                "intro.tags",
                "api.auth@stripe",
                "failure.mode",
                "extra.formats",
                "extra.note",
                "extra.owner",
                "wrap.notes",
            ],
        ),
    ],
)
def test_depth_changes_what_is_asked(depth: str, expected: list[str]) -> None:
    engine = _small()
    one_api = {"systems": [{"name": "Stripe", "kind": "external-api"}]}
    answer = _generic({**one_api, "failure.mode": "fail-fast", "api.auth": "api-key"})
    _, rounds = _run(engine, _sheet(depth=depth), answer)
    assert _asked(rounds) == expected


def test_answers_beyond_the_depth_are_kept_as_inactive() -> None:
    engine = _small()
    sheet = engine.answer(_sheet(depth="full"), "intro.tags", ["x"])
    quick = sheet.model_copy(update={"depth": "quick"})
    assert engine.state(quick).inactive == ("intro.tags",)


# -- the scriptable protocol ----------------------------------------------------------------


def test_the_protocol_has_exactly_the_documented_shape() -> None:
    engine = _small()
    sheet = _answers(
        engine,
        _sheet(),
        {"intro.summary": "x", "systems": SYSTEMS[:1], "intro.count": 1, "intro.enabled": True},
    )
    data = engine.next_round(sheet).to_dict()
    assert set(data) == {"complete", "questions", "progress", "signals", "contradictions"}
    assert data["contradictions"] == []
    assert data["complete"] is False
    question = data["questions"][0]
    assert set(question) == {
        "id", "phase", "prompt", "kind", "help", "required", "options", "fields",
        "suggestions",
    }  # fmt: skip
    assert question["suggestions"] == [], "the engine alone proposes nothing"
    assert question["id"] == "api.auth@stripe"
    assert question["prompt"] == "Stripe: how do we authenticate?"
    for option in question["options"]:
        assert set(option) == {"value", "label", "tradeoff", "recommended"}
    failure = next(q for q in data["questions"] if q["id"] == "failure.mode")
    retry = next(o for o in failure["options"] if o["value"] == "retry")
    assert retry == {
        "value": "retry",
        "label": "Retry with backoff",
        "tradeoff": "Rides out glitches; adds delay.",
        "recommended": True,
    }
    assert "Recommended: Retry with backoff. Most failures are brief." in failure["help"]
    assert set(data["progress"]) >= {"phase", "phases", "answered", "skipped", "remaining"}
    assert data["signals"] == [
        {"id": "systems-known", "label": "Which systems take part?", "met": False, "waived": False},
        {"id": "failures", "label": "How are failures handled?", "met": False, "waived": False},
    ]


def test_the_protocol_describes_entity_fields() -> None:
    data = _small().next_round(_sheet()).to_dict()
    systems = next(q for q in data["questions"] if q["id"] == "systems")
    assert [field["name"] for field in systems["fields"]] == ["name", "kind", "owner"]
    kind = systems["fields"][1]
    assert kind["kind"] == "choice"
    assert [option["value"] for option in kind["options"]] == [
        "external-api",
        "internal-service",
        "queue",
    ]


# -- answers files ----------------------------------------------------------------------------


def test_an_answers_file_is_applied_whatever_its_order() -> None:
    engine = _small()
    values = {"api.auth@stripe": "oauth2", "systems": SYSTEMS, "intro.count": "4"}
    sheet = engine.apply_answers(_sheet(), values, by="ci")
    assert sheet.answers["api.auth@stripe"].value == "oauth2"
    assert sheet.answers["intro.count"].value == 4
    assert sheet.answers["systems"].by == "ci"


def test_an_answers_file_can_skip_with_reason_and_owner() -> None:
    engine = _small()
    values = {"intro.count": {"skip": True, "reason": "load test pending", "owner": "Ops"}}
    sheet = engine.apply_answers(_sheet(), values)
    opened = engine.resolve(sheet).open_questions
    assert [(o.id, o.reason, o.owner) for o in opened if o.skipped] == [
        ("intro.count", "load test pending", "Ops")
    ]


def test_errors_in_an_answers_file_name_the_line_and_all_problems() -> None:
    text = "intro.summary: fine\nintro.count: lots\nfailure.mode: pray\nintro.sumary: x\n"
    document = load_yaml(text, path="answers.yaml")
    with pytest.raises(AnswerError) as caught:
        _small().apply_answers(_sheet(), document.value, path="answers.yaml", lines=document.lines)
    error = caught.value
    assert str(error).startswith("answers.yaml:2: intro.count: expected a number")
    assert "2 more" in error.hint
    assert "'pray' is not an option" in error.hint
    assert "unknown question 'intro.sumary'" in error.hint


def test_a_mapping_that_is_not_a_skip_is_refused() -> None:
    with pytest.raises(AnswerError, match="a mapping here means a skipped question"):
        _small().apply_answers(_sheet(), {"intro.summary": {"text": "x"}})


# -- hostile answers ----------------------------------------------------------------------------

HOSTILE = [
    "{{ 7*7 }} {% for x in y %}{{ x }}{% endfor %}",
    "<script>alert('x')</script><b>bold</b>",
    "# Heading\n\n| a | b |\n|---|---|\n- [ ] task\n```\ncode\n```",
    "x" * 50_000,
    "Ünïcödé 🚀 עברית العربية 中文 \u200b",
    "line\r\nbreaks\tand\x00nul",
    "---\nkey: value\n...",
]


@pytest.mark.parametrize(
    "text", HOSTILE, ids=["jinja", "html", "markdown", "long", "unicode", "controls", "yaml"]
)
def test_hostile_answers_are_stored_as_typed(text: str) -> None:
    engine = _small()
    sheet = engine.answer(_sheet(), "intro.summary", text)
    assert sheet.answers["intro.summary"].value == text
    sheet = engine.answer(sheet, "systems", [{"name": text, "kind": "external-api"}])
    assert sheet.answers["systems"].value[0]["name"] == text
    key = entity_key(text)
    assert INSTANCE_ID.match(f"api.auth@{key}")
    assert engine.view(sheet, f"api.auth@{key}").prompt == f"{text}: how do we authenticate?"


def test_an_entity_named_like_a_template_is_shown_as_typed_in_a_jinja_prompt() -> None:
    engine = _small()
    name = "{{ 7*7 }}"
    sheet = _answers(
        engine,
        _sheet(),
        {"systems": [{"name": name, "kind": "external-api"}], "api.auth@7-7": "oauth2"},
    )
    assert engine.view(sheet, "api.scopes@7-7").prompt == "{{ 7*7 }}: which scopes do we need?"


# -- the built-in integration bank ---------------------------------------------------------------


def _base_questions(rounds: list[Round]) -> list[str]:
    return [qid for qid in _asked(rounds) if "@" not in qid]


MINIMAL_PATH = {
    "problem.existing": "new",
    "design.contract": "none",
    "data.schema_change": "none",
}
MAXIMAL_PATH = {
    "problem.existing": "replace",
    "design.contract": "breaking",
    "data.schema_change": "existing",
}


@pytest.mark.parametrize(
    "answer",
    [
        _from_fixture,
        _generic(MINIMAL_PATH),
        _generic(MAXIMAL_PATH),
        _generic({"design.contract": "new"}),
    ],
    ids=["order-service", "fewest-follow-ups", "most-follow-ups", "new-contract"],
)
def test_a_standard_interview_asks_20_to_30_questions_before_per_system_ones(
    answer: Answerer,
) -> None:
    _, rounds = _run(_built_in(), _sheet(template="integration"), answer)
    assert 20 <= len(_base_questions(rounds)) <= 30


def test_quick_and_full_interviews_ask_fewer_and_more() -> None:
    counts = {}
    for depth in ("quick", "standard", "full"):
        _, rounds = _run(_built_in(), _sheet(depth, "integration"), _from_fixture)
        counts[depth] = len(_base_questions(rounds))
    assert counts["quick"] < 20 <= counts["standard"] <= 30 < counts["full"]


def test_each_named_system_gets_its_own_follow_ups() -> None:
    _, rounds = _run(_built_in(), _sheet(template="integration"), _from_fixture)
    asked = _asked(rounds)
    by_entity: dict[str, set[str]] = {}
    for qid in asked:
        if "@" in qid:
            base, key = qid.split("@")
            by_entity.setdefault(key, set()).add(base)
    external = EXTERNAL_API_FOLLOW_UPS | {
        "external.callbacks",
        "external.webhooks",
        "external.webhook_verification",
        "external.webhook_replay",
        "external.quotas",
        "external.residency",
        "external.sandbox_parity",
        "sync.direction",
    }
    # Stripe is critical (so its exit is planned) and records flow to it.
    stripe = {BREAKER_FOLLOW_UP, "external.exit", "sync.initial_load", "sync.reconciliation"}
    assert by_entity["stripe"] == external | stripe
    assert by_entity["sendgrid"] == external
    assert by_entity["user-service"] == {
        "service.calls",
        "service.communication",
        "service.failure",
        "sync.direction",
        "sync.initial_load",
        "sync.paging",
        "sync.ordering",
        "sync.reconciliation",
    }
    assert by_entity["rabbitmq"] == {
        "queue.topics",
        "queue.delivery",
        "queue.retry",
        "queue.dead_letter",
    }
    assert by_entity["orders-db"] == {"database.tables", "database.failure"}


def test_the_order_service_answers_complete_the_interview_with_every_signal_met() -> None:
    engine = _built_in()
    before = engine.state(_sheet(template="integration"))
    assert [signal.met for signal in before.signals] == [False] * 7
    for depth in ("quick", "standard", "full"):
        sheet = engine.apply_answers(_sheet(depth, "integration"), _fixture_answers())
        state = engine.state(sheet)
        assert state.complete, depth
        assert [signal.met for signal in state.signals] == [True] * 7, depth
        assert state.orphaned == ()
        if depth == "full":
            assert state.inactive == ()
            assert state.progress.answered == len(_fixture_answers())


def test_each_signal_is_unmet_until_the_answers_that_settle_it() -> None:
    engine = _built_in()
    sheet = _sheet(template="integration")
    met_after: dict[str, int] = {}
    for number in range(200):
        state = engine.state(sheet)
        for signal in state.signals:
            if signal.met:
                met_after.setdefault(signal.id, number)
            else:
                assert signal.id not in met_after, f"{signal.id} became unmet again"
        if state.complete:
            break
        for view in engine.next_round(sheet).questions:
            sheet = engine.answer(sheet, view.id, _from_fixture(view))
    assert set(met_after) == {signal.id for signal in engine.bank.signals}
    assert all(number > 0 for number in met_after.values())


def test_the_closing_round_recaps_the_decisions() -> None:
    engine = _built_in()
    answers = {k: v for k, v in _fixture_answers().items() if k != "closing.missed"}
    sheet = engine.apply_answers(_sheet(template="integration"), answers)
    round_ = engine.next_round(sheet)
    assert [view.id for view in round_.questions] == ["closing.missed"]
    assert round_.progress.phase_title == "Closing round"
    help_text = round_.questions[0].help
    assert "Decisions so far:" in help_text
    assert (
        "- Stripe: how should the wait between attempts grow? → Exponentially, with random "
        "jitter [external.retry_backoff@stripe]\n" in help_text
    )
    assert "- How will it reach production? → Deployed dark" in help_text
    decisions = engine.resolve(sheet).decisions
    failure = next(d for d in decisions if d.id == "external.failure@stripe")
    assert [option.label for option in failure.chosen] == [
        "Retry with exponential backoff",
        "A circuit breaker",
    ]
    assert failure.subject == "Stripe" and failure.phase == "Edge Cases"
    assert failure.follows_recommendation


def test_a_breaking_change_asks_for_a_migration_path_and_deprecation() -> None:
    engine = _built_in()
    sheet = engine.answer(_sheet(template="integration"), "design.contract", "breaking")
    pending = engine.state(sheet).pending
    assert {"design.endpoints", "compat.migration_path"} <= set(pending)
    assert "design.versioning" not in pending
    assert "compat.deprecation" not in pending  # its timeline is asked at full depth
    full = engine.answer(_sheet("full", "integration"), "design.contract", "breaking")
    assert "compat.deprecation" in engine.state(full).pending
    sheet = engine.answer(sheet, "design.contract", "compatible")
    pending = engine.state(sheet).pending
    assert "compat.migration_path" not in pending
    assert "design.endpoints" in pending


def test_a_schema_change_asks_for_a_migration_strategy() -> None:
    engine = _built_in()
    sheet = engine.answer(_sheet(template="integration"), "data.schema_change", "additive")
    pending = engine.state(sheet).pending
    assert "data.migration" in pending and "data.backfill" not in pending
    sheet = engine.answer(sheet, "data.schema_change", "existing")
    assert {"data.migration", "data.backfill"} <= set(engine.state(sheet).pending)


def test_retries_ask_for_attempts_and_backoff() -> None:
    engine = _built_in()
    systems = [{"name": "Stripe", "kind": "external-api"}]
    sheet = engine.answer(_sheet(template="integration"), "systems", systems)
    sheet = engine.answer(sheet, "external.failure@stripe", "fail-fast")
    assert "external.retry_attempts@stripe" not in engine.state(sheet).pending
    sheet = engine.answer(sheet, "external.failure@stripe", "Retry with exponential backoff")
    pending = engine.state(sheet).pending
    assert {"external.retry_attempts@stripe", "external.retry_backoff@stripe"} <= set(pending)
    view = engine.view(sheet, "external.retry_backoff@stripe")
    assert view.prompt == "Stripe: how should the wait between attempts grow?"


# -- random interviews -------------------------------------------------------------------------

_KINDS = ["external-api", "internal-service", "database", "queue", "file-transfer"]


def _value(question: Question) -> st.SearchStrategy[Any]:
    kind = question.kind
    words = st.text(min_size=1, max_size=20).filter(lambda text: bool(text.strip()))
    if kind == "choice":
        return st.sampled_from([option.value for option in question.options])
    if kind == "multi":
        values = [option.value for option in question.options]
        return st.lists(st.sampled_from(values), min_size=1, unique=True)
    if kind == "number":
        low = int(question.minimum) if question.minimum is not None else -1000
        high = int(question.maximum) if question.maximum is not None else 100_000
        return st.integers(low, high)
    if kind == "boolean":
        return st.booleans()
    if kind == "list":
        return st.lists(words, min_size=1, max_size=3)
    if kind == "entities":
        record = st.fixed_dictionaries(
            {"name": words, "kind": st.sampled_from(_KINDS)},
            optional={"owner": words},
        )
        return st.lists(record, min_size=1, max_size=5, unique_by=lambda r: entity_key(r["name"]))
    return words


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), depth=st.sampled_from(["quick", "standard", "full"]))
def test_random_valid_answers_always_end_the_interview(data: st.DataObject, depth: str) -> None:
    engine = _built_in()
    sheet = _sheet(depth, "integration")
    for _ in range(300):
        next_round = engine.next_round(sheet)
        if next_round.complete:
            break
        assert 1 <= len(next_round.questions) <= 4
        for view in next_round.questions:
            if data.draw(st.integers(0, 9)) == 0:
                sheet = engine.skip(sheet, view.id, reason="unknown", owner="someone")
            else:
                sheet = engine.answer(sheet, view.id, data.draw(_value(view.question)))
    else:
        raise AssertionError("the interview did not end")
    state = engine.state(sheet)
    assert state.complete and state.progress.remaining == 0
    assert all(signal.settled for signal in state.signals)
    opened = engine.resolve(sheet).open_questions
    # Besides the skipped questions, a probe answered as vaguely again stays open.
    assert len([item for item in opened if item.skipped]) == state.progress.skipped
    assert all(item.skipped or item.id.endswith("#detail") for item in opened)
