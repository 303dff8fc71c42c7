"""Writing triples and query results in the syntax a media type names, within limits.

Oxigraph's serializers write into a :class:`ChunkQueue`, which checks a deadline and a
size limit on every write and either keeps the bytes or hands them on, chunk by chunk,
to a reader in another thread (for answers too big to hold).

JSON-LD is the exception: Oxigraph (0.5) writes it expanded, every key a full IRI, and takes
no context. We write it *compacted* with rdflib against a ``@context`` of the graph's
prefixes (``aikg:``, ``aikgs:``, ``skos:``, ``rdfs:``, ``dcterms:``…), so keys read
``skos:prefLabel`` and ids ``aikg:gpt-4``: :func:`compact_json_ld`, batch by batch, so a large
graph still streams (a subject whose triples fall in two batches is two node objects with the
same ``@id``, which JSON-LD merges).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, BinaryIO, cast

import pyoxigraph as ox
import rdflib

from graph.errors import InvalidData, NotAcceptable, QueryLimitExceeded
from graph.store.terms import RDF_LANG_STRING, LiteralValue, Term, Triple, ox_triples

#: The RDF syntaxes we write, by media type.
RDF_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: The SPARQL query results formats we write, by media type.
RESULTS_MEDIA_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


JSON_LD = "application/ld+json"
#: Triples compacted at a time when JSON-LD streams (rdflib holds one batch).
JSON_LD_BATCH = 20_000
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdf_format_for(media_type: str) -> ox.RdfFormat:
    try:
        return RDF_MEDIA_TYPES[media_type]
    except KeyError:
        raise NotAcceptable(media_type) from None


def results_format_for(media_type: str) -> ox.QueryResultsFormat:
    try:
        return RESULTS_MEDIA_TYPES[media_type]
    except KeyError:
        raise NotAcceptable(media_type) from None


def serialize(
    triples: Iterable[Triple], media_type: str, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples written in the RDF syntax a media type names (see :data:`RDF_MEDIA_TYPES`).

    >>> serialize([("http://e.org/s", "http://e.org/p", "_:b")], "application/n-triples")
    b'<http://e.org/s> <http://e.org/p> _:b .\\n'
    """
    written_format = rdf_format_for(media_type)
    if media_type == JSON_LD:
        return b"".join(compact_json_ld(triples, prefixes or {}, batch=None))
    written = ox.serialize(
        ox_triples(triples), format=written_format, prefixes=dict(prefixes or {})
    )
    assert written is not None  # no output given: the bytes are returned
    return written


def serialize_stream(
    triples: Iterable[Triple], media_type: str, prefixes: Mapping[str, str] | None = None
) -> Iterator[bytes]:
    """:meth:`serialize` as a stream of chunks, for graphs too big to hold as bytes.

    Oxigraph writes in a background thread into a short queue that this generator
    drains, so memory stays bounded by a few chunks; closing the generator early (a
    client that went away) stops the writer at its next chunk. ``triples`` is read in
    that thread only, and closed there when it is a generator.
    """
    written_format = rdf_format_for(media_type)
    sink = ChunkQueue(deadline=None, max_bytes=None)

    def write() -> None:
        try:
            if media_type == JSON_LD:
                for piece in compact_json_ld(triples, prefixes or {}):
                    sink.write(piece)
                return
            ox.serialize(
                ox_triples(triples), sink.io, format=written_format, prefixes=dict(prefixes or {})
            )
        finally:  # a generator over the store must be finished in the thread that read it
            close = getattr(triples, "close", None)
            if close is not None:
                close()

    return sink.drain(write)


def compact_json_ld(
    triples: Iterable[Triple], prefixes: Mapping[str, str], batch: int | None = JSON_LD_BATCH
) -> Iterator[bytes]:
    """Triples as one JSON-LD document, ``{"@context": prefixes, "@graph": [nodes]}``, in pieces.

    Each ``batch`` of triples (all at once with None) is compacted by rdflib; nodes come in
    ``@id`` order within a batch. Blank nodes keep their labels, so one split across batches
    is still one node.

    >>> doc = b"".join(compact_json_ld([("https://w3id.org/aikg/concept/a",
    ...     "http://www.w3.org/2004/02/skos/core#broader", "https://w3id.org/aikg/concept/b")],
    ...     {"aikg": "https://w3id.org/aikg/concept/",
    ...      "skos": "http://www.w3.org/2004/02/skos/core#"}))
    >>> json.loads(doc)["@graph"]
    [{'@id': 'aikg:a', 'skos:broader': {'@id': 'aikg:b'}}]
    """
    context = dict(sorted(prefixes.items()))
    yield b'{"@context": ' + json.dumps(context, indent=1).encode() + b',\n"@graph": [\n'
    first = True
    rest = iter(triples)
    while chunk := list(rest if batch is None else islice(rest, batch)):
        for node in _compacted_nodes(chunk, context):
            yield (b"" if first else b",\n") + json.dumps(
                node, ensure_ascii=False, sort_keys=True
            ).encode()
            first = False
    yield b"\n]}\n"


def _compacted_nodes(triples: Iterable[Triple], context: dict[str, str]) -> list[dict[str, Any]]:
    """The node objects of some triples, compacted against ``context`` by rdflib."""
    graph = rdflib.Graph(bind_namespaces="none")
    for subject, predicate, obj in triples:
        graph.add((_rdflib_term(subject), rdflib.URIRef(predicate), _rdflib_term(obj)))
    if not len(graph):
        return []
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    document.pop("@context", None)
    nodes: list[dict[str, Any]] = document.get("@graph", [document])
    return sorted(nodes, key=lambda node: str(node.get("@id", "")))


def _rdflib_term(term: Term) -> rdflib.URIRef | rdflib.BNode | rdflib.Literal:
    """Our term as rdflib's, lexical forms and blank node labels kept as they are."""
    if isinstance(term, LiteralValue):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype in (_XSD_STRING, RDF_LANG_STRING):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype), normalize=False)
    if term.startswith("_:"):
        return rdflib.BNode(term[2:])
    return rdflib.URIRef(term)


class _Stop(Exception):
    """Raised from a sink's ``write`` to stop Oxigraph's serializer."""


class ChunkQueue:
    """What Oxigraph's serializers write into: checks limits on every write, and either
    keeps the bytes (:meth:`run`, :meth:`getvalue`) or hands them on through a short
    queue to a reader in another thread (:meth:`drain`)."""

    CHUNK = 1 << 16

    def __init__(self, deadline: float | None, max_bytes: int | None) -> None:
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.written = 0
        self.parts: list[bytes] = []
        self.queue: queue.Queue[bytes | BaseException | None] | None = None
        self.closed = threading.Event()
        self.stopped: QueryLimitExceeded | None = None
        self.failed: InvalidData | None = None

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.stopped = QueryLimitExceeded("time", "the query ran past the time limit")
            raise _Stop
        if self.max_bytes is not None and self.written > self.max_bytes:
            self.stopped = QueryLimitExceeded(
                "size", f"the results exceed {self.max_bytes:,} bytes"
            )
            raise _Stop
        self.parts.append(bytes(data))
        if self.queue is not None and sum(map(len, self.parts)) >= self.CHUNK:
            self._hand_on()
        return len(data)

    def flush(self) -> None:
        pass

    @property
    def io(self) -> BinaryIO:
        """This sink, typed as the binary stream Oxigraph's serializers take (they only write)."""
        return cast(BinaryIO, self)

    def run(self, serialize: Callable[[], object]) -> None:
        """Serialize into this sink; a stop at a limit or a failed read is kept for :meth:`check`.

        Nothing is raised from here, so no traceback keeps ``serialize`` (and the Oxigraph
        iterator inside it) alive beyond this call.
        """
        try:
            serialize()
        except _Stop:
            pass
        except OSError as error:  # a store that failed while reading
            self.failed = InvalidData("<store>", str(error))

    def check(self) -> None:
        """Raise the limit that stopped the serializer, or the read that failed, if any."""
        if self.failed is not None:
            raise self.failed
        if self.stopped is not None:
            raise self.stopped
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryLimitExceeded("time", "the query ran past the time limit")

    def getvalue(self) -> bytes:
        return b"".join(self.parts)

    def _hand_on(self) -> None:
        chunk, self.parts = b"".join(self.parts), []
        if not self._offer(chunk):
            raise _Stop

    def _offer(self, item: bytes | BaseException | None) -> bool:
        """Put ``item`` on the queue, waiting while it is full; False once the reader has gone."""
        assert self.queue is not None
        while not self.closed.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def drain(self, serialize: Callable[[], object]) -> Iterator[bytes]:
        """Run ``serialize`` in a thread; yield the chunks it writes as they come."""
        self.queue = queue.Queue(maxsize=4)

        def produce() -> None:
            try:
                serialize()
                if self.parts:
                    self._hand_on()
                outcome: BaseException | None = None
            except _Stop:
                return
            except BaseException as error:
                outcome = error
            self._offer(outcome)

        writer = threading.Thread(target=produce, name="rdf-serialize", daemon=True)
        writer.start()
        try:
            while True:
                item = self.queue.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.closed.set()
            writer.join()
