"""Loading a graph: RDF files into a store, all or nothing, and an on-disk store reopened
with its saved index. What it makes is a :class:`KnowledgeGraph`, which only answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from graph import vocabulary as V
from graph.errors import InvalidData
from graph.index.build import GraphIndex, build_index
from graph.index.persistence import (
    WARM_FILE,
    WarmKey,
    load_index,
    load_warm,
    save_index,
    save_warm,
    saved_at,
    saved_index_id,
    warm_key,
    warm_saved_over,
)
from graph.index.update import changed_index
from graph.knowledge_graph import KnowledgeGraph
from graph.quality.import_guard import refuse_bad
from graph.store.change_log import (
    Change,
    changes_since,
    generation_steps,
    net_change,
    read_revision,
)
from graph.store.oxigraph import Store

__all__ = ["load_files", "open_store", "save_warm_in_use", "take_saved_warm", "warm_from_store"]

_log = logging.getLogger(__name__)


def load_files(
    paths: Iterable[Path],
    store_path: Path | None = None,
    guarded: bool = False,
    strict: bool = False,
) -> KnowledgeGraph:
    """Load RDF files (all or nothing) into a store (new, or the one at ``store_path``), indexed.

    Nothing is committed when a file has a syntax error. With ``guarded`` (imports
    into a store), nothing is committed either when the result would have an is-a
    cycle or a literal over the size limit, and with ``strict`` also a concept
    without a label or two concepts sharing one: the store keeps exactly what it
    had, and :class:`InvalidData` names the file and place or the IRIs. Unguarded
    loads serve any RDF, cycles included (``aikg validate`` reports them).
    """
    paths = list(paths)
    store = Store(store_path)
    try:
        if len(store):
            index = _add_to(store, paths, guarded, strict)
        else:
            accept = (lambda i: refuse_bad(i, paths, strict)) if guarded else None
            built = store.load(paths, reader=lambda t: build_index(t, {}), accept=accept)
            assert built is not None
            index = replace(built, prefixes={**store.prefixes, **V.PREFIXES})
    except BaseException:
        store.close()
        raise
    if store_path is not None:
        saved_id = save_index(index, store_path, _generation(store), read_revision(store))
        index = replace(index, saved_id=saved_id)
    return KnowledgeGraph(store, index)


def open_store(store_path: Path, read_only: bool = True) -> KnowledgeGraph:
    """Open an on-disk store with its saved index: mapped as saved; brought forward when only
    edits were committed since (their net change replayed from the change log, as an edit is
    applied); else rebuilt and saved (read-only too: the file is a cache beside the store; a
    directory that cannot be written only costs the next start the rebuild)."""
    store = Store(store_path, read_only=read_only)
    saved = saved_at(store_path)
    edits = None if saved is None else _edits_since(store, *saved)
    if edits is None or saved is None:
        index = load_index(store_path, store.generation())  # None here; the log says why
    else:
        index = load_index(store_path, saved[0])
        if index is not None and edits:
            _log.info("%s: the saved index is brought forward by the edits since", store_path)
            generation, revision = store.generation(), read_revision(store)
            index = changed_index(index, edits, store.describe, store.triples)
            if not index.saved_id and generation is not None:  # a concept added or removed:
                index = _saved(index, store_path, generation, revision)  # built from the triples
    if index is None:
        # read before the triples the index is built from (a writer may move it meanwhile); a
        # read-only handle cannot mark a store written before generations existed, whose index
        # is then saved by the first writable open
        generation = store.generation() if read_only else _generation(store)
        revision = read_revision(store)
        index = build_index(store.triples(), store.prefixes)
        if generation is not None:
            index = _saved(index, store_path, generation, revision)
    return KnowledgeGraph(store, index, edited=bool(edits))  # None or no change: not edited


def _saved(index: GraphIndex, store_path: Path, generation: str, revision: int) -> GraphIndex:
    """``index`` (built from the triples at ``generation``) saved beside the store, with the
    saved file's id, so the next start maps it and a warm state can be tied to it; as it is
    when the directory cannot be written (built again next time; the log says why)."""
    try:
        return replace(index, saved_id=save_index(index, store_path, generation, revision))
    except OSError as error:
        _log.warning("%s: the rebuilt index was not saved: %s", store_path, error)
        return index


def take_saved_warm(graph: KnowledgeGraph, store_path: Path) -> bool:
    """Take the warm state saved beside the store at ``store_path`` when it was built over
    ``graph``'s saved index at the store's generation (its columns mapped: under a second at a
    million kinds); whether it was taken. Otherwise ``graph`` builds on first use, as ever."""
    state = load_warm(store_path, warm_key(graph.index, graph.store.generation()))
    if state is not None:
        graph.take_warm_state(state)
    return state is not None


def save_warm_in_use(graph: KnowledgeGraph, store_path: Path) -> None:
    """At a clean shutdown: save beside the store what ``graph`` built on first use (or took)
    and patched through its edits, so that the next start -- one process, or the parent of
    ``--workers N`` -- takes it instead of building it (half a minute at a million kinds).
    Nothing is saved when search and the filters were not both used, over an index rebuilt
    from the triples (no saved file stands for it), when the state saved is this one already,
    or, by a read-only server, over a whole saved state tied to the index file on disk now (a
    writer may have saved a newer one since this server started)."""
    built_over = warm_key(graph.index, graph.store.generation())
    if built_over is None or not graph.warmed_by_use():
        return
    saved_over = warm_saved_over(store_path)  # None when there is none, or it is damaged
    if saved_over == built_over:
        return
    if graph.store.read_only and saved_over is not None:
        # a writer may have saved a newer one since: replaced only when it is tied to another
        # save of the index than the one on disk now (it can never be taken again)
        if saved_over.saved_index == saved_index_id(store_path):
            return
    _save_warm(graph.warm_state, store_path, built_over, "the search and lists in use")


def warm_from_store(graph: KnowledgeGraph, store_path: Path) -> None:
    """Build now what ``graph`` (read from the store at ``store_path``) otherwise builds on first
    use (:meth:`KnowledgeGraph.warm`), or take it as saved beside the store over the same saved
    index and store generation; what is built is saved there for the next start (not over an
    index built from the triples, which no saved file stands for). The parent of
    ``aikg serve --workers N`` calls it before forking. A directory it cannot write to only
    costs the next start the build (the log says why)."""
    if take_saved_warm(graph, store_path):
        return
    built_over = warm_key(graph.index, graph.store.generation())
    state = graph.warm_state()
    if built_over is None:  # an index rebuilt from the triples, not read from its saved file
        return
    _save_warm(lambda: state, store_path, built_over, "the built search and lists")


def _save_warm(
    state: Callable[[], Mapping[str, Any]], store_path: Path, built_over: WarmKey, what: str
) -> None:
    """Save the warm state ``state()`` gives beside the store; a directory this process may not
    write only costs the next start the build (the log says ``what`` was not saved)."""
    try:
        save_warm(state(), store_path, built_over)
    except OSError as error:
        _log.warning("%s: %s were not saved in %s: %s", store_path, what, WARM_FILE, error)


def _edits_since(store: Store, generation: str, revision: int) -> Change | None:
    """The net change of the edits committed since the store was at ``generation`` and
    ``revision`` (empty when it still is); None when anything else wrote (a load, an import,
    a SPARQL update, a generation step that no edit's record names) or the log cannot replay
    them: each edit's record must name the generation its update replaced, from ``generation``
    to the store's present one, and the revisions must follow on."""
    present = store.generation()
    if present == generation:
        return Change()
    if present is None or revision < 0:
        return None
    expected = generation
    steps = generation_steps(store, revision)
    for number, (step, change_id, before) in enumerate(steps, start=revision + 1):
        if step != number or before != expected:
            return None
        expected = change_id
    if not steps or expected != present:
        return None
    changes = changes_since(store, revision)
    return None if changes is None else net_change(changes)


def _generation(store: Store) -> str:
    """The store's generation; a store written by a version without one is given one first."""
    generation = store.generation()
    if generation is None:
        store.move_generation()
        generation = store.generation()
    assert generation is not None
    return generation


def _add_to(store: Store, paths: list[Path], guarded: bool, strict: bool) -> GraphIndex:
    """Add files to a store that holds triples already; undo the addition if it is refused."""
    staging = Store.from_files(paths)
    added = store.new_quads_in(staging)
    store.add_quads(added)
    index = build_index(store.triples(), store.prefixes)
    try:
        if guarded:
            refuse_bad(index, paths, strict)
    except InvalidData:
        store.remove_quads(added)
        raise
    store.remember_prefixes(paths)
    return replace(index, prefixes={**store.prefixes, **V.PREFIXES})
