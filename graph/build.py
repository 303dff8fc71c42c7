"""Reading a store once into the structures every question is answered from.

Which resources are concepts, for any RDF the store holds:

* a **kind** is a named resource declared ``owl:Class`` / ``rdfs:Class``, used on
  either side of ``rdfs:subClassOf``, or used as the object of ``rdf:type``;
* a **named example** is a named resource, not a kind, with an ``rdf:type`` to a
  kind, ``owl:NamedIndividual`` or ``skos:Concept``;
* blank nodes (OWL restrictions) and RDF/RDFS/OWL/SKOS/SHACL vocabulary
  (``owl:Thing``, ``owl:NamedIndividual`` …) are never concepts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from collections.abc import Iterable, Mapping

from graph import vocabulary as V
from graph.model import Concept, ConceptKind, Edge
from graph.store import LiteralValue, Store, Term
from graph.taxonomy import Taxonomy

__all__ = ["GraphIndex", "build_index", "short_id"]


@dataclass(frozen=True)
class GraphIndex:
    """Everything read from the store; node ``n`` is ``concepts[n]``."""

    concepts: tuple[Concept, ...]
    node_of: dict[str, int]
    taxonomy: Taxonomy
    relations_out: dict[int, tuple[Edge, ...]]
    relations_in: dict[int, tuple[Edge, ...]]
    predicate_labels: dict[str, str]
    prefixes: dict[str, str]
    label_variants: dict[int, tuple[str, ...]]


def build_index(store: Store) -> GraphIndex:
    """Read the store once and build the concept table, taxonomy and relations."""
    prefixes = {**store.prefixes, **V.PREFIXES}
    kinds, examples, subclass, typed = _classify(store)
    iris = sorted(kinds | examples)
    node_of = {iri: n for n, iri in enumerate(iris)}
    annotations = _annotations(store, node_of)
    concepts = tuple(
        _concept(iri, ConceptKind.CLASS if iri in kinds else ConceptKind.EXAMPLE, annotations, prefixes)
        for iri in iris
    )
    taxonomy = Taxonomy(
        len(iris),
        kinds=(node_of[k] for k in kinds),
        subclass_edges=((node_of[c], node_of[p]) for c, p in subclass),
        type_edges=((node_of[e], node_of[t]) for e, t in typed if t in kinds),
    )
    out, into = _relations(store, node_of)
    predicate_labels = _predicate_labels(store, {e.predicate for edges in out.values() for e in edges})
    variants = {node_of[i]: tuple(v) for i, v in annotations.other_labels.items() if i in node_of}
    return GraphIndex(concepts, node_of, taxonomy, out, into, predicate_labels, prefixes, variants)


def short_id(iri: str, prefixes: Mapping[str, str]) -> str:
    """Our local name for IRIs in our namespace, a CURIE where a prefix fits, else the IRI.

    >>> short_id("https://w3id.org/aikg/concept/gpt-4", {"aikg": "https://w3id.org/aikg/concept/"})
    'gpt-4'
    >>> short_id("https://w3id.org/aio/Model", {"aio": "https://w3id.org/aio/"})
    'aio:Model'
    """
    if iri.startswith(V.CONCEPT_NS) and _is_simple_local(iri[len(V.CONCEPT_NS) :]):
        return iri[len(V.CONCEPT_NS) :]
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace) :]
        if prefix and iri.startswith(namespace) and _is_simple_local(local):
            return f"{prefix}:{local}"
    return iri


def _is_simple_local(local: str) -> bool:
    return bool(local) and all(ch.isalnum() or ch in "-_." for ch in local) and local[-1] != "."


def _is_named_concept_candidate(term: Term) -> bool:
    return isinstance(term, str) and not term.startswith("_:") and not V.is_vocabulary(term)


def _classify(store: Store) -> tuple[set[str], set[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Split named resources into kinds and examples; collect subclass and type edges."""
    kinds: set[str] = set()
    subclass: list[tuple[str, str]] = []
    for child, _, parent in store.triples(V.SUB_CLASS_OF):
        for end in (child, parent):
            if _is_named_concept_candidate(end):
                kinds.add(end)  # type: ignore[arg-type]
        if _is_named_concept_candidate(child) and _is_named_concept_candidate(parent):
            subclass.append((child, parent))  # type: ignore[arg-type]
    typed: list[tuple[str, str]] = []
    individuals: set[str] = set()
    for subject, _, kind in store.triples(V.TYPE):
        if kind in (V.OWL_CLASS, V.RDFS_CLASS) and _is_named_concept_candidate(subject):
            kinds.add(subject)  # type: ignore[arg-type]
        elif _is_named_concept_candidate(kind):
            kinds.add(kind)  # type: ignore[arg-type]
            if _is_named_concept_candidate(subject):
                typed.append((subject, kind))  # type: ignore[arg-type]
        elif kind in (V.NAMED_INDIVIDUAL, V.SKOS_CONCEPT) and _is_named_concept_candidate(subject):
            individuals.add(subject)  # type: ignore[arg-type]
    examples = {subject for subject, _ in typed} | individuals
    return kinds, examples - kinds, subclass, typed


@dataclass
class _Annotations:
    labels: dict[str, list[LiteralValue]]
    alt_labels: dict[str, list[str]]
    definitions: dict[str, list[LiteralValue]]
    sources: dict[str, list[str]]
    other_labels: dict[str, list[str]]


def _annotations(store: Store, node_of: Mapping[str, int]) -> _Annotations:
    """Labels, alternative labels, definitions and sources of every concept."""
    found = _Annotations(defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list))
    for predicate in V.LABEL_PREDICATES:
        for subject, _, value in _literals_of(store, predicate, node_of):
            found.labels[subject].append(value)
    for predicate in V.ALT_LABEL_PREDICATES:
        for subject, _, value in _literals_of(store, predicate, node_of):
            found.alt_labels[subject].append(value.value)
    for predicate in V.DEFINITION_PREDICATES:
        for subject, _, value in _literals_of(store, predicate, node_of):
            found.definitions[subject].append(value)
    for subject, _, source in store.triples(V.SOURCE):
        if subject in node_of:
            found.sources[subject].append(source.value if isinstance(source, LiteralValue) else source)
    return found


def _literals_of(
    store: Store, predicate: str, node_of: Mapping[str, int]
) -> Iterable[tuple[str, str, LiteralValue]]:
    for subject, pred, value in store.triples(predicate):
        if isinstance(value, LiteralValue) and subject in node_of:
            yield subject, pred, value


def _concept(iri: str, kind: ConceptKind, found: _Annotations, prefixes: Mapping[str, str]) -> Concept:
    """One concept row; labels prefer English, then untagged, then the lowest tag."""
    identifier = short_id(iri, prefixes)
    labels = _by_language_preference(found.labels.get(iri, []))
    label = labels[0].value if labels else identifier
    others = [x.value for x in labels[1:] if x.value != label]
    found.other_labels[iri] = others  # labels in other languages still resolve
    alt = tuple(sorted({a for a in found.alt_labels.get(iri, []) if a != label}))
    definitions = _by_language_preference(found.definitions.get(iri, []))
    definition = definitions[0].value if definitions else None
    sources = sorted(found.sources.get(iri, []))
    return Concept(iri, identifier, label, alt, definition, kind, sources[0] if sources else None)


def _by_language_preference(values: list[LiteralValue]) -> list[LiteralValue]:
    def rank(value: LiteralValue) -> tuple[int, str, str]:
        language = (value.language or "").lower()
        first = 0 if language in ("en", "en-gb", "en-us") else 1 if not language else 2
        return first, language, value.value

    return sorted(values, key=rank)


def _relations(store: Store, node_of: Mapping[str, int]) -> tuple[dict[int, tuple[Edge, ...]], dict[int, tuple[Edge, ...]]]:
    """Every other asserted edge between two concepts, indexed by subject and by object."""
    out: dict[int, list[Edge]] = defaultdict(list)
    into: dict[int, list[Edge]] = defaultdict(list)
    for subject, predicate, obj in store.triples():
        if predicate in V.ANNOTATION_PREDICATES or subject not in node_of:
            continue
        if isinstance(obj, str) and obj in node_of:
            edge = Edge(subject, predicate, obj)
            out[node_of[subject]].append(edge)
            into[node_of[obj]].append(edge)
    order = lambda e: (e.predicate, e.subject, e.object)  # noqa: E731
    return (
        {n: tuple(sorted(edges, key=order)) for n, edges in out.items()},
        {n: tuple(sorted(edges, key=order)) for n, edges in into.items()},
    )


def _predicate_labels(store: Store, predicates: set[str]) -> dict[str, str]:
    """Readable names of the relation predicates, with "is a" and "example of" for the two core ones."""
    labels = dict(V.PREDICATE_LABELS)
    for predicate in V.LABEL_PREDICATES:
        for subject, _, value in store.triples(predicate):
            if subject in predicates and isinstance(value, LiteralValue) and subject not in labels:
                labels[subject] = value.value
    return labels
