"""MCP over streamable HTTP at ``/mcp`` inside the service's app, under the ``/graphql`` limits.

Stateless, with JSON responses: every POST is answered on its own (no session to keep, no
open event stream), so the service's guard (:mod:`api.middleware`) bounds it like
``/graphql`` — the body size (``max_body_bytes``, 413) and the time (add ``/mcp`` to its
timed paths) — and the tools check page sizes against ``limits.max_page_size``. Every tool
is read-only. The SDK's session manager runs once per app lifespan (it cannot be restarted),
so a new one is made each time the app starts.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from api.mcp.server import build_server
from api.middleware import Receive, Scope, Send
from api.settings import Settings
from graph import KnowledgeGraph

__all__ = ["MCP_PATH", "add_mcp"]

MCP_PATH = "/mcp"


def add_mcp(app: FastAPI, current: Callable[[], KnowledgeGraph], settings: Settings) -> None:
    """Answer MCP at ``/mcp`` over the graph ``current()`` returns, started with the app."""
    slots = (
        app.state.admission.slots
    )  # the app's slots: a long SPARQL call here cannot starve GraphQL
    endpoint = _Endpoint(
        build_server(current, settings.limits, settings.timeout_s, slots), settings
    )
    app.add_route(MCP_PATH, endpoint, methods=["GET", "POST", "DELETE"])  # type: ignore[arg-type]  # an ASGI app
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(started: Any) -> AsyncIterator[Any]:
        async with outer(started) as state, endpoint.running():
            yield state

    app.router.lifespan_context = lifespan


class _Endpoint:
    """The ASGI app at ``/mcp``: the SDK's streamable HTTP transport while the app runs."""

    def __init__(self, server: MCPServer, settings: Settings) -> None:
        self._server = server
        self._settings = settings
        self._manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Make and run a session manager for one lifespan of the app."""
        self._server.streamable_http_app(
            streamable_http_path=MCP_PATH,
            stateless_http=True,
            json_response=True,
            max_request_body_size=self._settings.max_body_bytes,
            host=self._settings.host,  # on loopback the SDK checks Host and Origin (DNS rebinding)
        )
        manager = self._server.session_manager
        async with manager.run():
            self._manager = manager
            try:
                yield
            finally:
                self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._manager is None:  # an app used without its lifespan (a TestClient outside `with`)
            body = json.dumps(
                {"error": "The MCP endpoint runs only while the app's lifespan does."}
            ).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self._manager.handle_request(scope, receive, send)  # type: ignore[arg-type]
