"""The interview is complete only when every signal is settled."""

from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank, parse_bank
from interlock.interview.engine import Engine
from interlock.interview.views import QuestionView

_BANK = """\
name: signalled
title: A bank with signals
phases:
  - {id: one, title: One}
  - {id: two, title: Two}
signals:
  - id: rollback
    label: How is it rolled back?
    settled_by: [rollback]
  - id: providers
    label: How do providers fail?
    settled_by: [provider.failure]
questions:
  - id: summary
    phase: one
    kind: choice
    prompt: New or replacing?
    options: [new, replace]
  - id: systems
    phase: one
    kind: entities
    required: false
    prompt: Which systems?
    fields:
      - {name: name, required: true}
  - id: rollback
    phase: two
    kind: choice
    prompt: How do we go back?
    options: [flag-off, redeploy]
  - id: provider.failure
    phase: two
    for_each: systems
    kind: choice
    prompt: "{name}: when it fails?"
    options: [retry, fail]
"""


@cache
def _engine() -> Engine:
    return Engine(parse_bank(_BANK, name="signalled"))


def _sheet() -> AnswerSheet:
    return AnswerSheet(name="orders", template="signalled")


def test_a_skip_without_a_reason_keeps_the_interview_open_and_is_asked_again() -> None:
    engine = _engine()
    sheet = engine.apply_answers(_sheet(), {"summary": "new", "systems": [{"name": "Pay"}]})
    sheet = engine.answer(sheet, "provider.failure@pay", "retry")
    sheet = engine.skip(sheet, "rollback")
    state = engine.state(sheet)
    assert state.pending == ()
    assert not state.complete
    assert state.reasked == ("rollback",)
    assert state.progress.remaining == 1
    round_ = engine.next_round(sheet)
    assert not round_.complete
    assert [view.id for view in round_.questions] == ["rollback"]
    assert "skipped without a reason" in round_.questions[0].help
    assert "\u201cHow is it rolled back?\u201d" in round_.questions[0].help
    sheet = engine.skip(sheet, "rollback", reason="depends on the platform team", owner="Bo")
    done = engine.next_round(sheet)
    assert done.complete and done.questions == ()
    by_id = {signal.id: signal for signal in done.signals}
    assert (by_id["rollback"].met, by_id["rollback"].waived) == (False, True)
    assert done.to_dict()["signals"][0] == {
        "id": "rollback",
        "label": "How is it rolled back?",
        "met": False,
        "waived": True,
    }


def test_a_signal_with_nothing_to_settle_is_met_once_nothing_is_pending() -> None:
    engine = _engine()
    sheet = engine.answer(_sheet(), "summary", "new")
    providers = {signal.id: signal for signal in engine.state(sheet).signals}["providers"]
    assert not providers.met  # the systems are not named yet
    sheet = engine.apply_answers(sheet, {"systems": [], "rollback": "redeploy"})
    state = engine.state(sheet)
    assert state.complete
    assert all(signal.met for signal in state.signals)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_interview_is_never_complete_with_a_signal_unsettled(data: st.DataObject) -> None:
    engine = _engine()
    sheet = _sheet()
    for _ in range(40):
        state = engine.state(sheet)
        if state.complete:
            break
        round_ = engine.next_round(sheet)
        assert round_.questions, "an interview that is not complete always asks something"
        for view in round_.questions:
            action = data.draw(st.sampled_from(["answer", "skip", "skip-with-reason"]))
            if action == "answer":
                value = (
                    data.draw(st.lists(st.sampled_from(["Pay", "Mail", "Ship"]), unique=True))
                    if view.question.kind == "entities"
                    else data.draw(st.sampled_from([o.value for o in view.question.options]))
                )
                if view.question.kind == "entities":
                    value = [{"name": name} for name in value]
                sheet = engine.answer(sheet, view.id, value)
            else:
                reason = "unknown until the contract is signed" if action != "skip" else ""
                sheet = engine.skip(sheet, view.id, reason=reason)
    state = engine.state(sheet)
    assert state.complete == (
        not state.pending and all(signal.met or signal.waived for signal in state.signals)
    )


def _generic(view: QuestionView) -> Any:
    question = view.question
    if question.kind == "choice":
        return question.options[0].value
    if question.kind == "multi":
        return [question.options[0].value]
    if question.kind == "number":
        return int(question.minimum or 0) + 1
    if question.kind == "boolean":
        return True
    if question.kind == "list":
        return ["one specific item"]
    if question.kind == "entities":
        return [{"name": "Pay", "kind": "external-api"}]
    return "A specific answer that names the details"


def test_the_built_in_interview_is_not_complete_at_six_of_seven_signals() -> None:
    engine = Engine(load_bank("integration"))
    sheet = AnswerSheet(name="orders", template="integration")
    for _ in range(100):
        round_ = engine.next_round(sheet)
        if round_.complete or not engine.state(sheet).pending:
            break
        for view in round_.questions:
            if view.id == "rollout.rollback":
                sheet = engine.skip(sheet, view.id)  # "don't know", and no reason given
            else:
                sheet = engine.answer(sheet, view.id, _generic(view))
    state = engine.state(sheet)
    assert sum(signal.settled for signal in state.signals) == len(state.signals) - 1
    assert not state.complete
    assert [view.id for view in engine.next_round(sheet).questions] == ["rollout.rollback"]
    sheet = engine.skip(sheet, "rollout.rollback", reason="the platform team decides", owner="Bo")
    state = engine.state(sheet)
    assert state.complete
    assert all(signal.settled for signal in state.signals)
