"""Importing RDF files into a remote SPARQL endpoint, all or nothing.

The files are parsed here first, into an in-memory Oxigraph store (a syntax error stops
the import with file, line and column before anything is sent); the would-be graph (what
the endpoint holds plus the files) is indexed and must pass the same checks as
``aikg load --store`` (:mod:`graph.quality.import_guard`); then the new triples go to the
endpoint through staging graphs in bounded chunks (:mod:`graph.store.staging`) and are
committed by one small SPARQL Update operation that also advances the revision, so workers
serving the endpoint see the import at their next revision check, and a concurrent edit can
never interleave with it (it holds the endpoint's write lease, :mod:`graph.store.lease`, and
the operation applies only at the revision the checks were run on: :mod:`graph.edits.commit`).

Afterwards the graph is read back, and every literal of the files that the server holds in
another form is reported (Virtuoso 7 stores ``"2023-01"^^xsd:gYearMonth`` as
``"2023"^^xsd:gYear``): an import is all or nothing, but not every server keeps every value.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from graph import vocabulary as V
from graph.edits.commit import Proposal, commit_first
from graph.errors import EditConflict, EndpointError, InvalidData
from graph.index.build import build_index
from graph.quality.import_guard import refuse_bad
from graph.store.change_log import Change
from graph.store.endpoint import RemoteStore
from graph.store.oxigraph import Store
from graph.store.terms import LiteralValue, ntriples

__all__ = ["Imported", "LiteralChange", "changed_literals", "import_into_endpoint"]


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    added: int
    triples: int
    concepts: int
    revision: int
    #: Each literal of the files the server holds in another form.
    changed: tuple[LiteralChange, ...] = ()


def import_into_endpoint(
    remote: RemoteStore,
    paths: Sequence[Path],
    strict: bool = False,
    agent: str = "aikg-load",
    attempts: int = 10,
    wait_s: float = 60.0,
) -> Imported:
    """Add the files' triples to the endpoint, or nothing; see the module docstring."""
    staging = Store()
    staging.load(list(paths))
    files = ", ".join(str(p) for p in paths)

    def refused(error: EndpointError) -> InvalidData:
        return InvalidData(files, f"the endpoint refused the import: {error}")

    def propose() -> Proposal[Imported]:
        return _propose(remote, staging, paths, strict, agent)

    with remote.writing(wait_s):
        try:
            done = commit_first(remote, propose, attempts, refused)
        except EditConflict:
            raise InvalidData(
                files, f"other writers committed first {attempts} times; nothing was imported"
            ) from None
    return replace(done, changed=tuple(changed_literals(staging, remote.snapshot()[0])))


@dataclass(frozen=True)
class LiteralChange:
    """A literal written to an endpoint that it holds in another form (or not at all)."""

    subject: str
    predicate: str
    wrote: LiteralValue
    holds: tuple[LiteralValue, ...]

    def __str__(self) -> str:
        instead = ", ".join(ntriples(v) for v in self.holds) or "nothing"
        return (
            f"<{self.subject}> <{self.predicate}>: wrote {ntriples(self.wrote)}, "
            f"the server holds {instead}"
        )


def changed_literals(written: Store, held: Store) -> list[LiteralChange]:
    """Each literal of ``written`` (about a named subject) that ``held`` lacks, with what it
    holds in its place."""
    kept, wrote = set(held.triples()), set(written.triples())
    changes = []
    for s, p, o in sorted(wrote, key=repr):
        if isinstance(o, LiteralValue) and not s.startswith("_:") and (s, p, o) not in kept:
            instead = tuple(
                v
                for q, v in held.describe(s)
                if q == p and isinstance(v, LiteralValue) and (s, p, v) not in wrote
            )
            changes.append(LiteralChange(s, p, o, instead))
    return changes


def _propose(
    remote: RemoteStore, staging: Store, paths: Sequence[Path], strict: bool, agent: str
) -> Proposal[Imported]:
    """The staged triples the endpoint lacks, checked on the latest snapshot plus the files."""
    snapshot, revision = remote.snapshot()
    prefixes = {**staging.prefixes, **V.PREFIXES}
    index = build_index(itertools.chain(snapshot.triples(), staging.triples()), prefixes)
    refuse_bad(index, paths, strict)
    held = set(snapshot.triples())
    new = [t for t in staging.triples() if _blank(t) or t not in held]
    concepts = len(index.iris)
    if not new:
        return Proposal(revision, None, lambda: Imported(0, len(snapshot), concepts, revision))
    change = Change(
        added=tuple(new),
        agent=agent,
        at=datetime.now(UTC).replace(microsecond=0),
        id=uuid.uuid4().hex,
        summary="import of " + ", ".join(str(p) for p in paths),
        logged=False,
        prefixes=tuple(sorted(staging.prefixes.items() - snapshot.prefixes.items())),
    )
    triples = len(snapshot) + len(new)
    return Proposal(revision, change, lambda: Imported(len(new), triples, concepts, revision + 1))


def _blank(triple: tuple) -> bool:  # type: ignore[type-arg]
    """Blank-node triples are always new: their nodes cannot be matched across stores."""
    return triple[0].startswith("_:") or (isinstance(triple[2], str) and triple[2].startswith("_:"))
