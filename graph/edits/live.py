"""The graph being served, swapped atomically after every committed write.

A :class:`LiveGraph` holds one :class:`KnowledgeGraph` (triples plus reasoning index)
and the revision of the backend it was read at. Readers take ``live.current`` once per
request and keep that graph for the whole request; a write builds the next graph aside
and replaces the reference in one assignment, so no request ever sees half an edit.

Writes (:meth:`LiveGraph.edit`) are serialised per backend (``Backend.writing``: a lock in
the process for a local store, a lease kept in the endpoint for a remote one). Holding it,
a writer catches up with the backend's revision *r*, computes the change, checks the
would-be graph, and commits with a single update that applies only while the backend is
still at *r* (:mod:`graph.edits.commit`); should a writer that takes no lease have written
first, the update does nothing and the edit is computed again. No update is lost, and an
edit that no longer makes sense is refused with its reasons.

How a worker learns of other processes' writes (a backend ``written_elsewhere``, such as
an endpoint): ``current`` checks the backend's revision at most every ``refresh_s``
seconds (one tiny SELECT) in a background thread; when it moved, the worker reads the
changes since its revision from the change log (one SELECT) and applies them to its copy
and index as it applies its own edits, serving the previous graph meanwhile; only changes
the log cannot replay (imports, blank nodes) make it fetch a snapshot and build the index
again. A worker's own writes are visible to it at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from graph import vocabulary as V
from graph.edits.commit import Proposal, commit_first
from graph.edits.heap import keep_freed_memory
from graph.edits.operations import Operation, change_for
from graph.errors import EditRefused, EndpointError, QueryLimitExceeded
from graph.index.build import GraphIndex, build_index
from graph.index.gcpause import collector_paused
from graph.index.update import changed_index
from graph.knowledge_graph import KnowledgeGraph
from graph.quality.edit_checks import EditChecker, overlay
from graph.store.change_log import Change, changes_since, plain_update, read_revision
from graph.store.oxigraph import Store
from graph.store.protocol import Backend
from graph.store.terms import Triple

__all__ = ["Edited", "LiveGraph"]

#: Up to this many triples an edit re-checks the whole would-be graph (0.15 s at the bundled
#: 9,000 triples); above, only the nodes it touches (the index is updated, not rebuilt, either way).
WHOLE_CHECK_TRIPLES = 50_000


@dataclass(frozen=True)
class Edited:
    """A committed edit: the revision it made, the change, and the graph now served."""

    revision: int
    change: Change
    graph: KnowledgeGraph


class LiveGraph:
    """The served graph of one backend, with validated atomic edits and refresh."""

    def __init__(
        self,
        backend: Backend,
        graph: KnowledgeGraph | None = None,
        shapes: Path | None = None,
        refresh_s: float = 1.0,
        max_attempts: int = 50,
        whole_check_triples: int = WHOLE_CHECK_TRIPLES,
    ) -> None:
        self.backend = backend
        self.whole_check_triples = whole_check_triples
        self.refresh_s = refresh_s
        self.max_attempts = max_attempts
        self._checker = EditChecker(shapes)
        self._write_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._checked = time.monotonic()
        if graph is None:
            graph, revision = self._read()
        else:
            revision = read_revision(backend)
        self._graph, self._revision = graph, revision

    @property
    def current(self) -> KnowledgeGraph:
        """The graph to answer one request from (take it once per request)."""
        if self.backend.written_elsewhere and time.monotonic() - self._checked > self.refresh_s:
            self._checked = time.monotonic()
            if self._refresh_lock.acquire(blocking=False):
                threading.Thread(
                    target=self._refresh_in_background, name="aikg-refresh", daemon=True
                ).start()
        return self._graph

    @property
    def revision(self) -> int:
        """The backend revision the current graph was read at."""
        return self._revision

    def refresh(self) -> bool:
        """Catch up now when the backend moved past our revision; True when it did.

        The changes since our revision are read from the change log and applied to our copy
        and its index, as our own edits are (:func:`changes_since`); when they cannot be
        replayed (an import, blank nodes) the whole graph is read again.
        """
        if read_revision(self.backend) == self._revision:
            return False
        with self._write_lock:
            changes = changes_since(self.backend, self._revision)
            if changes is None or self.backend.snapshot_is_live:
                graph, revision = self._read()
            else:
                graph, revision = self._graph, self._revision
                for change in changes:
                    graph, revision = _applied(graph, change), revision + 1
            if revision != self._revision:
                self._graph, self._revision = graph, revision
        return True

    def _refresh_in_background(self) -> None:
        try:
            self.refresh()
        except EndpointError:
            pass  # keep serving the graph we have; the next check tries again
        finally:
            self._refresh_lock.release()

    def _read(self) -> tuple[KnowledgeGraph, int]:
        snapshot, revision = self.backend.snapshot()
        return KnowledgeGraph(snapshot, self._index_of(snapshot)), revision

    def _index_of(self, store: Store) -> GraphIndex:
        return build_index(store.triples(), {**self.backend.prefixes, **V.PREFIXES})

    def edit(
        self, operations: Sequence[Operation], agent: str, deadline: float | None = None
    ) -> Edited:
        """Check and commit the operations as one change by ``agent``; all of it or nothing.

        Raises :class:`EditRefused` with every reason when the would-be graph has new
        problems (or an operation is impossible), ConceptNotFound for unknown concepts,
        :class:`EditConflict` when other writers won every attempt, and
        :class:`QueryLimitExceeded` when the change is ready only after ``deadline`` (a
        ``time.monotonic()`` value: the request's time limit), uncommitted: a client told
        that its request ran out of time must not find the edit made later.
        """
        keep_freed_memory()  # the next edit's copies reuse this one's pages (graph.edits.heap)
        with self._write_lock, self.backend.writing():  # one writer per backend, across workers
            # the edit allocates tens of thousands of small objects and frees them (SHACL's
            # rdflib graphs): with the collector running, each of its young collections also
            # swept the edit's new columns, a third of an edit at a million kinds
            with collector_paused():
                return commit_first(
                    self.backend,
                    lambda: self._propose(operations, agent, deadline),
                    self.max_attempts,
                )

    def _propose(
        self, operations: Sequence[Operation], agent: str, deadline: float | None = None
    ) -> Proposal[Edited]:
        """The change on top of the latest graph, checked on the graph it would make; past
        ``deadline``, refused before anything is committed."""
        if read_revision(self.backend) != self._revision:
            # catch up before computing the edit (a local store is read in place, and a
            # stale snapshot could refuse an edit that the latest graph accepts)
            self._graph, self._revision = self._read()
        current, revision = self._graph, self._revision
        change = replace(
            change_for(current, operations, agent),
            id=uuid.uuid4().hex,
            at=datetime.now(UTC).replace(microsecond=0),
        )
        count = _count_after(current, change)
        # more concepts than the limit means more triples: the store need not be counted
        limit = self.whole_check_triples
        whole = len(current) <= limit and current.triple_count <= limit
        live = self.backend.snapshot_is_live
        describe = overlay(current.store.describe, change)
        if whole or not live:  # (a snapshot copy is never changed in place)
            trial_store = current.store.copy()
            trial_store.update(plain_update(change))
            triples: Callable[[], Iterable[Triple]] = trial_store.triples
        else:  # a large store served in place: read as it will be, without copying it
            trial_store = current.store
            triples = partial(_after, current.store.triples(), change)
        # built once: checked now, served after the commit; local unless concepts come or go
        index = changed_index(current.index, change, describe, triples)
        named = change.subjects_and_objects()
        trial = KnowledgeGraph(
            trial_store, index, count, edited=True, previous=current, touched=named
        )
        problems = self._checker.new_problems(current, trial, change, whole=whole)
        if problems:
            raise EditRefused(problems)
        if deadline is not None and time.monotonic() > deadline:
            raise QueryLimitExceeded(
                "time",
                "The edit was ready only after the request's time limit, so it was not "
                "committed: nothing was changed. A few edits build the whole index (a new "
                "concept with sub-kinds or examples of its own, a kind made an example, a new "
                "relation predicate); a server started with a longer --timeout lets such an "
                "edit finish.",
            )

        def serve() -> Edited:
            # a live store holds the change now: the trial graph read over it is the one to
            # serve; a trial copy of a live store is left for the store itself
            copied = live and trial_store is not current.store
            served = (
                KnowledgeGraph(
                    current.store, index, count, edited=True, previous=current, touched=named
                )
                if copied
                else trial
            )
            self._checker.accepted(served, change)
            self._graph, self._revision = served, revision + 1
            return Edited(revision + 1, change, served)

        return Proposal(revision, change, serve)


def _applied(graph: KnowledgeGraph, change: Change) -> KnowledgeGraph:
    """Another worker's change applied to our snapshot copy and its index."""
    store = graph.store
    store.update(plain_update(change))
    index = changed_index(graph.index, change, store.describe, store.triples)
    count = _count_after(graph, change)
    return KnowledgeGraph(
        store, index, count, edited=True, previous=graph, touched=change.subjects_and_objects()
    )


def _count_after(graph: KnowledgeGraph, change: Change) -> int | None:
    """The triple count once the change is committed, when the graph's is known already
    (None: the new graph counts its store when first asked, which is after the commit,
    rather than this edit counting the whole store: seconds at a million kinds)."""
    known = graph.known_triple_count
    return None if known is None else known + len(change.added) - len(change.removed)


def _after(triples: Iterable[Triple], change: Change) -> Iterator[Triple]:
    """The triples of the store once the change is committed."""
    removed = set(change.removed)
    yield from (t for t in triples if t not in removed)
    yield from change.added
