"""Reading triples once into the structures every question is answered from.

Which resources are concepts, for any RDF the store holds:

* a **kind** is a named resource declared ``owl:Class`` / ``rdfs:Class``, used on
  either side of ``rdfs:subClassOf``, or used as the object of ``rdf:type``;
* a **named example** is a named resource, not a kind, with an ``rdf:type`` to a
  kind, ``owl:NamedIndividual`` or ``skos:Concept``;
* blank nodes (OWL restrictions) and RDF/RDFS/OWL/SKOS/SHACL vocabulary
  (``owl:Thing``, ``owl:NamedIndividual`` …) are never concepts.

The index is built in one pass over a stream of triples (straight from the parser, beside
Oxigraph's load into memory or after its bulk load on disk, or from the store), and kept in
columns: one list or dict per field, with concept objects made on demand.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from graph import vocabulary as V
from graph.find.lookup import LabelIndex, label_keys
from graph.index.gcpause import collector_paused
from graph.index.taxonomy import Taxonomy
from graph.store.terms import LiteralValue, Triple

__all__ = ["FactRow", "GraphIndex", "Relation", "build_index"]


class Relation(NamedTuple):
    """A typed edge between two concepts as the index keeps it: IRIs (a proof step, a relation)."""

    subject: str
    predicate: str
    object: str


class FactRow(NamedTuple):
    """One literal statement about a concept: predicate IRI, lexical form, datatype, language."""

    predicate: str
    value: str
    datatype: str | None  # None for a language-tagged string, or a resource (both None)
    language: str | None


@dataclass(frozen=True)
class GraphIndex:
    """Everything read from the triples, in columns; node ``n`` has IRI ``iris[n]``."""

    iris: Sequence[str]
    node_of: Mapping[str, int]
    labels: Sequence[str | None]
    alt_labels: Mapping[int, tuple[str, ...]]
    definitions: Mapping[int, str]
    sources: Mapping[int, str]
    taxonomy: Taxonomy
    relations_out: Mapping[int, tuple[Relation, ...]]
    relations_in: Mapping[int, tuple[Relation, ...]]
    predicate_labels: dict[str, str]
    prefixes: dict[str, str]
    huge_literals: tuple[tuple[str, int], ...] = ()
    #: Normalised preferred and alternative labels → node(s), for lookup (saved with the index).
    label_keys: tuple[LabelIndex, LabelIndex] = ({}, {})
    #: Preferred labels and definitions by language tag: node → ((tag, text), ...), sorted.
    #: A label whose only tag is ``en`` is not repeated here: ``english_labels`` marks it.
    label_translations: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    definition_translations: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: SKOS mappings to other vocabularies: node → ((mapping predicate, IRI), ...), sorted.
    mappings: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: Release dates (dcterms:issued): node → (lexical form, datatype IRI).
    released: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    #: Retired IRIs of merged concepts (objects of dcterms:replaces) → the node replacing each.
    replaced: Mapping[str, int] = field(default_factory=dict)
    #: 1 for each node whose labels are one English label, the preferred one (a byte per node).
    english_labels: bytearray | memoryview = field(default_factory=bytearray)
    #: Every literal statement of a concept but its labels and definitions (see
    #: ``V.FIELD_LITERAL_PREDICATES``): node → rows sorted by predicate label, then value.
    facts: Mapping[int, tuple[FactRow, ...]] = field(default_factory=dict)
    #: A concept's identifiers and a model's numbers (``V.IDENTIFIER_AND_NUMBER_PREDICATES``):
    #: node → rows sorted by predicate, then value.
    field_literals: Mapping[int, tuple[FactRow, ...]] = field(default_factory=dict)
    #: Relation predicates read from their object's side (aikgs:inverseLabel, else the
    #: standard terms' table): predicate IRI → "succeeded by".
    inverse_labels: dict[str, str] = field(default_factory=dict)
    #: Every relation predicate: used by an edge between concepts, or declared a property.
    relation_predicates: frozenset[str] = frozenset()
    #: The id of the saved index file this index was read from (a new one each save, see
    #: :func:`graph.index.persistence.save_index`), kept by edits that patch it; empty for an
    #: index built from triples. What was built over a saved index is tied to it by this id.
    #: Not content: left out of comparisons.
    saved_id: str = field(default="", compare=False)
    #: Shared by every index whose node numbers mean what this one's mean: an index edits
    #: patched (appended nodes keep the old ones' numbers) keeps it, a build makes a new one.
    #: What a graph built over one index (search's word indexes, the filters' columns, the
    #: lists' orders) is carried to a graph over another with the same numbering. Not content.
    numbering: object = field(default_factory=object, compare=False, repr=False)

    def languages_of_label(self, node: int) -> tuple[tuple[str, str], ...]:
        """The node's preferred labels by language tag, as sorted (tag, text) pairs."""
        found = self.label_translations.get(node)
        if found is not None:
            return found
        if node < len(self.english_labels) and self.english_labels[node]:
            return (("en", self.labels[node]),)  # type: ignore[return-value]
        return ()


#: A label literal as read: (predicate rank, language rank, lower-case tag or "", text).
_LabelKey = tuple[int, int, str, str]

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

    #: The ``rdfs:subClassOf`` and ``rdf:type`` edges between concepts, as (subjects, objects)
    #: columns: two lists hold a million pairs in a fifth of the memory a list of pairs takes.
    subclass: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    typed: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    kinds: set[str] = field(default_factory=set)
    marked: set[str] = field(default_factory=set)
    #: Every label literal of a subject (one small tuple each, chosen between after reading).
    labels: dict[str, tuple[_LabelKey, ...]] = field(default_factory=dict)
    alt_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    definitions: dict[str, tuple[tuple[int, int, str, str], str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    huge: list[tuple[str, int]] = field(default_factory=list)
    #: subject → language tag → best (rank, text) of its definitions.
    definition_languages: dict[str, dict[str, tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    mappings: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    released: dict[str, tuple[str, str]] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)
    #: subject → its literal statements other than labels and definitions.
    facts: dict[str, list[FactRow]] = field(default_factory=lambda: defaultdict(list))
    field_literals: dict[str, list[FactRow]] = field(default_factory=lambda: defaultdict(list))
    #: subject → best (language rank, text) of its aikgs:inverseLabel.
    inverse_labels: dict[str, tuple[tuple[int, str], str]] = field(default_factory=dict)
    #: IRIs declared owl:ObjectProperty or rdf:Property.
    properties: set[str] = field(default_factory=set)
    #: One string object per IRI, however often it is read: the reading holds each IRI once.
    interned: dict[str, str] = field(default_factory=dict)


def build_index(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> GraphIndex:
    """Read the triples once and build the concept table, taxonomy and relations."""
    with collector_paused():
        return _build(triples, prefixes)


def _build(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> GraphIndex:
    # Each part of the reading is dropped as soon as its structure is built: at a million kinds
    # the reading and the index together are the load's peak memory.
    reading = _read(triples)
    examples = {*reading.typed[0], *reading.marked}
    kinds = reading.kinds
    iris = sorted(kinds | examples)
    del examples
    node_of = {iri: n for n, iri in enumerate(iris)}
    reading.interned.clear()
    taxonomy = Taxonomy(
        len(iris),
        kinds=map(node_of.__getitem__, kinds),
        subclass_edges=_node_columns(reading.subclass, node_of),
        type_edges=_node_columns(reading.typed, node_of),
    )
    for column in (*reading.subclass, *reading.typed):
        column.clear()
    kinds.clear()
    reading.marked.clear()
    out, into = _relations(reading.links, node_of)
    reading.links.clear()
    relation_predicates = {e.predicate for edges in out.values() for e in edges}
    relation_predicates |= reading.properties
    facts = {node_of[i]: rows for i, rows in reading.facts.items() if i in node_of}
    reading.facts.clear()
    predicates = relation_predicates | {row.predicate for rows in facts.values() for row in rows}
    predicate_labels = _predicate_labels(reading, predicates)
    labels, alt_labels, label_translations, english_labels = _choose_labels(reading, node_of)
    reading.labels.clear()
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
        predicate_labels=predicate_labels,
        prefixes={**prefixes, **V.PREFIXES},
        huge_literals=tuple(reading.huge),
        label_keys=label_keys(labels, alt_labels, label_translations),
        label_translations=label_translations,
        definition_translations=_by_language(reading.definition_languages, node_of),
        mappings={
            node_of[i]: tuple(sorted(m)) for i, m in reading.mappings.items() if i in node_of
        },
        released={node_of[i]: v for i, v in reading.released.items() if i in node_of},
        replaced={
            old: node_of[new]
            for old, new in reading.replaced.items()
            if new in node_of and old not in node_of
        },
        english_labels=english_labels,
        facts={
            node: tuple(sorted(rows, key=lambda r: (predicate_labels[r.predicate], _fact_key(r))))
            for node, rows in facts.items()
        },
        inverse_labels={
            **{p: pair[0] for p, pair in V.STANDARD_PREDICATE_LABELS.items() if p in predicates},
            **{
                p: text
                for p, ((rank, _), text) in reading.inverse_labels.items()
                if p in predicates and rank < 2  # English or untagged, as labels
            },
        },
        field_literals={
            node_of[i]: field_rows(rows)
            for i, rows in reading.field_literals.items()
            if i in node_of
        },
        relation_predicates=frozenset(relation_predicates),
    )


def _predicate_labels(reading: _Reading, predicates: set[str]) -> dict[str, str]:
    """A readable name for every predicate: its English or untagged label in the data, else the
    standard terms' table, else words made from its local name (``hasPart`` → "has part")."""
    labelled = {
        p: min(keys)[3]
        for p, keys in reading.labels.items()
        if p in predicates and min(keys)[1] < 2
    }
    standard = V.STANDARD_PREDICATE_LABELS
    return {
        **{p: standard[p][0] if p in standard else words_of(p) for p in predicates},
        **labelled,
        **V.PREDICATE_LABELS,
    }


def words_of(iri: str) -> str:
    """Lower-case words from an IRI's local name, for predicates nobody labelled.

    >>> words_of("http://example.org/hasPart"), words_of("http://example.org/onto#part_of")
    ('has part', 'part of')
    >>> words_of("http://purl.obolibrary.org/obo/RO_0002211")
    'ro 0002211'
    """
    local = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local)
    return " ".join(re.split(r"[\s_\-.:]+", spaced)).strip().lower() or "related to"


def field_rows(rows: list[FactRow]) -> tuple[FactRow, ...]:
    """A concept's identifiers and numbers in the index's order: by predicate, then value."""
    return tuple(sorted(rows, key=lambda r: (r.predicate, _fact_key(r))))


def _fact_key(row: FactRow) -> tuple[str, str, str]:
    return (row.value, row.language or "", row.datatype or "")


def _choose_labels(
    reading: _Reading, node_of: Mapping[str, int]
) -> tuple[
    list[str | None], dict[int, tuple[str, ...]], dict[int, tuple[tuple[str, str], ...]], bytearray
]:
    """Each concept's preferred label, other labels, labels by language, and the English-only
    marks."""
    labels: list[str | None] = [None] * len(node_of)
    alt_labels: dict[int, tuple[str, ...]] = {}
    label_translations: dict[int, tuple[tuple[str, str], ...]] = {}
    english_labels = bytearray(len(node_of))
    alternatives = reading.alt_labels
    for iri, keys in reading.labels.items():
        node = node_of.get(iri)
        if node is None:
            continue
        alts = alternatives.pop(iri, ())
        if len(keys) == 1:  # the common case, without sets or sorting
            _, _, tag, label = keys[0]
            labels[node] = label
            if tag == "en":
                english_labels[node] = 1
            elif tag:
                label_translations[node] = ((tag, label),)
            if len(alts) == 1 and alts[0] != label:
                alt_labels[node] = alts
                continue
            others: Iterable[str] = ()
        else:
            best = min(keys)
            labels[node] = label = best[3]
            translations = _best_per_language(keys)
            if translations == (("en", label),):
                english_labels[node] = 1
            elif translations:
                label_translations[node] = translations
            translated = {text for _, text in translations}
            others = (key[3] for key in keys if key is not best and key[3] not in translated)
        merged = {*alts, *others} - {label}
        if merged:
            alt_labels[node] = tuple(sorted(merged))
    for iri, alts in alternatives.items():
        node = node_of.get(iri)
        if node is not None and alts:
            alt_labels[node] = tuple(sorted(set(alts)))
    return labels, alt_labels, label_translations, english_labels


def _node_columns(
    edges: tuple[list[str], list[str]], node_of: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """(subjects, objects) IRI columns as two numpy columns of node numbers (loops in C)."""
    subjects, objects = (
        np.fromiter(map(node_of.__getitem__, side), dtype=np.int64, count=len(side))
        for side in edges
    )
    return subjects, objects


def _best_per_language(keys: tuple[_LabelKey, ...]) -> tuple[tuple[str, str], ...]:
    """The best-ranked label per language tag (then the least text), as sorted (tag, text) pairs."""
    best: dict[str, tuple[int, str]] = {}
    for rank, _, tag, value in keys:
        if tag:
            _keep_best(best, tag, rank, value)
    return tuple(sorted((tag, text) for tag, (_, text) in best.items()))


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
    vocabulary, annotation = V.VOCABULARY_NAMESPACES, V.ANNOTATION_PREDICATES
    intern = r.interned.setdefault
    label_rank, labels, alt, alt_labels = _LABEL_RANK, r.labels, _ALT, r.alt_labels
    kinds = r.kinds
    typed_subject, typed_object = (column.append for column in r.typed)
    subclass_subject, subclass_object = (column.append for column in r.subclass)
    blank_or_vocabulary = ("_:", *vocabulary)
    for subject, predicate, obj in triples:
        if subject.startswith("_:"):
            continue
        subject = intern(subject, subject)
        if predicate == V.TYPE:
            if obj in _DECLARED:
                if not subject.startswith(vocabulary):
                    kinds.add(subject)
            elif obj in _MARKED:
                r.marked.add(subject)
            elif obj in V.RELATION_DECLARATIONS:
                r.properties.add(subject)
            elif (
                type(obj) is str
                and not obj.startswith(blank_or_vocabulary)
                and not subject.startswith(vocabulary)
            ):
                obj = intern(obj, obj)
                kinds.add(obj)
                typed_subject(subject)
                typed_object(obj)
        elif predicate == V.SUB_CLASS_OF:
            if not subject.startswith(vocabulary):
                kinds.add(subject)
                if type(obj) is str and not obj.startswith(blank_or_vocabulary):
                    obj = intern(obj, obj)
                    kinds.add(obj)
                    subclass_subject(subject)
                    subclass_object(obj)
        elif isinstance(obj, LiteralValue):
            if len(obj[0]) > MAX_LITERAL:
                r.huge.append((subject, len(obj[0])))
            rank = label_rank.get(predicate)
            if rank is not None and obj[1] == "en":  # the usual label, read here for speed
                found = labels.get(subject)
                key = (rank, 0, "en", obj[0])
                labels[subject] = (key,) if found is None else (*found, key)
            elif predicate in alt:
                found_alts = alt_labels.get(subject)
                alt_labels[subject] = (obj[0],) if found_alts is None else (*found_alts, obj[0])
            else:
                _read_literal(r, subject, predicate, obj)
        elif predicate == V.SOURCE:
            if subject not in r.sources or obj < r.sources[subject]:
                r.sources[subject] = obj
        elif predicate == V.REPLACES:
            if obj not in r.replaced or subject < r.replaced[obj]:
                r.replaced[obj] = subject
        elif predicate in V.IDENTIFIER_AND_NUMBER_PREDICATES:  # a resource where a literal
            r.field_literals[subject].append(FactRow(predicate, obj, None, None))  # belongs
        elif predicate not in annotation and not obj.startswith("_:"):
            r.links.append((subject, predicate, obj))
            if predicate in _MAPPING:
                r.mappings[subject].add((predicate, obj))
    r.marked -= r.kinds
    return r


def _read_literal(r: _Reading, subject: str, predicate: str, obj: LiteralValue) -> None:
    """Any other literal: labels in other languages, definitions, sources and dates."""
    value, language = obj.value, obj.language
    rank = _LABEL_RANK.get(predicate)
    if rank is not None:
        key = (rank, *_language_rank(language), value)
        found = r.labels.get(subject)
        r.labels[subject] = (key,) if found is None else (*found, key)
    elif predicate in _DEFINITION_RANK:
        if language:
            _keep_best(
                r.definition_languages[subject],
                language.lower(),
                _DEFINITION_RANK[predicate],
                value,
            )
        key = (_DEFINITION_RANK[predicate], *_language_rank(language), value)
        current_definition = r.definitions.get(subject)
        if current_definition is None or key < current_definition[0]:
            r.definitions[subject] = (key, value)  # type: ignore[assignment]
    elif predicate == V.INVERSE_LABEL:
        ranked = (_language_rank(language), value)
        found_inverse = r.inverse_labels.get(subject)
        if found_inverse is None or ranked < found_inverse:
            r.inverse_labels[subject] = ranked
    else:
        if predicate == V.SOURCE and (subject not in r.sources or value < r.sources[subject]):
            r.sources[subject] = value
        elif predicate == V.ISSUED and (
            subject not in r.released or value < r.released[subject][0]
        ):
            r.released[subject] = (value, obj.datatype)
        row = FactRow(predicate, value, None if language else obj.datatype, language)
        if predicate in V.IDENTIFIER_AND_NUMBER_PREDICATES:
            r.field_literals[subject].append(row)
        elif predicate not in V.FIELD_LITERAL_PREDICATES:
            r.facts[subject].append(row)


def _keep_best(texts: dict[str, tuple[int, str]], tag: str, rank: int, value: str) -> None:
    """Keep, per language tag, the text of the best-ranked predicate (then the least text)."""
    current = texts.get(tag)
    if current is None or (rank, value) < current:
        texts[tag] = (rank, value)


def _language_rank(language: str | None) -> tuple[int, str]:
    if language is None:
        return _UNTAGGED
    tag = language.lower()
    return (0 if tag == "en" or tag.startswith("en-") else 2, tag)


_UNTAGGED = (1, "")


def _relations(
    links: list[tuple[str, str, str]], node_of: Mapping[str, int]
) -> tuple[dict[int, tuple[Relation, ...]], dict[int, tuple[Relation, ...]]]:
    """Every other asserted edge between two concepts, indexed by subject and by object."""
    out: dict[int, list[Relation]] = defaultdict(list)
    into: dict[int, list[Relation]] = defaultdict(list)
    for subject, predicate, obj in sorted(set(links)):
        if subject in node_of and obj in node_of:
            edge = Relation(subject, predicate, obj)
            out[node_of[subject]].append(edge)
            into[node_of[obj]].append(edge)
    return {n: tuple(e) for n, e in out.items()}, {n: tuple(e) for n, e in into.items()}
