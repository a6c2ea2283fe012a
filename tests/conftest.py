"""Options and fixtures shared by the whole suite."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    # Declared here so `pytest --update-golden` works from the repository root; the
    # folder conftests that also declare it are then skipped by the suppress.
    with contextlib.suppress(ValueError):
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="rewrite the expected files under tests/*/golden/ instead of comparing",
        )


@pytest.fixture(autouse=True)
def _isolated_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep validation caches of runs outside a workspace away from the real user cache."""
    cache = tmp_path_factory.getbasetemp() / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(Path(cache)))
