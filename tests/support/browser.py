"""Debian's Chromium, driven through Playwright, for browser tests of the team server.

Playwright never downloads a browser here: :func:`launched_chromium` starts the
machine's own Chromium (``/usr/bin/chromium``, or the executable ``INTERLOCK_CHROMIUM``
names), headless and quiet (no sync, updates or other background traffic)::

    with sync_playwright() as playwright, launched_chromium(playwright) as browser:
        page = browser.new_page()

:func:`chromium_missing_reason` says why it cannot, for a test to skip with.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path(os.environ.get("INTERLOCK_CHROMIUM", "/usr/bin/chromium"))
"""The Chromium executable the browser tests run."""

CHROMIUM_ARGS = (
    # Chromium will not start its own sandbox as root, and CI runs as root.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # /dev/shm is often small on CI machines; shared memory goes to /tmp instead.
    "--disable-dev-shm-usage",
)
"""Command-line switches of every launch. Playwright gives each launch a fresh
temporary profile of its own (and refuses a ``--user-data-dir`` here)."""


def chromium_missing_reason() -> str | None:
    """Why Chromium cannot be launched here, or ``None`` when its executable exists."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package "
        "(.ci/run does) or set INTERLOCK_CHROMIUM to its executable"
    )


@contextmanager
def launched_chromium(playwright: Playwright) -> Iterator[Browser]:
    """A headless :data:`CHROMIUM` launched by ``playwright``, closed on exit."""
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=list(CHROMIUM_ARGS),
    )
    try:
        yield browser
    finally:
        browser.close()
