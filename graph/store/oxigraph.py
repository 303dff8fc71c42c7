"""The triples being served: an Oxigraph store (pyoxigraph), in memory or on disk.

It loads files all or nothing (beside a Python-side parse for the index builder), reads
triples back as plain Python values, runs SPARQL, and copies itself for trial edits. As a
:class:`Backend` it is its own snapshot, written by this process only, under a lock.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, TypeVar, cast

import pyoxigraph as ox
import rdflib

from graph.errors import InvalidData, InvalidQuery, NotAcceptable, WriteBusy
from graph.store import rdf_files
from graph.store.change_log import (
    AIKGC,
    DEFAULT_GRAPHS,
    GENERATION_BEFORE,
    PROV,
    read_revision,
)
from graph.store.protocol import Backend
from graph.store.rdf_files import Counted, format_for, parse_triples, read_prefixes, unreadable
from graph.store.results import ChunkQueue, rdf_format_for, results_format_for
from graph.store.terms import Term, Triple, from_ox, ntriples, subject_from_ox

T = TypeVar("T")

#: Where an on-disk store keeps its generation marker: one quad in a named graph of its own.
GENERATION_GRAPH = "https://w3id.org/aikg/store/"
GENERATION = AIKGC + "generation"
#: What a change id must look like to become a generation (ours are uuid4 hex).
_CHANGE_ID = re.compile(r"[0-9a-f]{1,64}")
_MARKER = (ox.NamedNode(GENERATION_GRAPH), ox.NamedNode(GENERATION))


class Store(Backend):
    """The triples being served: an Oxigraph store, in memory or on disk.

    On disk (``path``), the directory holds the Oxigraph database under ``oxigraph/``
    and the prefixes of the loaded files in ``prefixes.json``; it survives restarts.

    Durability of a write on disk: Oxigraph commits each transaction with RocksDB's default
    write options (write-ahead log on, ``sync`` off), so the transaction is in the log's
    file, in the operating system's cache, before ``update`` returns: it survives the process
    being killed. :meth:`update` then fsyncs the log (:meth:`_sync_log`), which is what
    RocksDB's own ``sync=true`` does, so it survives a power cut too. The memtable is flushed
    into table files only after a bulk load and on :meth:`close` (a flush per commit cost about
    200 ms here); until then a restart replays the log.

    The generation of a store on disk (:meth:`generation`) is a random token that every write
    replaces: in the same transaction as an update, and before and after a write that is not one
    transaction (a bulk load, added or removed quads). The saved index records the token it was
    built at (:mod:`graph.index.persistence`), so a restart knows it is current by reading one
    quad instead of counting every triple.
    """

    #: Served in place: a commit shows in the store at once.
    snapshot_is_live = True
    #: Oxigraph opens a database for writing in one process only.
    written_elsewhere = False
    #: The triples in the default graph, the change log in its own named graph.
    graphs = DEFAULT_GRAPHS

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.prefixes: dict[str, str] = {}
        self._writer = threading.Lock()
        self._logs_in_directory: set[str] = set()  # the log files a directory fsync has recorded
        if path is None:
            self._store = ox.Store()
        elif read_only:
            if not (path / "oxigraph").exists():
                raise InvalidData(str(path), "no store here; create one with `aikg load --store`")
            self._store = ox.Store.read_only(str(path / "oxigraph"))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path / "oxigraph"))
            saved = path / "prefixes.json"
            if saved.exists():
                self.prefixes = json.loads(saved.read_text(encoding="utf-8"))

    @classmethod
    def from_files(cls, paths: Iterable[Path], path: Path | None = None) -> Store:
        """A store (new, or the one at ``path``) holding the union of the given files' triples."""
        store = cls(path)
        store.load(list(paths))
        return store

    def load(
        self,
        paths: Sequence[Path],
        reader: Callable[[Iterator[Triple]], T] | None = None,
        accept: Callable[[T | None], None] | None = None,
    ) -> T | None:
        """Add the triples of every file, all or nothing; hand the same triples to ``reader``.

        Into an empty store the files stream straight in (Oxigraph's bulk loader on disk)
        and the store is emptied again if any file fails. Into a store that already holds
        triples, the files are parsed into a staging store first and then added in one
        transaction, so a syntax error anywhere leaves the store exactly as it was.
        Blank nodes are renamed per file, so two files never share one by accident.

        With ``reader``, the files are also parsed here, in this thread, into plain Python
        triples for ``reader`` (an index builder). Into memory, Oxigraph loads them in another
        thread meanwhile (it releases the GIL): both passes run side by side on two cores.
        On disk the reader starts once the bulk loader is done: that loader keeps both cores
        busy on its own and holds about a gigabyte of buffers while it runs (measured at
        100,000 and 1,000,000 kinds), which :func:`_give_back_freed_memory` returns to the
        system before the reader builds; side by side, the two peaks added up.
        ``accept`` sees the reader's result before anything is committed and may refuse
        the whole load by raising :class:`InvalidData`.
        """
        before = len(self)
        target = self._store if before == 0 else ox.Store()
        if before == 0:
            self.move_generation()  # the bulk loader commits as it goes
        failures: list[InvalidData] = []

        def load_all() -> None:
            try:
                for path in paths:
                    self._load_file(target, path)
            except InvalidData as error:
                # Without this thread's frames: they hold the database, and the error would
                # keep them (in a reference cycle) until the next garbage collection.
                error.__traceback__ = error.__context__ = None
                failures.append(error)

        loader = threading.Thread(target=load_all, name="oxigraph-load")
        loader.start()
        result: T | None = None
        one_after_the_other = target is self._store and self.path is not None
        try:
            if one_after_the_other:
                loader.join()
                _give_back_freed_memory()
            if reader is not None and not (one_after_the_other and failures):
                result = reader(parse_triples(paths))
        except BaseException:
            loader.join()
            if before == 0:
                self._store.clear()
            del target  # the error's traceback keeps this frame: it must not hold the database
            raise
        loader.join()
        if not failures and accept is not None:
            try:
                accept(result)
            except InvalidData as refused:
                failures.append(refused)
        if failures:
            if before == 0:
                self._store.clear()
            del target  # the error's traceback keeps this frame: it must not hold the database
            raise failures[0]
        if before:
            self.move_generation()
            self._store.load(target.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        self.move_generation()
        self.remember_prefixes(paths)
        if self.path is not None:
            self._store.flush()
        return result

    def _load_file(self, target: ox.Store, path: Path) -> None:
        rdf_format = format_for(path)
        loader = (
            target.bulk_load if self.path is not None and target is self._store else target.load
        )
        try:
            if rdf_files.progress is None:
                loader(
                    path=path,
                    format=rdf_format,
                    base_iri=path.resolve().as_uri(),
                    to_graph=ox.DefaultGraph(),
                )
            else:
                with path.open("rb") as stream:
                    reading = Counted(stream, rdf_files.progress)
                    loader(
                        # Oxigraph only calls read(); its stubs ask for a whole IO[bytes].
                        input=cast(IO[bytes], reading),
                        format=rdf_format,
                        base_iri=path.resolve().as_uri(),
                        to_graph=ox.DefaultGraph(),
                    )
        except (SyntaxError, OSError, ValueError) as error:
            raise unreadable(path, rdf_format, error) from None

    def remember_prefixes(self, paths: Sequence[Path]) -> None:
        for path in paths:
            for prefix, namespace in read_prefixes(path, format_for(path)).items():
                if prefix and namespace not in self.prefixes.values():
                    self.prefixes.setdefault(prefix, namespace)
        if self.path is not None:
            (self.path / "prefixes.json").write_text(
                json.dumps(self.prefixes, indent=1, sort_keys=True)
            )

    def new_quads_in(self, other: Store) -> list[ox.Quad]:
        """The quads of ``other`` that this store does not hold yet."""
        return [quad for quad in other._store if quad not in self._store]

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction, durable on disk (as :meth:`update`)."""
        self.move_generation()
        self._store.extend(quads)
        self.move_generation()
        self._sync_log()

    def remove_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Take quads out again (used to undo an import that failed its checks)."""
        self.move_generation()
        for quad in quads:
            self._store.remove(quad)
        self.move_generation()
        self._sync_log()

    def close(self) -> None:
        """Release the database (an on-disk store can then be opened by another process)."""
        if self.path is not None and not self.read_only:
            self._store.flush()
        self._store = ox.Store()

    def reopen_read_only(self) -> None:
        """Open the closed on-disk database again, read-only (in a worker forked after close)."""
        if self.path is None:
            raise ValueError("only an on-disk store can be reopened")
        self.read_only = True
        self._store = ox.Store.read_only(str(self.path / "oxigraph"))

    def __len__(self) -> int:
        """The triples of the graph: the default graph's, not the change log's or the
        generation marker's (quads in named graphs, a few per edit, counted here one by one)."""
        store = self._store
        named = sum(
            1
            for graph in store.named_graphs()
            for _ in store.quads_for_pattern(None, None, None, graph)
        )
        return len(store) - named

    def generation(self) -> str | None:
        """The token the last write on disk left (None in memory, or before any write)."""
        for quad in self._store.quads_for_pattern(*_MARKER, None, _MARKER[0]):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    def move_generation(self) -> None:
        """Replace the generation marker on disk with a new token (its own transaction)."""
        if self.path is not None:
            self._store.update(_next_generation())

    def predicates(self) -> list[str]:
        """Every distinct predicate in the store."""
        return sorted(
            row["p"].value for row in self._solutions("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
        )

    def named_subjects(self) -> list[str]:
        """Every IRI that is the subject of a triple."""
        query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
        return [row[0].value for row in self._solutions(query)]

    def blank_subjects(self) -> list[str]:
        """Every blank node that is the subject of a triple, as ``_:id``."""
        query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isBlank(?s)) }"
        return ["_:" + row[0].value for row in self._solutions(query)]

    def blank_references(self) -> dict[str, int]:
        """How many triples have each blank node as their object."""
        query = "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?o)) } GROUP BY ?o"
        return {"_:" + row[0].value: int(row[1].value) for row in self._solutions(query)}

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        """The (predicate, object) pairs of one subject (an IRI or ``_:id``)."""
        node = ox.BlankNode(subject[2:]) if subject.startswith("_:") else ox.NamedNode(subject)
        return [
            (quad.predicate.value, from_ox(quad.object))
            for quad in self._store.quads_for_pattern(node, None, None, ox.DefaultGraph())
        ]

    def write_ntriples(self, output: IO[bytes]) -> None:
        """Write the default graph as N-Triples to ``output`` (for the one-pass Turtle writer).

        Oxigraph reads it from its subject-first index, so each subject's triples come
        together. It writes them to a temporary file from a second thread (writing to a path,
        it does not hold the GIL) while this thread reads the file as it grows and hands each
        piece to ``output``: Oxigraph's serialisation and the reader's work run side by side
        on two cores. (A pipe would do without the file, but Oxigraph syncs what it wrote,
        which a pipe refuses.) The file is removed at the end; it goes in ``TMPDIR`` when that is
        set, else in ``/dev/shm`` where there is one (memory: the sync costs nothing there).
        """
        with tempfile.TemporaryDirectory(prefix="aikg-export-", dir=_scratch()) as directory:
            path = Path(directory) / "default.nt"
            path.touch()
            done = threading.Event()
            failures: list[BaseException] = []

            def dump() -> None:
                try:
                    self._store.dump(
                        path, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
                    )
                except BaseException as error:  # re-raised in the reading thread
                    failures.append(error)
                finally:
                    done.set()

            writer = threading.Thread(target=dump, name="oxigraph-dump")
            writer.start()
            try:
                with path.open("rb", buffering=0) as stream:
                    while True:
                        finished = done.is_set()  # before reading: then nothing comes after
                        chunk = stream.read(_EXPORT_READ)
                        if chunk:
                            output.write(chunk)
                        elif finished:
                            break
                        else:
                            done.wait(0.002)  # Oxigraph has not written more yet
            finally:
                writer.join()
        if failures:
            raise failures[0]
        output.flush()

    def triples(self, predicate: str | None = None) -> Iterator[Triple]:
        """Every triple, or every triple with the given predicate, as plain Python values."""
        bound = None if predicate is None else ox.NamedNode(predicate)
        for quad in self._store.quads_for_pattern(None, bound, None, ox.DefaultGraph()):
            yield subject_from_ox(quad.subject), quad.predicate.value, from_ox(quad.object)

    def to_rdflib(self) -> rdflib.Graph:
        """A copy of the triples as an rdflib graph, for tools built on rdflib (SHACL, tests)."""
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        graph = rdflib.Graph()
        graph.parse(data=data, format="nt")
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=False)
        return graph

    # --- Linked Data and the SPARQL endpoint (api/web/linked_data.py, api/web/sparql.py) ---

    def referrers(self, obj: str) -> list[tuple[str, str]]:
        """The (subject, predicate) of every triple whose object is this IRI or ``_:id``."""
        node = ox.BlankNode(obj[2:]) if obj.startswith("_:") else ox.NamedNode(obj)
        return [
            (subject_from_ox(quad.subject), quad.predicate.value)
            for quad in self._store.quads_for_pattern(None, None, node, ox.DefaultGraph())
        ]

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
        """Run a read-only SPARQL query over the default graph; its results as (media type, bytes).

        SELECT and ASK answer in ``results_type`` (:data:`RESULTS_MEDIA_TYPES`), CONSTRUCT
        and DESCRIBE in ``graph_type`` (:data:`RDF_MEDIA_TYPES`); a form whose type is None
        raises :class:`NotAcceptable`. ``prefixes`` are declared for the query without a
        PREFIX line. Only the store's default graph is visible (no named graphs); updates do
        not parse as queries. Callers must refuse SERVICE themselves (Oxigraph would fetch it).

        Oxigraph can neither cancel a query nor bound its time, so the limits are checked
        each time the serializer writes (every 8 KiB): past ``deadline`` (a
        ``time.monotonic()`` value) or ``max_bytes`` it stops with
        :class:`QueryLimitExceeded`. Work done between two writes (a sort, a count, a join
        that yields nothing) is not interrupted.

        Raises :class:`InvalidQuery` with the parser's message for a syntax error.
        """
        try:
            result = self._store.query(
                sparql,
                prefixes=dict(prefixes or {}),
                default_graph=ox.DefaultGraph(),
                named_graphs=[],
            )
        except SyntaxError as error:
            raise InvalidQuery(f"SPARQL syntax error: {error}") from None
        sink = ChunkQueue(deadline, max_bytes)
        try:
            if isinstance(result, ox.QueryTriples):
                if graph_type is None:
                    raise NotAcceptable("CONSTRUCT and DESCRIBE")
                media_type = graph_type
                sink.run(
                    partial(
                        ox.serialize,
                        result,
                        sink.io,
                        rdf_format_for(graph_type),
                        prefixes=dict(prefixes or {}),
                    )
                )
            else:
                if results_type is None:
                    raise NotAcceptable("SELECT and ASK")
                media_type = results_type
                sink.run(partial(result.serialize, sink.io, results_format_for(results_type)))
        finally:
            # Oxigraph's results must be dropped in this thread, never by whoever holds an error.
            del result
        sink.check()
        return media_type, sink.getvalue()

    # --- the backend: snapshots, SPARQL and the write lock (graph/store/protocol.py) --------------

    def snapshot(self) -> tuple[Store, int]:
        """This store itself (served in place), and its revision."""
        return self, read_revision(self)

    @contextmanager
    def writing(self, wait_s: float = 60.0) -> Iterator[None]:
        """Hold the store for writing inside the block: a lock in this process (the only writer)."""
        if not self._writer.acquire(timeout=wait_s):
            raise WriteBusy(f"another writer held the store for more than {wait_s:g} s")
        try:
            yield
        finally:
            self._writer.release()

    def update(self, sparql: str, change_id: str | None = None) -> None:
        """Run a SPARQL 1.1 Update in one transaction (all of it or none), durable on disk;
        on disk the generation moves in the same transaction.

        ``change_id`` names the edit the update commits (:mod:`graph.edits.commit`): when its
        record is in the change log after the update, the new generation is that id and the
        record names the generation it replaced (``aikgc:generationBefore``), so the edits
        since a saved index can be told apart from any other write and replayed onto it
        (:func:`graph.loading.open_store`).
        """
        if self.path is None:
            self._store.update(sparql)
        else:
            step = _next_generation(change_id, self.graphs.changes)
            self._store.update(f"{sparql}\n;\n{step}")
        self._sync_log()

    def _sync_log(self) -> None:
        """On disk, fsync RocksDB's write-ahead log files (``*.log``) and their directory.

        Every committed transaction is already written to the log (see the class docstring);
        this makes the operating system put it on the device, as a ``sync`` write would. The
        directory is synced too, for a log file RocksDB created since the last call. A log
        deleted meanwhile was flushed into table files first, which RocksDB syncs itself.
        The directory is synced only when a log appeared since its last sync (RocksDB starts a
        new one when it flushes the memtable): one fsync per commit instead of two.
        """
        if self.path is None or self.read_only:
            return
        database = self.path / "oxigraph"
        logs = {log.name for log in database.glob("*.log")}
        for name in sorted(logs):
            try:
                _fsync(database / name)
            except FileNotFoundError:
                pass
        if not logs <= self._logs_in_directory:
            _fsync(database)
            self._logs_in_directory = logs

    def select(self, sparql: str) -> list[tuple[Term | None, ...]]:
        """The rows of a SPARQL SELECT, each a tuple of terms (None where unbound)."""
        return [
            tuple(None if t is None else from_ox(t) for t in row) for row in self._solutions(sparql)
        ]

    def _solutions(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of a SELECT (``Store.query`` is typed with all three result kinds)."""
        result = self._store.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError(f"not a SELECT query: {sparql[:80]!r}")
        return result

    def ask(self, sparql: str) -> bool:
        """The answer of a SPARQL ASK."""
        return bool(self._store.query(sparql))

    def copy(self) -> Store:
        """An in-memory copy of the default graph, with the same prefixes."""
        copy = Store()
        copy._store.load(
            self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
            format=ox.RdfFormat.N_TRIPLES,
        )
        copy.prefixes = dict(self.prefixes)
        return copy

    @classmethod
    def from_ntriples(cls, data: bytes, prefixes: dict[str, str] | None = None) -> Store:
        """An in-memory store holding N-Triples data (a remote endpoint's answer)."""
        store = cls()
        store._store.load(data, format=ox.RdfFormat.N_TRIPLES)
        store.prefixes = dict(prefixes or {})
        return store


def _next_generation(change_id: str | None = None, log: str = DEFAULT_GRAPHS.changes) -> str:
    """The update that replaces the generation marker with a new token: a random one, or, in
    the update committing the edit ``change_id``, that id when the edit's record is in the
    change ``log`` (its compare-and-swap matched), the record then naming the token replaced."""
    graph, predicate = (term.value for term in _MARKER)
    random = uuid.uuid4().hex
    pattern = f"GRAPH <{graph}> {{ <{graph}> <{predicate}> ?old }}"
    if change_id is None:
        new = f'GRAPH <{graph}> {{ <{graph}> <{predicate}> "{random}" }}'
        return f"DELETE {{ {pattern} }} INSERT {{ {new} }} WHERE {{ OPTIONAL {{ {pattern} }} }}"
    if not _CHANGE_ID.fullmatch(change_id):
        raise ValueError(f"a change id is lower-case hexadecimal, got {change_id!r}")
    record = ntriples(log + change_id)
    return (
        f"DELETE {{ {pattern} }} INSERT {{ GRAPH <{graph}> {{ <{graph}> <{predicate}> ?new }} "
        f"GRAPH {ntriples(log)} {{ ?record <{GENERATION_BEFORE}> ?old }} }} "
        f"WHERE {{ OPTIONAL {{ {pattern} }} "
        f"OPTIONAL {{ GRAPH {ntriples(log)} {{ {record} a <{PROV}Activity> }} "
        f"BIND({record} AS ?record) }} "
        f'BIND(IF(BOUND(?record), "{change_id}", "{random}") AS ?new) }}'
    )


#: The most bytes read at once from the N-Triples Oxigraph writes for an export.
_EXPORT_READ = 1 << 20


def _scratch() -> str | None:
    """Where an export's temporary file goes: ``TMPDIR`` if set, else ``/dev/shm`` if writable,
    else Python's default temporary directory (None)."""
    if os.environ.get("TMPDIR"):
        return None
    shared_memory = "/dev/shm"
    return shared_memory if os.access(shared_memory, os.W_OK) else None


def _give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc keeps what other threads freed).

    After a bulk load the loader's freed buffers stay in the process otherwise, on top of
    everything built next. A no-op where the C library has no ``malloc_trim``.
    """
    trim = getattr(_C_LIBRARY, "malloc_trim", None)
    if trim is not None:
        trim(0)


try:
    _C_LIBRARY: ctypes.CDLL | None = ctypes.CDLL(None)
except (OSError, TypeError):  # no C library opened by that name (Windows refuses None)
    _C_LIBRARY = None


def _fsync(path: Path) -> None:
    """Ask the operating system to write a file's (or a directory's) data to the device."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
