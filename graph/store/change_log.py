"""The revision and the change log that every backend keeps beside its triples.

The graph's triples live in the default graph of the backend, or in a named graph
(:class:`Graphs`: ``aikg --graph IRI``). Beside them, in the named graph
:data:`CHANGES_GRAPH` (or the change-log graph the :class:`Graphs` name), the backend
keeps its *revision* (an integer, 0 when never edited) and one record per committed edit:
who made it, when, and the triples it added and removed (PROV-O terms plus our own
``aikgc:`` terms). Exports, indexes and SHACL read the graph only, so the change log never
shows up as concepts.

Every edit is one SPARQL 1.1 Update *operation* (a single ``DELETE … INSERT … WHERE``)
whose ``WHERE`` clause matches only while the revision is still the one the edit was
computed against: a compare-and-swap. The edit's own record is written by the same
operation, so whether it committed is one ``ASK`` away. The same text runs on a local
Oxigraph store (``Store.update``) and on any SPARQL 1.1 Protocol server, and a single
operation is atomic on both. It is not isolated on all of them (Oxigraph evaluates
``WHERE`` on a snapshot), so writers also take turns (``Backend.writing``), and
:mod:`graph.edits.commit` sends the update and retries when another writer won.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from graph.store.protocol import Backend
from graph.store.terms import LiteralValue, Term, Triple, from_ox, ntriples, subject_from_ox

__all__ = [
    "CHANGES_GRAPH",
    "DEFAULT_GRAPHS",
    "GENERATION_BEFORE",
    "Change",
    "Graphs",
    "at_revision",
    "change_log",
    "changes_since",
    "committed",
    "generation_steps",
    "net_change",
    "plain_update",
    "read_prefixes",
    "read_revision",
    "record_lines",
    "render_update",
    "triple_lines",
]

#: The named graph holding the revision and the change log.
CHANGES_GRAPH = "https://w3id.org/aikg/changes/"
#: Our terms for the change log (kept out of the closed ``aikgs:`` schema namespace).
AIKGC = "https://w3id.org/aikg/changes/terms#"
REVISION = AIKGC + "revision"
ADDED = AIKGC + "added"
REMOVED = AIKGC + "removed"
#: On a store on disk, the generation an edit's update replaced (graph/store/oxigraph.py).
GENERATION_BEFORE = AIKGC + "generationBefore"
#: A prefix the imported files declared, as "name namespace" (so CURIEs match the files').
PREFIX = AIKGC + "prefix"
#: The change log names the staging graph of a write in progress (graph/store/staging.py).
STAGING = AIKGC + "staging"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Where the agents (token names) that make edits are named.
AGENT_NS = "https://w3id.org/aikg/agent/"


@dataclass(frozen=True)
class Graphs:
    """Where a backend keeps its triples (``data``; None: the default graph) and its change log.

    Every query and update of :mod:`graph.store` names these graphs, so what a server takes
    for its default graph (Virtuoso: the union of all graphs) does not matter once ``data``
    is named.
    """

    data: str | None = None
    changes: str = CHANGES_GRAPH

    @classmethod
    def named(cls, data: str | None, changes: str | None = None) -> Graphs:
        """The graphs ``aikg --graph IRI [--changes-graph IRI]`` name; the change log's graph is
        derived from the data graph's IRI when not given (``…/graph`` → ``…/graph/changes/``).

        >>> Graphs.named("http://example.org/kg").changes
        'http://example.org/kg/changes/'
        """
        for iri in (data, changes):
            if iri is not None:
                try:
                    ntriples(iri)
                except ValueError as error:
                    raise ValueError(f"not an IRI: {iri!r} ({error})") from None
        if changes is None:
            changes = CHANGES_GRAPH if data is None else data.rstrip("/#") + "/changes/"
        if changes == data:
            raise ValueError(f"the change log needs a graph of its own, not {data}")
        return cls(data, changes)

    def holding(self, pattern: str) -> str:
        """A triple pattern or template placed in the data graph."""
        return pattern if self.data is None else f"GRAPH {ntriples(self.data)} {{ {pattern} }}"

    @property
    def staging(self) -> str:
        """The prefix of the staging graphs of imports and large edits."""
        return self.changes + "staging/"


DEFAULT_GRAPHS = Graphs()


@dataclass(frozen=True)
class Change:
    """Triples to add to and remove from the default graph, by one agent at one time."""

    added: tuple[Triple, ...] = ()
    removed: tuple[Triple, ...] = ()
    agent: str = "anonymous"
    at: datetime | None = None
    id: str = ""
    summary: str = ""
    touched: frozenset[str] = field(default_factory=frozenset)
    #: Whether the record lists every triple (edits) or only the summary (bulk imports).
    logged: bool = True
    #: Prefixes an import brings, (name, namespace), kept beside the revision.
    prefixes: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def subjects_and_objects(self) -> set[str]:
        """Every IRI the change names as a subject or an object."""
        return {
            term
            for s, _, o in (*self.added, *self.removed)
            for term in (s, o)
            if isinstance(term, str) and not term.startswith("_:")
        }


def read_revision(store: Backend) -> int:
    """The backend's revision: 0 until the first edit.

    >>> from graph.store.oxigraph import Store
    >>> read_revision(Store())
    0
    """
    log = ntriples(store.graphs.changes)
    rows = store.select(f"SELECT ?r WHERE {{ GRAPH {log} {{ {log} <{REVISION}> ?r }} }}")
    values = [int(row[0].value) for row in rows if isinstance(row[0], LiteralValue)]
    return max(values, default=0)


def read_prefixes(store: Backend) -> dict[str, str]:
    """The prefixes the imports declared (see :attr:`Change.prefixes`)."""
    log = ntriples(store.graphs.changes)
    rows = store.select(f"SELECT ?d WHERE {{ GRAPH {log} {{ {log} {ntriples(PREFIX)} ?d }} }}")
    pairs = sorted(row[0].value.split(" ", 1) for row in rows if isinstance(row[0], LiteralValue))
    return {name: namespace for name, namespace in pairs}


def _string(text: str) -> LiteralValue:
    return LiteralValue(text, None, XSD + "string")


def render_update(change: Change, expected: int, graphs: Graphs = DEFAULT_GRAPHS) -> str:
    """The change as one SPARQL Update operation that commits only at revision ``expected``.

    Every term goes through :func:`ntriples` (Oxigraph's own escaping; IRIs validated),
    so no user text is ever spliced into the update.
    """
    log = ntriples(graphs.changes)
    condition = at_revision(expected, graphs)
    deleted = [graphs.holding(line) for line in triple_lines(change.removed)]
    if expected:
        deleted.append(condition)
    inserted = [
        *(graphs.holding(line) for line in triple_lines(change.added, blank_labels=True)),
        f"GRAPH {log} {{\n  " + "\n  ".join(record_lines(change, expected, graphs)) + "\n}",
    ]
    return (
        "DELETE {\n" + "\n".join(deleted) + "\n}\n"
        "INSERT {\n" + "\n".join(inserted) + "\n}\n"
        "WHERE { " + condition + " }"
    )


def at_revision(expected: int, graphs: Graphs) -> str:
    """The pattern that matches only while the backend is at revision ``expected``."""
    log = ntriples(graphs.changes)
    if expected:
        return f"GRAPH {log} {{ {log} {ntriples(REVISION)} {_integer(expected)} }}"
    return f"FILTER NOT EXISTS {{ GRAPH {log} {{ {log} {ntriples(REVISION)} ?any }} }}"


def record_lines(change: Change, expected: int, graphs: Graphs = DEFAULT_GRAPHS) -> list[str]:
    """The change's record in the change log, and the new revision, as N-Triples lines."""
    assert change.id and change.at is not None, "a change needs an id and a time to be recorded"
    record = ntriples(graphs.changes + change.id)
    log = ntriples(graphs.changes)
    new = _integer(expected + 1)
    recorded = [
        f"{record} {ntriples(RDF_TYPE)} {ntriples(PROV + 'Activity')} .",
        f"{record} {ntriples(PROV + 'wasAssociatedWith')} {ntriples(AGENT_NS + change.agent)} .",
        f"{record} {ntriples(PROV + 'endedAtTime')} {_date_time(change.at)} .",
        f"{record} {ntriples(REVISION)} {new} .",
        *(f"{record} {ntriples(ADDED)} {_quoted(t)} ." for t in change.added if change.logged),
        *(f"{record} {ntriples(REMOVED)} {_quoted(t)} ." for t in change.removed if change.logged),
        f"{log} {ntriples(REVISION)} {new} .",
        *(
            f"{log} {ntriples(PREFIX)} {ntriples(_string(f'{name} {ns}'))} ."
            for name, ns in change.prefixes
        ),
    ]
    if change.summary:
        recorded.append(
            f"{record} {ntriples('http://www.w3.org/2000/01/rdf-schema#comment')} "
            f"{ntriples(LiteralValue(change.summary, None, XSD + 'string'))} ."
        )
    return recorded


def plain_update(change: Change) -> str:
    """The change as DELETE DATA / INSERT DATA, for a trial copy (no condition, no record)."""
    parts = []
    if change.removed:
        parts.append("DELETE DATA {\n" + "\n".join(triple_lines(change.removed)) + "\n}")
    if change.added:
        parts.append("INSERT DATA {\n" + "\n".join(triple_lines(change.added)) + "\n}")
    return " ;\n".join(parts)


def committed(store: Backend, change: Change) -> bool:
    """Whether the change's record is in the store (its update committed)."""
    log = store.graphs.changes
    return store.ask(
        f"ASK {{ GRAPH {ntriples(log)} {{ {ntriples(log + change.id)} "
        f"{ntriples(RDF_TYPE)} {ntriples(PROV + 'Activity')} }} }}"
    )


def change_log(store: Backend) -> list[tuple[int, str, str, str]]:
    """(revision, change IRI, agent, time) of every recorded change, oldest first."""
    rows = store.select(
        f"SELECT ?r ?c ?a ?t WHERE {{ GRAPH {ntriples(store.graphs.changes)} "
        f"{{ ?c a <{PROV}Activity> ; "
        f"<{REVISION}> ?r ; <{PROV}wasAssociatedWith> ?a ; <{PROV}endedAtTime> ?t }} }}"
    )
    log = [
        (int(_value(r)), str(c), str(a).removeprefix(AGENT_NS), _value(t)) for r, c, a, t in rows
    ]
    return sorted(log)


def changes_since(store: Backend, revision: int) -> list[Change] | None:
    """The recorded changes after ``revision``, oldest first, with their triples: what a worker
    at ``revision`` applies to catch up. None when one of them cannot be replayed (a bulk
    import records only its summary; blank nodes are renamed by the store), or a revision
    is missing."""
    rows = store.select(
        f"SELECT ?r ?c ?t ?triple WHERE {{ GRAPH {ntriples(store.graphs.changes)} "
        f"{{ ?c a <{PROV}Activity> ; <{REVISION}> ?r . "
        f"OPTIONAL {{ ?c ?t ?triple FILTER(?t IN (<{ADDED}>, <{REMOVED}>)) }} "
        f"FILTER(?r > {_integer(revision)}) }} }}"
    )
    found: dict[int, tuple[list[Triple], list[Triple]]] = {}
    for number, _change, predicate, line in rows:
        added, removed = found.setdefault(int(_value(number)), ([], []))
        if line is None:
            continue
        triple = _unquoted(_value(line))
        if triple is None:
            return None
        (added if predicate == ADDED else removed).append(triple)
    latest = revision + len(found)
    if sorted(found) != list(range(revision + 1, latest + 1)):
        return None
    if any(not added and not removed for added, removed in found.values()):
        return None  # an import's record: its triples are not in the log
    return [
        Change(added=tuple(a), removed=tuple(r), touched=frozenset())
        for _, (a, r) in sorted(found.items())
    ]


def generation_steps(store: Backend, revision: int) -> list[tuple[int, str, str | None]]:
    """(revision, change id, generation it replaced) of each change after ``revision``, oldest
    first: on a store on disk, how its edits moved its generation (None: not recorded, as on
    a remote store or for an import)."""
    log = store.graphs.changes
    rows = store.select(
        f"SELECT ?r ?c ?g WHERE {{ GRAPH {ntriples(log)} "
        f"{{ ?c a <{PROV}Activity> ; <{REVISION}> ?r . "
        f"OPTIONAL {{ ?c <{GENERATION_BEFORE}> ?g }} "
        f"FILTER(?r > {_integer(revision)}) }} }}"
    )
    steps = []
    for number, change, before in rows:
        assert isinstance(change, str)
        steps.append(
            (
                int(_value(number)),
                change.removeprefix(log),
                None if before is None else _value(before),
            )
        )
    return sorted(steps)


def net_change(changes: Sequence[Change]) -> Change:
    """One change with the effect of ``changes`` applied in order: a triple added and then
    removed again is in neither list.

    >>> t = ("s", "p", "o")
    >>> net_change([Change(added=(t,)), Change(removed=(t,))])
    Change(added=(), removed=(), agent='anonymous', at=None, id='', summary='', \
touched=frozenset(), logged=True, prefixes=())
    """
    before: dict[Triple, bool] = {}  # whether the triple was there before the first change
    after: dict[Triple, bool] = {}
    for change in changes:  # an update deletes before it inserts
        for triple in change.removed:
            before.setdefault(triple, True)
            after[triple] = False
        for triple in change.added:
            before.setdefault(triple, False)
            after[triple] = True
    return Change(
        added=tuple(t for t, there in after.items() if there and not before[t]),
        removed=tuple(t for t, there in after.items() if not there and before[t]),
        touched=frozenset(),
    )


def _unquoted(line: str) -> Triple | None:
    """A triple from its N-Triples line in the change log; None when it names a blank node."""
    (quad,) = ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES)
    if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
        return None
    return subject_from_ox(quad.subject), quad.predicate.value, from_ox(quad.object)


def triple_lines(triples: Iterable[Triple], blank_labels: bool = False) -> Iterator[str]:
    """Each triple as a line of SPARQL (N-Triples) text; the one place triples become SPARQL."""
    for s, p, o in triples:
        yield f"{_node(s, blank_labels)} {ntriples(p)} {_node(o, blank_labels)} ."


def _node(term: Term, blank_labels: bool) -> str:
    if blank_labels and isinstance(term, str) and term.startswith("_:"):
        label = "".join(ch if ch.isalnum() else "_" for ch in term[2:])
        return "_:" + label
    return ntriples(term)


def _quoted(triple: Triple) -> str:
    """A triple as an N-Triples line inside a plain literal (for the change log)."""
    line = " ".join(_node(t, blank_labels=True) for t in triple) + " ."
    return ntriples(LiteralValue(line, None, XSD + "string"))


def _date_time(at: datetime) -> str:
    return ntriples(LiteralValue(at.isoformat().replace("+00:00", "Z"), None, XSD + "dateTime"))


def _integer(value: int) -> str:
    return ntriples(LiteralValue(str(value), None, XSD + "integer"))


def _value(term: Term | None) -> str:
    return term.value if isinstance(term, LiteralValue) else str(term)
