"""The write lease that writers to a SPARQL endpoint take turns with (a local store uses a
lock in the process instead: :meth:`graph.store.oxigraph.Store.writing`).

Why the endpoint needs a lock at all: the compare-and-swap of :mod:`graph.store.change_log` (an
update whose ``WHERE`` matches only at the expected revision) is only as good as the
server's isolation, and Oxigraph's server evaluates ``WHERE`` on a snapshot taken when the
update starts (repeatable read, not serialisable): two updates sent at the same moment can
both match and both commit — measured here, 25 double commits in 150 simultaneous pairs.

The lease needs nothing but inserts and reads, which every SPARQL 1.1 server does right:
a writer inserts its own claim (a unique IRI with the time it was made) into the changes
graph, then reads every claim. It holds the lease when its claim is the only live one;
otherwise it withdraws its claim and tries again after a random pause. Two writers can
never both see only their own claim: whichever read second started after the other's
insert had committed. A claim older than the lease time (a writer that crashed) is
ignored and removed by the next writer; the lease time assumes the workers' clocks agree
to well within it. A holder whose write takes longer (a large import sent in chunks)
renews its claim as it goes (:meth:`Lease.renew`).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from graph.errors import WriteBusy
from graph.store.change_log import AIKGC, XSD
from graph.store.protocol import Backend
from graph.store.terms import LiteralValue, Term, ntriples

__all__ = ["CLAIMED_AT", "LEASE_S", "Lease", "lease"]

CLAIMED_AT = AIKGC + "claimedAt"
#: A claim older than this is a crashed writer's and is ignored.
LEASE_S = 60.0


class Lease:
    """A held write lease: its claim, renewed while a long write goes on."""

    def __init__(self, store: Backend, claim: str) -> None:
        self.store, self.claim = store, claim
        self.renewed = time.monotonic()

    def renew(self) -> None:
        """Move the claim's time to now when a quarter of the lease time has passed."""
        if time.monotonic() - self.renewed < LEASE_S / 4:
            return
        graph, at = ntriples(self.store.graphs.changes), ntriples(CLAIMED_AT)
        self.store.update(
            f"DELETE {{ GRAPH {graph} {{ {self.claim} {at} ?t }} }} "
            f"INSERT {{ GRAPH {graph} {{ {self.claim} {at} {_now()} }} }} "
            f"WHERE {{ GRAPH {graph} {{ {self.claim} {at} ?t }} }}"
        )
        self.renewed = time.monotonic()


@contextmanager
def lease(store: Backend, wait_s: float = 60.0) -> Iterator[Lease]:
    """Hold the endpoint's write lease inside the block (one writer at a time, across workers)."""
    claim = _claim(store, wait_s)
    try:
        yield Lease(store, claim)
    finally:
        store.update(
            f"DELETE WHERE {{ GRAPH {ntriples(store.graphs.changes)} "
            f"{{ {claim} {ntriples(CLAIMED_AT)} ?t }} }}"
        )


def _now() -> str:
    return ntriples(LiteralValue(datetime.now(UTC).isoformat(), None, XSD + "dateTime"))


def _claim(store: Backend, wait_s: float) -> str:
    """Insert a claim and keep it once it is the only live one; its IRI in N-Triples."""
    claim = ntriples(store.graphs.changes + "claim/" + uuid.uuid4().hex)
    graph, at = ntriples(store.graphs.changes), ntriples(CLAIMED_AT)
    deadline = time.monotonic() + wait_s
    for attempt in range(1, 1_000_000):
        now = datetime.now(UTC)
        stamp = ntriples(LiteralValue(now.isoformat(), None, XSD + "dateTime"))
        store.update(f"INSERT DATA {{ GRAPH {graph} {{ {claim} {at} {stamp} }} }}")
        rows = store.select(f"SELECT ?c ?t WHERE {{ GRAPH {graph} {{ ?c {at} ?t }} }}")
        live: list[Term | None] = []
        expired: list[Term | None] = []
        for holder, when in rows:
            (expired if _older(when, now - timedelta(seconds=LEASE_S)) else live).append(holder)
        for holder in expired:  # a crashed writer's claim
            store.update(f"DELETE WHERE {{ GRAPH {graph} {{ {ntriples(str(holder))} {at} ?t }} }}")
        if [ntriples(str(h)) for h in live] == [claim]:
            return claim
        store.update(f"DELETE WHERE {{ GRAPH {graph} {{ {claim} {at} ?t }} }}")
        if time.monotonic() > deadline:
            raise WriteBusy(
                f"other writers held the endpoint for more than {wait_s:g} s; try again "
                f"(a writer that crashed holds it for at most {LEASE_S:g} s)"
            )
        time.sleep(random.uniform(0.002, 0.02) * min(attempt, 10))
    raise WriteBusy("no write lease")  # pragma: no cover - the deadline ends the loop first


def _older(term: object, limit: datetime) -> bool:
    if not isinstance(term, LiteralValue):
        return True
    try:
        return datetime.fromisoformat(term.value) < limit
    except ValueError:
        return True
