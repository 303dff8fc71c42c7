"""The SKOS view: the taxonomy written as a SKOS concept scheme, added to what we export.

SKOS tools (skosify, Skosmos) read a vocabulary as a hierarchy only through
``skos:broader``/``skos:narrower``, ``skos:inScheme`` and top concepts; our files assert the
hierarchy as ``rdfs:subClassOf`` and ``rdf:type``. This view adds, at export time and never in
the store:

* the scheme: :data:`SCHEME` (the ontology IRI, ``https://w3id.org/aikg/``) ``a
  skos:ConceptScheme`` with a ``skos:prefLabel`` (the ontology's ``dcterms:title``, else
  "aikg"), and ``skos:hasTopConcept`` for every root;
* on every concept (kind or named example): ``a skos:Concept`` (when not asserted),
  ``skos:inScheme``, ``skos:topConceptOf`` for the roots, ``skos:broader`` for each asserted
  is-a edge and for each kind it is directly an example of, and ``skos:narrower`` the other
  way.

A *root* is a concept with neither a super-kind nor a kind above it. The edges are the
asserted ones as the index holds them (never entailed ones); an edge that closes a cycle is
written too, as it is asserted. Loading an export back gives the same concepts, is-a answers
and relations: the index ignores SKOS classes as kinds, and reads the hierarchy predicates
as annotations (:data:`graph.vocabulary.SKOS_HIERARCHY`), never as relations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from graph import vocabulary as V
from graph.knowledge_graph import KnowledgeGraph
from graph.store.terms import RDF_LANG_STRING, LiteralValue, Term, Triple
from graph.store.turtle import TripleSource, write_turtle

__all__ = [
    "SCHEME",
    "SkosView",
    "concept_skos_triples",
    "skos_triples",
    "turtle_export",
    "write_turtle_export",
]

#: The concept scheme's IRI: the ontology's own, so one IRI names the vocabulary.
SCHEME = V.ONTOLOGY_IRI
CONCEPT_SCHEME = V.SKOS + "ConceptScheme"
IN_SCHEME = V.SKOS + "inScheme"
BROADER = V.SKOS + "broader"
NARROWER = V.SKOS + "narrower"
HAS_TOP_CONCEPT = V.SKOS + "hasTopConcept"
TOP_CONCEPT_OF = V.SKOS + "topConceptOf"
_TITLE = V.DCTERMS + "title"


class SkosView:
    """A triple source (the store, or it with entailments) with the SKOS view added.

    The Turtle writer reads it like the store; :func:`skos_triples` gives the added triples
    alone, for the other syntaxes.
    """

    def __init__(self, graph: KnowledgeGraph, source: TripleSource | None = None) -> None:
        self._graph = graph
        self._source: TripleSource = source if source is not None else graph.store
        self._typed = {s for s, p in graph.store.referrers(V.SKOS_CONCEPT) if p == V.TYPE}

    def named_subjects(self) -> list[str]:
        subjects = self._source.named_subjects()
        known = set(subjects)
        extra = [iri for iri in (SCHEME, *self._graph.index.iris) if iri not in known]
        return subjects + extra

    def blank_subjects(self) -> list[str]:
        return self._source.blank_subjects()

    def blank_references(self) -> dict[str, int]:
        return self._source.blank_references()

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        pairs = self._source.describe(subject)
        if subject == SCHEME:
            pairs.extend(self.scheme_pairs(pairs))
        node = self._graph.index.node_of.get(subject)
        if node is not None:
            pairs.extend(self.concept_pairs(node))
        return pairs

    def scheme_pairs(self, asserted: list[tuple[str, Term]]) -> Iterator[tuple[str, Term]]:
        """The scheme's type, label (from the asserted ``dcterms:title``) and top concepts."""
        yield V.TYPE, CONCEPT_SCHEME
        titles = [o for p, o in asserted if p == _TITLE and isinstance(o, LiteralValue)]
        for title in titles or [LiteralValue("aikg", "en", RDF_LANG_STRING)]:
            yield V.SKOS + "prefLabel", title
        iris = self._graph.index.iris
        for node in self._graph.index.taxonomy.in_iri_order():
            if self._is_root(node):
                yield HAS_TOP_CONCEPT, iris[node]

    def concept_pairs(self, node: int) -> Iterator[tuple[str, Term]]:
        """One concept's SKOS triples (as predicate, object pairs)."""
        iris, taxonomy = self._graph.index.iris, self._graph.index.taxonomy
        if iris[node] not in self._typed:
            yield V.TYPE, V.SKOS_CONCEPT
        yield IN_SCHEME, SCHEME
        if self._is_root(node):
            yield TOP_CONCEPT_OF, SCHEME
        for above in (*taxonomy.parents(node), *taxonomy.types(node)):
            yield BROADER, iris[above]
        for below in (*taxonomy.children(node), *taxonomy.instances(node)):
            yield NARROWER, iris[below]

    def _is_root(self, node: int) -> bool:
        taxonomy = self._graph.index.taxonomy
        return not taxonomy.parents(node, 1) and not taxonomy.types(node)


def skos_triples(graph: KnowledgeGraph) -> Iterator[Triple]:
    """Every triple the SKOS view adds to the graph, the scheme first, then concept by concept."""
    view = SkosView(graph)
    for predicate, obj in view.scheme_pairs(graph.store.describe(SCHEME)):
        yield SCHEME, predicate, obj
    for node, iri in enumerate(graph.index.iris):
        for predicate, obj in view.concept_pairs(node):
            yield iri, predicate, obj


def concept_skos_triples(graph: KnowledgeGraph, iri: str) -> list[Triple]:
    """One concept's share of the SKOS view, by the rule of its Linked Data description
    (``/concept/{id}``): its own SKOS triples, and those pointing at it from named subjects
    (its sub-kinds' and examples' ``skos:broader``, its parents' ``skos:narrower``, the
    scheme's ``skos:hasTopConcept``)."""
    own = [(iri, p, o) for p, o in SkosView(graph).concept_pairs(graph.index.node_of[iri])]
    inverse = {BROADER: NARROWER, NARROWER: BROADER, TOP_CONCEPT_OF: HAS_TOP_CONCEPT}
    incoming: list[Triple] = [
        (o, inverse[p], iri) for _, p, o in own if p in inverse and isinstance(o, str)
    ]
    return own + incoming


def turtle_export(graph: KnowledgeGraph, skos: bool = True) -> Iterator[str]:
    """The graph as deterministic Turtle chunks, with the SKOS view unless ``skos`` is False.

    What ``aikg export``, ``/ontology`` and ``/ontology.ttl`` write.
    """
    source: TripleSource = SkosView(graph) if skos else graph.store
    return write_turtle(source, {**graph.store.prefixes, **V.PREFIXES})


def write_turtle_export(graph: KnowledgeGraph, output: TextIO | Path, skos: bool = True) -> None:
    """Write :func:`turtle_export` to a path or an open text stream."""
    if isinstance(output, Path):
        with output.open("w", encoding="utf-8") as stream:
            stream.writelines(turtle_export(graph, skos))
    else:
        output.writelines(turtle_export(graph, skos))
