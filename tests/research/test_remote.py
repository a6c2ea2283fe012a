"""Remote documents and references: never fetched unless allowed, then within limits.

Every test talks to a server on 127.0.0.1: the HTTP ``listener`` of the conftest, which
records each connection it receives, or the byte-level ``slow_server`` of this module,
which sends an answer a piece at a time, so that the deadline can be shown to cover
every part of a fetch.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interlock.errors import InputError, UsageError
from interlock.research.openapi import load_openapi
from interlock.research.source import read_remote, shown_url

if TYPE_CHECKING:  # the fixtures' types; pytest itself imports the conftest
    from conftest import Listener, Run

needs_validator = pytest.mark.skipif(
    importlib.util.find_spec("openapi_spec_validator") is None,
    reason="openapi-spec-validator is not installed",
)

COMMON = b"""\
components:
  schemas:
    Error:
      type: object
      properties:
        message:
          type: string
          maxLength: 321
"""


def _api_with_remote_ref(url: str) -> str:
    return f"""\
openapi: 3.0.3
info: {{title: Remote Refs, version: '1'}}
paths:
  /things:
    post:
      summary: Make a thing
      requestBody:
        content:
          application/json:
            schema:
              $ref: '{url}'
      responses:
        '200': {{description: ok}}
        '400': {{description: bad}}
"""


@pytest.fixture
def api(tmp_path: Path, listener: Listener) -> Path:
    listener.files["/common.yaml"] = COMMON
    path = tmp_path / "api.yaml"
    reference = listener.url("common.yaml") + "#/components/schemas/Error"
    path.write_text(_api_with_remote_ref(reference), encoding="utf-8")
    return path


@needs_validator
def test_a_remote_reference_is_never_fetched_without_allow_remote(
    api: Path, listener: Listener
) -> None:
    document = load_openapi(str(api))
    assert listener.connections == 0
    (item,) = document.unresolved
    assert item.reason == "remote; not fetched without --allow-remote"
    assert item.line == 11
    assert not document.fully_validated


@needs_validator
def test_the_note_lists_the_unfetched_reference(
    api: Path, listener: Listener, workspace: Path, run: Run
) -> None:
    result = run("research", "things", "--openapi", str(api))
    assert result.exit_code == 0, result.output
    assert listener.connections == 0
    (note_path,) = (workspace / "specs" / "things" / "research").glob("*.md")
    note = note_path.read_text(encoding="utf-8")
    assert "### Unresolved References" in note
    assert "not fetched without --allow-remote" in note
    assert "1 reference not followed" in result.output


@needs_validator
def test_allow_remote_fetches_and_resolves_the_reference(api: Path, listener: Listener) -> None:
    document = load_openapi(str(api), allow_remote=True)
    assert listener.requests == ["/common.yaml"]
    assert document.unresolved == ()
    assert document.fully_validated
    assert document.documents == 2


def test_a_remote_document_is_refused_without_allow_remote(
    listener: Listener, workspace: Path, run: Run
) -> None:
    listener.files["/api.yaml"] = b"openapi: 3.0.3\n"
    result = run("research", "things", "--openapi", listener.url("api.yaml"))
    assert result.exit_code == 2
    assert "refusing to fetch a remote document" in result.output
    assert "--allow-remote" in result.output
    assert listener.connections == 0
    assert not (workspace / "specs" / "things").exists()


@needs_validator
def test_a_remote_document_with_allow_remote(listener: Listener, workspace: Path, run: Run) -> None:
    listener.files["/v1/api.yaml"] = _api_with_remote_ref(
        "common.yaml#/components/schemas/Error"
    ).encode()
    listener.files["/v1/common.yaml"] = COMMON
    result = run("research", "things", "--openapi", listener.url("v1/api.yaml"), "--allow-remote")
    assert result.exit_code == 0, result.output
    assert listener.requests == ["/v1/api.yaml", "/v1/common.yaml"]
    (note_path,) = (workspace / "specs" / "things" / "research").glob("*.md")
    note = note_path.read_text(encoding="utf-8")
    assert "Error.message: at most 321 characters" in note


def test_a_slow_server_is_given_up_on(listener: Listener) -> None:
    # The server would answer after 3 s, so an error at all means the client gave up.
    listener.delay = 3
    with pytest.raises(InputError) as caught:
        read_remote(listener.url("api.yaml"), max_bytes=1024, timeout=0.3)
    assert caught.value.message.endswith("took longer than the timeout of 0.3 s")


PAUSE = 0.2
"""Seconds the slow server waits between two pieces of its answer."""
GUARD = 30.0
"""Seconds after which the slow server stops, whatever the client does."""
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\n"


@dataclass
class SlowServer:
    """A server on 127.0.0.1 that sends each client the pieces of ``answer``, one per PAUSE."""

    port: int
    answer: Callable[[], Iterable[bytes]] = lambda: ()
    hung_up: threading.Event = field(default_factory=threading.Event)
    """Set when a client closes its connection before the answer is sent."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


def _gone(connection: socket.socket) -> bool:
    """Wait up to PAUSE for the client to close ``connection``; return whether it did."""
    try:
        return connection.recv(1024) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def _answer(connection: socket.socket, server: SlowServer, stop: threading.Event) -> None:
    with connection:
        connection.settimeout(PAUSE)
        request = b""
        with contextlib.suppress(TimeoutError):
            while b"\r\n\r\n" not in request and not stop.is_set():
                request += connection.recv(1024)
        started = time.monotonic()
        try:
            for piece in server.answer():
                connection.sendall(piece)
                if _gone(connection):
                    server.hung_up.set()
                    return
                if stop.is_set() or time.monotonic() - started > GUARD:
                    return
        except OSError:
            server.hung_up.set()


@pytest.fixture
def slow_server() -> Iterator[SlowServer]:
    """A byte-level server on 127.0.0.1 for the duration of one test."""
    stop = threading.Event()
    threads: list[threading.Thread] = []
    with socket.create_server(("127.0.0.1", 0)) as listening:
        listening.settimeout(0.05)
        server = SlowServer(port=listening.getsockname()[1])

        def accept() -> None:
            while not stop.is_set():
                try:
                    connection, _ = listening.accept()
                except TimeoutError:
                    continue
                thread = threading.Thread(target=_answer, args=(connection, server, stop))
                threads.append(thread)
                thread.start()

        acceptor = threading.Thread(target=accept)
        acceptor.start()
        try:
            yield server
        finally:
            stop.set()
            acceptor.join(timeout=5)
            for thread in threads:
                thread.join(timeout=5)


def _trickled_body() -> Iterator[bytes]:
    return itertools.chain([OK + b"\r\n"], itertools.repeat(b"#"))


def _trickled_headers() -> Iterator[bytes]:
    headers = (f"X-Slow-{n}: {n}\r\n".encode() for n in range(100))
    return itertools.chain([OK], headers, [b"\r\nopenapi: 3.0.3\n"])


def _silence() -> Iterator[bytes]:
    return itertools.repeat(b"")


@pytest.mark.parametrize(
    "answer",
    [_trickled_body, _trickled_headers, _silence],
    ids=["body-a-byte-at-a-time", "headers-one-at-a-time", "never-answers"],
)
def test_one_deadline_covers_the_whole_fetch(
    slow_server: SlowServer, answer: Callable[[], Iterable[bytes]]
) -> None:
    # Each of these servers would keep a per-read timeout of 1 s waiting for 20 s or
    # for ever; the fetch must end at its deadline instead.
    slow_server.answer = answer
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_remote(slow_server.url("api.yaml?token=s3cret"), max_bytes=1024 * 1024, timeout=1.0)
    elapsed = time.monotonic() - started
    assert caught.value.message == (
        f"{slow_server.url('api.yaml')}: fetching it took longer than the timeout of 1 s"
    )
    assert "--timeout" in caught.value.hint
    assert elapsed < 1.0 + 2  # the deadline itself is the behaviour under test
    # Nothing goes on reading in the background: the connection is closed.
    assert slow_server.hung_up.wait(timeout=10)


def test_the_deadline_covers_the_name_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    released = threading.Event()

    def stuck_lookup(*args: object, **kwargs: object) -> list[object]:
        released.wait(timeout=GUARD)
        raise socket.gaierror(socket.EAI_AGAIN, "temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck_lookup)
    started = time.monotonic()
    try:
        with pytest.raises(InputError, match="took longer than the timeout of 1 s"):
            read_remote("http://api.example.test/api.yaml", max_bytes=1024, timeout=1.0)
    finally:
        released.set()
    assert time.monotonic() - started < 1.0 + 2


def test_a_prompt_answer_within_the_deadline_is_read(slow_server: SlowServer) -> None:
    body = b"openapi: 3.0.3\n"
    slow_server.answer = lambda: [OK + b"Content-Length: %d\r\n\r\n" % len(body) + body]
    source = read_remote(slow_server.url("v1/api.yaml"), max_bytes=1024, timeout=1.0)
    assert (source.name, source.text) == ("api.yaml", "openapi: 3.0.3\n")


def test_an_answer_that_is_not_http_is_an_input_error(slow_server: SlowServer) -> None:
    headers = b"".join(f"X-Many-{n}: {n}\r\n".encode() for n in range(150))
    slow_server.answer = lambda: [OK + headers + b"\r\n"]
    with pytest.raises(InputError, match="not valid HTTP: got more than 100 headers"):
        read_remote(slow_server.url("api.yaml"), max_bytes=1024, timeout=5)


def test_the_command_reports_the_deadline_as_an_input_error(
    slow_server: SlowServer, workspace: Path, run: Run
) -> None:
    slow_server.answer = _trickled_body
    url = slow_server.url("api.yaml")
    result = run("research", "things", "--openapi", url, "--allow-remote", "--timeout", "1")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {url}: fetching it took longer than the timeout of 1 s\n"
        "hint: raise the limit with --timeout SECONDS, or download the document and pass the file\n"
    )
    assert "Traceback" not in result.output
    assert not (workspace / "specs" / "things").exists()


def test_an_endless_body_is_cut_at_the_size_limit(listener: Listener) -> None:
    listener.endless = True
    with pytest.raises(InputError, match="too large"):
        read_remote(listener.url("api.yaml"), max_bytes=256 * 1024, timeout=5)


def test_an_announced_body_over_the_limit_is_refused_before_reading(listener: Listener) -> None:
    listener.files["/api.yaml"] = b"#" * (2 * 1024 * 1024)
    with pytest.raises(InputError) as caught:
        read_remote(listener.url("api.yaml"), max_bytes=1024 * 1024, timeout=5)
    assert "too large (2 MiB; the limit is 1 MiB)" in caught.value.message


def test_a_server_error_is_reported(listener: Listener) -> None:
    with pytest.raises(InputError, match="the server answered 404"):
        read_remote(listener.url("missing.yaml"), max_bytes=1024, timeout=5)


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(UsageError, match="only http and https"):
        read_remote("file:///etc/hostname", max_bytes=1024, timeout=5)


@needs_validator
def test_a_remote_document_cannot_make_us_read_local_files(
    listener: Listener, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Secret: {type: string, maxLength: 7}\n", encoding="utf-8")
    listener.files["/api.yaml"] = _api_with_remote_ref(f"{secret.as_uri()}#/Secret").encode()
    document = load_openapi(listener.url("api.yaml"), allow_remote=True)
    (item,) = document.unresolved
    assert item.reason == "a local file named by a remote document; never read"


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("file:///etc/hostname", "is not allowed"),
        ("ftp://127.0.0.1/api.yaml", "redirected to 'ftp://127.0.0.1/api.yaml', which is not http"),
    ],
    ids=["file", "ftp"],
)
def test_a_redirect_may_lead_only_to_http(listener: Listener, location: str, words: str) -> None:
    listener.redirects["/api.yaml"] = location
    with pytest.raises(InputError, match=words):
        read_remote(listener.url("api.yaml"), max_bytes=1024, timeout=5)


def test_a_redirect_to_http_is_followed(listener: Listener) -> None:
    listener.redirects["/old.yaml"] = "/new.yaml"
    listener.files["/new.yaml"] = b"openapi: 3.0.3\n"
    source = read_remote(listener.url("old.yaml"), max_bytes=1024, timeout=5)
    assert listener.requests == ["/old.yaml", "/new.yaml"]
    assert (source.name, source.text) == ("new.yaml", "openapi: 3.0.3\n")


def test_urls_are_shown_without_credentials_or_query() -> None:
    assert shown_url("https://me:s3cret@api.example.com:8443/v1/api.yaml?token=abc#x") == (
        "https://api.example.com:8443/v1/api.yaml"
    )
