"""What every response of the team server carries, and what every request may not do:
security headers, a bound on the body, and a brake on guessing tokens."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

__all__ = ["SECURITY_HEADERS", "BodyLimit", "LoginThrottle", "SecurityHeaders"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Not no-referrer: a browser then sends "Origin: null" with our own forms, and the
    # sign-in form could not tell them from another site's.
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every response (those a route set are kept)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(
                        (name.encode(), value.encode())
                        for name, value in SECURITY_HEADERS.items()
                        if name.encode() not in present
                    ),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body over ``max_bytes`` with 413, counted as it arrives (a
    ``Content-Length`` that says more is refused before anything is read)."""

    def __init__(self, app: App, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await _too_large(send, self.max_bytes)


class _TooLarge(HTTPException):
    """A body grown past the limit while it is read.

    An HTTP exception, because FastAPI turns any other error raised while it reads a
    body into 400 "error parsing the body"; it lets this one through, and the app's
    handler answers 413. A reader that lets it escape is answered here instead.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is over {max_bytes} bytes")


async def _too_large(send: Send, max_bytes: int) -> None:
    body = f'{{"detail":"the request body is over {max_bytes} bytes"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LoginThrottle:
    """At most ``failures`` wrong tokens per client address in ``window`` seconds; past
    that, the address waits until the oldest failure leaves the window."""

    def __init__(self, failures: int = 10, window: float = 60.0) -> None:
        self.failures = failures
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds ``client`` must wait before trying a token again, or None."""
        with self._lock:
            recent = self._recent(client)
            if len(recent) < self.failures:
                return None
            return max(1, math.ceil(recent[0] + self.window - time.monotonic()))

    def failed(self, client: str) -> None:
        """Count a wrong token from ``client``."""
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        recent = self._seen.setdefault(client, deque())
        cutoff = time.monotonic() - self.window
        while recent and recent[0] < cutoff:
            recent.popleft()
        return recent
