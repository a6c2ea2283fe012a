"""Walk an interview round by round, as ``interlock interview NAME --next --json`` does.

The walk answers each round with typical answers (the recommended option where the
bank recommends one, the first otherwise, a short text, one list item), with
``overrides`` by question id, and counts the questions asked: those asked once and
those asked per system. The bank tests hold the counts to the budget of the seed
(20 to 30 questions before the per-system follow-ups); run as a script it prints the
counts of a bank file for the usual scenarios:

    .venv/bin/python tests/interview/question_budget.py [BANK_FILE]
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import load_bank, load_bank_file
from interlock.interview.engine import Engine
from interlock.interview.schema import Bank, Question

ONE_SYSTEM = [{"name": "Stripe", "kind": "external-api", "criticality": "critical"}]
"""One third-party API."""
THREE_SYSTEMS = [
    {"name": "Stripe", "kind": "external-api", "criticality": "critical"},
    {"name": "Order Events", "kind": "queue", "criticality": "high"},
    {"name": "Orders DB", "kind": "database", "criticality": "critical"},
]
"""A third-party API, a queue and a database."""

FEWEST = {
    "problem.existing": "new",
    "design.contract": "none",
    "data.schema_change": "none",
    "constraints.compliance": [],
}
"""Earlier answers that call for the fewest follow-ups."""
MOST = {
    "problem.existing": "replace",
    "design.contract": "breaking",
    "data.schema_change": "existing",
    "constraints.compliance": ["gdpr"],
}
"""Earlier answers that call for the most follow-ups of the questions asked once."""


@dataclass(frozen=True)
class Walked:
    """What one walk through an interview asked."""

    asked: tuple[str, ...]
    """Every question id asked, in asking order (instances as ``id@key``)."""
    rounds: int

    @property
    def base(self) -> tuple[str, ...]:
        """The questions asked once, not per system."""
        return tuple(question_id for question_id in self.asked if "@" not in question_id)

    @property
    def per_system(self) -> tuple[str, ...]:
        """The questions asked about one system each."""
        return tuple(question_id for question_id in self.asked if "@" in question_id)


def typical_answer(question: Question) -> Any:
    """Return what a person answering quickly and sensibly would give ``question``."""
    if question.kind in ("choice", "multi"):
        recommended = [option.value for option in question.options if option.recommended]
        chosen = recommended or [question.options[0].value]
        return chosen[0] if question.kind == "choice" else chosen
    if question.kind == "number":
        number = max(int(question.minimum or 0), 1) * 100
        return number if question.maximum is None else min(number, int(question.maximum))
    if question.kind == "boolean":
        return True
    if question.kind == "list":
        return ["one item"]
    if question.kind == "entities":
        return ONE_SYSTEM
    return f"A considered answer to {question.id}, naming what it is and why."


def walk(
    bank: Bank,
    overrides: Mapping[str, Any],
    *,
    depth: str = "standard",
    limit: int = 500,
) -> Walked:
    """Answer ``bank``'s interview round by round until it is complete.

    ``overrides`` maps a question id (the base id for per-system questions, or an
    instance id ``id@key`` for one system) to the answer to give instead of the
    typical one.
    """
    engine = Engine(bank)
    sheet = AnswerSheet(name="budget", template=bank.name, depth=depth)
    asked: list[str] = []
    for rounds in range(limit):
        next_round = engine.next_round(sheet)
        if next_round.complete:
            return Walked(tuple(asked), rounds)
        for view in next_round.questions:
            base = view.id.partition("@")[0]
            if view.id in overrides:
                value = overrides[view.id]
            elif base in overrides:
                value = overrides[base]
            else:
                value = typical_answer(view.question)
            sheet = engine.answer(sheet, view.id, value)
            asked.append(view.id)
    raise AssertionError(f"the interview did not end within {limit} rounds")


SCENARIOS: Mapping[str, Mapping[str, Any]] = {
    "1 system, fewest follow-ups": {**FEWEST, "systems": ONE_SYSTEM},
    "1 system, most follow-ups": {**MOST, "systems": ONE_SYSTEM},
    "3 systems, fewest follow-ups": {**FEWEST, "systems": THREE_SYSTEMS},
    "3 systems, most follow-ups": {**MOST, "systems": THREE_SYSTEMS},
}
"""The scenarios the budget is counted for."""


def main(arguments: list[str]) -> int:
    """Print the counts of each scenario for the bank file given, or the built-in bank."""
    bank = load_bank_file(Path(arguments[0])) if arguments else load_bank("integration")
    for name, overrides in SCENARIOS.items():
        walked = walk(bank, overrides)
        print(
            f"{name}: {len(walked.base)} asked once + {len(walked.per_system)} per system"
            f" = {len(walked.asked)} in {walked.rounds} rounds"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
