"""Fixtures of the research tests: the OpenAPI documents, a workspace, a local listener.

The listener is an HTTP server on 127.0.0.1 in a thread. It serves the files it is
given, records every connection, and can be told to answer slowly or without end, so
tests can prove that nothing is fetched without ``--allow-remote`` and that limits
hold when something is.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from interlock.cli.errors import handled
from interlock.cli.research import research
from interlock.cli.status import status


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workspace, the current folder of the test."""
    root = tmp_path / "repo"
    (root / ".interlock").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run ``interlock research`` or ``status``, wrapped as the real command line wraps them.

    Returns what it printed (stdout and stderr) and its exit code.
    """
    app = typer.Typer(pretty_exceptions_enable=False)
    app.command("research")(handled(research))
    app.command("status")(handled(status))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    return invoke


@dataclass
class Listener:
    """A local HTTP server that records what reaches it."""

    port: int
    files: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    """Path to the Location a 302 answer sends the client to."""
    requests: list[str] = field(default_factory=list)
    connections: int = 0
    delay: float = 0.0
    """Seconds to wait before answering."""
    endless: bool = False
    """Send body bytes without a Content-Length until the client goes away."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A server on 127.0.0.1 for the duration of one test."""
    state = Listener(port=0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def setup(self) -> None:
            state.connections += 1
            super().setup()

        def do_GET(self) -> None:
            state.requests.append(self.path)
            if state.delay:
                time.sleep(state.delay)
            if state.endless:
                self._send_endless()
                return
            if self.path in state.redirects:
                self.send_response(302)
                self.send_header("Location", state.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = state.files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/yaml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _send_endless(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/yaml")
            self.end_headers()
            chunk = b"# padding line of a document that never ends\n" * 1000
            deadline = time.monotonic() + 10  # bounded, whatever the client does
            with contextlib.suppress(OSError):
                while time.monotonic() < deadline:
                    self.wfile.write(chunk)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
