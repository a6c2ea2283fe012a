"""Read an OpenAPI document from a file or a URL, within a size limit and a deadline.

A file is measured before it is opened: one larger than the limit is refused without
reading a byte of it, and the read itself stops one byte past the limit, so a file
that grows, or a device such as ``/dev/zero``, cannot fill the memory either.

A URL is fetched only when the caller allows it. The client speaks plain HTTP and
HTTPS only (no ``file:`` or ``ftp:``, not even through a redirect), gives up after
``timeout`` seconds for the whole transfer, not only per read, and refuses a body
larger than the limit, whether announced by ``Content-Length`` or found while reading.
"""

from __future__ import annotations

import stat
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPMessage
from pathlib import Path
from typing import IO
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
            data = _read_capped(stream, max_bytes, where)
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", path=where) from None
    text = _decode(data, where, "utf-8")
    return Retrieved(text, path.resolve().as_uri(), where, path.name)


def read_remote(url: str, *, max_bytes: int, timeout: float) -> Retrieved:
    """Fetch ``url`` over HTTP or HTTPS, within ``max_bytes`` and ``timeout`` seconds.

    Raises:
        UsageError: the URL is not HTTP or HTTPS.
        InputError: the server cannot be reached, answers with an error, is too slow,
            or sends more than ``max_bytes`` or text that does not decode.
    """
    shown = shown_url(url)
    if not is_remote(url):
        raise UsageError(f"{shown}: only http and https URLs can be fetched")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url, headers={"Accept": "application/json, application/yaml, text/yaml, */*"}
    )
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(shown, f"{_megabytes(int(length))} MiB", max_bytes)
            data = _read_capped(response, max_bytes, shown, deadline=deadline)
            charset = _charset(response.headers)
            final = response.geturl()
    except urllib.error.HTTPError as error:
        raise failure(shown, f"the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise failure(shown, f"cannot fetch it: {error.reason}") from None
    except TimeoutError:
        raise _too_slow(shown, timeout) from None
    except OSError as error:
        raise failure(shown, f"cannot fetch it: {error}") from None
    text = _decode(data, shown, charset)
    name = unquote(urlsplit(final).path.rstrip("/").rpartition("/")[2]) or urlsplit(final).netloc
    return Retrieved(text, final, shown, name)


def _read_capped(
    stream: IO[bytes], max_bytes: int, where: str, *, deadline: float | None = None
) -> bytes:
    """Read ``stream`` to its end, refusing more than ``max_bytes`` or passing ``deadline``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(where, f"more than {_megabytes(max_bytes)} MiB", max_bytes)
        chunks.append(chunk)
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError


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
        f"no complete answer within {timeout:g} s",
        hint="try again, raise --timeout, or download the document and pass the file",
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


def _opener() -> urllib.request.OpenerDirector:
    # Built from explicit handlers: no file:, ftp: or data: handler is installed.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    return opener
