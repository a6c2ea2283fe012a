"""The terminal front end of the interview: one question asked as a person expects.

Choices show their trade-off and the recommended option; ``?`` (or the "Help" entry)
shows the question's help; "Don't know" skips the question, asking why and who will
find out, and the question becomes an open question in the documents. A multi-select
lists only the options, so ticking all of them never ticks "Don't know" or "Help":
those are offered when nothing is ticked, which also keeps "Don't know" apart from
every other choice. A list is typed one item per line (a comma stays inside its
item), an empty line ending it. When a question is asked again (``--revise``), its
answer is the default. Prompts read and write through the given prompt_toolkit input
and output, so tests can drive them.
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
SKIP_REASON = "What is missing to answer it?"
SKIP_REASON_NOTE = (
    "(optional) With a reason, it stays in the documents as an open question, with the "
    "owner you name next, and is waived for the interview's completion signals; without "
    "one, a question a signal needs is asked again at the end."
)
"""What a skip with a reason does, said where the reason is asked (see the engine's
waived signals and ``reasked`` questions)."""
SKIP_OWNER = "Who will find out?"
SKIP_OWNER_NOTE = "(optional; named with the open question)"
_HELP_CHOICE = "__help__"
_SKIP_CHOICE = "__skip__"
_NONE_CHOICE = "__none__"
_AGAIN_CHOICE = "__again__"


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

    def ask(self, view: QuestionView, say: Any, current: Any = None) -> Reply:
        """Ask ``view`` until the person gives an answer or skips; Ctrl-C propagates.

        Args:
            current: the answer it has, offered as the default when it is asked again.
        """
        kind = view.question.kind
        while True:
            if kind in ("choice", "boolean"):
                reply = self._choose(view, current)
            elif kind == "multi":
                reply = self._multi(view, current)
            elif kind == "entities":
                reply = self._entities(view, say)
            elif kind == "list" and view.suggestions:
                reply = self._suggested(view, say)
            elif kind == "list":
                reply = self._list(view, say)
            else:
                reply = self._text(view, current)
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
                return self._list(view, say)
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

    def _text(self, view: QuestionView, current: Any = None) -> Reply | None:
        hint = (view.question.unit or "a number") if view.question.kind == "number" else ""
        suffix = f" ({hint}; ? help, - don't know)" if hint else " (? help, - don't know)"
        default = "" if current is None or isinstance(current, bool) else str(current)
        text = questionary.text(view.prompt + suffix, default=default, **self._io).unsafe_ask()
        stripped = text.strip()
        if stripped == HELP:
            return None
        if stripped == SKIP:
            return self._skip()
        return Reply(text)

    def _list(self, view: QuestionView, say: Any) -> Reply | None:
        """Ask for the items one per line: a comma stays in its item; empty ends."""
        say(f"{view.prompt} One item per line; an empty line ends the list.")
        items: list[str] = []
        while True:
            typed = questionary.text(
                f"Item {len(items) + 1} (empty when done; ? help"
                + (", - don't know)" if not items else ")"),
                **self._io,
            ).unsafe_ask()
            stripped = typed.strip()
            if stripped == HELP:
                say(view.help or "No more help for this question.")
                continue
            if stripped == SKIP and not items:
                return self._skip()
            if not stripped:
                return Reply(items)
            items.append(stripped)

    def _choose(self, view: QuestionView, current: Any = None) -> Reply | None:
        options = view.question.options or (Option(value="yes"), Option(value="no"))
        proposed = {suggestion.value: suggestion.source for suggestion in view.suggestions}
        choices = [_choice(option, proposed.get(option.value)) for option in options]
        choices += [
            questionary.Choice("Don't know yet (skip)", value=_SKIP_CHOICE),
            questionary.Choice("Help", value=_HELP_CHOICE),
        ]
        if isinstance(current, bool):
            current = "yes" if current else "no"
        values = [option.value for option in options]
        default = current if current in values else None
        if default is None:
            default = next((value for value in values if value in proposed), None)
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

    def _multi(self, view: QuestionView, current: Any = None) -> Reply | None:
        """Tick options; with none ticked, offer don't know, help, or no option at all."""
        ticked = set(current) if isinstance(current, list) else set()
        choices = [
            _choice(option, checked=option.value in ticked) for option in view.question.options
        ]
        while True:
            picked = questionary.checkbox(
                view.prompt,
                choices=choices,
                instruction="(space ticks, a ticks all, enter when done; "
                "tick none for don't know or help)",
                **self._io,
            ).unsafe_ask()
            if picked:
                return Reply(list(picked))
            after = [
                questionary.Choice("Don't know yet (skip)", value=_SKIP_CHOICE),
                questionary.Choice("Help", value=_HELP_CHOICE),
                questionary.Choice("Back to the options", value=_AGAIN_CHOICE),
            ]
            if not view.question.required:
                after.insert(0, questionary.Choice("None of them", value=_NONE_CHOICE))
            then = questionary.select("Nothing ticked:", choices=after, **self._io).unsafe_ask()
            if then == _NONE_CHOICE:
                return Reply([])
            if then == _SKIP_CHOICE:
                return self._skip()
            if then == _HELP_CHOICE:
                return None
            choices = [_choice(option) for option in view.question.options]

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
        reason = questionary.text(SKIP_REASON, instruction=SKIP_REASON_NOTE, **self._io)
        owner = questionary.text(SKIP_OWNER, instruction=SKIP_OWNER_NOTE, **self._io)
        return Reply(
            skipped=True, reason=reason.unsafe_ask().strip(), owner=owner.unsafe_ask().strip()
        )


def _choice(
    option: Option, proposed_by: str | None = None, *, checked: bool = False
) -> questionary.Choice:
    title = option.shown_label
    if option.recommended:
        title += " (recommended)"
    if proposed_by:
        title += f" (proposed by {proposed_by})"
    description = " ".join(
        part for part in (option.tradeoff, f"Why: {option.reason}" if option.reason else "") if part
    )
    return questionary.Choice(
        title, value=option.value, description=description or None, checked=checked
    )


__all__ = ["HELP", "SKIP", "Asker", "Reply"]
