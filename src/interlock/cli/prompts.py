"""The terminal front end of the interview: one question asked as a person expects.

Choices show their trade-off and the recommended option; ``?`` (or the "Help" entry)
shows the question's help; "Don't know" skips the question, asking why and who will
find out, and the question becomes an open question in the documents. Prompts read
and write through the given prompt_toolkit input and output, so tests can drive them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output

from interlock.interview.schema import EntityField, Option
from interlock.interview.views import QuestionView

HELP = "?"
SKIP = "-"
TYPE_OWN = "="
MAX_SHOWN = 200
"""Suggestions shown at once in a checkbox; a longer list is narrowed by a filter."""
_HELP_CHOICE = "__help__"
_SKIP_CHOICE = "__skip__"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the person answered: a value, or a skip with its reason and owner."""

    value: Any = None
    skipped: bool = False
    reason: str = ""
    owner: str = ""


class Asker:
    """Asks questions in a terminal (or through test pipes)."""

    def __init__(self, *, input: Input | None = None, output: Output | None = None) -> None:
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    def ask(self, view: QuestionView, say: Any) -> Reply:
        """Ask ``view`` until the person gives an answer or skips; Ctrl-C propagates."""
        kind = view.question.kind
        while True:
            if kind in ("choice", "boolean"):
                reply = self._choose(view)
            elif kind == "multi":
                reply = self._multi(view)
            elif kind == "entities":
                reply = self._entities(view, say)
            elif kind == "list" and view.suggestions:
                reply = self._suggested(view, say)
            else:
                reply = self._text(view)
            if reply is None:
                say(view.help or "No more help for this question.")
                continue
            return reply

    def confirm(self, question: str) -> bool:
        """Ask a yes/no ``question`` whose safe answer, and the default, is no."""
        return bool(questionary.confirm(question, default=False, **self._io).unsafe_ask())

    def _suggested(self, view: QuestionView, say: Any) -> Reply | None:
        """Offer what research proposes: filter it, tick what applies, or type instead."""
        offered = view.suggestions
        say(
            f"  Research proposes {len(offered)} (from {offered[0].source}); tick those that apply."
        )
        while True:
            query = questionary.text(
                f"{view.prompt} (filter by tag, /path prefix or words; empty for all; "
                "= to type your own; ? help, - don't know)",
                **self._io,
            ).unsafe_ask()
            stripped = query.strip()
            if stripped == HELP:
                return None
            if stripped == SKIP:
                return self._skip()
            if stripped == TYPE_OWN:
                return self._text(view)
            matching = [suggestion for suggestion in offered if suggestion.matches(stripped)]
            if not matching:
                say("  None matches; try another filter.")
                continue
            if len(matching) > MAX_SHOWN:
                say(f"  {len(matching)} match; showing the first {MAX_SHOWN}: narrow the filter.")
            choices = [
                questionary.Choice(suggestion.value, value=suggestion.value)
                for suggestion in matching[:MAX_SHOWN]
            ]
            picked = questionary.checkbox(view.prompt, choices=choices, **self._io).unsafe_ask()
            if picked:
                return Reply(list(picked))
            say("  Nothing ticked; filter again, or = to type your own.")

    def _text(self, view: QuestionView) -> Reply | None:
        hint = {"list": "comma-separated", "number": view.question.unit or "a number"}.get(
            view.question.kind, ""
        )
        suffix = f" ({hint}; ? help, - don't know)" if hint else " (? help, - don't know)"
        text = questionary.text(view.prompt + suffix, **self._io).unsafe_ask()
        stripped = text.strip()
        if stripped == HELP:
            return None
        if stripped == SKIP:
            return self._skip()
        if view.question.kind == "list":
            return Reply([item.strip() for item in text.split(",") if item.strip()])
        return Reply(text)

    def _choose(self, view: QuestionView) -> Reply | None:
        options = view.question.options or (Option(value="yes"), Option(value="no"))
        proposed = {suggestion.value: suggestion.source for suggestion in view.suggestions}
        choices = [_choice(option, proposed.get(option.value)) for option in options]
        choices += [
            questionary.Choice("Don't know yet (skip)", value=_SKIP_CHOICE),
            questionary.Choice("Help", value=_HELP_CHOICE),
        ]
        default = next((option.value for option in options if option.value in proposed), None)
        picked = questionary.select(
            view.prompt, choices=choices, default=default, **self._io
        ).unsafe_ask()
        if picked == _HELP_CHOICE:
            return None
        if picked == _SKIP_CHOICE:
            return self._skip()
        if view.question.kind == "boolean":
            return Reply(picked == "yes")
        return Reply(picked)

    def _multi(self, view: QuestionView) -> Reply | None:
        choices = [_choice(option) for option in view.question.options]
        choices += [
            questionary.Choice("Don't know yet (skip)", value=_SKIP_CHOICE),
            questionary.Choice("Help", value=_HELP_CHOICE),
        ]
        picked = questionary.checkbox(view.prompt, choices=choices, **self._io).unsafe_ask()
        if _HELP_CHOICE in picked:
            return None
        if _SKIP_CHOICE in picked:
            return self._skip()
        return Reply(list(picked))

    def _entities(self, view: QuestionView, say: Any) -> Reply | None:
        say(view.prompt)
        if view.help:
            say(view.help)
        records: list[dict[str, Any]] = []
        while True:
            first = questionary.text(
                f"Record {len(records) + 1}, {view.question.fields[0].name}"
                " (empty when done; - don't know)",
                **self._io,
            ).unsafe_ask()
            if first.strip() == SKIP and not records:
                return self._skip()
            if not first.strip():
                return Reply(records)
            record: dict[str, Any] = {view.question.fields[0].name: first.strip()}
            for field in view.question.fields[1:]:
                value = self._field(field)
                if value not in (None, ""):
                    record[field.name] = value
            records.append(record)

    def _field(self, field: EntityField) -> Any:
        label = field.label or field.name
        if field.options:
            choices = [_choice(option) for option in field.options]
            if not field.required:
                choices.append(questionary.Choice("(leave empty)", value=""))
            return questionary.select(label, choices=choices, **self._io).unsafe_ask()
        return questionary.text(label, **self._io).unsafe_ask().strip()

    def _skip(self) -> Reply:
        reason = questionary.text("What is missing to answer it? (optional)", **self._io)
        owner = questionary.text("Who will find out? (optional)", **self._io)
        return Reply(
            skipped=True, reason=reason.unsafe_ask().strip(), owner=owner.unsafe_ask().strip()
        )


def _choice(option: Option, proposed_by: str | None = None) -> questionary.Choice:
    title = option.shown_label
    if option.recommended:
        title += " (recommended)"
    if proposed_by:
        title += f" (proposed by {proposed_by})"
    description = " ".join(
        part for part in (option.tradeoff, f"Why: {option.reason}" if option.reason else "") if part
    )
    return questionary.Choice(title, value=option.value, description=description or None)


__all__ = ["HELP", "SKIP", "Asker", "Reply"]
