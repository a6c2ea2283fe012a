"""Record a researched system in the interview, and propose what the document points to.

The researched system joins the ``systems`` answer as an ``external-api`` record, next
to every record already there (none is ever dropped or changed). Nothing else is
answered from the document: research proposes, a person (or agent) confirms.

=========================  ===============================================================
question                   proposed
=========================  ===============================================================
``external.auth@KEY``      the one way to authenticate the schemes in use agree on
                           (``api-key``, ``oauth2``, ``basic``, ``mtls``,
                           ``signed-requests``); nothing when they offer several
``external.sandbox@KEY``   ``sandbox`` when a server is a sandbox, staging or test server
``external.endpoints@KEY`` every operation, ``METHOD /path — summary``, to pick from
=========================  ===============================================================

The proposals are kept in the system's research snapshot and offered with the questions
(:meth:`IntegrationFolder.suggesting <interlock.folders.integration.IntegrationFolder.suggesting>`);
the documents state only what was answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from interlock.errors import AnswerError
from interlock.interview.answers import AnswerSheet
from interlock.interview.engine import Engine
from interlock.interview.values import entity_key
from interlock.research.facts import Research
from interlock.research.gaps import SANDBOX_ENVIRONMENTS
from interlock.research.security import auth_kind, schemes_in_use

__all__ = [
    "BY_PREFIX",
    "ENDPOINTS_QUESTION",
    "Prefill",
    "add_system",
    "prefill_interview",
    "proposed_values",
]

ENDPOINTS_QUESTION = "external.endpoints"
"""The question whose answer names the operations an integration calls."""
BY_PREFIX = "openapi:"
"""What the ``by`` of an answer read from a document starts with."""
SYSTEMS = "systems"
EXTERNAL_KIND = "external-api"


@dataclass(frozen=True, slots=True)
class Prefill:
    """What research did to an answer sheet, and what it proposes for it."""

    sheet: AnswerSheet
    answered: tuple[str, ...]
    """``("systems",)`` when the system was added to the ``systems`` answer now."""
    passed: tuple[tuple[str, str], ...]
    """Question ids left alone, each with the reason."""
    changed: bool
    """Whether the sheet differs from the one given, so it must be saved."""
    proposed: tuple[tuple[str, str], ...] = ()
    """Question id and the value research proposes for it, for a person to confirm."""


def proposed_values(research: Research) -> dict[str, str]:
    """Return, per question id without its entity, the value the document points to."""
    values: dict[str, str] = {}
    kinds = {auth_kind(scheme) for scheme in schemes_in_use(research.auth)} - {None}
    if len(kinds) == 1:
        values["external.auth"] = str(kinds.pop())
    if any(server.environment in SANDBOX_ENVIRONMENTS for server in research.servers):
        values["external.sandbox"] = "sandbox"
    return values


def prefill_interview(
    engine: Engine, sheet: AnswerSheet, research: Research, *, by: str
) -> Prefill:
    """Return ``sheet`` with the system recorded, and what ``research`` proposes.

    Args:
        engine: the engine of the sheet's bank; it checks the ``systems`` answer.
        sheet: the current answers (possibly none yet).
        research: the facts read from the document.
        by: who the system is recorded as named by, ``openapi:<file name>``.
    """
    name = research.system.name
    key = entity_key(name)
    known = {question.id for question in engine.bank.questions}
    proposed = tuple(
        (f"{base}@{key}", value)
        for base, value in proposed_values(research).items()
        if base in known
    )
    updated, why_not = add_system(engine, sheet, name, by=by)
    if why_not:
        return Prefill(sheet, (), ((SYSTEMS, why_not),), False, proposed)
    changed = updated is not sheet
    return Prefill(updated, (SYSTEMS,) if changed else (), (), changed, proposed)


def add_system(
    engine: Engine, sheet: AnswerSheet, name: str, *, by: str, kind: str = EXTERNAL_KIND
) -> tuple[AnswerSheet, str]:
    """Return the sheet with system ``name`` recorded as a ``kind`` (``external-api``,
    ``queue``) in the ``systems`` answer, or the sheet and why it cannot be."""
    question = next((q for q in engine.bank.questions if q.id == SYSTEMS), None)
    kind_field = next((f for f in question.fields if f.name == "kind"), None) if question else None
    if kind_field is None or kind not in {option.value for option in kind_field.options}:
        return (
            sheet,
            f"the question bank has no {SYSTEMS!r} question with {kind!r} systems",
        )
    current = sheet.answers.get(SYSTEMS)
    records: list[dict[str, Any]] = []
    if current is not None and not current.skipped and isinstance(current.value, list):
        records = [dict(record) for record in current.value if isinstance(record, dict)]
    key = entity_key(name)
    for record in records:
        if entity_key(str(record.get("name", ""))) == key:
            if record.get("kind") != kind:
                return sheet, (
                    f"{record.get('name')!r} is recorded with kind {record.get('kind')!r}, "
                    f"not as {kind!r}; nothing was prefilled for it"
                )
            return sheet, ""
    records.append({"name": name, "kind": kind})
    try:
        return engine.answer(sheet, SYSTEMS, records, by=by), ""
    except AnswerError as error:
        return sheet, error.message
