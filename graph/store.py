"""The one seam to the RDF store: parsing files, holding triples, reading them back.

The graph is held in an Oxigraph store (pyoxigraph): it parses Turtle, N-Triples,
N-Quads, TriG, N3, RDF/XML and JSON-LD natively, reports syntax errors with line
and column, and loads millions of triples far faster than rdflib. Nothing outside
this module imports pyoxigraph; other modules see IRIs as ``str``, blank nodes as
``"_:id"`` strings and literals as :class:`LiteralValue`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import rdflib

from graph.errors import InvalidData

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


def _syntax_message(error: SyntaxError) -> str:
    """Drop Oxigraph's own 'between line … and line …' prefix: we print the place ourselves."""
    message = str(error.msg)
    return message.split(": ", 1)[1] if message.startswith("Parser error") else message


class Store:
    """The triples being served, in an in-memory Oxigraph store."""

    def __init__(self) -> None:
        self._store = ox.Store()
        self.prefixes: dict[str, str] = {}

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> Store:
        """A new store holding the union of the given files' triples."""
        store = cls()
        store.load(list(paths))
        return store

    def load(self, paths: Sequence[Path]) -> int:
        """Add the triples of every file, all or nothing; return how many triples were added.

        The files are parsed natively into a staging store first, so a syntax error in
        the last file leaves this store exactly as it was. Blank nodes are renamed per
        file, so two files never share one by accident.
        """
        staging = ox.Store()
        prefixes: dict[str, str] = {}
        for path in paths:
            rdf_format = format_for(path)
            try:
                staging.load(
                    path=path,
                    format=rdf_format,
                    base_iri=path.resolve().as_uri(),
                    to_graph=ox.DefaultGraph(),
                )
            except SyntaxError as error:
                raise InvalidData(str(path), _syntax_message(error), error.lineno, error.offset) from None
            except (OSError, ValueError) as error:
                message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                raise InvalidData(str(path), message) from None
            for prefix, namespace in read_prefixes(path, rdf_format).items():
                prefixes.setdefault(prefix, namespace)
        before = len(self._store)
        if before == 0:
            self._store = staging
        else:
            self._store.load(staging.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        for prefix, namespace in prefixes.items():
            if prefix and namespace not in self.prefixes.values():
                self.prefixes.setdefault(prefix, namespace)
        return len(self._store) - before

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


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return LiteralValue(term.value, term.language, term.datatype.value)
    raise InvalidData("<store>", f"unsupported RDF term {term!r} (RDF-star is not supported)")
