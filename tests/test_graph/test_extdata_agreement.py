"""On ontologies nobody here wrote, every answer equals an independent SPARQL engine's.

The reference is pyoxigraph's SPARQL with property paths on the same file:
is-a(X, Y) is ``X rdfs:subClassOf+ Y`` over named concepts, X ≠ Y; example-of(i, C)
is ``i rdf:type/rdfs:subClassOf* C`` for an IRI i that is not itself a class.
"""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.loading import load_files
from graph.model import ConceptKind
from graph.vocabulary import is_vocabulary
from tests.conftest import EXTDATA_FILES

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
IS_A = (
    PREFIXES
    + """
SELECT DISTINCT ?x ?y WHERE {
  ?x rdfs:subClassOf+ ?y .
  FILTER(isIRI(?x) && isIRI(?y) && ?x != ?y)
}"""
)
CLASSES = (
    PREFIXES
    + """
SELECT DISTINCT ?c WHERE {
  { ?c a owl:Class } UNION { ?c a rdfs:Class } UNION { ?c rdfs:subClassOf ?o }
  UNION { ?s rdfs:subClassOf ?c } UNION { ?s a ?c }
  FILTER(isIRI(?c))
}"""
)
EXAMPLE_OF = (
    PREFIXES
    + """
SELECT DISTINCT ?i ?c WHERE {
  ?i rdf:type/rdfs:subClassOf* ?c .
  FILTER(isIRI(?i) && isIRI(?c))
}"""
)


def test_there_are_external_files_to_compare() -> None:
    assert len(EXTDATA_FILES) >= 3


def _reference(path: Path) -> tuple[dict[str, set[str]], dict[str, set[str]], ox.Store]:
    """Ancestors of every class and all types of every named example, from SPARQL."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    classes = {row["c"].value for row in store.query(CLASSES)}
    ancestors: dict[str, set[str]] = defaultdict(set)
    for row in store.query(IS_A):
        x, y = row["x"].value, row["y"].value
        if not is_vocabulary(x) and not is_vocabulary(y):
            ancestors[x].add(y)
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.query(EXAMPLE_OF):
        i, c = row["i"].value, row["c"].value
        if i not in classes and not is_vocabulary(c):
            types[i].add(c)
    return ancestors, types, store


@pytest.fixture(scope="module", params=EXTDATA_FILES, ids=lambda p: p.name)
def pair(request: pytest.FixtureRequest) -> tuple[KnowledgeGraph, dict, dict]:
    path: Path = request.param
    return (load_files([path]), *_reference(path))


def _inverted(relation: dict[str, set[str]]) -> dict[str, set[str]]:
    """{a: {b, c}} → {b: {a}, c: {a}}: descendants from ancestors, examples from types."""
    inverse: dict[str, set[str]] = defaultdict(set)
    for key, values in relation.items():
        for value in values:
            inverse[value].add(key)
    return inverse


def test_ancestors_and_descendants_match_sparql(pair) -> None:
    graph, ancestors, _, _ = pair
    descendants = _inverted(ancestors)
    checked = 0
    for concept in graph:
        if concept.kind is ConceptKind.CLASS:
            assert {c.iri for c in graph.ancestors(concept.iri)} == ancestors.get(
                concept.iri, set()
            )
            assert {c.iri for c in graph.descendants(concept.iri)} == descendants.get(
                concept.iri, set()
            )
            checked += 1
    assert checked > 300


def test_examples_and_all_types_match_sparql(pair) -> None:
    graph, _, types, _ = pair
    examples = _inverted(types)
    for concept in graph:
        if concept.kind is ConceptKind.EXAMPLE:
            assert {c.iri for c in graph.all_types(concept.iri)} == types.get(concept.iri, set())
        else:
            assert {c.iri for c in graph.examples(concept.iri)} == examples.get(concept.iri, set())
    assert {i for i in types} == {
        c.iri for c in graph if c.kind is ConceptKind.EXAMPLE and types.get(c.iri)
    }


def test_is_a_and_example_of_answers_match_sparql_with_valid_proofs(pair) -> None:
    graph, ancestors, types, store = pair
    iris = sorted(c.iri for c in graph)
    rng = random.Random(20261129)
    for concept in graph:
        expected = ancestors.get(concept.iri, set()) | types.get(concept.iri, set())
        candidates = sorted(expected) + rng.sample(iris, 15)
        for target in candidates:
            answer = graph.prove_is_a(concept.iri, target)
            assert answer.holds == (target in expected), (concept.iri, target)
            if answer.holds:
                assert (
                    answer.path[0].subject.iri == concept.iri
                    and answer.path[-1].object.iri == target
                )
                for before, after in pairwise(answer.path):
                    assert before.object.iri == after.subject.iri
                for edge in answer.path:
                    asserted = ox.Quad(
                        *(
                            ox.NamedNode(t)
                            for t in (edge.subject.iri, edge.predicate, edge.object.iri)
                        )
                    )
                    assert asserted in store, edge
            strict = graph.prove_example_of(concept.iri, target)
            assert strict.holds == (target in types.get(concept.iri, set())), (concept.iri, target)
