"""Answers as written (:class:`Written`): each kind takes the text or what it reads as."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from interlock.errors import AnswerError
from interlock.interview.schema import EntityField, Option, Question
from interlock.interview.values import Written, normalise_answer


def _question(kind: str, **extra: Any) -> Question:
    return Question(id="q", phase="p", prompt="Q?", kind=kind, **extra)  # type: ignore[arg-type]


CHOICES = (Option(value="1e3"), Option(value="yes"), Option(value="new"))
FIELDS = (EntityField(name="name", kind="text"),)


@pytest.mark.parametrize(
    ("question", "written", "stored"),
    [
        (_question("text"), Written("012", 12), "012"),
        (_question("text"), Written("1e3", 1000.0), "1e3"),
        (_question("text"), Written("yes", True), "yes"),
        (_question("text"), Written('"quoted"', "quoted"), '"quoted"'),
        (_question("text"), Written("[1, 2]", [1, 2]), "[1, 2]"),
        (_question("choice", options=CHOICES), Written("1e3", 1000.0), "1e3"),
        (_question("choice", options=CHOICES), Written("yes", True), "yes"),
        (_question("choice", options=CHOICES), Written('"new"', "new"), "new"),
        (
            _question("multi", options=CHOICES),
            Written('["new", "yes"]', ["new", "yes"]),
            ["new", "yes"],
        ),
        (_question("number"), Written("1e3", 1000.0), 1000.0),
        (_question("number"), Written('"3"', "3"), 3),
        (_question("boolean"), Written("true", True), True),
        (_question("list"), Written('["a", "b"]', ["a", "b"]), ["a", "b"]),
    ],
    ids=[
        "text-leading-zero",
        "text-exponent",
        "text-yes",
        "text-json-string",
        "text-json-list",
        "choice-number",
        "choice-yes",
        "choice-json-string",
        "multi-json-list",
        "number",
        "number-json-string",
        "boolean",
        "list-json-list",
    ],
)
def test_each_kind_takes_the_text_or_what_it_reads_as(
    question: Question, written: Written, stored: Any
) -> None:
    value = normalise_answer(question, written)
    assert value == stored
    assert type(value) is type(stored)


def test_what_is_stored_is_never_the_written_wrapper() -> None:
    value = normalise_answer(_question("text"), Written("012", 12))
    assert type(value) is str
    assert yaml.safe_dump(value) == "'012'\n"


@pytest.mark.parametrize(
    ("question", "written", "words"),
    [
        (_question("number"), Written('"soon"', "soon"), "expected a number"),
        (_question("list"), Written("012", 10), "expected a list of texts, got the number 10"),
        (_question("entities", fields=FIELDS), Written("3", 3), "expected a list of records"),
    ],
    ids=["number-given-text", "list-given-a-number", "entities-given-a-number"],
)
def test_other_kinds_refuse_what_they_read_as_the_wrong_kind(
    question: Question, written: Written, words: str
) -> None:
    with pytest.raises(AnswerError, match=re.escape(words)):
        normalise_answer(question, written)


_ITEM = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
).filter(str.strip)


@given(st.lists(_ITEM, min_size=1, max_size=8))
def test_a_list_written_one_item_per_line_keeps_each_item_whole(items: list[str]) -> None:
    """A comma belongs to its item: only line breaks separate the items of a list."""
    stored = normalise_answer(_question("list"), "\n".join(items))
    assert stored == [item.strip() for item in items]
