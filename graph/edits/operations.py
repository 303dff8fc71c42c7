"""Edits to the graph: operations, the triples they add and remove, and the checks they pass.

An edit is a list of operations (add a concept, set a label, add an is-a edge…) applied
together: they become one :class:`graph.store.change_log.Change` computed against the graph being
served, and the change is checked on the *would-be* graph before anything is committed.

What is checked, and why this much:

* the structural checks of :mod:`graph.quality.validate` (is-a cycles, a kind used as an
  example, dangling references, concepts without a label, relation objects outside the
  property's range) over the whole would-be graph, by the reasoning index built for it;
* the SHACL shapes, run by pyshacl on the nodes the edit touches: the subjects and
  objects of every added or removed triple, and, when an is-a or example-of edge changes,
  every sub-kind and example below them (their ``sh:class`` answers may change).

Only *new* problems refuse an edit: problems the graph had before stay reportable by
``aikg validate`` but do not block an unrelated edit. At the bundled size the structural
pass takes about 0.15 s and SHACL on the touched nodes about 0.04 s; a full SHACL run
would take about 4 s, which is why it is limited to the touched nodes (the cost then
grows with the edit, not with the graph).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from graph import vocabulary as V
from graph.curies import expand
from graph.errors import EditRefused
from graph.knowledge_graph import KnowledgeGraph
from graph.model import Concept, ConceptKind
from graph.store.change_log import Change
from graph.store.terms import LiteralValue, Term, Triple, ntriples

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
    "Validator",
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
            raise EditRefused([f"{self.id!r} is not an id: use lower-case letters, digits, '-' and '.'"])
        iri = V.CONCEPT_NS + self.id
        if draft.graph.find_iri(iri) is not None or draft.graph.store.describe(iri) or iri in draft.created.values():
            raise EditRefused([f"the id {self.id!r} is taken (<{iri}>)"])
        if not self.parents:
            raise EditRefused(["a new concept needs at least one kind it is a sub-kind or example of"])
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
            (s, p, iri) for s, p in store.select(f"SELECT ?s ?p WHERE {{ ?s ?p {ntriples(iri)} }}")
            if isinstance(s, str) and isinstance(p, str)
        ]
        blank = [t for t in (*outgoing, *incoming) if any(isinstance(x, str) and x.startswith("_:") for x in (t[0], t[2]))]
        if blank:
            raise EditRefused([f"<{iri}> is described with blank nodes (OWL restrictions); edit its file instead"])
        for triple in (*outgoing, *incoming):
            draft.remove(triple)
        concept = draft.graph.find_iri(iri)
        if concept is not None:
            draft.touched.update(c.iri for c in (*draft.graph.children(iri), *draft.graph.examples(iri, transitive=False)))
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
        if s == iri and p == predicate and isinstance(o, LiteralValue) and o.language == value.language:
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
        raise EditRefused([f"<{iri}> is not a relation the schema declares (an owl:ObjectProperty)"])
    return iri


Operation = AddConcept | RemoveConcept | SetLabel | SetDefinition | AddLabel | RemoveLabel | AddEdge | RemoveEdge


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
    touched = draft.touched | {t for s, _, o in (*draft.added, *draft.removed) for t in (s, o) if isinstance(t, str)}
    return Change(
        added=tuple(draft.added), removed=tuple(draft.removed), agent=agent,
        summary=", ".join(names), touched=frozenset(touched),
    )


class Validator:
    """Checks a would-be graph against the one being served.

    It keeps the structural problems of the served graph and an rdflib mirror of its
    triples for SHACL, and carries both forward when an edit it checked is committed
    (:meth:`accepted`); a graph it has not seen (another worker's write) rebuilds them.
    """

    def __init__(self, shapes: Path | None) -> None:
        self._shapes_file = shapes
        self._shapes: rdflib.Graph | None = None  # parsed at the first edit, not at start
        self._of: KnowledgeGraph | None = None
        self._mirror: rdflib.Graph | None = None
        self._known: set[str] | None = None  # the served graph's problems, once computed
        self._trial_known: set[str] | None = None

    def new_problems(
        self, current: KnowledgeGraph, trial: KnowledgeGraph, change: Change, whole: bool = True
    ) -> list[str]:
        """The problems ``trial`` has that ``current`` did not have (empty: the edit may commit).

        With ``whole``, :func:`graph.quality.validate.validate` runs over the whole trial graph
        (its store must hold the edit); otherwise only the touched nodes are checked, the
        store is read as it was and the change is laid over it (see :func:`focused_problems`).
        """
        from graph.quality.validate import (
            validate,  # imported here: validation imports knowledge_graph
        )

        if self._of is not current:
            self._of, self._mirror, self._known = current, None, None
        if whole:
            if self._known is None:
                self._known = {str(p) for p in validate(current, None)}
            self._trial_known = {str(p) for p in validate(trial, None)}
            found = sorted(self._trial_known - self._known)
        else:
            before = focused_problems(current, current.store.describe, change.touched)
            after = focused_problems(trial, overlay(current.store.describe, change), change.touched)
            found, self._known, self._trial_known = sorted(after - before), None, None
        if self._shapes_file is not None:
            if self._shapes is None:
                self._shapes = rdflib.Graph().parse(self._shapes_file, format="turtle")
            found += self._shacl_problems(current, change)
        return found

    def accepted(self, new: KnowledgeGraph, change: Change) -> None:
        """The change just checked was committed and ``new`` is served: carry the state forward."""
        if self._mirror is not None:
            _apply(self._mirror, change)
        self._of, self._known = new, self._trial_known

    def _shacl_problems(self, current: KnowledgeGraph, change: Change) -> list[str]:
        if self._mirror is None:
            self._mirror = current.store.to_rdflib()
        focus = sorted(t for t in change.touched if not t.startswith("_:"))
        before = set(self._shacl(self._mirror, focus))
        _apply(self._mirror, change)
        try:
            after = self._shacl(self._mirror, focus)
        finally:  # the mirror stays the served graph's until accepted()
            _apply(self._mirror, change, undo=True)
        return sorted(set(after) - before)

    def _shacl(self, data: rdflib.Graph, focus: list[str]) -> list[str]:
        import pyshacl  # imported here: slow to import, and only edits need it

        nodes: list[str | rdflib.URIRef] = [rdflib.URIRef(i) for i in focus if (rdflib.URIRef(i), None, None) in data]
        if not nodes:
            return []
        conforms, report, _ = pyshacl.validate(
            data, shacl_graph=self._shapes, inference="none", focus_nodes=nodes, inplace=True
        )
        if conforms:
            return []
        SH = rdflib.Namespace(V.SH)
        return [
            f"shacl: <{report.value(result, SH.focusNode)}>: "
            + str(report.value(result, SH.resultMessage) or "violates a shape")
            for result in report.subjects(rdflib.RDF.type, SH.ValidationResult)
        ]


def overlay(
    describe: Callable[[str], list[tuple[str, Term]]], change: Change
) -> Callable[[str], list[tuple[str, Term]]]:
    """``describe`` as it will answer once the change is committed."""
    added: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for s, p, o in change.added:
        added[s].append((p, o))
    removed = {(s, p, o) for s, p, o in change.removed}

    def after(subject: str) -> list[tuple[str, Term]]:
        kept = [(p, o) for p, o in describe(subject) if (subject, p, o) not in removed]
        return kept + [pair for pair in added.get(subject, ()) if pair not in kept]

    return after


def focused_problems(
    graph: KnowledgeGraph, describe: Callable[[str], list[tuple[str, Term]]], focus: Iterable[str]
) -> set[str]:
    """The checks of :mod:`graph.quality.validate` on the focus nodes only (cycles: everywhere).

    For graphs too large to re-check whole on every edit: the cost is one index pass for
    cycles and unlabelled concepts, plus one ``describe`` per focus node and per IRI they
    name. The lines read exactly as ``aikg validate`` prints them.
    """
    from graph.quality.validate import Problem

    problems = {
        Problem("cycle", cycle[0].id, "is-a cycle through " + " → ".join(c.id for c in cycle))
        for cycle in graph.is_a_cycles()
    }
    unlabelled = {c.iri for c in graph.unlabelled()}
    ranges = {s: o for s, _, o in graph.store.triples(V.RDFS + "range") if isinstance(o, str)}
    for subject in sorted(set(focus)):
        pairs = describe(subject)
        concept = graph.find_iri(subject)
        if subject in unlabelled and concept is not None:
            problems.add(Problem("label", concept.id, "has no label (skos:prefLabel or rdfs:label)"))
        punning_allowed = any(p == V.ALLOW_PUNNING and _is_true(o) for p, o in pairs)
        for predicate, obj in pairs:
            for term in (predicate, obj):
                if isinstance(term, str) and term.startswith((V.CONCEPT_NS, V.SCHEMA_NS)) and not describe(term):
                    problems.add(Problem("dangling", term, f"used by {subject} but never described"))
            if not isinstance(obj, str) or graph.find_iri(obj) is None:
                continue
            if predicate == V.TYPE and concept is not None and concept.kind is ConceptKind.CLASS and not punning_allowed:
                problems.add(Problem(
                    "kind-and-example", concept.id,
                    f"is a kind and also typed as an example of {graph.get(obj).id};"
                    " mark it aikgs:allowPunning true if intended",
                ))
            expected = ranges.get(predicate)
            if expected and graph.find_iri(expected) and obj != expected and not graph.is_a(obj, expected):
                problems.add(Problem(
                    "range", graph.get(obj).id,
                    f"is the object of {predicate} from {subject}, but is not a {graph.get(expected).label}",
                ))
    return {str(p) for p in problems}


def _is_true(term: Term) -> bool:
    return isinstance(term, LiteralValue) and term.value.lower() in ("true", "1")


def _apply(graph: rdflib.Graph, change: Change, undo: bool = False) -> None:
    added, removed = (change.removed, change.added) if undo else (change.added, change.removed)
    for triple in removed:
        graph.remove(_rdflib(triple))
    for triple in added:
        graph.add(_rdflib(triple))


def _rdflib(triple: Triple) -> tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]:
    s, p, o = triple
    if isinstance(o, LiteralValue):
        obj: rdflib.term.Node = (
            rdflib.Literal(o.value, lang=o.language) if o.language
            else rdflib.Literal(o.value, datatype=rdflib.URIRef(o.datatype))
        )
    else:
        obj = rdflib.URIRef(o)
    return rdflib.URIRef(s), rdflib.URIRef(p), obj
