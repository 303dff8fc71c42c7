"""The one place that turns settings into a backend: which graph is served, exported or filled.

Three backends, chosen once from :class:`~api.settings.Settings`:

* files in memory: ``--data FILE...``, or the bundled ontology when none are named;
* an on-disk Oxigraph store: ``--store PATH``, filled from those files the first time it is
  named (so ``serve --store PATH --data FILE`` can be run again as it is), reopened with its
  saved index afterwards;
* a remote SPARQL 1.1 endpoint: ``--sparql URL`` (and ``--sparql-update URL`` to write, and
  ``--graph IRI`` for a named graph), which holds the graph itself, so neither ``--data`` nor
  ``--store`` goes with it.

``aikg serve`` and the app factory take a :class:`LiveGraph` (:func:`live_graph`); the one-shot
commands (``validate``, ``export``) a :class:`KnowledgeGraph` (:func:`knowledge_graph`); ``aikg
load`` imports into a store or an endpoint (:func:`import_files`). Edits are checked with the
bundled SHACL shapes unless other data (``--data``) is served.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NamedTuple

from fastapi import FastAPI

from api.settings import Settings
from graph import InvalidData, KnowledgeGraph
from graph.edits.live import LiveGraph
from graph.loading import (
    load_files,
    open_store,
    save_warm_in_use,
    take_saved_warm,
    warm_from_store,
)
from graph.store.change_log import Graphs
from graph.store.endpoint import RemoteStore
from ontology import data_files, shapes_file

__all__ = [
    "Imported",
    "import_files",
    "knowledge_graph",
    "live_graph",
    "live_graph_per_worker",
    "save_in_use_at_shutdown",
]


def live_graph(settings: Settings) -> LiveGraph:
    """The graph to serve: a remote endpoint, an on-disk store, files or the bundled ontology.

    An existing on-disk store is opened for writing only when write tokens are configured,
    and takes the search and lists saved beside it by an earlier ``--workers N`` start when
    they fit (:func:`take_saved_warm`); ``--data`` next to it is ignored (it filled the store
    the first time).
    """
    shapes = None if settings.data else shapes_file()
    if settings.sparql is not None:
        return LiveGraph(_remote_store(settings), shapes=shapes, refresh_s=settings.refresh_s)
    if settings.store is not None and _exists(settings.store):
        graph = open_store(settings.store, read_only=not settings.write_tokens)
        take_saved_warm(graph, settings.store)  # a first search need not build for seconds
    else:
        graph = _from_files(settings)
    return LiveGraph(graph.store, graph, shapes=shapes, refresh_s=settings.refresh_s)


def save_in_use_at_shutdown(app: FastAPI, live: LiveGraph, settings: Settings) -> None:
    """When one server over an on-disk store shuts down cleanly (after its last request, in
    the app's lifespan: uvicorn then raises the signal that stopped it again), save beside the
    store the search and lists it built or patched (:func:`save_warm_in_use`), for the next
    start."""
    store = settings.store
    if settings.sparql is not None or store is None:
        return
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(started: Any) -> AsyncIterator[Any]:
        async with outer(started) as state:
            yield state
        save_warm_in_use(live.current, store)

    app.router.lifespan_context = lifespan


def live_graph_per_worker(settings: Settings) -> Callable[[], LiveGraph]:
    """Load the graph once, here; return what each forked worker calls for its live graph.

    Workers of the in-memory and endpoint backends use the loaded graph itself (shared with
    them copy-on-write, api/prefork.py). An on-disk store is not carried across a fork (its
    database handle belongs to one process): this process reads the saved index (filling the
    store first when it is new) and closes the store, and each worker opens it again
    read-only. Structures built on first use are built here first, or taken as saved beside
    the store by an earlier start over the same saved index and store generation
    (:func:`warm_from_store`), so the workers share them.
    """
    if settings.sparql is None and settings.store is not None:
        exists = _exists(settings.store)
        loaded = open_store(settings.store, read_only=True) if exists else _from_files(settings)
        warm_from_store(loaded, settings.store)
        loaded.store.close()

        def reopened() -> LiveGraph:
            loaded.store.reopen_read_only()
            return LiveGraph(loaded.store, loaded, refresh_s=settings.refresh_s)

        return reopened
    live = live_graph(settings)
    live.current.warm()
    return lambda: live


def knowledge_graph(settings: Settings) -> KnowledgeGraph:
    """A graph to read once: an endpoint's snapshot, an on-disk store, files or the bundled
    ontology.

    An existing store with ``--data`` is refused: new files go in with ``aikg load --store``.
    """
    if settings.sparql is not None:
        snapshot, _ = _remote_store(settings).snapshot()
        return KnowledgeGraph(snapshot)
    if settings.store is None or not _exists(settings.store):
        return _from_files(settings)
    if settings.data:
        raise InvalidData(
            str(settings.store), "the store exists already; add files with `aikg load --store`"
        )
    return open_store(settings.store)


class Imported(NamedTuple):
    """Where files were imported, and what the target holds afterwards."""

    where: str
    triples: int
    concepts: int
    #: Literals the endpoint holds in another form than the files wrote them, in words.
    changed: tuple[str, ...] = ()


def import_files(
    settings: Settings, files: Sequence[Path], strict: bool, wait_s: float = 60.0
) -> Imported:
    """Import files into the store or endpoint the settings name, all or nothing (``aikg load``);
    ``wait_s``: how long to wait while other writers hold the endpoint."""
    if (settings.store is None) == (settings.sparql is None):
        raise InvalidData(
            "aikg load", "name one target: --store PATH or --sparql URL --sparql-update URL"
        )
    if settings.sparql is not None:
        from graph.edits.imports import import_into_endpoint

        if not settings.sparql_update:
            raise InvalidData(
                settings.sparql, "importing into an endpoint needs --sparql-update URL"
            )
        remote = _remote_store(settings)
        done = import_into_endpoint(remote, files, strict, wait_s=wait_s)
        return Imported(remote.where, done.triples, done.concepts, tuple(map(str, done.changed)))
    assert settings.store is not None
    graph = load_files(files, settings.store, guarded=True, strict=strict)
    try:
        return Imported(str(settings.store), len(graph.store), len(graph))
    finally:
        graph.store.close()


def _remote_store(settings: Settings) -> RemoteStore:
    assert settings.sparql is not None
    if settings.data or settings.store is not None:
        raise InvalidData(
            settings.sparql,
            "--sparql serves the endpoint's graph: use it without --data or --store",
        )
    try:
        graphs = Graphs.named(settings.graph, settings.changes_graph)
    except ValueError as error:
        raise InvalidData("--graph/--changes-graph", str(error)) from None
    return RemoteStore(settings.sparql, settings.sparql_update, graphs=graphs)


def _from_files(settings: Settings) -> KnowledgeGraph:
    """The named files (or the bundled ontology) in memory, or filling a new on-disk store."""
    return load_files(settings.data or data_files(), settings.store)


def _exists(store: Path) -> bool:
    """Whether an on-disk store was made at this path already."""
    return (store / "oxigraph").exists()
