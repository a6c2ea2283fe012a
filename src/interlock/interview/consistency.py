"""What a bank's schema cannot say: unique ids, known phases, topics and questions, options.

Pydantic checks each field on its own; :func:`check_bank` checks how they fit
together, and names the line of the first problem when it is given a way to locate
one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from interlock.errors import BankError
from interlock.interview.schema import Bank, Option, Question
from interlock.safe_yaml import PathKey

Locate = Callable[[PathKey], int | None]
Fail = Callable[..., BankError]

_DEEP_OPTIONS = (2, 5)


def check_bank(bank: Bank, *, locate: Locate | None = None, path: Path | str | None = None) -> None:
    """Check what the schema alone cannot: unique ids, known phases and topics, options.

    Raises:
        BankError: the first problem, with its line when ``locate`` knows it.
    """

    def fail(message: str, where: PathKey, hint: str = "") -> BankError:
        line = locate(where) if locate is not None else None
        return BankError(message, path=path, line=line, hint=hint)

    _check_phases(bank, fail)
    phases = {phase.id for phase in bank.phases}
    topics = {topic.id for topic in bank.topics}
    seen_ids: set[str] = set()
    for index, question in enumerate(bank.questions):
        at: PathKey = ("questions", index)
        if question.id in seen_ids:
            raise fail(f"question id {question.id!r} is used twice", (*at, "id"))
        seen_ids.add(question.id)
        if question.phase not in phases:
            raise fail(
                f"question {question.id!r}: unknown phase {question.phase!r}",
                (*at, "phase"),
                hint=f"phases are {', '.join(phase.id for phase in bank.phases)}",
            )
        for topic in question.topics:
            if topic not in topics:
                raise fail(
                    f"question {question.id!r}: unknown topic {topic!r}",
                    (*at, "topics"),
                    hint=f"declare it under topics: ({', '.join(sorted(topics)) or 'none yet'})",
                )
        _check_question(question, at, fail)
    for index, signal in enumerate(bank.signals):
        for position, question_id in enumerate(signal.settled_by):
            if question_id not in seen_ids:
                raise fail(
                    f"signal {signal.id!r}: unknown question {question_id!r}",
                    ("signals", index, "settled_by", position),
                    hint=_close(question_id, seen_ids),
                )
    _check_unique((signal.id for signal in bank.signals), "signal", "signals", fail)
    _check_unique((topic.id for topic in bank.topics), "topic", "topics", fail)
    _check_checks(bank, seen_ids, fail)
    _check_vague(bank, fail)


def _check_checks(bank: Bank, known: set[str], fail: Fail) -> None:
    _check_unique((check.id for check in bank.checks), "check", "checks", fail)
    for index, check in enumerate(bank.checks):
        seen: set[str] = set()
        for position, question_id in enumerate(check.questions):
            where: PathKey = ("checks", index, "questions", position)
            if question_id not in known:
                raise fail(
                    f"check {check.id!r}: unknown question {question_id!r}",
                    where,
                    hint=_close(question_id, known),
                )
            if question_id in seen:
                raise fail(f"check {check.id!r}: question {question_id!r} is named twice", where)
            seen.add(question_id)


def _check_vague(bank: Bank, fail: Fail) -> None:
    seen: set[str] = set()
    for index, phrase in enumerate(bank.vague.phrases):
        words = tuple(vague_words(phrase))
        where: PathKey = ("vague", "phrases", index)
        if not words:
            raise fail(
                f"vague phrase {phrase!r} has no words",
                where,
                hint="a phrase is matched word by word; give letters or digits",
            )
        folded = " ".join(words)
        if folded in seen:
            raise fail(f"vague phrase {phrase!r} is listed twice", where)
        seen.add(folded)


def _check_phases(bank: Bank, fail: Fail) -> None:
    _check_unique((phase.id for phase in bank.phases), "phase", "phases", fail)
    closing_seen = False
    for index, phase in enumerate(bank.phases):
        if phase.closing:
            closing_seen = True
        elif closing_seen:
            raise fail(
                f"phase {phase.id!r} comes after the closing round",
                ("phases", index),
                hint="the closing phase must be the last one",
            )


def _check_unique(ids: Any, what: str, section: str, fail: Fail) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise fail(f"{what} id {item!r} is used twice", (section, index, "id"))
        seen.add(item)


def _check_question(question: Question, at: PathKey, fail: Fail) -> None:
    name = question.id
    if question.kind in ("choice", "multi"):
        _check_options(question.options, name, (*at, "options"), fail)
        if question.deep:
            low, high = _DEEP_OPTIONS
            if not low <= len(question.options) <= high:
                raise fail(
                    f"question {name!r}: a question with trade-offs offers {low} to {high} "
                    f"options, not {len(question.options)}",
                    (*at, "options"),
                )
            for position, option in enumerate(question.options):
                if not option.tradeoff:
                    raise fail(
                        f"question {name!r}: option {option.value!r} has no trade-off",
                        (*at, "options", position),
                        hint="when one option states its trade-off, every option does",
                    )
        if question.kind == "choice" and sum(o.recommended for o in question.options) > 1:
            raise fail(f"question {name!r}: more than one option is recommended", (*at, "options"))
    elif question.options:
        raise fail(
            f"question {name!r}: only choice and multi questions have options",
            (*at, "options"),
        )
    if question.kind == "entities":
        _check_fields(question, at, fail)
    elif question.fields:
        raise fail(f"question {name!r}: only entities questions have fields", (*at, "fields"))
    if question.detail is not None and question.kind != "text":
        raise fail(
            f"question {name!r}: only text answers are probed for detail",
            (*at, "detail"),
            hint="remove detail:, or make it a text question",
        )
    if question.kind != "number" and (
        question.unit or question.minimum is not None or question.maximum is not None
    ):
        raise fail(f"question {name!r}: unit, minimum and maximum belong to number questions", at)
    if (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum > question.maximum
    ):
        raise fail(f"question {name!r}: minimum is above maximum", (*at, "minimum"))


def _check_options(options: tuple[Option, ...], name: str, at: PathKey, fail: Fail) -> None:
    if len(options) < 2:
        raise fail(
            f"question {name!r}: a choice needs at least two options",
            at,
            hint="list them under options:, each with a value",
        )
    seen: set[str] = set()
    for position, option in enumerate(options):
        if option.value.casefold() in seen:
            raise fail(
                f"question {name!r}: option {option.value!r} is listed twice", (*at, position)
            )
        seen.add(option.value.casefold())
        if option.recommended and not option.reason:
            raise fail(
                f"question {name!r}: the recommended option {option.value!r} gives no reason",
                (*at, position),
                hint="say why in reason:",
            )


# A record is a dict, and Jinja reads ``entity.items`` as the dict method, not the field.
_DICT_METHODS = frozenset(name for name in dir(dict) if not name.startswith("_"))


def _check_fields(question: Question, at: PathKey, fail: Fail) -> None:
    fields = question.fields
    if not fields or fields[0].name != "name" or fields[0].kind != "text":
        raise fail(
            f"question {question.id!r}: the first field of an entities question is 'name' (text)",
            (*at, "fields"),
            hint="each record's name keys its per-entity questions",
        )
    if not fields[0].required:
        raise fail(f"question {question.id!r}: the 'name' field must be required", at)
    seen: set[str] = set()
    for position, field in enumerate(fields):
        where = (*at, "fields", position)
        if field.name in seen:
            raise fail(f"question {question.id!r}: field {field.name!r} is declared twice", where)
        seen.add(field.name)
        if field.name in _DICT_METHODS:
            raise fail(
                f"question {question.id!r}: {field.name!r} cannot name a field",
                where,
                hint="expressions would read the mapping's method of that name",
            )
        if field.kind in ("choice", "multi"):
            _check_options(field.options, f"{question.id}.{field.name}", (*where, "options"), fail)
        elif field.options:
            raise fail(f"question {question.id!r}: field {field.name!r} has options", where)


_WORD = re.compile(r"[^\W_]+(?:['’/.-][^\W_]+)*")


def vague_words(text: str) -> Iterator[str]:
    """Yield the words of ``text`` as vague phrases are matched: case-folded, whole."""
    for match in _WORD.finditer(text.casefold()):
        yield match[0]


def _close(word: str, known: set[str]) -> str:
    matches = difflib.get_close_matches(word, sorted(known), n=3)
    return f"did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""


__all__ = ["Locate", "check_bank", "vague_words"]
