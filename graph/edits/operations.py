"""Edits to the graph: operations and the triples they add and remove.

An edit is a list of operations (add a concept, set a label, add an is-a edge…) applied
together: they become one :class:`graph.store.change_log.Change` computed against the graph
being served; :mod:`graph.quality.edit_checks` then checks the would-be graph before anything
is committed (:class:`graph.edits.live.LiveGraph` does both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph import vocabulary as V
from graph.curies import expand
from graph.errors import EditRefused
from graph.knowledge_graph import KnowledgeGraph
from graph.model import Concept, ConceptKind
from graph.store.change_log import Change
from graph.store.terms import LiteralValue, Triple, ntriples

__all__ = [
    "AddConcept",
    "AddEdge",
    "AddLabel",
    "Operation",
    "RemoveConcept",
    "RemoveEdge",
    "RemoveLabel",
    "SetDefinition",
    "SetLabel",
    "change_for",
]

#: The ids of new concepts: lower-case words joined by hyphens, as in the bundled files.
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,98}[a-z0-9])?\Z")
LANGUAGE_PATTERN = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*\Z")
MAX_TEXT = 10_000
RDF_LANG_STRING = V.RDF + "langString"
PREF_LABEL, ALT_LABEL, DEFINITION = V.SKOS + "prefLabel", V.SKOS + "altLabel", V.SKOS + "definition"
OBJECT_PROPERTY = V.OWL + "ObjectProperty"


@dataclass
class _Draft:
    """The change being assembled, and the concepts it creates (later operations may name them)."""

    graph: KnowledgeGraph
    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)

    def iri(self, reference: str) -> str:
        """The IRI of an existing concept or one created earlier in this edit."""
        if reference in self.created:
            return self.created[reference]
        return self.graph.resolve(reference).iri

    def concept(self, reference: str) -> Concept | None:
        iri = self.iri(reference)
        return self.graph.find_iri(iri)

    def has(self, triple: Triple) -> bool:
        if triple in self.added:
            return True
        if triple in self.removed:
            return False
        return triple[1:] in set(self.graph.store.describe(triple[0]))

    def add(self, triple: Triple) -> None:
        if triple in self.removed:
            self.removed.remove(triple)
        elif not self.has(triple):
            self.added.append(triple)

    def remove(self, triple: Triple) -> None:
        if triple in self.added:
            self.added.remove(triple)
        elif self.has(triple):
            self.removed.append(triple)


def _text(value: str, what: str, language: str) -> LiteralValue:
    if not value.strip():
        raise EditRefused([f"the {what} is empty"])
    if len(value) > MAX_TEXT:
        raise EditRefused([f"the {what} has {len(value):,} characters (limit {MAX_TEXT:,})"])
    if not LANGUAGE_PATTERN.match(language):
        raise EditRefused([f"{language!r} is not a language tag (such as en, de, zh-Hans)"])
    return LiteralValue(value, language.lower(), RDF_LANG_STRING)


@dataclass(frozen=True)
class AddConcept:
    """A new kind (``CLASS``, under ``parents``) or named example (``EXAMPLE``, of ``parents``)."""

    id: str
    label: str
    definition: str
    kind: ConceptKind
    parents: tuple[str, ...]
    source: str
    language: str = "en"

    def apply(self, draft: _Draft) -> None:
        if not ID_PATTERN.match(self.id):
            raise EditRefused(
                [f"{self.id!r} is not an id: use lower-case letters, digits, '-' and '.'"]
            )
        iri = V.CONCEPT_NS + self.id
        if (
            draft.graph.find_iri(iri) is not None
            or draft.graph.store.describe(iri)
            or iri in draft.created.values()
        ):
            raise EditRefused([f"the id {self.id!r} is taken (<{iri}>)"])
        if not self.parents:
            raise EditRefused(
                ["a new concept needs at least one kind it is a sub-kind or example of"]
            )
        parents = [draft.iri(p) for p in self.parents]
        source = draft.iri(self.source)
        draft.created[self.id] = iri
        if self.kind is ConceptKind.CLASS:
            draft.add((iri, V.TYPE, V.OWL_CLASS))
            for parent in parents:
                draft.add((iri, V.SUB_CLASS_OF, parent))
        else:
            draft.add((iri, V.TYPE, V.NAMED_INDIVIDUAL))
            for parent in parents:
                draft.add((iri, V.TYPE, parent))
        draft.add((iri, V.TYPE, V.SKOS_CONCEPT))
        draft.add((iri, PREF_LABEL, _text(self.label, "label", self.language)))
        draft.add((iri, DEFINITION, _text(self.definition, "definition", self.language)))
        draft.add((iri, V.SOURCE, source))
        draft.touched.update([iri, *parents])


@dataclass(frozen=True)
class RemoveConcept:
    """A concept and every triple that names it, as subject or object."""

    id: str

    def apply(self, draft: _Draft) -> None:
        iri = draft.iri(self.id)
        store = draft.graph.store
        outgoing = [(iri, p, o) for p, o in store.describe(iri)]
        incoming = [
            (s, p, iri)
            for s, p in store.select(f"SELECT ?s ?p WHERE {{ ?s ?p {ntriples(iri)} }}")
            if isinstance(s, str) and isinstance(p, str)
        ]
        blank = [
            t
            for t in (*outgoing, *incoming)
            if any(isinstance(x, str) and x.startswith("_:") for x in (t[0], t[2]))
        ]
        if blank:
            raise EditRefused(
                [f"<{iri}> is described with blank nodes (OWL restrictions); edit its file instead"]
            )
        for triple in (*outgoing, *incoming):
            draft.remove(triple)
        concept = draft.graph.find_iri(iri)
        if concept is not None:
            draft.touched.update(
                c.iri
                for c in (*draft.graph.children(iri), *draft.graph.examples(iri, transitive=False))
            )
        draft.touched.update(s for s, _, _ in incoming)


@dataclass(frozen=True)
class SetLabel:
    """The preferred label in one language (replacing the one there was)."""

    id: str
    label: str
    language: str = "en"

    def apply(self, draft: _Draft) -> None:
        _replace(draft, self.id, PREF_LABEL, _text(self.label, "label", self.language))


@dataclass(frozen=True)
class SetDefinition:
    """The definition in one language (replacing the one there was)."""

    id: str
    definition: str
    language: str = "en"

    def apply(self, draft: _Draft) -> None:
        _replace(draft, self.id, DEFINITION, _text(self.definition, "definition", self.language))


def _replace(draft: _Draft, reference: str, predicate: str, value: LiteralValue) -> None:
    iri = draft.iri(reference)
    for p, o in draft.graph.store.describe(iri):
        if p == predicate and isinstance(o, LiteralValue) and (o.language or "") == value.language:
            draft.remove((iri, p, o))
    for s, p, o in list(draft.added):
        if (
            s == iri
            and p == predicate
            and isinstance(o, LiteralValue)
            and o.language == value.language
        ):
            draft.added.remove((s, p, o))
    draft.add((iri, predicate, value))
    draft.touched.add(iri)


@dataclass(frozen=True)
class AddLabel:
    """An alternative label (skos:altLabel)."""

    id: str
    label: str
    language: str = "en"

    def apply(self, draft: _Draft) -> None:
        iri = draft.iri(self.id)
        draft.add((iri, ALT_LABEL, _text(self.label, "label", self.language)))
        draft.touched.add(iri)


@dataclass(frozen=True)
class RemoveLabel:
    """An alternative label, which must be there."""

    id: str
    label: str
    language: str = "en"

    def apply(self, draft: _Draft) -> None:
        iri = draft.iri(self.id)
        triple = (iri, ALT_LABEL, _text(self.label, "label", self.language))
        if not draft.has(triple):
            raise EditRefused([f"<{iri}> has no alternative label {self.label!r}@{self.language}"])
        draft.remove(triple)
        draft.touched.add(iri)


@dataclass(frozen=True)
class AddEdge:
    """An edge between two concepts: ``IS_A`` (rdfs:subClassOf), ``EXAMPLE_OF`` (rdf:type),
    or a typed relation named by a property the schema declares (``aikgs:developedBy``)."""

    subject: str
    predicate: str
    object: str

    def apply(self, draft: _Draft) -> None:
        draft.add(_edge(draft, self))


@dataclass(frozen=True)
class RemoveEdge:
    """An asserted edge, which must be there."""

    subject: str
    predicate: str
    object: str

    def apply(self, draft: _Draft) -> None:
        triple = _edge(draft, self)
        if not draft.has(triple):
            raise EditRefused([f"there is no edge <{triple[0]}> <{triple[1]}> <{triple[2]}>"])
        draft.remove(triple)


def _edge(draft: _Draft, edge: AddEdge | RemoveEdge) -> Triple:
    subject, obj = draft.iri(edge.subject), draft.iri(edge.object)
    predicate = _predicate(draft.graph, edge.predicate)
    draft.touched.update([subject, obj])
    if predicate in (V.SUB_CLASS_OF, V.TYPE) and draft.graph.find_iri(subject) is not None:
        below = (*draft.graph.descendants(subject), *draft.graph.examples(subject))
        draft.touched.update(c.iri for c in below)  # their sh:class answers may change
    return subject, predicate, obj


def _predicate(graph: KnowledgeGraph, name: str) -> str:
    """IS_A, EXAMPLE_OF, or an object property the graph declares (IRI or CURIE)."""
    if name == "IS_A":
        return V.SUB_CLASS_OF
    if name == "EXAMPLE_OF":
        return V.TYPE
    iri = expand(name, {**graph.prefixes, **V.PREFIXES}) or name
    try:
        ntriples(iri)
    except ValueError:
        raise EditRefused([f"{name!r} is not a property IRI or CURIE"]) from None
    if (V.TYPE, OBJECT_PROPERTY) not in set(graph.store.describe(iri)):
        raise EditRefused(
            [f"<{iri}> is not a relation the schema declares (an owl:ObjectProperty)"]
        )
    return iri


Operation = (
    AddConcept
    | RemoveConcept
    | SetLabel
    | SetDefinition
    | AddLabel
    | RemoveLabel
    | AddEdge
    | RemoveEdge
)


def change_for(graph: KnowledgeGraph, operations: Iterable[Operation], agent: str) -> Change:
    """The triples the operations add and remove, in order, against ``graph``.

    Unknown or ambiguous concepts raise :class:`graph.errors.ConceptNotFound` /
    :class:`graph.errors.AmbiguousConcept`; impossible operations raise
    :class:`EditRefused`. The returned change has no id or time yet.
    """
    draft = _Draft(graph)
    names = []
    for operation in operations:
        operation.apply(draft)
        names.append(type(operation).__name__)
    if not draft.added and not draft.removed:
        raise EditRefused(["the edit changes nothing"])
    touched = draft.touched | {
        t for s, _, o in (*draft.added, *draft.removed) for t in (s, o) if isinstance(t, str)
    }
    return Change(
        added=tuple(draft.added),
        removed=tuple(draft.removed),
        agent=agent,
        summary=", ".join(names),
        touched=frozenset(touched),
    )
