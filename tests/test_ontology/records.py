"""The curators' records of checked facts (``ontology/checks/*.tsv``), read for the tests."""

from __future__ import annotations

import csv
from pathlib import Path

import rdflib

from graph import vocabulary as V
from graph.curies import to_curie

CHECKS = Path(__file__).resolve().parents[2] / "ontology" / "checks"
#: The columns of a record of checked facts: one fact a row and the stored page it was checked on.
COLUMNS = ["concept", "property", "value", "source_page", "evidence"]


def fact_records() -> list[Path]:
    """Every record of checked facts: identifiers and numbers, and each breadth topic's."""
    return sorted(
        p
        for pattern in ("identifiers-numbers-*.tsv", "breadth-*.tsv")
        for p in CHECKS.glob(pattern)
        if "-unverified" not in p.name
    )


def as_record(
    subject: rdflib.term.Node, predicate: rdflib.term.Node, value: rdflib.term.Node
) -> tuple[str, str, str]:
    """A statement as a record writes it (concept, property, value): resources as CURIEs of
    the prefixes every export binds, a literal as its lexical form.

    >>> as_record(
    ...     rdflib.URIRef(V.CONCEPT_NS + "gpt-4"),
    ...     rdflib.URIRef(V.SCHEMA_NS + "parameterCount"),
    ...     rdflib.Literal(7),
    ... )
    ('aikg:gpt-4', 'aikgs:parameterCount', '7')
    """
    return _written(subject), _written(predicate), _written(value)


def curie(iri: str) -> str:
    """An IRI as records write it: a CURIE of the prefixes every export binds, else whole.

    >>> curie(V.CONCEPT_NS + "gpt-4"), curie("http://example.org/x")
    ('aikg:gpt-4', 'http://example.org/x')
    """
    return to_curie(iri, V.PREFIXES) or iri


def _written(term: rdflib.term.Node) -> str:
    return curie(str(term)) if isinstance(term, rdflib.URIRef) else str(term)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated record, keyed by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
