"""RDF terms as the rest of the code sees them, and their conversion to and from Oxigraph's.

IRIs are ``str``, blank nodes ``"_:id"`` strings, literals :class:`LiteralValue`. Only the
``graph.store`` package imports pyoxigraph; these helpers are its border.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

import pyoxigraph as ox

from graph.errors import InvalidData

__all__ = ["RDF_LANG_STRING", "LiteralValue", "Term", "Triple", "ntriples"]

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class LiteralValue(NamedTuple):
    """A literal's lexical form with its language tag or datatype IRI."""

    value: str
    language: str | None
    datatype: str


#: An RDF term as the rest of the code sees it.
Term = str | LiteralValue
Triple = tuple[str, str, Term]


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


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return LiteralValue(term.value, term.language, term.datatype.value)
    raise InvalidData("<store>", f"unsupported RDF term {term!r} (RDF-star is not supported)")


def subject_from_ox(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    """A subject as :func:`from_ox` gives it, typed as what it always is: a ``str``."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    raise InvalidData("<store>", f"unsupported RDF term {term!r} (RDF-star is not supported)")


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, LiteralValue):
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return ox.NamedNode(term)


def ox_triples(triples: Iterable[Triple]) -> Iterator[ox.Triple]:
    for subject, predicate, obj in triples:
        yield ox.Triple(to_ox(subject), ox.NamedNode(predicate), to_ox(obj))  # type: ignore[arg-type]
