"""What every is-a answer of the ontology's tests must show: a proof of asserted edges."""

from __future__ import annotations

from itertools import pairwise

from graph import KnowledgeGraph
from graph.vocabulary import SUB_CLASS_OF, TYPE


def assert_is_a_proved(graph: KnowledgeGraph, subject: str, kind: str) -> None:
    """``subject`` is a ``kind``, proved by a chain of asserted edges from the one to the other:
    a type or sub-kind edge first, sub-kind edges after it."""
    answer = graph.prove_is_a(subject, kind)
    assert answer.holds, f"{subject} should be a {kind}"
    assert answer.path[0].subject.iri == graph.resolve(subject).iri
    assert answer.path[-1].object.iri == graph.resolve(kind).iri
    for edge in answer.path:
        assert edge.predicate in (SUB_CLASS_OF, TYPE)
        assert (edge.subject.iri, edge.predicate, edge.object.iri) in set(
            graph.store.triples(edge.predicate)
        )
    for before, after in pairwise(answer.path):
        assert before.object.iri == after.subject.iri and after.predicate == SUB_CLASS_OF
