"""GraphiQL at ``/graphql`` for browsers, from the files shipped in ``api/static/`` (no CDN).

Strawberry's own page loads React and GraphiQL from a CDN and stays on "Loading…" offline. The
GraphQL view (api/app.py) answers a browser's GET without a query with :func:`graphiql_response`
instead; its scripts and styles are served from ``/static`` (api/web/explorer.py), and
``static/vendor/README.md`` names their versions and sources.
"""

from __future__ import annotations

from functools import cache

from fastapi.responses import HTMLResponse

from api.web.explorer import STATIC

#: Scripts and styles only from this server, requests only to it. GraphiQL's components set
#: inline styles as they render, so styles (not scripts) may be inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@cache
def _page() -> str:
    return (STATIC / "graphiql.html").read_text(encoding="utf-8")


def graphiql_response() -> HTMLResponse:
    """The GraphiQL page, with a policy that lets it load nothing from another host."""
    return HTMLResponse(
        _page(),
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )
