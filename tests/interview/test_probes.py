"""Vague answers: one follow-up probe asking for the specifics."""

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.errors import AnswerError, BankError
from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank, parse_bank
from interlock.interview.compiled import compiled_bank
from interlock.interview.engine import Engine

_BANK = """\
name: probed
title: A bank that probes vague answers
phases:
  - {id: one, title: One}
vague:
  min_words: 4
  phrases: [standard, TBD, as usual, handle errors, n/a]
questions:
  - id: why
    phase: one
    kind: text
    prompt: Why is it needed?
    help: The pain today and who feels it.
  - id: note
    phase: one
    kind: text
    required: false
    prompt: Anything else?
  - id: terse
    phase: one
    kind: text
    detail: false
    prompt: A short name for it?
  - id: systems
    phase: one
    kind: entities
    prompt: Which systems?
    fields:
      - {name: name, required: true}
  - id: purpose
    phase: one
    for_each: systems
    kind: text
    prompt: "{name}: what do we rely on it for?"
"""


@cache
def _engine() -> Engine:
    return Engine(parse_bank(_BANK, name="probed"))


def _sheet() -> AnswerSheet:
    return AnswerSheet(name="orders", template="probed")


def _pending(engine: Engine, sheet: AnswerSheet) -> list[str]:
    return list(engine.state(sheet).pending)


@pytest.mark.parametrize(
    "answer",
    ["TBD", "standard", "We handle errors as usual", "n/a", "Saves time", "as usual, standard"],
)
def test_a_vague_answer_gets_one_probe_in_the_next_round(answer: str) -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", answer)
    round_ = engine.next_round(sheet)
    probe = next(view for view in round_.questions if view.id == "why#detail")
    assert probe.prompt == "More specifically, please: Why is it needed?"
    assert f"You answered \u201c{answer}\u201d" in probe.help
    assert "The pain today and who feels it." in probe.help  # what a good answer names
    data = probe.to_dict()
    other = next(view for view in round_.questions if view.id != "why#detail").to_dict()
    assert set(data) == set(other)
    assert (data["kind"], data["required"]) == ("text", True)
    assert not round_.complete


def test_the_probe_says_why_the_answer_is_vague() -> None:
    engine = _engine()
    short = engine.next_round(engine.answer(_sheet(), "why", "Saves time")).questions[0]
    assert "has only 2 words" in short.help
    phrase = engine.next_round(engine.answer(_sheet(), "why", "TBD")).questions[0]
    assert "leans on \u201cTBD\u201d" in phrase.help


@pytest.mark.parametrize(
    "answer",
    [
        "Checkout fails during monolith outages, which costs sales every week.",
        "We handle errors by retrying three times with backoff.",
    ],
)
def test_a_specific_answer_gets_no_probe(answer: str) -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", answer)
    assert "why#detail" not in _pending(engine, sheet)


def test_optional_and_terse_questions_are_not_probed() -> None:
    engine = _engine()
    sheet = engine.apply_answers(_sheet(), {"note": "No", "terse": "TBD"})
    assert {"note#detail", "terse#detail"}.isdisjoint(_pending(engine, sheet))


def test_answering_the_probe_settles_it_and_the_answer_reads_as_both_parts() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", "TBD")
    sheet = engine.answer(sheet, "why#detail", "Checkout stops whenever the monolith is down.")
    assert "why#detail" not in _pending(engine, sheet)
    resolved = engine.resolve(sheet)
    why = resolved.get("why")
    assert why is not None
    assert why.value == "TBD: Checkout stops whenever the monolith is down."
    assert sheet.answers["why"].value == "TBD"  # what was typed is kept as typed
    assert "why#detail" not in {item.id for item in resolved.open_questions}


def test_a_probe_answered_vaguely_again_is_not_probed_twice_and_stays_open() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", "TBD")
    sheet = engine.answer(sheet, "why#detail", "as usual")
    state = engine.state(sheet)
    assert not any(qid.startswith("why#") for qid in state.pending)
    assert "why#detail#detail" not in state.walk.by_id
    opened = {item.id: item for item in engine.resolve(sheet).open_questions}
    assert opened["why#detail"].reason == "still vague after one follow-up"


def test_skipping_the_probe_records_an_open_question() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", "TBD")
    sheet = engine.skip(sheet, "why#detail", reason="waiting for the business case", owner="Ana")
    opened = {item.id: item for item in engine.resolve(sheet).open_questions}
    assert opened["why#detail"].skipped
    assert (opened["why#detail"].owner, opened["why#detail"].reason) == (
        "Ana",
        "waiting for the business case",
    )
    assert opened["why#detail"].question == "More specifically, please: Why is it needed?"


def test_revising_the_answer_with_detail_retires_the_probe() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", "TBD")
    sheet = engine.answer(sheet, "why", "Checkout stops whenever the monolith is down.")
    assert "why#detail" not in _pending(engine, sheet)
    with pytest.raises(AnswerError, match="not vague"):
        engine.answer(sheet, "why#detail", "more")


def test_a_probe_of_a_question_that_never_probes_is_refused() -> None:
    engine = _engine()
    with pytest.raises(AnswerError, match="no follow-up for detail"):
        engine.answer(_sheet(), "terse#detail", "more")
    with pytest.raises(AnswerError, match="unknown question"):
        engine.answer(_sheet(), "nothing#detail", "more")


def test_per_entity_answers_get_their_own_probe() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "systems", [{"name": "Stripe"}, {"name": "Slack"}])
    sheet = engine.apply_answers(
        sheet,
        {
            "purpose@slack": "Posting order alerts to the support channel",
            "purpose@stripe": "standard",
        },
    )
    probes = [qid for qid in _pending(engine, sheet) if qid.endswith("#detail")]
    assert probes == ["purpose@stripe#detail"]
    view = engine.view(sheet, "purpose@stripe#detail")
    assert view.prompt == "More specifically, please: Stripe: what do we rely on it for?"
    assert view.entity == "Stripe"


def test_an_answers_file_may_list_the_probe_before_its_answer() -> None:
    engine = _engine()
    sheet = engine.apply_answers(
        _sheet(), {"why#detail": "Checkout stops when the monolith is down.", "why": "TBD"}
    )
    assert sheet.answers["why#detail"].value == "Checkout stops when the monolith is down."
    assert "why#detail" not in _pending(engine, sheet)


def test_a_probe_answer_whose_answer_became_specific_is_kept_as_inactive() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "why", "TBD")
    sheet = engine.answer(sheet, "why#detail", "Checkout stops when the monolith is down.")
    sheet = engine.answer(sheet, "why", "Checkout stops whenever the monolith is down.")
    state = engine.state(sheet)
    assert state.inactive == ("why#detail",)
    assert state.orphaned == ()


_WORDS = st.lists(
    st.sampled_from(["TBD", "standard", "as usual", "retry", "three", "times", "backoff", "daily"]),
    min_size=1,
    max_size=7,
).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(first=_WORDS, detail=_WORDS)
def test_a_vague_answer_gets_exactly_one_probe(first: str, detail: str) -> None:
    engine = _engine()
    rule = compiled_bank(engine.bank).vague
    sheet = engine.answer(_sheet(), "why", first)
    probes = [qid for qid in _pending(engine, sheet) if qid.startswith("why#")]
    assert probes == (["why#detail"] if rule.reason(first) else [])
    if probes:
        sheet = engine.answer(sheet, "why#detail", detail)
        assert not [qid for qid in _pending(engine, sheet) if qid.startswith("why")]


def test_the_built_in_bank_probes_required_text_answers() -> None:
    engine = Engine(load_bank("integration"))
    sheet = AnswerSheet(name="orders", template="integration")
    sheet = engine.answer(sheet, "problem.why", "As usual")
    assert "problem.why#detail" in engine.state(sheet).pending
    assert compiled_bank(engine.bank).vague.reason("handle errors") != ""


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("vague:\n  phrases: [TBD, tbd]\n", "vague phrase 'tbd' is listed twice"),
        ("vague:\n  phrases: ['...']\n", "vague phrase '...' has no words"),
        ("vague:\n  min_words: -1\n", "vague.min_words"),
    ],
)
def test_a_malformed_vague_block_is_refused_with_its_line(block: str, expected: str) -> None:
    text = _BANK.replace(
        "vague:\n  min_words: 4\n  phrases: [standard, TBD, as usual, handle errors, n/a]\n", block
    )
    with pytest.raises(BankError) as caught:
        parse_bank(text, path="probed.yaml", name="probed")
    assert expected in caught.value.message
    assert caught.value.line is not None


def test_detail_on_a_question_that_is_not_text_is_refused() -> None:
    text = _BANK.replace("    kind: entities\n", "    kind: entities\n    detail: true\n")
    with pytest.raises(BankError, match="only text answers are probed"):
        parse_bank(text, path="probed.yaml", name="probed")
