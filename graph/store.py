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


class ParsedFile(NamedTuple):
    """The triples of one file, all in the default graph, and the prefixes it declared."""

    quads: list[ox.Quad]
    prefixes: dict[str, str]


def parse_file(path: Path) -> ParsedFile:
    """Read every triple of one file into memory, or raise :class:`InvalidData` with its place.

    Blank nodes are renamed so that two files never share one by accident.
    """
    rdf_format = format_for(path)
    try:
        with path.open("rb") as stream:
            parser = ox.parse(
                stream, rdf_format, base_iri=path.resolve().as_uri(), rename_blank_nodes=True
            )
            quads = [
                ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())
                for quad in parser
            ]
            return ParsedFile(quads, dict(getattr(parser, "prefixes", {}) or {}))
    except SyntaxError as error:
        raise InvalidData(str(path), _syntax_message(error), error.lineno, error.offset) from None
    except (OSError, ValueError) as error:
        message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InvalidData(str(path), message) from None


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
        """Add the triples of every file, all or nothing; return how many triples were read.

        Every file is parsed before anything is added, so a syntax error in the last
        file leaves the store exactly as it was.
        """
        parsed = [parse_file(path) for path in paths]
        quads = [quad for file in parsed for quad in file.quads]
        self._store.extend(quads)
        for file in parsed:
            for prefix, namespace in file.prefixes.items():
                if prefix and namespace not in self.prefixes.values():
                    self.prefixes.setdefault(prefix, namespace)
        return len(quads)

    def __len__(self) -> int:
        return len(self._store)

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
