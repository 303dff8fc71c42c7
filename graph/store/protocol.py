"""The store contract, in two levels: what readers of triples need, and what a backend adds.

:class:`GraphStore` is what the index build, the Turtle writer, validation and Linked Data
read: the triples of one default graph as plain Python values. :class:`Backend` is a
store the service serves and changes: it adds SPARQL (the revision and the change log of
:mod:`graph.store.change_log` are read and written with it), snapshots to serve, a write
lock, and the few facts about itself that decide how an edit is tried and seen.

The two backends subclass :class:`Backend` explicitly, so mypy checks every signature:
:class:`graph.store.oxigraph.Store` (an Oxigraph store in memory or on disk, its own
snapshot) and :class:`graph.store.endpoint.RemoteStore` (a SPARQL 1.1 endpoint, read
through in-memory snapshots). Both protocols are also checkable with ``isinstance``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, runtime_checkable

import rdflib

from graph.store.terms import Term, Triple

if TYPE_CHECKING:
    from graph.store.change_log import Graphs
    from graph.store.oxigraph import Store

__all__ = ["Backend", "GraphStore"]


@runtime_checkable
class GraphStore(Protocol):
    """What readers of triples need: the index build, the Turtle writer, validation, Linked Data."""

    #: Prefix to namespace, as declared by the loaded files (for exports and CURIEs).
    prefixes: dict[str, str]

    def __len__(self) -> int:
        """How many triples the default graph holds."""

    def triples(self, predicate: str | None = None) -> Iterator[Triple]:
        """Every triple, or every triple with the given predicate."""

    def predicates(self) -> list[str]:
        """Every distinct predicate, sorted."""

    def named_subjects(self) -> list[str]:
        """Every IRI that is the subject of a triple."""

    def blank_subjects(self) -> list[str]:
        """Every blank node that is the subject of a triple, as ``_:id``."""

    def blank_references(self) -> dict[str, int]:
        """How many triples have each blank node as their object."""

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        """The (predicate, object) pairs of one subject (an IRI or ``_:id``)."""

    def referrers(self, obj: str) -> list[tuple[str, str]]:
        """The (subject, predicate) of every triple whose object is this IRI or ``_:id``."""

    def write_ntriples(self, output: IO[bytes]) -> None:
        """Write the default graph as N-Triples to ``output``, subject by subject (for export)."""

    def to_rdflib(self) -> rdflib.Graph:
        """A copy of the triples as an rdflib graph (SHACL, tests)."""

    def query_results(
        self,
        sparql: str,
        results_type: str | None,
        graph_type: str | None,
        *,
        max_bytes: int,
        deadline: float | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> tuple[str, bytes]:
        """A read-only SPARQL query's serialised results, as (media type, bytes), within limits."""


@runtime_checkable
class Backend(GraphStore, Protocol):
    """Where the truth lives and how it changes: a local :class:`Store` or a remote endpoint."""

    #: The directory on this machine that holds the store; None in memory or remote.
    path: Path | None
    #: The graph holding the triples and the one holding the change log.
    graphs: Graphs

    @property
    def snapshot_is_live(self) -> bool:
        """Whether :meth:`snapshot` hands out the backend itself, so a commit shows in it at
        once."""

    @property
    def written_elsewhere(self) -> bool:
        """Whether other processes may write here, so a worker checks the revision now and then."""

    def snapshot(self) -> tuple[Store, int]:
        """The triples to serve, as a readable store, and the revision they are at."""

    def select(self, sparql: str) -> list[tuple[Term | None, ...]]:
        """The rows of a SPARQL SELECT, each a tuple of terms (None where unbound)."""

    def ask(self, sparql: str) -> bool:
        """The answer of a SPARQL ASK."""

    def update(self, sparql: str, change_id: str | None = None) -> None:
        """Run a SPARQL 1.1 Update, atomically (all of it or none); ``change_id`` names the
        edit it commits, if it commits one."""

    def writing(self, wait_s: float = 60.0) -> AbstractContextManager[None]:
        """Hold the backend for writing inside the block: one writer at a time, across workers."""

    def close(self) -> None:
        """Release what this process holds (the database, or the latest snapshot)."""
