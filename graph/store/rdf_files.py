"""Reading RDF files: the syntax from the extension, triples with file, line and column in errors.

Oxigraph parses every common RDF syntax natively and reports syntax errors with their
place; for RDF/XML, where it gives none, the standard XML parser finds it.
"""

from __future__ import annotations

import xml.sax
import xml.sax.handler
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.errors import InvalidData
from graph.store.terms import RDF_LANG_STRING, LiteralValue, Term, Triple

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


def format_for(path: Path) -> ox.RdfFormat:
    """Pick the RDF syntax from a file's extension, or raise :class:`InvalidData`."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InvalidData(
            str(path), f"unknown RDF file extension; expected one of {known}"
        ) from None


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
            raise unreadable(path, rdf_format, error) from None


def unreadable(path: Path, rdf_format: ox.RdfFormat, error: Exception) -> InvalidData:
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
    "this is OWL/XML, not RDF: neither Oxigraph nor rdflib reads it; "
    "convert it to RDF/XML or Turtle first (for example `robot convert --input FILE --output "
    "FILE.ttl`)"
)


def _is_owl_xml(path: Path) -> bool:
    """Whether an XML file's root element is OWL/XML's ``owl:Ontology`` (not RDF/XML's
    ``rdf:RDF``)."""
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
        column = error.getColumnNumber()
        return error.getLineNumber(), None if column is None else column + 1
    except (OSError, ValueError):
        pass
    return None, None


def _syntax_message(error: SyntaxError) -> str:
    """Drop Oxigraph's own 'between line … and line …' prefix: we print the place ourselves."""
    message = str(error.msg)
    return message.split(": ", 1)[1] if message.startswith("Parser error") else message


#: Called with the number of bytes read, while files load (set by :func:`reporting_progress`).
progress: Callable[[int], None] | None = None


@contextmanager
def reporting_progress(callback: Callable[[int], None]) -> Iterator[None]:
    """Report the bytes read by every file load inside the block (for a progress bar)."""
    global progress
    progress = callback
    try:
        yield
    finally:
        progress = None


class Counted:
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
