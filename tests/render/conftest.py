"""Fixtures of the renderer tests: the order-service interview and golden files.

The built-in bank and the order-service answers come from ``support.answered``.

``pytest --update-golden`` (declared in ``tests/conftest.py``) rewrites the expected
documents under ``tests/render/golden/<case>/expected/`` instead of comparing with
them; review the diff before committing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank
from support.answered import AUTHOR, answered_sheet
from support.answered import bank as bank
from support.answered import order_answers as order_answers

FIXED_TIME = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
LAST_ANSWER = datetime(2024, 5, 9, 16, 45, tzinfo=UTC)

CheckGolden = Callable[[Path, str], None]
MakeSheet = Callable[..., AnswerSheet]


@pytest.fixture(scope="session")
def author() -> str:
    """The author every rendered document names."""
    return AUTHOR


@pytest.fixture
def make_sheet(bank: Bank) -> MakeSheet:
    """Return a builder of an answer sheet from an answers mapping, at fixed times."""

    def make(
        values: dict[str, Any], *, name: str = "order-service", depth: str = "full"
    ) -> AnswerSheet:
        sheet = answered_sheet(bank, values, name=name, depth=depth, started=FIXED_TIME)
        return sheet.model_copy(update={"updated": LAST_ANSWER})

    return make


@pytest.fixture
def order_sheet(make_sheet: MakeSheet, order_answers: dict[str, Any]) -> AnswerSheet:
    """The order-service interview, fully answered."""
    return make_sheet(order_answers)


@pytest.fixture
def check_golden(request: pytest.FixtureRequest) -> CheckGolden:
    """Compare text with a golden file byte for byte, or rewrite it on request."""
    update = bool(request.config.getoption("--update-golden", default=False))

    def check(path: Path, actual: str) -> None:
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
            return
        assert path.exists(), f"{path} is missing: run pytest tests/render --update-golden"
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, f"{path.name} differs: review, then pytest --update-golden"

    return check
