"""Request guards at the HTTP edge: a request id, a body size limit and a time limit.

Written as plain ASGI (no ``BaseHTTPMiddleware``): it adds a few microseconds per
request, not a task and a stream copy.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.errors import BodyTooLarge, json_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID_HEADER = b"x-request-id"
_SAFE_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}\Z")


class GuardMiddleware:
    """Give every request an id, refuse bodies over ``max_body_bytes``, and stop requests to
    ``timed_paths`` after ``timeout_s`` (streamed downloads such as the Turtle export are not
    timed)."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, timeout_s: float, timed_paths: tuple[str, ...]
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout_s = timeout_s
        self.timed_paths = timed_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(REQUEST_ID_HEADER, b"")
        request_id = given.decode() if _SAFE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(send, request_id, BodyTooLarge(self._too_large(int(declared))))
            return
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise BodyTooLarge(self._too_large(received))
            return message

        timeout = self.timeout_s if scope.get("path") in self.timed_paths else None
        try:
            await asyncio.wait_for(self.app(scope, counted_receive, send_with_id), timeout)
        except BodyTooLarge as error:
            if not started:
                await self._refuse(send, request_id, error)
        except TimeoutError:  # asyncio's, since Python 3.11
            if not started:
                message = f"The request took longer than the time limit of {self.timeout_s:g} s."
                await self._refuse(send, request_id, TimeoutError(message))

    def _too_large(self, size: int) -> str:
        return (
            f"The request body of {size:,} bytes exceeds the limit of "
            f"{self.max_body_bytes:,} bytes."
        )

    @staticmethod
    async def _refuse(send: Send, request_id: str, error: Exception) -> None:
        status, body = json_error(error)  # 413 or 503, as api/errors.py says
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (REQUEST_ID_HEADER, request_id.encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
