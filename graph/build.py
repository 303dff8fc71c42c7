"""Reading triples once into the structures every question is answered from.

Which resources are concepts, for any RDF the store holds:

* a **kind** is a named resource declared ``owl:Class`` / ``rdfs:Class``, used on
  either side of ``rdfs:subClassOf``, or used as the object of ``rdf:type``;
* a **named example** is a named resource, not a kind, with an ``rdf:type`` to a
  kind, ``owl:NamedIndividual`` or ``skos:Concept``;
* blank nodes (OWL restrictions) and RDF/RDFS/OWL/SKOS/SHACL vocabulary
  (``owl:Thing``, ``owl:NamedIndividual`` …) are never concepts.

The index is built in one pass over a stream of triples (straight from the parser
while Oxigraph loads the same files, or from the store), and kept in columns: one
list or dict per field, with concept objects made on demand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph import vocabulary as V
from graph.gcpause import collector_paused
from graph.lookup import LabelIndex, label_keys
from graph.model import Edge
from graph.store import LiteralValue, Triple
from graph.taxonomy import Taxonomy

__all__ = ["GraphIndex", "build_index", "short_id"]


@dataclass(frozen=True)
class GraphIndex:
    """Everything read from the triples, in columns; node ``n`` has IRI ``iris[n]``."""

    iris: list[str]
    node_of: dict[str, int]
    labels: list[str | None]
    alt_labels: dict[int, tuple[str, ...]]
    definitions: dict[int, str]
    sources: dict[int, str]
    taxonomy: Taxonomy
    relations_out: dict[int, tuple[Edge, ...]]
    relations_in: dict[int, tuple[Edge, ...]]
    predicate_labels: dict[str, str]
    prefixes: dict[str, str]
    huge_literals: tuple[tuple[str, int], ...] = ()
    #: Normalised preferred and alternative labels → node(s), for lookup (saved with the index).
    label_keys: tuple[LabelIndex, LabelIndex] = ({}, {})
    #: Preferred labels and definitions by language tag: node → ((tag, text), ...), sorted.
    label_translations: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    definition_translations: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: SKOS mappings to other vocabularies: node → ((mapping predicate, IRI), ...), sorted.
    mappings: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: Release dates (dcterms:issued): node → (lexical form, datatype IRI).
    released: dict[int, tuple[str, str]] = field(default_factory=dict)


#: Literals longer than this (in characters) are refused at import.
MAX_LITERAL = 1_000_000

_LABEL_RANK = {p: r for r, p in enumerate(V.LABEL_PREDICATES)}
_DEFINITION_RANK = {p: r for r, p in enumerate(V.DEFINITION_PREDICATES)}
_ALT = frozenset(V.ALT_LABEL_PREDICATES)
_DECLARED = frozenset({V.OWL_CLASS, V.RDFS_CLASS})
_MARKED = frozenset({V.NAMED_INDIVIDUAL, V.SKOS_CONCEPT})
_MAPPING = frozenset(V.MAPPING_PREDICATES)


@dataclass
class _Reading:
    """What one pass over the triples collects, keyed by IRI."""

    subclass: list[tuple[str, str]] = field(default_factory=list)
    typed: list[tuple[str, str]] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    marked: set[str] = field(default_factory=set)
    labels: dict[str, tuple[tuple[int, int, str, str], list[str]]] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    definitions: dict[str, tuple[tuple[int, int, str, str], str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    huge: list[tuple[str, int]] = field(default_factory=list)
    #: subject → language tag → best (rank, text) of its labels and of its definitions.
    label_languages: dict[str, dict[str, tuple[int, str]]] = field(default_factory=lambda: defaultdict(dict))
    definition_languages: dict[str, dict[str, tuple[int, str]]] = field(default_factory=lambda: defaultdict(dict))
    mappings: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    released: dict[str, tuple[str, str]] = field(default_factory=dict)


def build_index(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> GraphIndex:
    """Read the triples once and build the concept table, taxonomy and relations."""
    with collector_paused():
        return _build(triples, prefixes)


def _build(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> GraphIndex:
    reading = _read(triples)
    examples = {s for s, _ in reading.typed} | reading.marked
    kinds = reading.kinds
    iris = sorted(kinds | examples)
    node_of = {iri: n for n, iri in enumerate(iris)}
    taxonomy = Taxonomy(
        len(iris),
        kinds=(node_of[k] for k in kinds),
        subclass_edges=((node_of[c], node_of[p]) for c, p in reading.subclass),
        type_edges=((node_of[e], node_of[t]) for e, t in reading.typed),
    )
    reading.subclass.clear()
    reading.typed.clear()
    labels: list[str | None] = [None] * len(iris)
    alt_labels: dict[int, tuple[str, ...]] = {}
    label_translations = _by_language(reading.label_languages, node_of)
    for iri, (rank, others) in reading.labels.items():
        node = node_of.get(iri)
        if node is not None:
            labels[node] = rank[3]
            translated = {text for _, text in label_translations.get(node, ())}
            alts = {*reading.alt_labels.pop(iri, ()), *(o for o in others if o not in translated)} - {rank[3]}
            if alts:
                alt_labels[node] = tuple(sorted(alts))
    for iri, alts in reading.alt_labels.items():
        node = node_of.get(iri)
        if node is not None and alts:
            alt_labels[node] = tuple(sorted(set(alts)))
    out, into = _relations(reading.links, node_of)
    predicates = {e.predicate for edges in out.values() for e in edges}
    return GraphIndex(
        iris=iris,
        node_of=node_of,
        labels=labels,
        alt_labels=alt_labels,
        definitions={node_of[i]: v for i, (_, v) in reading.definitions.items() if i in node_of},
        sources={node_of[i]: v for i, v in reading.sources.items() if i in node_of},
        taxonomy=taxonomy,
        relations_out=out,
        relations_in=into,
        predicate_labels={**{p: r[3] for p, (r, _) in reading.labels.items() if p in predicates and r[1] < 2},
                          **V.PREDICATE_LABELS},
        prefixes={**prefixes, **V.PREFIXES},
        huge_literals=tuple(reading.huge),
        label_keys=label_keys(labels, alt_labels, label_translations),
        label_translations=label_translations,
        definition_translations=_by_language(reading.definition_languages, node_of),
        mappings={node_of[i]: tuple(sorted(m)) for i, m in reading.mappings.items() if i in node_of},
        released={node_of[i]: v for i, v in reading.released.items() if i in node_of},
    )


def _by_language(
    texts: Mapping[str, Mapping[str, tuple[int, str]]], node_of: Mapping[str, int]
) -> dict[int, tuple[tuple[str, str], ...]]:
    """The best text per language tag of each concept, as sorted (tag, text) pairs."""
    return {
        node_of[iri]: tuple(sorted((tag, text) for tag, (_, text) in languages.items()))
        for iri, languages in texts.items()
        if iri in node_of
    }


def _read(triples: Iterable[Triple]) -> _Reading:
    """One pass: dispatch each triple on its predicate."""
    r = _Reading()
    is_vocabulary, annotation = V.is_vocabulary, V.ANNOTATION_PREDICATES
    for subject, predicate, obj in triples:
        if subject.startswith("_:"):
            continue
        if predicate == V.TYPE:
            if obj in _DECLARED:
                if not is_vocabulary(subject):
                    r.kinds.add(subject)
            elif obj in _MARKED:
                r.marked.add(subject)
            elif not obj.startswith("_:") and not is_vocabulary(obj) and not is_vocabulary(subject):  # type: ignore[union-attr]
                r.kinds.add(obj)  # type: ignore[arg-type]
                r.typed.append((subject, obj))  # type: ignore[arg-type]
        elif predicate == V.SUB_CLASS_OF:
            if not is_vocabulary(subject):
                r.kinds.add(subject)
                if isinstance(obj, str) and not obj.startswith("_:") and not is_vocabulary(obj):
                    r.kinds.add(obj)
                    r.subclass.append((subject, obj))
        elif type(obj) is LiteralValue:
            _read_literal(r, subject, predicate, obj)
        elif predicate == V.SOURCE:
            if subject not in r.sources or obj < r.sources[subject]:  # type: ignore[operator]
                r.sources[subject] = obj  # type: ignore[assignment]
        elif predicate not in annotation and not obj.startswith("_:"):
            r.links.append((subject, predicate, obj))
            if predicate in _MAPPING:
                r.mappings[subject].add((predicate, obj))
    r.marked -= r.kinds
    return r


def _read_literal(r: _Reading, subject: str, predicate: str, obj: LiteralValue) -> None:
    value = obj.value
    if len(value) > MAX_LITERAL:
        r.huge.append((subject, len(value)))
    rank = _LABEL_RANK.get(predicate)
    if rank is not None and obj.language:
        _keep_best(r.label_languages[subject], obj.language.lower(), rank, value)
    if rank is not None:
        key = (rank, *_language_rank(obj.language), value)
        current = r.labels.get(subject)
        if current is None:
            r.labels[subject] = (key, [])  # type: ignore[assignment]
        elif key < current[0]:
            r.labels[subject] = (key, [*current[1], current[0][3]])  # type: ignore[assignment]
        else:
            current[1].append(value)
    elif predicate in _ALT:
        r.alt_labels[subject].append(value)
    elif predicate in _DEFINITION_RANK:
        if obj.language:
            _keep_best(r.definition_languages[subject], obj.language.lower(), _DEFINITION_RANK[predicate], value)
        key = (_DEFINITION_RANK[predicate], *_language_rank(obj.language), value)
        current_definition = r.definitions.get(subject)
        if current_definition is None or key < current_definition[0]:
            r.definitions[subject] = (key, value)  # type: ignore[assignment]
    elif predicate == V.SOURCE:
        if subject not in r.sources or value < r.sources[subject]:
            r.sources[subject] = value
    elif predicate == V.ISSUED:
        if subject not in r.released or value < r.released[subject][0]:
            r.released[subject] = (value, obj.datatype)


def _keep_best(texts: dict[str, tuple[int, str]], tag: str, rank: int, value: str) -> None:
    """Keep, per language tag, the text of the best-ranked predicate (then the least text)."""
    current = texts.get(tag)
    if current is None or (rank, value) < current:
        texts[tag] = (rank, value)


def _language_rank(language: str | None) -> tuple[int, str]:
    if language is None:
        return (1, "")
    tag = language.lower()
    return (0 if tag == "en" or tag.startswith("en-") else 2, tag)


def _relations(
    links: list[tuple[str, str, str]], node_of: Mapping[str, int]
) -> tuple[dict[int, tuple[Edge, ...]], dict[int, tuple[Edge, ...]]]:
    """Every other asserted edge between two concepts, indexed by subject and by object."""
    out: dict[int, list[Edge]] = defaultdict(list)
    into: dict[int, list[Edge]] = defaultdict(list)
    for subject, predicate, obj in sorted(set(links)):
        if subject in node_of and obj in node_of:
            edge = Edge(subject, predicate, obj)
            out[node_of[subject]].append(edge)
            into[node_of[obj]].append(edge)
    return {n: tuple(e) for n, e in out.items()}, {n: tuple(e) for n, e in into.items()}


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
