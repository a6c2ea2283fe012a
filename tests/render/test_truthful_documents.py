"""Every statement of the documents comes from an answer; a skipped question stays open.

The property: take a set of answers, render the documents, then skip one of its
questions ("don't know") and render again. Every line the second rendering has that the
first had nowhere must be about the open question (its entry under Open Questions, or a
pointer to it where the fact would go). Anything else (a default such as "Delivered in
one step.", a "no retry", a "priority: medium") would be a statement nobody made.

It is checked for every question of the order-service interview, and for answer sets
drawn by hypothesis (:mod:`support.generated_answers`), which answer round after round as
a person does. The rendered Markdown must also keep its structure: no text merged into
the list item above it, no stray heading.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from support.document_checks import new_statements, render, skippable, structure_problems
from support.generated_answers import interviews


def test_skipping_any_question_of_the_order_interview_states_nothing_new(
    order_sheet: AnswerSheet, bank: Bank
) -> None:
    engine = Engine(bank)
    answered = render(order_sheet, bank)
    problems = {}
    for question_id in skippable(order_sheet):
        skipped = engine.skip(order_sheet, question_id, reason="waiting for the vendor")
        new = new_statements(answered, render(skipped, bank))
        if new:
            problems[question_id] = new
    assert not problems, "\n".join(
        f"{question}: {line}" for question, lines in problems.items() for line in lines
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_skipping_any_question_of_any_interview_states_nothing_new(
    bank: Bank, data: st.DataObject
) -> None:
    interview = data.draw(interviews(bank, skip_chance=0.1))
    candidates = skippable(interview.sheet)
    if not candidates:
        return
    question_id = data.draw(st.sampled_from(candidates), label="skipped")
    skipped = Engine(bank).skip(interview.sheet, question_id, reason="waiting for the vendor")
    new = new_statements(render(interview.sheet, bank), render(skipped, bank))
    assert not new, "\n".join(new)


def test_the_order_documents_keep_their_structure(order_sheet: AnswerSheet, bank: Bank) -> None:
    problems = [
        problem
        for name, text in render(order_sheet, bank).items()
        for problem in structure_problems(name, text)
    ]
    assert not problems, "\n".join(problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_interview_renders_documents_that_keep_their_structure(
    bank: Bank, data: st.DataObject
) -> None:
    interview = data.draw(interviews(bank))
    problems = [
        problem
        for name, text in render(interview.sheet, bank).items()
        for problem in structure_problems(name, text)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "text",
    [
        "- an item\nmerged text\n",
        "| a | b |\n| --- | --- |\n| 1 | 2 |\nmerged row\n",
    ],
)
def test_the_structure_check_sees_merged_text(text: str) -> None:
    assert structure_problems("x.md", text)
