"""Changes too large for one update: sent in bounded chunks to staging graphs, then committed.

Servers bound what one update may hold (Virtuoso 7 refuses about 1,000 triples: "The length
of generated SQL text has exceeded 10000 lines of code"). A change larger than the
endpoint's ``update_triples`` (imports, very large edits) goes, under the write lease:

1. *registered*: the change log names its staging graphs (``aikgc:staging``) before
   anything is written to them, so a writer that crashes leaves them findable;
2. *staged*: the triples to add, to remove, and the change's record, each into its own
   staging graph, at most ``update_triples`` per update; triples that share a blank node
   travel in the same update (a blank node label names a new node in every update);
3. *committed*: one small update moves them, and advances the revision, only at the
   expected revision (the same compare-and-swap as :func:`~graph.store.change_log.render_update`);
4. *dropped*: the staging graphs and their registration.

The next writer drops whatever a crashed writer left registered (:func:`drop_leftovers`,
run by :meth:`graph.store.endpoint.RemoteStore.writing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from graph.errors import EndpointError
from graph.store.change_log import (
    STAGING,
    Change,
    Graphs,
    at_revision,
    record_lines,
    triple_lines,
)
from graph.store.protocol import Backend
from graph.store.terms import Triple, ntriples

__all__ = ["change_size", "drop_leftovers", "send_staged"]


def change_size(change: Change, graphs: Graphs) -> int:
    """How many triples the change's update carries, its record included."""
    return len(change.added) + len(change.removed) + len(record_lines(change, 0, graphs))


def send_staged(
    store: Backend, change: Change, expected: int, chunk: int, renew: Callable[[], None]
) -> None:
    """Send the change through staging graphs (see the module docstring); ``renew`` keeps the
    write lease alive between chunks."""
    if any(_blank(t) for t in change.removed):
        raise EndpointError(
            f"an edit of {len(change.removed):,} removed triples, some of them with blank nodes, "
            "is too large for one update of this endpoint; remove them in smaller edits"
        )
    graphs = store.graphs
    base = f"{graphs.staging}{change.id}/"
    added, removed, record = base + "added", base + "removed", base + "record"
    staging = (added, removed, record)
    log = ntriples(graphs.changes)
    registered = " ".join(f"{log} {ntriples(STAGING)} {ntriples(g)} ." for g in staging)
    store.update(f"INSERT DATA {{ GRAPH {log} {{ {registered} }} }}")
    try:
        for graph, lines in (
            (added, _grouped(change.added)),
            (removed, _grouped(change.removed)),
            (record, [[line] for line in record_lines(change, expected, graphs)]),
        ):
            for part in _chunks(lines, chunk):
                store.update(
                    f"INSERT {{ GRAPH {ntriples(graph)} {{\n" + "\n".join(part) + "\n} } WHERE {}"
                )
                renew()
        store.update(_commit(graphs, expected, added, removed, record))
    finally:
        try:
            _drop(store, staging)
        except EndpointError:
            pass  # still registered: the next writer drops them


def drop_leftovers(store: Backend) -> list[str]:
    """Drop the staging graphs a crashed writer left (call it holding the lease); their IRIs."""
    log = ntriples(store.graphs.changes)
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH {log} {{ {log} {ntriples(STAGING)} ?g }} }}")
    left = sorted({str(g) for (g,) in rows if g is not None})
    if left:
        _drop(store, left)
    return left


def _commit(graphs: Graphs, expected: int, added: str, removed: str, record: str) -> str:
    """The one small update that applies the staged change at revision ``expected``."""
    log = ntriples(graphs.changes)
    condition = at_revision(expected, graphs)
    deleted = [graphs.holding("?rs ?rp ?ro")]
    if expected:
        deleted.append(condition)
    return (
        "DELETE { " + " ".join(deleted) + " }\n"
        f"INSERT {{ {graphs.holding('?as ?ap ?ao')} GRAPH {log} {{ ?ls ?lp ?lo }} }}\n"
        f"WHERE {{ {condition}\n"
        f"  {{ GRAPH {ntriples(removed)} {{ ?rs ?rp ?ro }} }}\n"
        f"  UNION {{ GRAPH {ntriples(added)} {{ ?as ?ap ?ao }} }}\n"
        f"  UNION {{ GRAPH {ntriples(record)} {{ ?ls ?lp ?lo }} }}\n}}"
    )


def _drop(store: Backend, graphs: Sequence[str]) -> None:
    log = ntriples(store.graphs.changes)
    registered = " ".join(f"{log} {ntriples(STAGING)} {ntriples(g)} ." for g in graphs)
    drops = " ;\n".join(f"DROP SILENT GRAPH {ntriples(g)}" for g in graphs)
    store.update(f"{drops} ;\nDELETE DATA {{ GRAPH {log} {{ {registered} }} }}")


def _grouped(triples: Sequence[Triple]) -> list[list[str]]:
    """The triples as SPARQL lines, those that share a blank node (transitively) in one group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for s, _, o in triples:
        blanks = [t for t in (s, o) if isinstance(t, str) and t.startswith("_:")]
        if len(blanks) == 2:
            parent[root(blanks[0])] = root(blanks[1])
    groups: dict[str, list[Triple]] = {}
    plain: list[list[str]] = []
    for triple in triples:
        s, _, o = triple
        blank = next((t for t in (s, o) if isinstance(t, str) and t.startswith("_:")), None)
        if blank is None:
            plain.append(list(triple_lines([triple])))
        else:
            groups.setdefault(root(blank), []).append(triple)
    return plain + [list(triple_lines(g, blank_labels=True)) for g in groups.values()]


def _chunks(groups: list[list[str]], size: int) -> Iterator[list[str]]:
    """Groups of lines packed into chunks of at most ``size`` lines (a larger group alone)."""
    chunk: list[str] = []
    for group in groups:
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def _blank(triple: Triple) -> bool:
    s, _, o = triple
    return s.startswith("_:") or (isinstance(o, str) and o.startswith("_:"))
