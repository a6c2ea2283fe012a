"""The helpers that start real services for the team server's tests, shown to work.

A real PostgreSQL server takes two databases and keeps what is written to each apart;
Debian's Chromium, driven through Playwright, runs a page's script and takes a
screenshot. Each test skips, naming what to install, where its service is absent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text

from support.browser import chromium_missing_reason, launched_chromium
from support.postgres import postgres_missing_reason, running_postgres

PAGE = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Services</title></head>
<body>
  <p id="status">waiting</p>
  <button id="go" onclick="document.getElementById('status').textContent = 'clicked'">Go</button>
</body>
</html>
"""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_postgres_serves_separate_databases() -> None:
    reason = postgres_missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with running_postgres() as server:
        root = server.root
        assert root is not None
        assert server.data_dir.is_dir()
        urls = [server.create_database(name) for name in ("first", "second")]
        assert urls[0] == f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/first"
        for index, url in enumerate(urls):
            engine = create_engine(url)
            try:
                with engine.begin() as connection:
                    connection.execute(text("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)"))
                    connection.execute(
                        text("INSERT INTO notes VALUES (:id, :body)"),
                        {"id": index, "body": f"note {index}"},
                    )
                with engine.connect() as connection:
                    rows = connection.execute(text("SELECT id, body FROM notes")).all()
                    version = connection.execute(text("SELECT version()")).scalar_one()
            finally:
                engine.dispose()
            assert [tuple(row) for row in rows] == [(index, f"note {index}")]
            assert "PostgreSQL" in version
    assert not root.exists()
    assert server.root is None


class _PageHandler(BaseHTTPRequestHandler):
    """Serves :data:`PAGE` at every path."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test's output free of access lines."""


@contextmanager
def _served_page() -> Iterator[str]:
    """The URL of :data:`PAGE`, served from a thread on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_chromium_runs_a_page_script_and_takes_a_screenshot(tmp_path: Path) -> None:
    reason = chromium_missing_reason()
    if reason is not None:
        pytest.skip(reason)
    screenshot = tmp_path / "page.png"
    with (
        _served_page() as url,
        sync_playwright() as playwright,
        launched_chromium(playwright) as browser,
    ):
        page = browser.new_page()
        page.goto(url)
        status = page.locator("#status")
        assert status.text_content() == "waiting"
        page.click("#go")
        page.wait_for_function("document.getElementById('status').textContent === 'clicked'")
        assert status.text_content() == "clicked"
        page.screenshot(path=screenshot)
    assert screenshot.read_bytes().startswith(PNG_SIGNATURE)
