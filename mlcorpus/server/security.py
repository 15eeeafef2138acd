"""API keys, the per-key rate limit and the request-body guard.

The body guard is plain ASGI middleware in front of everything: it refuses a
body larger than the limit (413) before or while it arrives, and a body that
trickles in slower than the timeout (408), so a slow or oversized upload
costs a connection only, never the translation worker.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from mlcorpus.server.errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: message when a key is needed and none was given (LibreTranslate's wording)
KEY_MISSING = "Please contact the server operator to get an API key"
KEY_INVALID = "Invalid API key"


class KeyCheck:
    """Accepts the configured keys; with none configured every request passes."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self._keys = [k.encode("utf-8") for k in keys]

    @property
    def required(self) -> bool:
        return bool(self._keys)

    def check(self, key: str | None) -> None:
        """Raise LibreTranslate's 400 (no key) or 403 (wrong key)."""
        if not self._keys:
            return
        if not key:
            raise ApiError(400, KEY_MISSING)
        given = key.encode("utf-8")
        # compare with every key, so the time taken does not tell which matched
        matched = [hmac.compare_digest(given, k) for k in self._keys]
        if not any(matched):
            raise ApiError(403, KEY_INVALID)


class RateLimiter:
    """At most *per_minute* requests in any 60 seconds per identity (API key,
    or client address without one); ``-1`` switches it off."""

    WINDOW = 60.0
    MAX_IDENTITIES = 10_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def hit(self, identity: str) -> None:
        """Count one request of *identity*; 429 when over the limit."""
        if self.per_minute < 0:
            return
        now = self._clock()
        times = self._seen.get(identity)
        if times is None:
            if len(self._seen) >= self.MAX_IDENTITIES:
                self._forget_idle(now)
            times = self._seen[identity] = deque()
        while times and now - times[0] >= self.WINDOW:
            times.popleft()
        if len(times) >= self.per_minute:
            raise ApiError(429, f"Slowdown: {self.per_minute} per 1 minute")
        times.append(now)

    def _forget_idle(self, now: float) -> None:
        for identity in [i for i, t in self._seen.items() if not t or now - t[-1] >= self.WINDOW]:
            del self._seen[identity]


class BodyGuard:
    """ASGI middleware: 413 for bodies over *max_bytes*, 408 for bodies not
    received within *timeout* seconds.  Errors are raised as :class:`ApiError`
    from ``receive``, so the app answers them in its JSON error shape."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if (
            self.max_bytes >= 0
            and length is not None
            and length.isdigit()
            and int(length) > self.max_bytes
        ):
            await _send_error(send, 413, self._too_large(int(length)))
            return
        await self.app(scope, self._guarded(receive), send)

    def _too_large(self, size: int) -> str:
        return f"Request too large: {size} bytes (limit {self.max_bytes})"

    def _guarded(self, receive: Receive) -> Receive:
        deadline = asyncio.get_running_loop().time() + self.timeout
        received = 0
        complete = False

        async def guarded() -> Message:
            nonlocal received, complete
            if complete:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise ApiError(
                    408, f"Request timeout: the body was not received within {self.timeout:g} s"
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if self.max_bytes >= 0 and received > self.max_bytes:
                    raise ApiError(413, self._too_large(received))
                complete = not message.get("more_body", False)
            return message

        return guarded


async def _send_error(send: Send, status: int, message: str) -> None:
    import json

    body = json.dumps({"error": message}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
