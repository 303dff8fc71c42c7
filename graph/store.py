"""The one seam to the RDF store: parsing files, holding triples, reading them back.

The graph is held in an Oxigraph store (pyoxigraph): it parses Turtle, N-Triples,
N-Quads, TriG, N3, RDF/XML and JSON-LD natively, reports syntax errors with line
and column, and loads millions of triples far faster than rdflib. Nothing outside
this module imports pyoxigraph; other modules see IRIs as ``str``, blank nodes as
``"_:id"`` strings and literals as :class:`LiteralValue`.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import xml.sax
import xml.sax.handler
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from contextlib import contextmanager
from functools import partial
from typing import BinaryIO, NamedTuple, TypeVar, cast

import pyoxigraph as ox
import rdflib

from graph.errors import InvalidData, InvalidQuery, NotAcceptable, QueryLimitExceeded

#: File extensions we read, and the syntax each one names.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


T = TypeVar("T")


class LiteralValue(NamedTuple):
    """A literal's lexical form with its language tag or datatype IRI."""

    value: str
    language: str | None
    datatype: str


#: An RDF term as the rest of the code sees it.
Term = str | LiteralValue
Triple = tuple[str, str, Term]


def format_for(path: Path) -> ox.RdfFormat:
    """Pick the RDF syntax from a file's extension, or raise :class:`InvalidData`."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InvalidData(str(path), f"unknown RDF file extension; expected one of {known}") from None


def read_prefixes(path: Path, rdf_format: ox.RdfFormat) -> dict[str, str]:
    """The prefixes a file declares before its first triple (where Turtle files declare them)."""
    try:
        parser = ox.parse(path=path, format=rdf_format)
        next(iter(parser), None)
        return dict(getattr(parser, "prefixes", None) or {})
    except (SyntaxError, OSError, ValueError):
        return {}


def parse_triples(paths: Sequence[Path]) -> Iterator[Triple]:
    """Every triple of the files as plain Python values, blank nodes made unique per file."""
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    new_tuple = tuple.__new__  # LiteralValue(...) runs Python code; this does not
    for number, path in enumerate(paths):
        rdf_format = format_for(path)
        try:
            for quad in ox.parse(path=path, format=rdf_format, base_iri=path.resolve().as_uri()):
                subject, obj = quad.subject, quad.object
                s = subject.value if type(subject) is named else f"_:f{number}_{subject.value}"
                kind = type(obj)
                if kind is named:
                    o: Term = obj.value
                elif kind is literal:
                    language = obj.language
                    plain = language and obj.direction is None  # rdf:langString, without reading it
                    datatype = RDF_LANG_STRING if plain else obj.datatype.value
                    o = new_tuple(LiteralValue, (obj.value, language, datatype))
                elif kind is blank:
                    o = f"_:f{number}_{obj.value}"
                else:
                    raise InvalidData(str(path), "RDF-star quoted triples are not supported")
                yield s, quad.predicate.value, o
        except (SyntaxError, OSError, ValueError) as error:
            raise _unreadable(path, rdf_format, error) from None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _unreadable(path: Path, rdf_format: ox.RdfFormat, error: Exception) -> InvalidData:
    """The error for a file that cannot be read, with its line and column where known."""
    if isinstance(error, SyntaxError):
        line, column = error.lineno, error.offset
        if rdf_format == ox.RdfFormat.RDF_XML and _is_owl_xml(path):
            return InvalidData(str(path), OWL_XML_REFUSED, 1, 1)
        if line is None and rdf_format == ox.RdfFormat.RDF_XML:
            line, column = _xml_error_position(path)
        return InvalidData(str(path), _syntax_message(error), line, column)
    message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return InvalidData(str(path), message)


OWL_XML_REFUSED = (
    "this is OWL/XML, not RDF: neither Oxigraph nor rdflib reads it; convert it to RDF/XML or Turtle "
    "first (for example `robot convert --input FILE --output FILE.ttl`)"
)


def _is_owl_xml(path: Path) -> bool:
    """Whether an XML file's root element is OWL/XML's ``owl:Ontology`` (not RDF/XML's ``rdf:RDF``)."""
    import xml.etree.ElementTree as ElementTree

    try:
        for _, element in ElementTree.iterparse(path, events=("start",)):
            return element.tag == "{http://www.w3.org/2002/07/owl#}Ontology"
    except (ElementTree.ParseError, OSError):
        return False
    return False


def _xml_error_position(path: Path) -> tuple[int | None, int | None]:
    """Where an XML file stops being well-formed (Oxigraph's RDF/XML errors carry no place)."""
    try:
        xml.sax.parse(str(path), xml.sax.handler.ContentHandler())
    except xml.sax.SAXParseException as error:
        return error.getLineNumber(), error.getColumnNumber() + 1
    except (OSError, ValueError):
        pass
    return None, None


def _syntax_message(error: SyntaxError) -> str:
    """Drop Oxigraph's own 'between line … and line …' prefix: we print the place ourselves."""
    message = str(error.msg)
    return message.split(": ", 1)[1] if message.startswith("Parser error") else message


#: Called with the number of bytes read, while files load (set by :func:`reporting_progress`).
_progress: Callable[[int], None] | None = None


@contextmanager
def reporting_progress(callback: Callable[[int], None]) -> Iterator[None]:
    """Report the bytes read by every file load inside the block (for a progress bar)."""
    global _progress
    _progress = callback
    try:
        yield
    finally:
        _progress = None


class _Counted:
    """A binary stream that reports how much has been read from it."""

    def __init__(self, stream: BinaryIO, report: Callable[[int], None]) -> None:
        self._stream, self._report = stream, report

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._report(len(data))
        return data

    def readinto(self, buffer: bytearray) -> int:
        count = self._stream.readinto(buffer)  # type: ignore[attr-defined]
        self._report(count or 0)
        return count or 0


class Store:
    """The triples being served: an Oxigraph store, in memory or on disk.

    On disk (``path``), the directory holds the Oxigraph database under ``oxigraph/``
    and the prefixes of the loaded files in ``prefixes.json``; it survives restarts.
    """

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = path
        self.prefixes: dict[str, str] = {}
        if path is None:
            self._store = ox.Store()
        elif read_only:
            if not (path / "oxigraph").exists():
                raise InvalidData(str(path), "no store here; create one with `aikg load --store`")
            self._store = ox.Store.read_only(str(path / "oxigraph"))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path / "oxigraph"))
            saved = path / "prefixes.json"
            if saved.exists():
                self.prefixes = json.loads(saved.read_text(encoding="utf-8"))

    @classmethod
    def from_files(cls, paths: Iterable[Path], path: Path | None = None) -> Store:
        """A store (new, or the one at ``path``) holding the union of the given files' triples."""
        store = cls(path)
        store.load(list(paths))
        return store

    def load(
        self,
        paths: Sequence[Path],
        reader: Callable[[Iterator[Triple]], T] | None = None,
        accept: Callable[[T | None], None] | None = None,
    ) -> T | None:
        """Add the triples of every file, all or nothing; hand the same triples to ``reader``.

        Into an empty store the files stream straight in (Oxigraph's bulk loader on disk)
        and the store is emptied again if any file fails. Into a store that already holds
        triples, the files are parsed into a staging store first and then added in one
        transaction, so a syntax error anywhere leaves the store exactly as it was.
        Blank nodes are renamed per file, so two files never share one by accident.

        With ``reader``, the files are also parsed here, in this thread, into plain Python
        triples for ``reader`` (an index builder), while Oxigraph loads them in another
        thread (it releases the GIL): both passes over the data run side by side.
        ``accept`` sees the reader's result before anything is committed and may refuse
        the whole load by raising :class:`InvalidData`.
        """
        before = len(self._store)
        target = self._store if before == 0 else ox.Store()
        failures: list[InvalidData] = []

        def load_all() -> None:
            try:
                for path in paths:
                    self._load_file(target, path)
            except InvalidData as error:
                # Without this thread's frames: they hold the database, and the error would
                # keep them (in a reference cycle) until the next garbage collection.
                error.__traceback__ = error.__context__ = None
                failures.append(error)

        loader = threading.Thread(target=load_all, name="oxigraph-load")
        loader.start()
        result: T | None = None
        try:
            if reader is not None:
                result = reader(parse_triples(paths))
        except BaseException:
            loader.join()
            if before == 0:
                self._store.clear()
            del target  # the error's traceback keeps this frame: it must not hold the database
            raise
        loader.join()
        if not failures and accept is not None:
            try:
                accept(result)
            except InvalidData as refused:
                failures.append(refused)
        if failures:
            if before == 0:
                self._store.clear()
            del target  # the error's traceback keeps this frame: it must not hold the database
            raise failures[0]
        if before:
            self._store.load(target.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        self.remember_prefixes(paths)
        if self.path is not None:
            self._store.flush()
        return result

    def _load_file(self, target: ox.Store, path: Path) -> None:
        rdf_format = format_for(path)
        loader = target.bulk_load if self.path is not None and target is self._store else target.load
        try:
            if _progress is None:
                loader(path=path, format=rdf_format, base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
            else:
                with path.open("rb") as stream:
                    reading = _Counted(stream, _progress)
                    loader(input=reading, format=rdf_format, base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
        except (SyntaxError, OSError, ValueError) as error:
            raise _unreadable(path, rdf_format, error) from None

    def remember_prefixes(self, paths: Sequence[Path]) -> None:
        for path in paths:
            for prefix, namespace in read_prefixes(path, format_for(path)).items():
                if prefix and namespace not in self.prefixes.values():
                    self.prefixes.setdefault(prefix, namespace)
        if self.path is not None:
            (self.path / "prefixes.json").write_text(json.dumps(self.prefixes, indent=1, sort_keys=True))

    def new_quads_in(self, other: Store) -> list[ox.Quad]:
        """The quads of ``other`` that this store does not hold yet."""
        return [quad for quad in other._store if quad not in self._store]

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction."""
        self._store.extend(quads)

    def remove_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Take quads out again (used to undo an import that failed its checks)."""
        for quad in quads:
            self._store.remove(quad)
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Release the database (an on-disk store can then be opened by another process)."""
        if self.path is not None:
            self._store.flush()
        self._store = ox.Store()

    def __len__(self) -> int:
        return len(self._store)

    def resource_pairs(self, predicate: str) -> Iterator[tuple[str, str]]:
        """(subject, object) of every triple with this predicate whose object is not a literal."""
        named, blank = ox.NamedNode, ox.BlankNode
        for quad in self._store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            subject, obj = quad.subject, quad.object
            s = subject.value if type(subject) is named else "_:" + subject.value
            if type(obj) is named:
                yield s, obj.value
            elif type(obj) is blank:
                yield s, "_:" + obj.value

    def literal_values(self, predicate: str) -> Iterator[tuple[str, str, str | None]]:
        """(subject, value, language) of every literal-valued triple with this predicate."""
        literal = ox.Literal
        for quad in self._store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            obj = quad.object
            if type(obj) is literal and type(quad.subject) is ox.NamedNode:
                yield quad.subject.value, obj.value, obj.language

    def predicates(self) -> list[str]:
        """Every distinct predicate in the store."""
        return sorted(row["p"].value for row in self._store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"))

    def named_subjects(self) -> list[str]:
        """Every IRI that is the subject of a triple."""
        query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
        return [row[0].value for row in self._store.query(query)]

    def blank_subjects(self) -> list[str]:
        """Every blank node that is the subject of a triple, as ``_:id``."""
        query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isBlank(?s)) }"
        return ["_:" + row[0].value for row in self._store.query(query)]

    def blank_references(self) -> dict[str, int]:
        """How many triples have each blank node as their object."""
        query = "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?o)) } GROUP BY ?o"
        return {"_:" + row[0].value: int(row[1].value) for row in self._store.query(query)}

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        """The (predicate, object) pairs of one subject (an IRI or ``_:id``)."""
        node = ox.BlankNode(subject[2:]) if subject.startswith("_:") else ox.NamedNode(subject)
        return [
            (quad.predicate.value, _term(quad.object))
            for quad in self._store.quads_for_pattern(node, None, None, ox.DefaultGraph())
        ]

    def triples(self, predicate: str | None = None) -> Iterator[Triple]:
        """Every triple, or every triple with the given predicate, as plain Python values."""
        bound = None if predicate is None else ox.NamedNode(predicate)
        for quad in self._store.quads_for_pattern(None, bound, None, ox.DefaultGraph()):
            yield _term(quad.subject), quad.predicate.value, _term(quad.object)  # type: ignore[misc]


    def to_rdflib(self) -> rdflib.Graph:
        """A copy of the triples as an rdflib graph, for tools built on rdflib (SHACL, tests)."""
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        graph = rdflib.Graph()
        graph.parse(data=data, format="nt")
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=False)
        return graph

    # --- Linked Data and the SPARQL endpoint (api/linked_data.py, api/sparql.py) -----------

    def referrers(self, obj: str) -> list[tuple[str, str]]:
        """The (subject, predicate) of every triple whose object is this IRI or ``_:id``."""
        node = ox.BlankNode(obj[2:]) if obj.startswith("_:") else ox.NamedNode(obj)
        return [
            (_term(quad.subject), quad.predicate.value)  # type: ignore[arg-type, misc]
            for quad in self._store.quads_for_pattern(None, None, node, ox.DefaultGraph())
        ]

    @staticmethod
    def serialize(triples: Iterable[Triple], media_type: str, prefixes: Mapping[str, str] | None = None) -> bytes:
        """Triples written in the RDF syntax a media type names (see :data:`RDF_MEDIA_TYPES`).

        >>> Store.serialize([("http://e.org/s", "http://e.org/p", "_:b")], "application/n-triples")
        b'<http://e.org/s> <http://e.org/p> _:b .\\n'
        """
        rdf_format = _rdf_format(media_type)
        written = ox.serialize(_ox_triples(triples), format=rdf_format, prefixes=dict(prefixes or {}))
        assert written is not None  # no output given: the bytes are returned
        return written

    @staticmethod
    def serialize_stream(
        triples: Iterable[Triple], media_type: str, prefixes: Mapping[str, str] | None = None
    ) -> Iterator[bytes]:
        """:meth:`serialize` as a stream of chunks, for graphs too big to hold as bytes.

        Oxigraph writes in a background thread into a short queue that this generator
        drains, so memory stays bounded by a few chunks; closing the generator early (a
        client that went away) stops the writer at its next chunk. ``triples`` is read in
        that thread only, and closed there when it is a generator.
        """
        rdf_format = _rdf_format(media_type)
        sink = _ChunkQueue(deadline=None, max_bytes=None)

        def write() -> None:
            try:
                ox.serialize(_ox_triples(triples), sink.io, format=rdf_format, prefixes=dict(prefixes or {}))
            finally:  # a generator over the store must be finished in the thread that read it
                close = getattr(triples, "close", None)
                if close is not None:
                    close()

        return sink.drain(write)

    def query_results(
        self,
        sparql: str,
        results_type: str | None,
        graph_type: str | None,
        *,
        max_bytes: int,
        deadline: float | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> tuple[str, bytes]:
        """Run a read-only SPARQL query over the default graph; its results as (media type, bytes).

        SELECT and ASK answer in ``results_type`` (:data:`RESULTS_MEDIA_TYPES`), CONSTRUCT
        and DESCRIBE in ``graph_type`` (:data:`RDF_MEDIA_TYPES`); a form whose type is None
        raises :class:`NotAcceptable`. ``prefixes`` are declared for the query without a
        PREFIX line. Only the store's default graph is visible (no named graphs); updates do
        not parse as queries. Callers must refuse SERVICE themselves (Oxigraph would fetch it).

        Oxigraph can neither cancel a query nor bound its time, so the limits are checked
        each time the serializer writes (every 8 KiB): past ``deadline`` (a
        ``time.monotonic()`` value) or ``max_bytes`` it stops with
        :class:`QueryLimitExceeded`. Work done between two writes (a sort, a count, a join
        that yields nothing) is not interrupted.

        Raises :class:`InvalidQuery` with the parser's message for a syntax error.
        """
        try:
            result = self._store.query(
                sparql, prefixes=dict(prefixes or {}), default_graph=ox.DefaultGraph(), named_graphs=[]
            )
        except SyntaxError as error:
            raise InvalidQuery(f"SPARQL syntax error: {error}") from None
        sink = _ChunkQueue(deadline, max_bytes)
        try:
            if isinstance(result, ox.QueryTriples):
                if graph_type is None:
                    raise NotAcceptable("CONSTRUCT and DESCRIBE")
                media_type = graph_type
                sink.run(partial(ox.serialize, result, sink.io, _rdf_format(graph_type), prefixes=dict(prefixes or {})))
            else:
                if results_type is None:
                    raise NotAcceptable("SELECT and ASK")
                media_type = results_type
                sink.run(partial(result.serialize, sink.io, _results_format(results_type)))
        finally:  # Oxigraph's results must be dropped in this thread, never by whoever holds an error
            del result
        sink.check()
        return media_type, sink.getvalue()

    # --- writes and queries shared with the remote backend (graph/backends.py) -------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction (all of it or none), durable on disk."""
        self._store.update(sparql)
        if self.path is not None:
            self._store.flush()

    def select(self, sparql: str) -> list[tuple[Term | None, ...]]:
        """The rows of a SPARQL SELECT, each a tuple of terms (None where unbound)."""
        return [tuple(None if t is None else _term(t) for t in row) for row in self._store.query(sparql)]

    def ask(self, sparql: str) -> bool:
        """The answer of a SPARQL ASK."""
        return bool(self._store.query(sparql))

    def copy(self) -> Store:
        """An in-memory copy of the default graph, with the same prefixes."""
        copy = Store()
        copy._store.load(self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
                         format=ox.RdfFormat.N_TRIPLES)
        copy.prefixes = dict(self.prefixes)
        return copy

    @classmethod
    def from_ntriples(cls, data: bytes, prefixes: dict[str, str] | None = None) -> Store:
        """An in-memory store holding N-Triples data (a remote endpoint's answer)."""
        store = cls()
        store._store.load(data, format=ox.RdfFormat.N_TRIPLES)
        store.prefixes = dict(prefixes or {})
        return store


def ntriples(term: Term) -> str:
    """A term in N-Triples syntax, escaped by Oxigraph, for SPARQL text sent anywhere.

    Raises ValueError for a string that is not an absolute IRI (blank nodes are refused:
    they cannot name the same node in another request).

    >>> ntriples("https://w3id.org/aikg/concept/gpt-4")
    '<https://w3id.org/aikg/concept/gpt-4>'
    >>> print(ntriples(LiteralValue('say "hi"', "en", RDF_LANG_STRING)))
    "say \\"hi\\""@en
    """
    if isinstance(term, LiteralValue):
        if term.language:
            return str(ox.Literal(term.value, language=term.language))
        return str(ox.Literal(term.value, datatype=ox.NamedNode(term.datatype)))
    if term.startswith("_:"):
        raise ValueError(f"a blank node ({term}) cannot be named in a query")
    return str(ox.NamedNode(term))


RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return LiteralValue(term.value, term.language, term.datatype.value)
    raise InvalidData("<store>", f"unsupported RDF term {term!r} (RDF-star is not supported)")


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


def _rdf_format(media_type: str) -> ox.RdfFormat:
    try:
        return RDF_MEDIA_TYPES[media_type]
    except KeyError:
        raise NotAcceptable(media_type) from None


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    try:
        return RESULTS_MEDIA_TYPES[media_type]
    except KeyError:
        raise NotAcceptable(media_type) from None


def _ox_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, LiteralValue):
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return ox.NamedNode(term)


def _ox_triples(triples: Iterable[Triple]) -> Iterator[ox.Triple]:
    for subject, predicate, obj in triples:
        yield ox.Triple(_ox_term(subject), ox.NamedNode(predicate), _ox_term(obj))  # type: ignore[arg-type]


class _Stop(Exception):
    """Raised from a sink's ``write`` to stop Oxigraph's serializer."""


class _ChunkQueue:
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
            self.stopped = QueryLimitExceeded("size", f"the results exceed {self.max_bytes:,} bytes")
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

    def _offer(self, item: object) -> bool:
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
            except BaseException as error:  # noqa: BLE001 -- handed to the reader, raised there
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
