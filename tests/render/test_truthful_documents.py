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

import re
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from interlock.interview.engine import Engine
from interlock.render.documents import render_documents
from support.generated_answers import interviews

# A line that is about an open question: its entry in an Open Questions list or table,
# the pointer printed where the fact would go, or the summary's count of them.
_ABOUT_OPEN = re.compile(
    r"open question|\(owner: |^\*\*Context\*\*: |^\| [^|]*\| open \||not answered yet",
    re.IGNORECASE,
)
# The decision log numbers its entries; one fewer decision renumbers those after it.
# A skip is an answer given now: the dates of the last change move with it.
_RENUMBERED = re.compile(r"^#+ \d+\. |^updatedAt: |^\*\*(Last Updated|Date)\*\*: ")


def _render(sheet: AnswerSheet, bank: Bank) -> dict[str, str]:
    return {name: str(text) for name, text in render_documents(sheet, bank, author="Dana").items()}


def _new_statements(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Return the lines ``after`` adds to ``before`` that are not about an open question.

    A new heading counts as about an open question when the first line under it is.
    """
    added = []
    for name, text in after.items():
        had = set(before[name].splitlines())  # a line only moved is no new statement
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if line in had or not line.strip() or _about_open(line):
                continue
            if line.startswith("#") and _about_open(_next_text(lines, number)):
                continue
            added.append(f"{name}: {line}")
    return added


def _about_open(line: str) -> bool:
    return bool(_ABOUT_OPEN.search(line) or _RENUMBERED.match(line))


def _next_text(lines: list[str], number: int) -> str:
    return next((line for line in lines[number + 1 :] if line.strip()), "")


def _skippable(sheet: AnswerSheet) -> list[str]:
    """Return the ids whose skip must state nothing new.

    A probe's detail (``<id>#detail``) is left out: skipping it leaves the vague answer
    it probed, which is an answer the person gave.
    """
    return [
        question_id
        for question_id, answer in sheet.answers.items()
        if question_id != "systems" and "#" not in question_id and not answer.skipped
    ]


def test_skipping_any_question_of_the_order_interview_states_nothing_new(
    order_sheet: AnswerSheet, bank: Bank
) -> None:
    engine = Engine(bank)
    answered = _render(order_sheet, bank)
    problems = {}
    for question_id in _skippable(order_sheet):
        skipped = engine.skip(order_sheet, question_id, reason="waiting for the vendor")
        new = _new_statements(answered, _render(skipped, bank))
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
    candidates = _skippable(interview.sheet)
    if not candidates:
        return
    question_id = data.draw(st.sampled_from(candidates), label="skipped")
    skipped = Engine(bank).skip(interview.sheet, question_id, reason="waiting for the vendor")
    new = _new_statements(_render(interview.sheet, bank), _render(skipped, bank))
    assert not new, "\n".join(new)


_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _structure_problems(name: str, text: str) -> list[str]:
    """Return lines of ``text`` that Markdown would read otherwise than the template meant.

    A line of text right under a list item, without a blank line between and not
    indented, continues that item (a "lazy continuation"); a line right under a table
    row becomes a row of the table.
    """
    problems = []
    previous = ""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            previous = ""
            continue
        plain = line.strip() and not _LIST_ITEM.match(line) and not line.startswith(" ")
        if plain and _LIST_ITEM.match(previous) and not line.startswith(("#", "|", "<!--")):
            problems.append(f"{name}:{number}: text merges into the list item above: {line!r}")
        if plain and previous.startswith("|") and not line.startswith("|"):
            problems.append(f"{name}:{number}: text merges into the table above: {line!r}")
        previous = line
    return problems


def test_the_order_documents_keep_their_structure(order_sheet: AnswerSheet, bank: Bank) -> None:
    problems = [
        problem
        for name, text in _render(order_sheet, bank).items()
        for problem in _structure_problems(name, text)
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
        for name, text in _render(interview.sheet, bank).items()
        for problem in _structure_problems(name, text)
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
    assert _structure_problems("x.md", text)
