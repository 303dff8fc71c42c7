"""The explorer web page at ``/`` and its files under ``/static/`` (shipped as package data)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parents[1] / "static"

#: The one inline style the page runs: Cytoscape.js adds it to <head> when it draws its first graph.
CYTOSCAPE_STYLE = ".__________cytoscape_container { position: relative; }"


def _style_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: The page loads only its own files and talks only to its own server: no CDN, no inline code,
#: and no inline style but Cytoscape's, allowed by its hash.
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {_style_hash(CYTOSCAPE_STYLE)}; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def add_explorer(app: FastAPI) -> None:
    """Serve the explorer page at ``/`` and its scripts, styles and vendored libraries at
    ``/static``."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def explorer() -> FileResponse:
        return FileResponse(
            STATIC / "index.html",
            headers={
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
            },
        )
