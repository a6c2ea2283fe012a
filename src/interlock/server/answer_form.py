"""The interview page's form, read back: what a person typed for each question of the
round, and the batches it makes (answers and skips, all saved or none)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from interlock.interview.batch import AnswerBatch

__all__ = ["Typed", "answer_batches", "typed_answers"]


@dataclass(frozen=True, slots=True)
class Typed:
    """What a person typed for one question, kept to show again when not saved."""

    value: str = ""
    values: tuple[str, ...] = ()
    none: bool = False
    skip: bool = False
    reason: str = ""
    owner: str = ""


def typed_answers(form: FormData) -> dict[str, Typed]:
    """What the answers form holds, by question id (only the questions it showed)."""
    typed = {}
    for question_id in form.getlist("q"):
        if not isinstance(question_id, str):
            continue
        texts = [
            value.replace("\r\n", "\n")
            for value in form.getlist(f"a:{question_id}")
            if isinstance(value, str)
        ]
        typed[question_id] = Typed(
            value=texts[0].strip() if len(texts) == 1 else "",
            values=tuple(texts),
            none=form.get(f"none:{question_id}") == "1",
            skip=form.get(f"skip:{question_id}") == "1",
            reason=str(form.get(f"reason:{question_id}", "")).strip(),
            owner=str(form.get(f"owner:{question_id}", "")).strip(),
        )
    return typed


def answer_batches(
    typed: Mapping[str, Typed], kinds: Mapping[str, str]
) -> tuple[list[AnswerBatch], dict[str, str]]:
    """The batches to submit (answers and the first skips together, then skips with
    another reason each in a batch of their own), or the questions refused at once."""
    answers: list[tuple[str, Any]] = []
    skips: dict[tuple[str, str], list[str]] = {}
    refused = {}
    for question_id, given in typed.items():
        if given.skip:
            if not given.reason:
                refused[question_id] = "give a reason to skip this question"
            skips.setdefault((given.reason, given.owner), []).append(question_id)
        elif kinds.get(question_id) == "multi" and (given.values or given.none):
            answers.append((question_id, list(given.values)))
        elif given.value:
            answers.append((question_id, given.value))
    groups = list(skips.items()) or [(("", ""), [])]
    (reason, owner), first = groups[0]
    batches = [AnswerBatch(answers=tuple(answers), skips=tuple(first), reason=reason, owner=owner)]
    batches += [
        AnswerBatch(skips=tuple(ids), reason=why, owner=who) for (why, who), ids in groups[1:]
    ]
    return [batch for batch in batches if batch], refused
