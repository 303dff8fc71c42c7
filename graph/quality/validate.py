"""Checking a graph: SHACL shapes plus what SHACL cannot say.

Each problem is one readable line. The checks beyond SHACL:

* is-a cycles;
* a resource used both as a kind and as a named example, unless marked
  ``aikgs:allowPunning true``;
* dangling references: an IRI in our namespaces used as an object or predicate
  but never described;
* concepts with no label;
* relation objects outside the range the schema declares for the property.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph import vocabulary as V
from graph.knowledge_graph import KnowledgeGraph
from graph.model import ConceptKind
from graph.store.oxigraph import Store
from graph.store.terms import LiteralValue

__all__ = ["Problem", "validate"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the graph, about one resource."""

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.focus}: {self.message}"


def validate(graph: KnowledgeGraph, shapes: Path | None) -> list[Problem]:
    """Every problem found, sorted; an empty list means the graph is valid."""
    problems = [*_cycles(graph), *_punning(graph), *_dangling(graph.store), *_unlabelled(graph)]
    problems += _ranges(graph)
    if shapes is not None:
        problems += _shacl(graph.store, shapes)
    return sorted(set(problems))


def _cycles(graph: KnowledgeGraph) -> Iterator[Problem]:
    for cycle in graph.is_a_cycles():
        names = " → ".join(c.id for c in cycle)
        yield Problem("cycle", cycle[0].id, f"is-a cycle through {names}")


def _punning(graph: KnowledgeGraph) -> Iterator[Problem]:
    allowed = {s for s, _, o in graph.store.triples(V.ALLOW_PUNNING) if _is_true(o)}
    for subject, _, kind in graph.store.triples(V.TYPE):
        concept = graph.find_iri(subject) if isinstance(subject, str) else None
        if concept is None or concept.kind is not ConceptKind.CLASS or subject in allowed:
            continue
        if isinstance(kind, str) and graph.find_iri(kind) is not None:
            yield Problem(
                "kind-and-example",
                concept.id,
                f"is a kind and also typed as an example of {graph.get(kind).id};"
                " mark it aikgs:allowPunning true if intended",
            )


def _dangling(store: Store) -> Iterator[Problem]:
    described = {s for s, _, _ in store.triples()}
    for subject, predicate, obj in store.triples():
        for term in (predicate, obj):
            if isinstance(term, str) and _is_ours(term) and term not in described:
                yield Problem("dangling", term, f"used by {subject} but never described")


def _unlabelled(graph: KnowledgeGraph) -> Iterator[Problem]:
    for concept in graph.unlabelled():
        yield Problem("label", concept.id, "has no label (skos:prefLabel or rdfs:label)")


def _ranges(graph: KnowledgeGraph) -> list[Problem]:
    ranges = {s: o for s, _, o in graph.store.triples(V.RDFS + "range") if isinstance(o, str)}
    found = []
    for subject, predicate, obj in graph.store.triples():
        expected = ranges.get(predicate)
        if expected is None or not isinstance(obj, str) or graph.find_iri(obj) is None:
            continue
        if graph.find_iri(expected) is None or obj == expected or graph.is_a(obj, expected):
            continue
        found.append(
            Problem(
                "range",
                graph.get(obj).id,
                f"is the object of {predicate} from {subject}, but is not a {graph.get(expected).label}",
            )
        )
    return found


def _shacl(store: Store, shapes: Path) -> list[Problem]:
    import pyshacl  # imported here: only validation needs it, and it is slow to import
    import rdflib

    shapes_graph = rdflib.Graph().parse(shapes, format="turtle")
    conforms, report, _ = pyshacl.validate(store.to_rdflib(), shacl_graph=shapes_graph, inference="none")
    if conforms:
        return []
    SH = rdflib.Namespace(V.SH)
    problems = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = str(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        where = f" ({path.n3(report.namespace_manager)})" if path is not None else ""
        problems.append(Problem("shacl", focus, message + where))
    return problems


def _is_ours(iri: str) -> bool:
    return iri.startswith((V.CONCEPT_NS, V.SCHEMA_NS))


def _is_true(term: object) -> bool:
    return isinstance(term, LiteralValue) and term.value.lower() in ("true", "1")
