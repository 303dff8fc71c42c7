"""A read-only SPARQL 1.1 Protocol endpoint at ``/sparql``, over the served graph's default graph.

Requests (SPARQL 1.1 Protocol, section 2.1): ``GET /sparql?query=…``, ``POST`` of a form
(``application/x-www-form-urlencoded``, ``query=…``) or ``POST`` of the query itself
(``application/sparql-query``). Answers: SELECT and ASK in SPARQL results JSON (the
default), XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle (the default), N-Triples,
JSON-LD or RDF/XML; chosen by ``Accept`` or by ``format=`` (what SPARQLWrapper sends:
``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``nt``, ``json-ld``…). Our prefixes
(``aikg:``, ``aikgs:``, ``skos:``, ``rdfs:``…) are declared for every query.

Refused, with the reason in a ``text/plain`` body:

* 403 for SPARQL Update in any form (``update=``, ``application/sparql-update``, an update
  sent as a query), ``SERVICE`` (the server would fetch other endpoints), and datasets
  (``FROM``, ``FROM NAMED``, ``default-graph-uri``, ``named-graph-uri``): the endpoint
  answers over its one default graph, the triples ``/ontology`` serves;
* 400 for a syntax error (the parser's message and place) or a missing or repeated query;
  406 when no accepted format fits the query's form; 415 for another request body.

Limits, and what they do and do not bound. Oxigraph's Python API can neither cancel a query
nor give it a time limit (oxigraph issue 1926), so:

* **time**: the client gets a 503 at the time limit (``timeout_s``) whatever the query is
  doing. A query whose results are being written stops itself at the next 8 KiB written
  after the limit; a query that computes for long without writing (a big ORDER BY, GROUP BY
  or COUNT, a join whose rows are all filtered out) runs on in its thread until it ends.
* **concurrency**: queries run in the service's slots (api/scheduling.py), shared with GraphQL:
  SPARQL holds at most all slots but one (``max_concurrent`` when the router has its own),
  counting such leftover ones, so runaway queries occupy at most that many threads (about as
  many cores) and never starve GraphQL; a request waits for a free slot within its own time
  limit, else 503 with ``Retry-After``.
* **size**: results over ``max_result_bytes`` are refused (400, "add a LIMIT"); memory per
  query is bounded by that, as results are kept until complete so that a limit reached
  midway is still an error status rather than a cut-off body.
* **query text**: at most ``max_query_chars`` characters (413 beyond). Oxigraph parses and
  plans by recursion, and a deeply nested query (thousands of brackets, a long ``1+1+…`` or
  ``UNION`` chain) overflows a thread's usual 8 MiB stack and kills the whole process; queries
  run in threads with a 256 MiB stack (address space, touched only as used), which holds the
  deepest query of that length with room to spare. Such a query can still take seconds to
  parse (a 16,000-term sum about 10 s), which the slots above bound.
* the request body is bounded by the service's body limit (``--max-body-bytes``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.errors import Refused, http_response
from api.scheduling import Slots
from api.web.negotiation import negotiate
from graph import KnowledgeGraph
from graph.errors import AikgError, InvalidQuery, NotAcceptable, QueryLimitExceeded, QueryRefused
from graph.sparql_guard import check_read_only

__all__ = ["MAX_CONCURRENT", "MAX_QUERY_CHARS", "MAX_RESULT_BYTES", "sparql_router"]

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"

#: What SELECT and ASK can answer in, best first; and other names for the same.
RESULTS_TYPES = (RESULTS_JSON, RESULTS_XML, CSV, TSV)
RESULTS_ALIASES = {
    "application/json": RESULTS_JSON,
    "application/xml": RESULTS_XML,
    "text/xml": RESULTS_XML,
}
#: What CONSTRUCT and DESCRIBE can answer in, best first; and other names (Turtle is N3 too).
GRAPH_TYPES = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
GRAPH_ALIASES = {
    "application/x-turtle": TURTLE, "application/turtle": TURTLE, "text/n3": TURTLE,
    "text/rdf+n3": TURTLE, "application/n3": TURTLE, "application/x-json+ld": JSON_LD,
}  # fmt: skip
#: ``format=`` names, for each form.
RESULTS_NAMES = {
    "json": RESULTS_JSON,
    "srj": RESULTS_JSON,
    "xml": RESULTS_XML,
    "srx": RESULTS_XML,
    "csv": CSV,
    "tsv": TSV,
}
GRAPH_NAMES = {
    "turtle": TURTLE, "ttl": TURTLE, "n3": TURTLE, "nt": N_TRIPLES, "ntriples": N_TRIPLES,
    "n-triples": N_TRIPLES, "json-ld": JSON_LD, "jsonld": JSON_LD, "json": JSON_LD,
    "xml": RDF_XML, "rdf": RDF_XML, "rdfxml": RDF_XML, "rdf+xml": RDF_XML,
}  # fmt: skip
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    TSV: "text/tab-separated-values; charset=utf-8",
    TURTLE: "text/turtle; charset=utf-8",
}
#: Protocol parameters that name a dataset or an update: refused.
DATASET_PARAMETERS = (
    "default-graph-uri",
    "named-graph-uri",
    "using-graph-uri",
    "using-named-graph-uri",
)
VARY = {"Vary": "Accept"}
#: The default limits (see the module's docstring); the MCP tool sparql_select uses them too.
MAX_RESULT_BYTES = 16 << 20
MAX_CONCURRENT = 2
MAX_QUERY_CHARS = 32_768


def sparql_router(
    current_graph: Callable[[], KnowledgeGraph],
    *,
    timeout_s: float = 10.0,
    max_result_bytes: int = MAX_RESULT_BYTES,
    max_concurrent: int = MAX_CONCURRENT,
    max_query_chars: int = MAX_QUERY_CHARS,
    slots: Slots | None = None,
) -> APIRouter:
    """``GET`` and ``POST /sparql`` over the graph ``current_graph()`` returns, run in ``slots``."""
    router = APIRouter(tags=["SPARQL"])
    slots = slots or Slots(size=max_concurrent + 1, queue=8)  # SPARQL's share: max_concurrent

    @router.api_route(
        "/sparql",
        methods=["GET", "POST"],
        response_class=Response,
        summary="Read-only SPARQL 1.1 query endpoint (SELECT, ASK, CONSTRUCT, DESCRIBE).",
    )
    async def sparql(request: Request) -> Response:
        deadline = time.monotonic() + timeout_s
        graph = current_graph()
        try:
            query, format_name = await _read_request(request)
            if len(query) > max_query_chars:
                raise Refused(
                    413,
                    f"The query has {len(query):,} characters; the limit is {max_query_chars:,}.",
                )
            check_read_only(query)
            results_type, graph_type = _choose(request.headers.get("accept"), format_name)
            media_type, body = await slots.run(
                lambda: graph.store.query_results(
                    query,
                    results_type,
                    graph_type,
                    max_bytes=max_result_bytes,
                    deadline=deadline,
                    prefixes=graph.prefixes,
                ),
                deadline=deadline,
                kind="sparql",
            )
        except (Refused, QueryRefused, InvalidQuery, NotAcceptable, QueryLimitExceeded) as error:
            return http_response(
                error, _message(error, max_result_bytes, timeout_s), _headers(error)
            )
        return Response(body, media_type=CONTENT_TYPES.get(media_type, media_type), headers=VARY)

    return router


_AVAILABLE = (
    f"SELECT and ASK: {', '.join(RESULTS_TYPES)}; CONSTRUCT and DESCRIBE: {', '.join(GRAPH_TYPES)}."
)


def _message(error: Refused | AikgError, max_result_bytes: int, timeout_s: float) -> str:
    """The body of a refusal (its status comes from api/errors.py): the error's own words or,
    for a form the format cannot carry and the size and time limits, what the client can do."""
    if isinstance(error, NotAcceptable):
        text = f"{error} queries cannot be answered in the format asked for. {_AVAILABLE}"
    elif isinstance(error, QueryLimitExceeded) and error.limit == "size":
        text = f"The results exceed the limit of {max_result_bytes:,} bytes; add a LIMIT."
    elif isinstance(error, QueryLimitExceeded) and error.limit != "busy":
        text = f"The query ran longer than the time limit of {timeout_s:g} s."
    else:
        text = str(error)
    return text + "\n"


def _headers(error: Exception) -> dict[str, str]:
    busy = isinstance(error, QueryLimitExceeded) and error.limit == "busy"
    return {**VARY, "Retry-After": "1"} if busy else VARY


async def _read_request(request: Request) -> tuple[str, str | None]:
    """The query text and the ``format=`` parameter, from a GET or either kind of POST."""
    parameters: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        parameters.setdefault(name, []).append(value)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if content_type == "application/sparql-update":
            raise Refused(403, "This endpoint is read-only: SPARQL Update is not accepted.")
        if content_type == "application/x-www-form-urlencoded":
            for name, values in parse_qs(_text(body), keep_blank_values=True).items():
                parameters.setdefault(name, []).extend(values)
        elif content_type == "application/sparql-query":
            parameters.setdefault("query", []).append(_text(body))
        else:
            raise Refused(
                415,
                "POST a form (application/x-www-form-urlencoded, query=…) or the query itself "
                "(application/sparql-query).",
            )
    if "update" in parameters:
        raise Refused(403, "This endpoint is read-only: SPARQL Update is not accepted.")
    given = [name for name in DATASET_PARAMETERS if name in parameters]
    if given:
        raise Refused(
            403, f"{given[0]} is not accepted: this endpoint answers over its one default graph."
        )
    queries = parameters.get("query", [])
    if len(queries) != 1:
        raise Refused(
            400, "Send exactly one SPARQL query, as the query parameter or the request body."
        )
    formats = parameters.get("format", [])
    return queries[0], formats[0] if formats else None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "The request body is not valid UTF-8.") from None


def _choose(accept: str | None, format_name: str | None) -> tuple[str | None, str | None]:
    """The media types for a results answer and for a graph answer (None where none fits)."""
    if format_name is not None:
        name = format_name.lower()
        results = RESULTS_NAMES.get(name, name if name in RESULTS_TYPES else None)
        graph = GRAPH_NAMES.get(name, name if name in GRAPH_TYPES else None)
    else:
        results = _negotiate(accept, RESULTS_TYPES, RESULTS_ALIASES)
        graph = _negotiate(accept, GRAPH_TYPES, GRAPH_ALIASES)
    if results is None and graph is None:
        asked = f"format={format_name}" if format_name is not None else f"Accept: {accept}"
        raise Refused(406, f"Cannot answer in what was asked for ({asked}). {_AVAILABLE}")
    return results, graph


def _negotiate(accept: str | None, offered: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    chosen = negotiate(accept, offered + tuple(aliases))
    return None if chosen is None else aliases.get(chosen, chosen)
