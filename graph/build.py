"""Reading a store once into the structures every question is answered from.

Which resources are concepts, for any RDF the store holds:

* a **kind** is a named resource declared ``owl:Class`` / ``rdfs:Class``, used on
  either side of ``rdfs:subClassOf``, or used as the object of ``rdf:type``;
* a **named example** is a named resource, not a kind, with an ``rdf:type`` to a
  kind, ``owl:NamedIndividual`` or ``skos:Concept``;
* blank nodes (OWL restrictions) and RDF/RDFS/OWL/SKOS/SHACL vocabulary
  (``owl:Thing``, ``owl:NamedIndividual`` …) are never concepts.

The table is kept in columns (one list or dict per field); concept objects are
made on demand, so a million concepts cost lists of strings, not a million objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from graph import vocabulary as V
from graph.model import Edge
from graph.store import Store
from graph.taxonomy import Taxonomy

__all__ = ["GraphIndex", "build_index", "short_id"]


@dataclass(frozen=True)
class GraphIndex:
    """Everything read from the store, in columns; node ``n`` has IRI ``iris[n]``."""

    iris: list[str]
    node_of: dict[str, int]
    labels: list[str | None]
    alt_labels: dict[int, tuple[str, ...]]
    other_labels: dict[int, tuple[str, ...]]
    definitions: dict[int, str]
    sources: dict[int, str]
    taxonomy: Taxonomy
    relations_out: dict[int, tuple[Edge, ...]]
    relations_in: dict[int, tuple[Edge, ...]]
    predicate_labels: dict[str, str]
    prefixes: dict[str, str]


def build_index(store: Store) -> GraphIndex:
    """Read the store once and build the concept table, taxonomy and relations."""
    kinds, examples, subclass, typed = _classify(store)
    iris = sorted(kinds | examples)
    node_of = {iri: n for n, iri in enumerate(iris)}
    labels, other_labels = _labels(store, node_of)
    taxonomy = Taxonomy(
        len(iris),
        kinds=(node_of[k] for k in kinds),
        subclass_edges=((node_of[c], node_of[p]) for c, p in subclass),
        type_edges=((node_of[e], node_of[t]) for e, t in typed),
    )
    out, into = _relations(store, node_of)
    return GraphIndex(
        iris=iris,
        node_of=node_of,
        labels=labels,
        alt_labels=_alt_labels(store, node_of, labels),
        other_labels=other_labels,
        definitions=_first_by_language(store, V.DEFINITION_PREDICATES, node_of),
        sources=_sources(store, node_of),
        taxonomy=taxonomy,
        relations_out=out,
        relations_in=into,
        predicate_labels=_predicate_labels(store, {e.predicate for es in out.values() for e in es}),
        prefixes={**store.prefixes, **V.PREFIXES},
    )


def short_id(iri: str, prefixes: Mapping[str, str]) -> str:
    """Our local name for IRIs in our namespace, a CURIE where a prefix fits, else the IRI.

    >>> short_id("https://w3id.org/aikg/concept/gpt-4", {"aikg": "https://w3id.org/aikg/concept/"})
    'gpt-4'
    >>> short_id("https://w3id.org/aio/Model", {"aio": "https://w3id.org/aio/"})
    'aio:Model'
    """
    if iri.startswith(V.CONCEPT_NS) and _is_simple_local(iri[len(V.CONCEPT_NS) :]):
        return iri[len(V.CONCEPT_NS) :]
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0])):
        local = iri[len(namespace) :]
        if prefix and iri.startswith(namespace) and _is_simple_local(local):
            return f"{prefix}:{local}"
    return iri


def _is_simple_local(local: str) -> bool:
    return bool(local) and all(ch.isalnum() or ch in "-_." for ch in local) and local[-1] != "."


def _is_candidate(term: str) -> bool:
    """A named resource outside the RDF/RDFS/OWL/SKOS/SHACL vocabularies."""
    return not term.startswith("_:") and not V.is_vocabulary(term)


def _classify(store: Store) -> tuple[set[str], set[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Split named resources into kinds and examples; collect subclass and type edges."""
    kinds: set[str] = set()
    subclass: list[tuple[str, str]] = []
    for child, parent in store.resource_pairs(V.SUB_CLASS_OF):
        child_ok, parent_ok = _is_candidate(child), _is_candidate(parent)
        if child_ok:
            kinds.add(child)
        if parent_ok:
            kinds.add(parent)
        if child_ok and parent_ok:
            subclass.append((child, parent))
    typed: list[tuple[str, str]] = []
    individuals: set[str] = set()
    declared = (V.OWL_CLASS, V.RDFS_CLASS)
    marked = (V.NAMED_INDIVIDUAL, V.SKOS_CONCEPT)
    for subject, kind in store.resource_pairs(V.TYPE):
        if not _is_candidate(subject):
            continue
        if kind in declared:
            kinds.add(subject)
        elif _is_candidate(kind):
            kinds.add(kind)
            typed.append((subject, kind))
        elif kind in marked:
            individuals.add(subject)
    examples = {subject for subject, _ in typed} | individuals
    return kinds, examples - kinds, subclass, typed


def _labels(store: Store, node_of: Mapping[str, int]) -> tuple[list[str | None], dict[int, tuple[str, ...]]]:
    """The preferred label of every node (English, then untagged, then any) and its other labels."""
    labels: list[str | None] = [None] * len(node_of)
    best: dict[int, tuple[int, int, str, str]] = {}
    others: dict[int, list[str]] = defaultdict(list)
    for predicate_rank, predicate in enumerate(V.LABEL_PREDICATES):
        for subject, value, language in store.literal_values(predicate):
            node = node_of.get(subject)
            if node is None:
                continue
            rank = (predicate_rank, *_language_rank(language), value)
            current = best.get(node)
            if current is None:
                best[node] = rank  # type: ignore[assignment]
                labels[node] = value
            elif rank < current:
                others[node].append(current[3])
                best[node] = rank  # type: ignore[assignment]
                labels[node] = value
            else:
                others[node].append(value)
    rest = {n: tuple(dict.fromkeys(v for v in vs if v != labels[n])) for n, vs in others.items()}
    return labels, {n: vs for n, vs in rest.items() if vs}


def _language_rank(language: str | None) -> tuple[int, str]:
    if language is None:
        return (1, "")
    tag = language.lower()
    return (0 if tag == "en" or tag.startswith("en-") else 2, tag)


def _alt_labels(
    store: Store, node_of: Mapping[str, int], labels: list[str | None]
) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = defaultdict(set)
    for predicate in V.ALT_LABEL_PREDICATES:
        for subject, value, _language in store.literal_values(predicate):
            node = node_of.get(subject)
            if node is not None and value != labels[node]:
                found[node].add(value)
    return {node: tuple(sorted(values)) for node, values in found.items()}


def _first_by_language(store: Store, predicates: tuple[str, ...], node_of: Mapping[str, int]) -> dict[int, str]:
    """One value per node: the first predicate that has one, English first."""
    best: dict[int, tuple[tuple[int, int, str, str], str]] = {}
    for rank, predicate in enumerate(predicates):
        for subject, value, language in store.literal_values(predicate):
            node = node_of.get(subject)
            if node is not None:
                key = (rank, *_language_rank(language), value)
                if node not in best or key < best[node][0]:
                    best[node] = (key, value)
    return {node: value for node, (_, value) in best.items()}


def _sources(store: Store, node_of: Mapping[str, int]) -> dict[int, str]:
    sources: dict[int, str] = {}
    for subject, _, source in store.triples(V.SOURCE):
        node = node_of.get(subject)
        value = source if isinstance(source, str) else source.value
        if node is not None and (node not in sources or value < sources[node]):
            sources[node] = value
    return sources


def _relations(
    store: Store, node_of: Mapping[str, int]
) -> tuple[dict[int, tuple[Edge, ...]], dict[int, tuple[Edge, ...]]]:
    """Every other asserted edge between two concepts, indexed by subject and by object."""
    out: dict[int, list[Edge]] = defaultdict(list)
    into: dict[int, list[Edge]] = defaultdict(list)
    for predicate in store.predicates():
        if predicate in V.ANNOTATION_PREDICATES:
            continue
        for subject, obj in store.resource_pairs(predicate):
            if subject in node_of and obj in node_of:
                edge = Edge(subject, predicate, obj)
                out[node_of[subject]].append(edge)
                into[node_of[obj]].append(edge)

    def order(edge: Edge) -> tuple[str, str, str]:
        return edge.predicate, edge.subject, edge.object

    return (
        {n: tuple(sorted(edges, key=order)) for n, edges in out.items()},
        {n: tuple(sorted(edges, key=order)) for n, edges in into.items()},
    )


def _predicate_labels(store: Store, predicates: set[str]) -> dict[str, str]:
    """Readable names of relation predicates, with "is a" and "example of" for the two core ones."""
    labels = dict(V.PREDICATE_LABELS)
    for predicate in V.LABEL_PREDICATES:
        for subject, value, language in store.literal_values(predicate):
            if subject in predicates and subject not in labels and _language_rank(language)[0] < 2:
                labels[subject] = value
    return labels
