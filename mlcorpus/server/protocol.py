"""uvicorn's HTTP protocol with a deadline for the request head.

uvicorn times out idle keep-alive connections but not a client that opens a
connection and sends its request line and headers a byte at a time; enough
of those would fill the server's connection limit.  This protocol closes a
connection whose headers are not complete within the deadline after it
opened or after the request began (the body has its own deadline, see
:class:`mlcorpus.server.security.BodyGuard`).
"""

from __future__ import annotations

import asyncio
from typing import Any


def head_timeout_protocol(timeout: float) -> type | str:
    """An ``http=`` protocol class for ``uvicorn.Config``, or ``"auto"``
    when httptools (which it builds on) is not installed."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return "auto"

    class HeadTimeoutProtocol(HttpToolsProtocol):
        _head_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(timeout, self._head_timed_out)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeadTimeoutProtocol
