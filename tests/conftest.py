"""Options and fixtures shared by the whole suite.

Tests that read the seed documents (the source templates in ``../shared/seeds/``,
beside the repository) carry the ``seeds`` marker and take the ``seeds`` fixture, which
returns that folder or skips with a reason naming it. ``INTERLOCK_SEEDS`` points the
fixture at another folder (a missing one shows what a bare clone does). A test that
takes the fixture without the marker, or the other way round, is a collection error,
so ``pytest -m "not seeds"`` runs exactly what a bare clone can run.

No test asserts wall-clock time: Hypothesis's per-example deadline is turned off for
the whole suite, since a loaded machine is not a failing test.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
"""Where the seed documents live in CI: ``../shared/seeds`` relative to the clone."""
SEEDS_VARIABLE = "INTERLOCK_SEEDS"

settings.register_profile("interlock", deadline=None)
settings.load_profile("interlock")


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test whose ``seeds`` marker and ``seeds`` fixture disagree."""
    for item in items:
        uses = "seeds" in getattr(item, "fixturenames", ())
        marked = item.get_closest_marker("seeds") is not None
        if uses != marked:
            missing = "the seeds marker" if uses else "the seeds fixture"
            raise pytest.UsageError(
                f"{item.nodeid} needs {missing}: a test that reads the seed documents "
                "takes the `seeds` fixture and is marked `@pytest.mark.seeds`"
            )


def seeds_folder() -> Path:
    """Return the folder the seed documents are read from (it may be missing)."""
    configured = os.environ.get(SEEDS_VARIABLE)
    return Path(configured) if configured else SEEDS


@pytest.fixture(scope="session")
def seeds() -> Path:
    """Return the seed documents' folder, or skip: a bare clone has no seeds beside it."""
    folder = seeds_folder()
    if not folder.is_dir():
        pytest.skip(
            f"these tests need the seed documents beside the repository, in {folder} "
            "(absent in this clone)"
        )
    return folder


@pytest.fixture(autouse=True)
def _isolated_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep validation caches away from the real user cache, and run as outside CI.

    The CLI turns its cache off when ``CI=true``; tests that are about that say so.
    """
    cache = tmp_path_factory.getbasetemp() / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(Path(cache)))
    monkeypatch.delenv("INTERLOCK_CACHE_DIR", raising=False)
    monkeypatch.delenv("CI", raising=False)
