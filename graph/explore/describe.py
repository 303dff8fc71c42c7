"""Which triples describe a concept, and the graph with its entailments, for Linked Data.

**A concept's description** is what ``GET /concept/{id}`` returns in every RDF syntax:

* its *concise bounded description* (CBD): every triple with the concept as subject, and,
  for each blank node reached as an object, every triple of that blank node, recursively
  (an OWL restriction comes whole, never as a dangling ``_:b``);
* plus every triple that has the concept as *object* and a named (IRI) subject: its
  sub-kinds' ``rdfs:subClassOf``, its examples' ``rdf:type``, and the typed relations that
  point at it (``GPT-4 aikgs:developedBy OpenAI`` is part of OpenAI's description).

Why the incoming arcs: the HTML page of a concept lists its children, examples and incoming
relations, and a Linked Data client that follows links should learn the same facts from the
RDF; without them a kind's sub-kinds could only be found through SPARQL. Incoming arcs from
blank nodes are left out: they belong to an anonymous structure (a restriction on some
other class) that would make no sense cut out of its context. The incoming arcs are the
direct ones only, so a kind with many named examples has a correspondingly long
description; nothing is entailed here (``/ontology?inferred=true`` adds entailments). The
SKOS view of a concept (:func:`graph.explore.skos.concept_skos_triples`) is added by the
caller, as it is to the whole graph.

**The entailed triples** come from the reasoning index (:meth:`KnowledgeGraph.entailed`),
concept by concept, so the whole graph with them is streamed and never held at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from graph.explore.skos import skos_triples
from graph.knowledge_graph import KnowledgeGraph
from graph.store.terms import Term, Triple

__all__ = [
    "TripleSet",
    "WithEntailments",
    "describe_concept",
    "graph_triples",
    "rdf_xml_unwritable",
]


def describe_concept(graph: KnowledgeGraph, iri: str) -> list[Triple]:
    """The concept's CBD plus the triples pointing at it from named subjects (see above).

    Triples come in a stable order: the CBD as the store lists it, then the incoming arcs.
    """
    store = graph.store
    triples: list[Triple] = []
    pending, seen = [iri], {iri}
    while pending:
        subject = pending.pop()
        for predicate, obj in store.describe(subject):
            triples.append((subject, predicate, obj))
            if isinstance(obj, str) and obj.startswith("_:") and obj not in seen:
                seen.add(obj)
                pending.append(obj)
    for subject, predicate in store.referrers(iri):
        if not subject.startswith("_:") and subject != iri:  # a self-loop is in the CBD already
            triples.append((subject, predicate, iri))
    return triples


def graph_triples(graph: KnowledgeGraph, inferred: bool, skos: bool = False) -> Iterator[Triple]:
    """Every triple of the default graph, then (with ``inferred``) every entailed one, then
    (with ``skos``) the SKOS view's (:mod:`graph.explore.skos`).

    A generator, so a serializer reading it in another thread can close it there.
    """
    yield from graph.store.triples()
    if inferred:
        yield from graph.entailed()
    if skos:
        yield from skos_triples(graph)


class TripleSet:
    """A handful of triples seen as a :class:`graph.turtle.TripleSource`, for the Turtle writer.

    >>> s = TripleSet([("http://e.org/a", "http://e.org/p", "_:b"), ("_:b", "http://e.org/q", "http://e.org/c")])
    >>> s.named_subjects(), s.blank_subjects(), s.blank_references()
    (['http://e.org/a'], ['_:b'], {'_:b': 1})
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._by_subject: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        for subject, predicate, obj in dict.fromkeys(triples):  # a set, in first-seen order
            self._by_subject[subject].append((predicate, obj))

    def named_subjects(self) -> list[str]:
        return [s for s in self._by_subject if not s.startswith("_:")]

    def blank_subjects(self) -> list[str]:
        return [s for s in self._by_subject if s.startswith("_:")]

    def blank_references(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for pairs in self._by_subject.values():
            for _, obj in pairs:
                if isinstance(obj, str) and obj.startswith("_:"):
                    counts[obj] += 1
        return dict(counts)

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        return list(self._by_subject.get(subject, ()))


class WithEntailments:
    """A store seen through the Turtle writer with each subject's entailed triples added."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self._graph = graph
        self._store = graph.store

    def named_subjects(self) -> list[str]:
        return self._store.named_subjects()

    def blank_subjects(self) -> list[str]:
        return self._store.blank_subjects()

    def blank_references(self) -> dict[str, int]:
        return self._store.blank_references()

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        pairs = self._store.describe(subject)
        if self._graph.find_iri(subject) is not None:
            pairs.extend((p, o) for _, p, o in self._graph.entailed(subject))
        return pairs


#: The end of an IRI that RDF/XML can write as an element name (an XML NCName, ASCII part).
_NC_NAME_END = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


def rdf_xml_unwritable(predicates: Iterable[str]) -> str | None:
    """The first predicate RDF/XML cannot write as an element name, or None.

    RDF/XML writes a predicate as a qualified name, so its IRI must end in an XML name;
    ``http://e.org/p/`` or ``http://e.org/1`` cannot be written at all.

    >>> rdf_xml_unwritable(["http://e.org/ok", "http://e.org/1"])
    'http://e.org/1'
    """
    for predicate in predicates:
        if not _NC_NAME_END.search(predicate):
            return predicate
    return None
