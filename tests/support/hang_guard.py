"""Run a piece of work that an attack could make endless, without hanging the suite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def within(seconds: float, action: Callable[[], Any]) -> Any:
    """Run ``action`` and return what it returns (or raise what it raises).

    The test fails, rather than hangs, if ``action`` is still running after
    ``seconds``: a guard far above what the bounded code needs, not a timing claim.
    """
    outcome: list[tuple[str, Any]] = []

    def run() -> None:
        try:
            outcome.append(("value", action()))
        except BaseException as error:  # handed back to the test below
            outcome.append(("error", error))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still running after {seconds} seconds"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value
