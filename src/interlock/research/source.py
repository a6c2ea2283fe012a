"""Read an OpenAPI document from a file or a URL, within a size limit and a deadline.

A file is measured before it is opened: one larger than the limit is refused without
reading a byte of it, and the read itself stops one byte past the limit, so a file
that grows, or a device such as ``/dev/zero``, cannot fill the memory either.

A URL is fetched only when the caller allows it. The client speaks plain HTTP and
HTTPS only (no ``file:`` or ``ftp:``, not even through a redirect) and refuses a body
larger than the limit, whether announced by ``Content-Length`` or found while reading.
One deadline, ``timeout`` seconds from the call, covers the whole fetch: name lookup,
connection, TLS, status line, headers, body and any redirect. A socket timeout alone
cannot promise that, since it limits each read and a server sending a byte at a time
never trips it, so the fetch runs in a thread of its own: the caller stops waiting at
the deadline, and every connection of the fetch is shut down so that the thread ends too.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import stat
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from interlock.errors import InputError, UsageError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "Retrieved",
    "failure",
    "is_remote",
    "read_local",
    "read_remote",
    "shown_url",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""The largest document read unless the user raises the limit (10 MiB)."""
DEFAULT_TIMEOUT = 30.0
"""Seconds a remote document may take, connection and transfer together."""

_CHUNK = 64 * 1024
_REMOTE_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class Retrieved:
    """One document's text and where it came from."""

    text: str
    uri: str
    """Absolute ``file:`` or ``http(s):`` URI: the base its relative references resolve on."""
    shown: str
    """How messages and notes name it: the path as given, or the URL without credentials."""
    name: str
    """Its file name, e.g. ``payments.yaml``."""
    size: int = 0
    """Its size in bytes, as read."""


def is_remote(location: str) -> bool:
    """Return whether ``location`` is an HTTP or HTTPS URL rather than a file."""
    return urlsplit(location).scheme.lower() in _REMOTE_SCHEMES


def shown_url(url: str) -> str:
    """Return ``url`` without user name, password, query or fragment, for messages and notes."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def read_local(path: Path, *, max_bytes: int, shown: str | None = None) -> Retrieved:
    """Read the document at ``path``, refusing one larger than ``max_bytes``.

    Raises:
        InputError: the file is missing, not a regular file, too large, or not UTF-8.
    """
    where = shown if shown is not None else str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", path=where, hint="check the path") from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", path=where) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file", path=where, hint="give the document's file")
    if info.st_size > max_bytes:
        raise _too_large(where, f"{_megabytes(info.st_size)} MiB", max_bytes)
    try:
        with path.open("rb") as stream:
            data = _read_capped(stream, max_bytes, where, expected=info.st_size)
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", path=where) from None
    text = _decode(data, where, "utf-8")
    return Retrieved(text, path.resolve().as_uri(), where, path.name, len(data))


def read_remote(url: str, *, max_bytes: int, timeout: float) -> Retrieved:
    """Fetch ``url`` over HTTP or HTTPS, within ``max_bytes`` and ``timeout`` seconds in all.

    Raises:
        UsageError: the URL is not HTTP or HTTPS.
        InputError: the server cannot be reached, answers with an error or with broken
            HTTP, is not done within ``timeout`` seconds, or sends more than ``max_bytes``
            or text that does not decode.
    """
    shown = shown_url(url)
    if not is_remote(url):
        raise UsageError(f"{shown}: only http and https URLs can be fetched")
    transfer = _Transfer(timeout)
    worker = threading.Thread(
        target=transfer.run,
        args=(lambda: _fetch(url, shown, max_bytes, timeout, transfer),),
        name="interlock-fetch",
        daemon=True,  # a name lookup cannot be cut off; it must not keep the process alive
    )
    worker.start()
    try:
        worker.join(transfer.deadline - time.monotonic())
    finally:
        outcome = transfer.end()
    if outcome is None:
        raise _too_slow(shown, timeout)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _fetch(url: str, shown: str, max_bytes: int, timeout: float, transfer: _Transfer) -> Retrieved:
    """Fetch ``url`` through connections that ``transfer`` can cut off; see read_remote."""
    request = urllib.request.Request(
        url, headers={"Accept": "application/json, application/yaml, text/yaml, */*"}
    )
    try:
        with _opener(transfer).open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(shown, f"{_megabytes(int(length))} MiB", max_bytes)
            data = _read_capped(response, max_bytes, shown)
            charset = _charset(response.headers)
            final = response.geturl()
    except urllib.error.HTTPError as error:
        raise failure(shown, f"the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _too_slow(shown, timeout) from None
        raise failure(shown, f"cannot fetch it: {error.reason}") from None
    except TimeoutError:
        raise _too_slow(shown, timeout) from None
    except OSError as error:
        raise failure(shown, f"cannot fetch it: {error}") from None
    except http.client.HTTPException as error:
        raise failure(shown, f"the server's answer is not valid HTTP: {error}") from None
    text = _decode(data, shown, charset)
    name = unquote(urlsplit(final).path.rstrip("/").rpartition("/")[2]) or urlsplit(final).netloc
    return Retrieved(text, final, shown, name, len(data))


class _Transfer:
    """One fetch's deadline, connections and outcome, shared by the caller and the fetch."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._ended = False
        self._outcome: Retrieved | Exception | None = None

    def connect(
        self,
        address: tuple[str, int],
        timeout: object = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """Open a connection as ``socket.create_connection`` does, within the time left.

        The ``timeout`` asked for is ignored: each read of the socket may take at most
        what is left of the whole fetch, and end() cuts off whatever is still running.
        """
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock = socket.create_connection(address, left, source_address)
        with self._lock:
            if self._ended:
                sock.close()
                raise TimeoutError
            # A second descriptor of the same connection: shutting it down from the
            # caller's thread ends any read blocked on the first, even inside TLS, and
            # never touches the socket object the fetch is using.
            self._sockets.append(sock.dup())
        return sock

    def run(self, fetch: Callable[[], Retrieved]) -> None:
        """Call ``fetch`` and keep what it returns or raises, unless end() came first."""
        try:
            outcome: Retrieved | Exception = fetch()
        except Exception as error:  # raised again in the caller's thread
            outcome = error
        with self._lock:
            if not self._ended:
                self._outcome = outcome

    def end(self) -> Retrieved | Exception | None:
        """Shut every connection down and return the outcome, ``None`` if there is none yet."""
        with self._lock:
            self._ended = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()
            return self._outcome


def _read_capped(stream: IO[bytes], max_bytes: int, where: str, *, expected: int = 0) -> bytes:
    """Read ``stream`` to its end, refusing more than ``max_bytes``.

    ``expected`` bytes (a file's size) are read at once, without a copy; then the
    rest, if the file grew, in chunks.
    """
    first = stream.read(min(expected, max_bytes) + 1) if expected else b""
    if expected and len(first) <= expected:
        return first
    chunks: list[bytes] = [first] if first else []
    total = len(first)
    while True:
        if total > max_bytes:
            raise _too_large(where, f"more than {_megabytes(max_bytes)} MiB", max_bytes)
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        chunks.append(chunk)


def _decode(data: bytes, where: str, charset: str) -> str:
    try:
        return data.decode("utf-8-sig" if charset.lower() in ("utf-8", "utf8") else charset)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise failure(
            where,
            f"the document is not {charset} text (byte 0x{data[error.start]:02x})",
            line=line,
            hint="save it as UTF-8",
        ) from None
    except LookupError:
        raise failure(where, f"unknown character set {charset!r}") from None


def _charset(headers: Message) -> str:
    return headers.get_content_charset() or "utf-8"


def failure(
    where: str,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    hint: str = "",
) -> InputError:
    """Return the error about the document ``where`` (a path or a URL)."""
    if is_remote(where):
        # An error's path is a file path; a URL would lose one of its slashes there.
        place = f" (line {line})" if line is not None else ""
        return InputError(f"{where}{place}: {message}", hint=hint)
    return InputError(message, path=where, line=line, column=column, hint=hint)


def _too_large(where: str, size: str, max_bytes: int) -> InputError:
    return failure(
        where,
        f"the document is too large ({size}; the limit is {_megabytes(max_bytes)} MiB)",
        hint="raise the limit with --max-size MiB if the document is trusted",
    )


def _too_slow(where: str, timeout: float) -> InputError:
    return failure(
        where,
        f"fetching it took longer than the timeout of {timeout:g} s",
        hint="raise the limit with --timeout SECONDS, or download the document and pass the file",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to HTTP and HTTPS URLs only."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_remote(newurl):
            raise urllib.error.URLError(f"redirected to {shown_url(newurl)!r}, which is not http")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _connections(
    http_class: Callable[..., http.client.HTTPConnection], transfer: _Transfer
) -> Callable[..., http.client.HTTPConnection]:
    """Return a maker of ``http_class`` connections whose sockets ``transfer`` opens."""

    def connection(host: str, **options: Any) -> http.client.HTTPConnection:
        made = http_class(host, **options)
        # http.client opens every socket through this private hook, a TLS one before its
        # handshake, so the deadline covers name lookup, connection and TLS as well.
        # Typeshed does not declare it, hence setattr.
        setattr(made, "_create_connection", transfer.connect)  # noqa: B010
        return made

    return connection


class _TransferHandler(urllib.request.AbstractHTTPHandler):
    """A handler whose connections belong to one transfer (see :class:`_Transfer`)."""

    def __init__(self, transfer: _Transfer) -> None:
        super().__init__()
        self._transfer = transfer

    def do_open(
        self,
        http_class: Callable[..., http.client.HTTPConnection],
        req: urllib.request.Request,
        **http_conn_args: Any,
    ) -> http.client.HTTPResponse:
        return super().do_open(_connections(http_class, self._transfer), req, **http_conn_args)


class _HttpHandler(_TransferHandler, urllib.request.HTTPHandler):
    """Plain HTTP whose connections belong to one transfer."""


class _HttpsHandler(_TransferHandler, urllib.request.HTTPSHandler):
    """HTTPS whose connections belong to one transfer."""


def _opener(transfer: _Transfer) -> urllib.request.OpenerDirector:
    # Built from explicit handlers: no file:, ftp: or data: handler is installed.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HttpHandler(transfer),
        _HttpsHandler(transfer),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    return opener
