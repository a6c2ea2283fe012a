"""Answer, from an OpenAPI description, the interview questions it settles.

The researched system joins the ``systems`` answer as an ``external-api`` record, next
to every record already there (none is ever dropped or changed). Then its own
questions are answered where the document decides them:

=========================  ===============================================================
question                   answered with
=========================  ===============================================================
``external.auth@KEY``      the one way to authenticate the schemes in use agree on
                           (``api-key``, ``oauth2``, ``basic``, ``mtls``,
                           ``signed-requests``); left open when they offer several
``external.sandbox@KEY``   ``sandbox`` when a server is a sandbox, staging or test server
=========================  ===============================================================

The operations the integration calls are never answered from the document: a vendor
publishes hundreds, the integration calls a few. The endpoints question
(``external.endpoints@KEY``) offers them instead, as suggestions a person confirms
(:meth:`IntegrationFolder.suggesting <interlock.folders.integration.IntegrationFolder.suggesting>`).

Each value goes through :meth:`Engine.answer`, so it is checked like a typed answer,
and is recorded as answered by ``openapi:<file name>``. An answer someone gave (or
skipped) is never replaced; one an earlier research run gave is refreshed. Questions
the bank does not have, or does not ask about this system, are left alone.
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
    "prefill_values",
]

ENDPOINTS_QUESTION = "external.endpoints"
"""The question whose answer names the operations an integration calls."""
BY_PREFIX = "openapi:"
"""What the ``by`` of an answer read from a document starts with."""
SYSTEMS = "systems"
EXTERNAL_KIND = "external-api"


@dataclass(frozen=True, slots=True)
class Prefill:
    """What prefilling did to an answer sheet."""

    sheet: AnswerSheet
    answered: tuple[str, ...]
    """Question ids answered from the document now: new answers, or refreshed ones."""
    current: tuple[str, ...]
    """Question ids that already held what the document says."""
    kept: tuple[str, ...]
    """Question ids the document could answer but a person already had."""
    passed: tuple[tuple[str, str], ...]
    """Question ids not prefilled, each with the reason."""
    changed: bool
    """Whether the sheet differs from the one given, so it must be saved."""


def prefill_values(research: Research) -> dict[str, Any]:
    """Return, per question id without its entity, the value the document settles."""
    values: dict[str, Any] = {}
    kinds = {auth_kind(scheme) for scheme in schemes_in_use(research.auth)} - {None}
    if len(kinds) == 1:
        values["external.auth"] = kinds.pop()
    if any(server.environment in SANDBOX_ENVIRONMENTS for server in research.servers):
        values["external.sandbox"] = "sandbox"
    return values


def prefill_interview(
    engine: Engine, sheet: AnswerSheet, research: Research, *, by: str
) -> Prefill:
    """Return ``sheet`` with the system and the answers ``research`` settles.

    Args:
        engine: the engine of the sheet's bank; it checks every value.
        sheet: the current answers (possibly none yet).
        research: the facts read from the document.
        by: who the answers are recorded as given by, ``openapi:<file name>``.
    """
    name = research.system.name
    key = entity_key(name)
    answered: list[str] = []
    current_ids: list[str] = []
    kept: list[str] = []
    passed: list[tuple[str, str]] = []
    updated, why_not = add_system(engine, sheet, name, by=by)
    if why_not:
        return Prefill(sheet, (), (), (), ((SYSTEMS, why_not),), False)
    if updated is not sheet:
        answered.append(SYSTEMS)
    changed = updated is not sheet
    sheet = updated
    known = {question.id for question in engine.bank.questions}
    for base, value in prefill_values(research).items():
        if base not in known:
            continue
        question_id = f"{base}@{key}"
        current = sheet.answers.get(question_id)
        if current is not None and not current.by.startswith(BY_PREFIX):
            kept.append(question_id)
            continue
        try:
            updated = engine.answer(sheet, question_id, value, by=by)
        except AnswerError as error:
            passed.append((question_id, error.message))
            continue
        fresh = updated.answers[question_id]
        if current is not None and (current.value, current.by) == (fresh.value, fresh.by):
            # An unchanged answer keeps its time, so a second run leaves the file as it is.
            current_ids.append(question_id)
            continue
        answered.append(question_id)
        sheet, changed = updated, True
    return Prefill(sheet, tuple(answered), tuple(current_ids), tuple(kept), tuple(passed), changed)


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
