"""Linked Data: every concept IRI dereferences, and the whole graph downloads, in five syntaxes.

``GET /concept/{id}`` answers, by ``Accept`` or ``?format=``, with an HTML page (browsers),
Turtle (the default, through our deterministic writer), JSON-LD, N-Triples or RDF/XML of the
concept's description (see :mod:`graph.linked_data`). A reference that is not an id of our
namespace but names a concept (a label, a CURIE, a mapped IRI) is redirected (303) to the
concept's own page; an unknown one is a 404 with "did you mean" suggestions; an ambiguous
one a 300 listing the candidates. ``GET /ontology`` serves the whole graph the same way
(no HTML), ``?inferred=true`` adding the entailed is-a and example-of triples, streamed.
Both carry the SKOS view (a concept scheme, ``skos:broader``/``narrower``, top concepts: see
:mod:`graph.explore.skos`) unless ``?skos=false``.

Every answer carries ``Vary: Accept``; a format we cannot produce is a 406 that lists the
ones we can. ``?format=`` takes ``ttl|turtle|jsonld|nt|rdf|html`` (and a few spellings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from api.errors import http_response
from api.mcp.cards import card_markdown, concept_card
from api.web.concept_page import CONTENT_SECURITY_POLICY, concept_href, concept_page, not_found_page
from api.web.negotiation import negotiate
from graph import AmbiguousConcept, Concept, ConceptNotFound, KnowledgeGraph
from graph.errors import NotAcceptable
from graph.explore.describe import (
    TripleSet,
    WithEntailments,
    describe_concept,
    graph_triples,
    rdf_xml_unwritable,
)
from graph.explore.skos import SkosView, concept_skos_triples
from graph.store.results import serialize, serialize_stream
from graph.store.turtle import TripleSource, write_turtle
from graph.vocabulary import CONCEPT_NS

__all__ = ["linked_data_router"]

TURTLE = "text/turtle"
HTML = "text/html"
JSON_LD = "application/ld+json"
N_TRIPLES = "application/n-triples"
RDF_XML = "application/rdf+xml"
MARKDOWN = "text/markdown"  # the concept card an LLM reads (api/mcp/cards.py)

#: What each route offers, best first (the first is the answer to ``*/*`` or no ``Accept``).
CONCEPT_TYPES = (TURTLE, HTML, JSON_LD, N_TRIPLES, RDF_XML, MARKDOWN)
ONTOLOGY_TYPES = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
#: Other names clients use for the same syntaxes, accepted in ``Accept``.
ALIASES = {
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "application/xhtml+xml": HTML,
    "application/json": JSON_LD,  # JSON-LD is JSON: a client that asks for JSON can read it
}
#: ``?format=`` names.
FORMAT_NAMES = {
    "ttl": TURTLE, "turtle": TURTLE,
    "jsonld": JSON_LD, "json-ld": JSON_LD, "json": JSON_LD,
    "nt": N_TRIPLES, "ntriples": N_TRIPLES, "n-triples": N_TRIPLES,
    "rdf": RDF_XML, "xml": RDF_XML, "rdfxml": RDF_XML, "owl": RDF_XML,
    "html": HTML,
}  # fmt: skip
#: The Content-Type sent with each.
CONTENT_TYPES = {
    TURTLE: "text/turtle; charset=utf-8",
    HTML: "text/html; charset=utf-8",
    JSON_LD: "application/ld+json",
    N_TRIPLES: "application/n-triples",
    RDF_XML: "application/rdf+xml",
    MARKDOWN: "text/markdown; charset=utf-8",
}
#: Up to this many triples, the graph's downloads are made once per served graph and kept.
CACHED_TRIPLES = 200_000
VARY = {"Vary": "Accept"}


def linked_data_router(current_graph: Callable[[], KnowledgeGraph]) -> APIRouter:
    """``/concept/{id}`` and ``/ontology`` over the graph ``current_graph()`` returns per
    request."""
    router = APIRouter(tags=["Linked Data"])
    downloads = _Downloads()

    @router.api_route(
        "/concept/{reference:path}",
        methods=["GET", "HEAD"],
        response_class=Response,
        summary="A concept: HTML for browsers, or its description in Turtle, JSON-LD, "
        "N-Triples or RDF/XML.",
    )
    def concept(
        reference: str, request: Request, inferred: bool = False, skos: bool = True
    ) -> Response:
        graph = current_graph()
        try:
            media_type = _choose(request, CONCEPT_TYPES)
        except NotAcceptable as error:
            return http_response(error, headers=VARY)
        try:
            found = _find(graph, reference, request)
        except (ConceptNotFound, AmbiguousConcept) as error:
            return _not_found(error, reference, media_type)
        if isinstance(found, Response):  # a redirect to the concept's own IRI
            return found
        if media_type == HTML:
            body = concept_page(graph, found).encode()
            headers = {
                **VARY,
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
            }
            return _answer(request, body, HTML, headers)
        if media_type == MARKDOWN:
            return _answer(
                request, card_markdown(concept_card(graph, found)).encode(), MARKDOWN, VARY
            )
        triples = describe_concept(graph, found.iri)
        if inferred:
            triples.extend(graph.entailed(found.iri))
        if skos:
            triples.extend(concept_skos_triples(graph, found.iri))
        if (
            media_type == RDF_XML
            and (bad := rdf_xml_unwritable(p for _, p, _ in triples)) is not None
        ):
            return http_response(_unwritable(bad), headers=VARY)
        if media_type == TURTLE:
            body = "".join(write_turtle(TripleSet(triples), graph.prefixes)).encode()
        else:
            body = serialize(triples, media_type, graph.prefixes)
        return _answer(request, body, media_type, VARY)

    @router.api_route(
        "/ontology",
        methods=["GET", "HEAD"],
        response_class=Response,
        summary="The whole graph in Turtle, JSON-LD, N-Triples or RDF/XML; "
        "?inferred=true adds entailments, ?skos=false leaves out the SKOS view.",
    )
    def ontology(request: Request, inferred: bool = False, skos: bool = True) -> Response:
        graph = current_graph()
        try:
            media_type = _choose(request, ONTOLOGY_TYPES)
        except NotAcceptable as error:
            return http_response(error, headers=VARY)
        if (
            media_type == RDF_XML
            and (bad := rdf_xml_unwritable(downloads.predicates(graph))) is not None
        ):
            return http_response(_unwritable(bad), headers=VARY)
        headers = {
            **VARY,
            "Content-Disposition": (
                f'inline; filename="aikg{".inferred" if inferred else ""}'
                f'.{_EXTENSIONS[media_type]}"'
            ),
        }
        if request.method == "HEAD":
            return Response(status_code=200, media_type=CONTENT_TYPES[media_type], headers=headers)
        if graph.triple_count > CACHED_TRIPLES:  # large graphs stream, never held whole
            return StreamingResponse(
                _chunks(graph, media_type, inferred, skos),
                media_type=CONTENT_TYPES[media_type],
                headers=headers,
            )
        body = downloads.get(graph, media_type, inferred, skos)
        return Response(body, media_type=CONTENT_TYPES[media_type], headers=headers)

    return router


_EXTENSIONS = {TURTLE: "ttl", JSON_LD: "jsonld", N_TRIPLES: "nt", RDF_XML: "rdf"}


def _chunks(graph: KnowledgeGraph, media_type: str, inferred: bool, skos: bool) -> Iterator[bytes]:
    """The whole graph (with entailments, with the SKOS view) in a syntax, chunk by chunk."""
    if media_type == TURTLE:
        source: TripleSource = WithEntailments(graph) if inferred else graph.store
        if skos:
            source = SkosView(graph, source)
        return _batched(write_turtle(source, graph.prefixes))
    return serialize_stream(graph_triples(graph, inferred, skos), media_type, graph.prefixes)


def _batched(chunks: Iterator[str], size: int = 1 << 16) -> Iterator[bytes]:
    """The writer's chunks (one subject block each) joined into pieces of about ``size`` bytes."""
    batch: list[str] = []
    length = 0
    for chunk in chunks:
        batch.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(batch).encode()
            batch, length = [], 0
    if batch:
        yield "".join(batch).encode()


class _Downloads:
    """The whole graph's bytes per (syntax, inferred, skos), kept for the graph being served.

    When the served graph is swapped (after a write), the first request sees a different
    graph object and starts again from nothing.
    """

    def __init__(self) -> None:
        self._graph: KnowledgeGraph | None = None
        self._bytes: dict[tuple[str, bool, bool], bytes] = {}
        self._predicates: list[str] = []

    def _for(self, graph: KnowledgeGraph) -> None:
        if graph is not self._graph:
            self._graph, self._bytes, self._predicates = graph, {}, []

    def get(self, graph: KnowledgeGraph, media_type: str, inferred: bool, skos: bool) -> bytes:
        self._for(graph)
        key = (media_type, inferred, skos)
        if key not in self._bytes:
            self._bytes[key] = b"".join(_chunks(graph, media_type, inferred, skos))
        return self._bytes[key]

    def predicates(self, graph: KnowledgeGraph) -> list[str]:
        self._for(graph)
        if not self._predicates:
            self._predicates = graph.store.predicates()
        return self._predicates


def _choose(request: Request, offered: tuple[str, ...]) -> str:
    """The media type to answer in: ``?format=`` if given, else the best match for ``Accept``."""
    name = request.query_params.get("format")
    if name is not None:
        wanted = FORMAT_NAMES.get(name.lower(), ALIASES.get(name.lower(), name.lower()))
        if wanted in offered:
            return wanted
        raise _not_acceptable(offered, f"?format={name}")
    accept = request.headers.get("accept")
    aliases = tuple(alias for alias, target in ALIASES.items() if target in offered)
    chosen = negotiate(accept, offered + aliases)
    if chosen is None:
        raise _not_acceptable(offered, f"Accept: {accept}")
    return ALIASES.get(chosen, chosen)


def _find(graph: KnowledgeGraph, reference: str, request: Request) -> Concept | Response:
    """The concept a path names, or the redirect (303) to its own IRI; unknown or ambiguous ones
    raise."""
    found = graph.find_iri(CONCEPT_NS + reference)
    if found is not None:
        return found
    found = graph.resolve(reference)
    if found.id == reference:  # a concept outside our namespace, named by its CURIE or IRI
        return found
    query = f"?{urlencode(request.query_params)}" if request.query_params else ""
    return Response(status_code=303, headers={**VARY, "Location": concept_href(found.id) + query})


def _not_found(
    error: ConceptNotFound | AmbiguousConcept, reference: str, media_type: str
) -> Response:
    """The 404 (an HTML page for browsers, with suggestions) or 300 (the candidates' IRIs)."""
    if isinstance(error, ConceptNotFound) and media_type == HTML:
        page = not_found_page(reference, str(error), error.suggestions)
        return http_response(error, page, VARY, CONTENT_TYPES[HTML])
    if isinstance(error, AmbiguousConcept):
        return http_response(
            error,
            "\n".join([str(error), *(concept_href(c) for c in error.candidates)]) + "\n",
            VARY,
        )
    return http_response(error, headers=VARY)


def _answer(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    response = Response(body, media_type=CONTENT_TYPES[media_type], headers=headers)
    if request.method == "HEAD":
        response.body = b""
    return response


def _not_acceptable(offered: tuple[str, ...], asked: str) -> NotAcceptable:
    names = ", ".join(sorted({n for n, t in FORMAT_NAMES.items() if t in offered and len(n) <= 6}))
    return NotAcceptable(
        f"Cannot produce what was asked for ({asked}). "
        f"Available: {', '.join(offered)} (or ?format= one of {names})."
    )


def _unwritable(predicate: str) -> NotAcceptable:
    return NotAcceptable(
        f"RDF/XML cannot write the predicate <{predicate}> (its IRI does not end in an XML name)."
    )
