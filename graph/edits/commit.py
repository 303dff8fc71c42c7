"""The one commit path of edits and imports: a compare-and-swap update, retried while others win.

A writer holds the backend (``Backend.writing``), computes and checks its change against
the revision it read (a :class:`Proposal`), and sends it as one update that applies only
while the backend is still at that revision (:func:`graph.store.change_log.render_update`).
When the answer is lost (the connection dropped), the change log says whether it
committed. When a writer that takes no lock (an old client, a script) wrote first, the
update does nothing and the change is computed again on top of what it wrote. A change
larger than an endpoint takes in one update goes through staging graphs, still committed
by one small update at the revision (:mod:`graph.store.staging`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph.errors import EditConflict, EndpointError
from graph.store.change_log import Change, committed, render_update
from graph.store.endpoint import RemoteStore
from graph.store.protocol import Backend
from graph.store.staging import change_size, send_staged

__all__ = ["Proposal", "commit_first", "send"]

T = TypeVar("T")


@dataclass(frozen=True)
class Proposal(Generic[T]):
    """A change computed and checked at one revision, and what to answer once it is committed."""

    revision: int
    #: None when there is nothing to commit: ``answer`` is given at once.
    change: Change | None
    answer: Callable[[], T]


def commit_first(
    backend: Backend,
    propose: Callable[[], Proposal[T]],
    tries: int,
    refused: Callable[[EndpointError], Exception] | None = None,
) -> T:
    """Commit what ``propose`` computes; compute it again each time another writer won.

    ``propose`` reads the backend, computes and checks the change (raising to refuse it).
    An update that failed and did not commit raises its :class:`EndpointError`, or what
    ``refused`` makes of it. Raises :class:`EditConflict` when other writers won ``tries``
    times.
    """
    for _ in range(tries):
        proposal = propose()
        if proposal.change is None:
            return proposal.answer()
        try:
            done = send(backend, proposal.change, proposal.revision)
        except EndpointError as error:
            if refused is None:
                raise
            raise refused(error) from None
        if done:
            return proposal.answer()
    raise EditConflict(f"other writers committed first {tries} times; try again")


def send(backend: Backend, change: Change, revision: int) -> bool:
    """Send the change as a compare-and-swap at ``revision``; whether it is now in the backend.

    When the update fails, the change log is asked (a lost answer may hide a commit); the
    error is raised only when the change did not commit. (On disk the same transaction moves
    the store's generation, so an index saved beside it is known to be stale.)
    """
    try:
        if isinstance(backend, RemoteStore) and (
            change_size(change, backend.graphs) > backend.update_triples
        ):
            send_staged(backend, change, revision, backend.update_triples, backend.renew_lease)
        else:
            backend.update(render_update(change, revision, backend.graphs), change.id)
    except EndpointError:
        if not committed(backend, change):
            raise
    return committed(backend, change)
