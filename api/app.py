"""The FastAPI application: GraphQL at /graphql, Turtle at /ontology.ttl, SSSOM at
/mappings.sssom.tsv, /health."""

from __future__ import annotations

import time
from typing import Any

from cross_web import HTTPException  # the exception strawberry's views turn into 4xx
from fastapi import FastAPI
from fastapi.responses import Response, StreamingResponse
from strawberry.asgi import GraphQL

from api.graphql.admission import Admission, AdmittedView
from api.graphql.context import Context
from api.graphql.limits import Limits
from api.graphql.schema import build_schema
from api.mcp.http import add_mcp
from api.middleware import GuardMiddleware
from api.scheduling import tune_interpreter
from api.settings import Settings
from api.web.explorer import add_explorer
from api.web.graphiql import graphiql_response
from api.web.linked_data import linked_data_router
from api.web.negotiation import parse_accept
from api.web.sparql import sparql_router
from api.wiring import live_graph
from graph import KnowledgeGraph
from graph.edits.live import LiveGraph
from graph.explore.skos import turtle_export
from graph.explore.sssom import sssom_lines
from ontology import shapes_file

TURTLE = "text/turtle; charset=utf-8"
#: Up to this many triples the export is made once and kept; above, it is streamed.
CACHED_EXPORT_TRIPLES = 200_000
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


# The mixin's execute_single takes strawberry's arguments untyped (Any): mypy sees two signatures.
class _GraphQLApp(AdmittedView, GraphQL[Context, None]):  # type: ignore[misc]
    """Strawberry's own ASGI app (about twice the throughput of FastAPI's router)."""

    def __init__(
        self,
        live: LiveGraph,
        limits: Limits,
        timeout_s: float,
        write_tokens: tuple[tuple[str, str], ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._live = live
        self._limits = limits
        self._timeout_s = timeout_s
        self._write_tokens = write_tokens

    async def get_context(self, request: Any, response: Any) -> Context:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        return Context(  # the graph is taken once: the whole request reads one revision
            self._live.current,
            request_id,
            self._limits,
            time.monotonic() + self._timeout_s,
            self._timeout_s,
            live=self._live,
            authorization=request.headers.get("authorization"),
            write_tokens=self._write_tokens,
        )

    async def render_graphql_ide(self, request: Any) -> Response:
        """GraphiQL from the package's own files instead of strawberry's CDN page (offline)."""
        return graphiql_response()

    def parse_json(self, data: str | bytes) -> Any:
        """Strawberry's JSON parsing, with every malformed body a 400 instead of a crash."""
        try:
            decoded = self.decode_json(data)
        except RecursionError:
            raise HTTPException(
                400, "Unable to parse request body as JSON: nested too deeply"
            ) from None
        except ValueError as error:  # JSONDecodeError, invalid UTF-8, integers past the digit limit
            raise HTTPException(400, f"Unable to parse request body as JSON: {error}") from None
        if not isinstance(decoded, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object.")
        return decoded

    # GraphQL over HTTP: answer in application/graphql-response+json when the client asks for
    # it, and then a request error (nothing executed) is a 400 without a "data" entry. Clients
    # that accept application/json (or anything) keep strawberry's 200 application/json.

    async def get_sub_response(self, request: Any) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = _negotiated_media_type(request.headers.get("accept", ""))
        return sub_response

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        status = 200
        if isinstance(response_data, dict) and _over_time(response_data):
            status = (
                503  # the request was stopped at its time limit: an answer in part is no answer
            )
            response_data = {key: value for key, value in response_data.items() if key != "data"}
        elif sub_response.media_type == GRAPHQL_RESPONSE and isinstance(response_data, dict):
            status = _request_error_status(response_data)
            if status != 200:
                response_data = {
                    key: value for key, value in response_data.items() if key != "data"
                }
        refused = _refused_write(response_data)
        if refused:  # a mutation without a usable token: 401 or 403, as the error says
            status = refused
            if refused == 401:
                sub_response.headers["WWW-Authenticate"] = 'Bearer realm="aikg"'
        response = super().create_response(response_data, sub_response)
        response.status_code = sub_response.status_code or status
        response.headers["content-type"] = sub_response.media_type or JSON
        return response


def _refused_write(response_data: Any) -> int | None:
    """401 or 403 when a mutation was refused for its credentials (api/auth.py), else None."""
    errors = (response_data.get("errors") or []) if isinstance(response_data, dict) else []
    statuses = [(e.get("extensions") or {}).get("status") for e in errors]
    return 401 if 401 in statuses else 403 if 403 in statuses else None


def _over_time(response_data: dict[str, Any]) -> bool:
    errors = response_data.get("errors") or []
    return any((e.get("extensions") or {}).get("limit") == "timeout" for e in errors)


def _negotiated_media_type(accept: str) -> str:
    """application/graphql-response+json when named with a quality at least that of
    application/json.

    Only the two names count, not wildcards: a client that does not name the new type keeps
    strawberry's application/json.

    >>> _negotiated_media_type("application/graphql-response+json;q=0.9, application/json;q=0.8")
    'application/graphql-response+json'
    >>> _negotiated_media_type("application/graphql-response+json;q=0.5, */*"), (
    ...     _negotiated_media_type("*/*")
    ... )
    ('application/graphql-response+json', 'application/json')
    """
    if GRAPHQL_RESPONSE not in accept.lower():  # most requests: no parsing
        return JSON
    named: dict[str, float] = {}
    for media_range, quality in parse_accept(accept):
        named[media_range] = max(quality, named.get(media_range, 0.0))
    preferred = named.get(GRAPHQL_RESPONSE, 0.0)
    return GRAPHQL_RESPONSE if preferred > 0 and preferred >= named.get(JSON, 0.0) else JSON


def _request_error_status(response_data: dict[str, Any]) -> int:
    """200 once execution started (data, or an error at a field path); else 400, or 500 for a
    crash."""
    errors = response_data.get("errors") or []
    if (
        response_data.get("data") is not None
        or not errors
        or any("path" in error for error in errors)
    ):
        return 200
    crashed = any(
        (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" for error in errors
    )
    return 500 if crashed else 400


def create_app(
    settings: Settings | None = None,
    graph: KnowledgeGraph | None = None,
    live: LiveGraph | None = None,
) -> FastAPI:
    """Build the app over the backend the settings name (api/wiring.py); tests inject their own
    graph (served, and editable in memory) or live graph."""
    settings = settings or Settings()
    if live is None:
        live = (
            live_graph(settings)
            if graph is None
            else LiveGraph(graph.store, graph, shapes=shapes_file())
        )
    app = FastAPI(title="aikg", summary="A knowledge graph of AI concepts, over GraphQL.")
    app.state.live = live
    graphql = _GraphQLApp(
        live,
        settings.limits,
        settings.timeout_s,
        settings.write_tokens,
        schema=build_schema(settings.limits),
        graphql_ide="graphiql" if settings.graphiql else None,
    )
    graphql.admission = app.state.admission = Admission.from_settings(
        settings
    )  # cost, budget, slots
    # The graph is loaded: a short GIL switch interval and a frozen heap (api/scheduling.py).
    tune_interpreter()
    app.add_route("/graphql", graphql, methods=["GET", "POST"])  # type: ignore[arg-type]  # an ASGI app, served as one
    add_explorer(app)  # the explorer page at / and its files at /static
    app.include_router(linked_data_router(lambda: live.current))  # /concept/{id}, /ontology
    sparql = sparql_router(
        lambda: live.current, timeout_s=settings.timeout_s, slots=graphql.admission.slots
    )
    app.include_router(sparql)  # /sparql, in the same slots as GraphQL
    add_mcp(
        app, lambda: live.current, settings
    )  # MCP over streamable HTTP at /mcp (api/mcp/http.py)

    cached: dict[bool, tuple[KnowledgeGraph, bytes]] = {}

    @app.get(
        "/ontology.ttl",
        response_class=Response,
        summary="The whole graph as deterministic Turtle, with its SKOS view (as `aikg export`); "
        "?skos=false leaves the view out.",
    )
    def ontology_turtle(skos: bool = True) -> Response:
        graph = live.current
        if graph.triple_count > CACHED_EXPORT_TRIPLES:  # large graphs stream, subject by subject
            return StreamingResponse(turtle_export(graph, skos), media_type=TURTLE)
        kept = cached.get(skos)
        if (
            kept is None or kept[0] is not graph
        ):  # made once per served graph (edits make a new one)
            kept = cached[skos] = (graph, "".join(turtle_export(graph, skos)).encode())
        return Response(kept[1], media_type=TURTLE)

    @app.get(
        "/mappings.sssom.tsv",
        response_class=Response,
        summary="The mappings to other vocabularies (AIO, Papers with Code) as an SSSOM mapping "
        "set, as `aikg export --format sssom`; the set's mapping_set_id names this address.",
    )
    def mappings_sssom() -> Response:
        return Response(
            "".join(sssom_lines(live.current)).encode(),
            media_type="text/tab-separated-values; charset=utf-8",
        )

    @app.get("/health", summary="Liveness, with the size and revision of the graph being served.")
    def health() -> dict[str, object]:
        graph = live.current
        return {
            "status": "ok",
            "triples": graph.triple_count,
            "concepts": len(graph),
            "revision": live.revision,
        }

    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        # A backstop for awaits that never return; resolvers stop themselves at the limit
        # (Context.check_time), so the backstop leaves them room to answer with a 503.
        timeout_s=settings.timeout_s * 2 + 1,
        timed_paths=("/graphql", "/sparql", "/mcp"),
    )
    return app
