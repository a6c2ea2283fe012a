"""Fixtures of the renderer tests: the built-in bank, the order-service interview, goldens.

``pytest --update-golden`` rewrites the expected documents under
``tests/render/golden/<case>/expected/`` instead of comparing with them; review the
diff before committing it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from interlock.interview.answers import AnswerSheet
from interlock.interview.bank import Bank, load_bank
from interlock.interview.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
ORDER_ANSWERS = ROOT / "examples" / "order-service" / "answers.yaml"
FIXED_TIME = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
LAST_ANSWER = datetime(2024, 5, 9, 16, 45, tzinfo=UTC)
AUTHOR = "Dana Ortiz"

CheckGolden = Callable[[Path, str], None]
MakeSheet = Callable[..., AnswerSheet]


def pytest_addoption(parser: pytest.Parser) -> None:
    # Another conftest of the suite may declare the same option; one declaration is enough.
    with contextlib.suppress(ValueError):
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="rewrite the expected files under tests/*/golden/ instead of comparing",
        )


@pytest.fixture(scope="session")
def author() -> str:
    """The author every rendered document names."""
    return AUTHOR


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


@pytest.fixture
def make_sheet(bank: Bank) -> MakeSheet:
    """Return a builder of an answer sheet from an answers mapping, at fixed times."""

    def make(
        values: dict[str, Any], *, name: str = "order-service", depth: str = "full"
    ) -> AnswerSheet:
        sheet = AnswerSheet(name=name, depth=depth, created=FIXED_TIME, updated=FIXED_TIME)
        sheet = Engine(bank).apply_answers(sheet, values, by="dana")
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
