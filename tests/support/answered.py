"""The order-service interview, answered with the built-in bank, for test fixtures.

The answers are ``examples/order-service/answers.yaml``. A conftest takes the
``bank`` and ``order_answers`` fixtures from here (imported under their own names, so
pytest finds them) and builds its sheets with :func:`answered_sheet`, which applies
answers with the interview engine at a fixed time, so documents rendered from them are
the same every run. :func:`integration_of` builds the model a sheet describes, and
:func:`sheet_of` a sheet of plain values, for the answers-file and store tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from interlock.interview.answer_mapping import build_integration
from interlock.interview.answers import Answer, AnswerSheet
from interlock.interview.bank import Bank, load_bank
from interlock.interview.engine import Engine
from interlock.model.integration import Integration

ORDER_ANSWERS = Path(__file__).resolve().parents[2] / "examples" / "order-service" / "answers.yaml"
AUTHOR = "Dana Ortiz"


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The built-in integration bank."""
    return load_bank("integration")


@pytest.fixture(scope="session")
def order_answers() -> dict[str, Any]:
    """The complete order-service answers: question id → value."""
    data = yaml.safe_load(ORDER_ANSWERS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def answered_sheet(
    bank: Bank,
    values: Mapping[str, Any],
    *,
    name: str,
    depth: str,
    started: datetime,
    skip: Iterable[str] = (),
) -> AnswerSheet:
    """Return a sheet created at ``started`` holding ``values``, with ``skip`` skipped."""
    engine = Engine(bank)
    sheet = AnswerSheet(name=name, depth=depth, created=started, updated=started)
    sheet = engine.apply_answers(sheet, values, by="dana")
    for question_id in skip:
        sheet = engine.skip(sheet, question_id, reason="waiting for the vendor")
    return sheet


def integration_of(sheet: AnswerSheet, bank: Bank) -> Integration:
    """Return the integration model ``sheet`` describes, read through the engine's view."""
    return build_integration(sheet.name, Engine(bank).resolve(sheet))


def sheet_of(at: datetime, **values: Any) -> AnswerSheet:
    """Return a ``payments`` sheet holding ``values``, every answer given by alice ``at``."""
    sheet = AnswerSheet(name="payments", created=at, updated=at)
    for key, value in values.items():
        sheet = sheet.with_answer(key, Answer(value=value, by="alice", at=at))
    return sheet
