"""One suite, three backends: in memory, on disk (Oxigraph RocksDB), a remote SPARQL server.

Every test runs against each backend holding the core of the bundled ontology (the schema,
foundation models, named models, organisations and publications: about 1,200 triples, so
that the 36 runs stay fast; the whole ontology is edited in tests/test_api/), through the
same :class:`graph.live.LiveGraph`: reads, validated edits, refusals, durability, a second
worker on the same backend, and writers in parallel threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from api.cli import main
from graph import ConceptNotFound, KnowledgeGraph
from graph import vocabulary as V
from graph.edits.imports import import_into_endpoint
from graph.edits.live import LiveGraph
from graph.edits.operations import (
    AddConcept,
    AddEdge,
    AddLabel,
    RemoveConcept,
    SetDefinition,
    change_for,
)
from graph.errors import EditRefused
from graph.loading import load_files
from graph.model import ConceptKind, Direction
from graph.store import protocol
from graph.store.change_log import (
    Change,
    change_log,
    committed,
    read_revision,
    render_update,
)
from graph.store.endpoint import RemoteStore
from graph.store.lease import CLAIMED_AT, LEASE_S
from graph.store.oxigraph import Store
from graph.store.terms import LiteralValue
from graph.store.turtle import export_turtle
from ontology import data_files, shapes_file
from tests.concurrency import failures_in_parallel
from tests.sparql_servers import SERVERS, SparqlServer, empty_graph_on

BACKENDS = ["memory", "disk", *SERVERS]
#: A self-contained part of the bundled data, smaller than the whole: the schema, and the kinds and
#: named examples of models, capabilities and tasks, organisations and publications.
CORE = [
    p
    for p in data_files()
    if p.name == "schema.ttl"
    or p.stem in ("models", "capabilities-and-tasks", "organisations", "publications")
]
SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TEXT_MODEL = AddConcept(
    "test-model-x",
    "Test Model X",
    "A model made up by the tests.",
    ConceptKind.EXAMPLE,
    ("large language model",),
    "foundation-model-lesson",
)
WITH_DEVELOPER = [
    TEXT_MODEL,
    AddEdge("test-model-x", "aikgs:developedBy", "openai"),
    AddEdge("test-model-x", "aikgs:hasModality", "text"),
]


class Backend:
    """A backend holding the bundled ontology, and how to open a second worker on it."""

    def __init__(self, name: str, tmp_path: Path, endpoint: SparqlServer | None) -> None:
        self.name, self.tmp_path, self.endpoint = name, tmp_path, endpoint
        if name == "memory":
            self.store: Store | RemoteStore = Store.from_files(CORE)
        elif name == "disk":
            self.store = load_files(CORE, tmp_path / "store").store
        else:  # one of the SPARQL servers
            assert endpoint is not None
            self.store = self.remote()
            import_into_endpoint(self.store, CORE)

    def remote(self) -> RemoteStore:
        assert self.endpoint is not None
        return self.endpoint.store()

    def worker(self, shapes: bool = False) -> LiveGraph:
        """A live graph as one `aikg serve` worker would hold it (SHACL only where a test needs it:
        the structural checks always run)."""
        backend = self.remote() if self.endpoint is not None else self.store
        return LiveGraph(backend, shapes=shapes_file() if shapes else None)

    def reopened(self) -> LiveGraph:
        """A worker after a restart: the disk store closed and opened again, a new connection."""
        if self.name == "disk":
            assert isinstance(self.store, Store)
            self.store.close()
            self.store = Store(self.tmp_path / "store")
        return self.worker()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    endpoint = empty_graph_on(request, request.param) if request.param in SERVERS else None
    made = Backend(request.param, tmp_path, endpoint)
    yield made
    if request.param == "disk":
        made.store.close()


@pytest.fixture(scope="module")
def reference() -> KnowledgeGraph:
    assert len(CORE) == 9
    return load_files(CORE)


def test_every_backend_answers_like_the_in_memory_graph(
    backend: Backend, reference: KnowledgeGraph
) -> None:
    """On a server, like the files as it holds them (Virtuoso changes some dates: known, and
    reported by the import)."""
    if backend.endpoint is not None:
        reference = KnowledgeGraph(backend.endpoint.as_held(reference.store))
    graph = backend.worker().current
    assert len(graph) == len(reference) and len(graph.store) == len(reference.store)
    assert graph.prove_is_a("GPT-4", "foundation model").holds
    assert [e.object.iri for e in graph.prove_is_a("GPT-4", "foundation model").path] == [
        e.object.iri for e in reference.prove_is_a("GPT-4", "foundation model").path
    ]
    foundation_model = "https://w3id.org/aikg/concept/foundation-model"
    assert {c.iri for c in graph.descendants(foundation_model)} == {
        c.iri for c in reference.descendants(foundation_model)
    }
    assert export_turtle(graph.store) == export_turtle(reference.store)


def test_facts_and_filtered_relations_read_alike_on_every_backend_after_a_restart(
    backend: Backend, reference: KnowledgeGraph
) -> None:
    """Facts and relation filters come from the index, read from any backend (on disk, from
    the index saved beside the store); on a server, like the files as it holds them."""
    if backend.endpoint is not None:
        reference = KnowledgeGraph(backend.endpoint.as_held(reference.store))
    graph = backend.reopened().current
    llama, openai = V.CONCEPT_NS + "llama-3-8b", V.CONCEPT_NS + "openai"
    assert graph.facts(llama) == reference.facts(llama)
    assert {f.predicate_label for f in graph.facts(llama)} == {"date issued", "licence", "note"}
    models = graph.relations(openai, predicate="developed by", direction=Direction.IN)
    assert models == reference.relations(
        openai, predicate="aikgs:developedBy", direction=Direction.IN
    )
    assert len(models) == graph.relation_count(openai, "developer of", Direction.OUT) > 0


def test_an_edit_is_served_at_once_and_recorded_with_who_and_when(backend: Backend) -> None:
    live = backend.worker()
    base = live.revision  # the remote endpoint was filled by an import, which counts as a change
    edited = live.edit(WITH_DEVELOPER, "alice")
    assert edited.revision == live.revision == base + 1
    assert live.current.prove_is_a("Test Model X", "foundation model").holds
    assert live.current.find("test-model-x").definition == "A model made up by the tests."
    revision, _, agent, when = change_log(live.backend)[-1]
    assert (revision, agent) == (base + 1, "alice") and when.startswith("20")


def test_the_export_after_edits_round_trips(backend: Backend) -> None:
    live = backend.worker()
    live.edit(WITH_DEVELOPER, "alice")
    live.edit(
        [
            AddLabel("test-model-x", "TMX"),
            SetDefinition("GPT-4", 'A "quoted" definition,\nover two lines.'),
        ],
        "bob",
    )
    text = export_turtle(live.current.store)
    assert isomorphic(
        rdflib.Graph().parse(data=text, format="turtle"), live.current.store.to_rdflib()
    )
    assert "change" not in {
        p.split("/")[-2] for p in live.current.store.predicates()
    }  # the log stays apart


def test_an_invalid_edit_is_refused_whole_with_every_reason(backend: Backend) -> None:
    live = backend.worker(shapes=True)
    base = live.revision
    before = export_turtle(live.current.store)
    with pytest.raises(EditRefused) as refused:
        live.edit([TEXT_MODEL, AddLabel("GPT-4", "an extra label that is fine")], "alice")
    reasons = " ".join(refused.value.reasons)
    assert "developed it (aikgs:developedBy)" in reasons and "modality" in reasons
    assert live.revision == read_revision(live.backend) == base
    assert export_turtle(backend.worker().current.store) == before


def test_an_is_a_cycle_is_refused(backend: Backend) -> None:
    live = backend.worker()
    with pytest.raises(EditRefused, match="is-a cycle through"):
        live.edit([AddEdge("foundation model", "IS_A", "large language model")], "alice")
    assert not live.current.is_a(
        live.current.resolve("foundation model").iri,
        live.current.resolve("large language model").iri,
    )


def test_unknown_concepts_and_undeclared_relations_are_refused(backend: Backend) -> None:
    live = backend.worker()
    with pytest.raises(ConceptNotFound):
        live.edit([AddEdge("GPT-4", "IS_A", "no such concept at all")], "alice")
    with pytest.raises(EditRefused, match="not a relation the schema declares"):
        live.edit([AddEdge("GPT-4", "http://example.org/likes", "Claude 3")], "alice")
    with pytest.raises(EditRefused, match="not a property IRI"):
        live.edit([AddEdge("GPT-4", "<bad iri>", "Claude 3")], "alice")


def test_removing_a_concept_removes_every_triple_naming_it(backend: Backend) -> None:
    live = backend.worker()
    base = live.revision
    live.edit(WITH_DEVELOPER, "alice")
    live.edit([RemoveConcept("test-model-x")], "alice")
    iri = "https://w3id.org/aikg/concept/test-model-x"
    assert live.current.find_iri(iri) is None
    assert not any(iri in (s, o) for s, _, o in live.current.store.triples())
    assert live.revision == base + 2


def test_committed_edits_survive_a_restart(backend: Backend) -> None:
    live = backend.worker()
    live.edit(WITH_DEVELOPER, "alice")
    restarted = backend.reopened()
    assert restarted.revision == live.revision
    assert restarted.current.prove_is_a("Test Model X", "large language model").holds


def test_a_worker_sees_another_workers_write_after_refresh(backend: Backend) -> None:
    first, second = backend.worker(), backend.worker()
    first.edit(WITH_DEVELOPER, "alice")
    assert second.refresh()
    assert second.current.find("test-model-x") is not None
    assert not second.refresh()  # nothing new


def test_a_remote_worker_catches_up_from_the_change_log_without_reading_the_graph_again(
    empty_endpoint: SparqlServer, tmp_path: Path
) -> None:
    backend = Backend(empty_endpoint.kind, tmp_path, empty_endpoint)
    first, second = backend.worker(), backend.worker()
    first.edit(WITH_DEVELOPER, "alice")
    first.edit([SetDefinition("GPT-4", "Written by the first worker.")], "bob")

    def no_snapshot() -> None:
        raise AssertionError("the worker read the whole graph instead of the change log")

    second._read = no_snapshot  # type: ignore[method-assign,assignment]
    assert second.refresh()
    assert second.revision == first.revision
    assert second.current.find("test-model-x") is not None
    assert second.current.resolve("GPT-4").definition == "Written by the first worker."
    rebuilt = KnowledgeGraph(second.current.store)
    assert [c for c in second.current] == [c for c in rebuilt]


def test_a_stale_worker_recomputes_its_edit_instead_of_losing_the_other(backend: Backend) -> None:
    first, second = backend.worker(), backend.worker()
    base = second.revision
    first.edit([SetDefinition("GPT-4", "Written by the first worker.")], "alice")
    second.edit(
        [SetDefinition("GPT-4", "Written by the second worker.")], "bob"
    )  # second was one behind
    definitions = [
        o
        for p, o in second.current.store.describe("https://w3id.org/aikg/concept/gpt-4")
        if p == SKOS_DEFINITION
    ]
    assert [d.value for d in definitions] == ["Written by the second worker."]
    assert second.revision == base + 2


def test_a_write_that_lands_between_check_and_commit_makes_the_edit_retry(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compare-and-swap behind the write lock: a writer that takes no lock (an old
    client, a script) commits after this edit was checked; the edit is computed again."""
    first, other = backend.worker(), backend.worker()
    base = first.revision
    send = first.backend.update
    interfered: list[int] = []

    def update_after_a_lockless_writer(sparql: str, change_id: str | None = None) -> None:
        if not interfered:
            interfered.append(base + 1)
            change = replace(
                change_for(other.current, [SetDefinition("GPT-4", "Written in between.")], "bob"),
                id="lockless",
                at=datetime.now(UTC),
            )
            send(render_update(change, base, first.backend.graphs))
        send(sparql, change_id)

    monkeypatch.setattr(first.backend, "update", update_after_a_lockless_writer)
    edited = first.edit(
        [SetDefinition("GPT-4", "Written last."), AddLabel("GPT-4", "retried")], "alice"
    )
    assert interfered == [base + 1] and edited.revision == base + 2
    definitions = [
        o
        for p, o in first.current.store.describe("https://w3id.org/aikg/concept/gpt-4")
        if p == SKOS_DEFINITION
    ]
    assert [d.value for d in definitions] == ["Written last."]  # computed again on top of bob's
    assert [agent for revision, _, agent, _ in change_log(first.backend) if revision > base] == [
        "bob",
        "alice",
    ]


def test_the_write_lock_admits_one_writer_at_a_time(backend: Backend) -> None:
    """Compare-and-swap updates sent at the same moment, each under the lock: never two
    commits for one revision (without the lock Oxigraph's server lets some through)."""
    stores = [backend.store, backend.remote() if backend.endpoint is not None else backend.store]
    doubles = 0
    for trial in range(30):
        revision = read_revision(stores[0])
        changes = [
            Change(
                added=(
                    (
                        f"http://example.org/t{trial}",
                        ALT_LABEL,
                        LiteralValue(str(i), "en", RDF_LANG),
                    ),
                ),
                agent="a",
                at=datetime.now(UTC),
                id=f"t{trial}w{i}",
            )
            for i in range(2)
        ]
        barrier = threading.Barrier(2)

        def send(
            i: int, barrier: threading.Barrier = barrier, changes: list[Change] = changes
        ) -> None:
            barrier.wait()
            with stores[i].writing():
                stores[i].update(
                    render_update(changes[i], read_revision(stores[i]), stores[i].graphs)
                )

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert read_revision(stores[0]) == revision + 2
        doubles += sum(committed(stores[0], c) for c in changes) != 2
    assert doubles == 0


def test_a_crashed_writers_claim_expires(empty_endpoint: SparqlServer, tmp_path: Path) -> None:
    backend = Backend(empty_endpoint.kind, tmp_path, empty_endpoint)
    old = (datetime.now(UTC) - timedelta(seconds=LEASE_S + 5)).isoformat()
    log = backend.store.graphs.changes
    backend.store.update(
        f"INSERT DATA {{ GRAPH <{log}> {{ <{log}claim/crashed> <{CLAIMED_AT}> "
        f'"{old}"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}'
    )
    started = time.monotonic()
    backend.worker().edit([AddLabel("GPT-4", "after a crash")], "alice")
    assert time.monotonic() - started < 10
    assert not backend.store.select(
        f"SELECT ?c WHERE {{ GRAPH <{log}> {{ ?c <{CLAIMED_AT}> ?t }} }}"
    )


def test_parallel_writers_on_two_workers_never_lose_an_update(backend: Backend) -> None:
    workers = [backend.worker(), backend.worker()]
    base = workers[0].revision

    def write(number: int) -> None:
        workers[number % 2].edit(
            [
                AddLabel("GPT-4", f"parallel label {number}"),
                SetDefinition("Claude 3", f"Definition {number}."),
            ],
            f"writer-{number}",
        )

    failures = failures_in_parallel(write, 6, timeout_s=120)
    assert not failures, failures
    final = backend.worker()
    assert final.revision == base + 6
    labels = {
        o.value
        for p, o in final.current.store.describe("https://w3id.org/aikg/concept/gpt-4")
        if p == ALT_LABEL
    }
    assert {f"parallel label {n}" for n in range(6)} <= labels
    definitions = [
        o
        for p, o in final.current.store.describe("https://w3id.org/aikg/concept/claude-3")
        if p == SKOS_DEFINITION
    ]
    assert len(definitions) == 1  # one definition won; none was added beside a stale one
    agents = [agent for revision, _, agent, _ in change_log(final.backend) if revision > base]
    assert sorted(agents) == sorted(f"writer-{n}" for n in range(6))


def test_a_remote_worker_picks_up_other_writes_by_itself(
    empty_endpoint: SparqlServer, tmp_path: Path
) -> None:
    backend = Backend(empty_endpoint.kind, tmp_path, empty_endpoint)
    reader = LiveGraph(backend.remote(), refresh_s=0.05)
    backend.worker().edit(WITH_DEVELOPER, "alice")
    deadline = time.monotonic() + 20
    while reader.current.find("test-model-x") is None and time.monotonic() < deadline:
        time.sleep(0.05)  # `current` checks the revision in the background at most every refresh_s
    assert reader.current.find("test-model-x") is not None


def _members(contract: type) -> set[str]:
    """The attributes and methods a protocol names (``__len__`` among the dunders)."""
    names = set(vars(contract).get("__annotations__", {})) | set(vars(contract))
    return {n for n in names if n == "__len__" or not n.startswith("_")}


PROTOCOL = sorted(_members(protocol.GraphStore) | _members(protocol.Backend))
#: What only the local store offers: loading files (imports into an endpoint are checked
#: edits, graph/edits/imports.py), the copies and quads that loading and trial edits use, and
#: the generation that tells a saved index it is current (an on-disk store's marker quad).
LOCAL_ONLY = {
    "load",
    "add_quads",
    "remove_quads",
    "remember_prefixes",
    "new_quads_in",
    "copy",
    "from_files",
    "from_ntriples",
    "reopen_read_only",
    "generation",
    "move_generation",
}


@pytest.mark.parametrize("name", PROTOCOL)
def test_both_stores_define_every_member_of_the_store_protocol(name: str) -> None:
    remote = RemoteStore(
        "http://127.0.0.1:9/sparql"
    )  # never contacted: the class is what is checked
    backends: list[protocol.Backend] = [Store(), remote]  # both subclass Backend: mypy checks them
    for store in backends:
        assert isinstance(store, protocol.GraphStore) and isinstance(store, protocol.Backend)
        assert name in vars(type(store)) or name in vars(store), (
            f"{type(store).__name__} does not define {name}"
        )
        if callable(getattr(protocol.Backend, name, None)):
            assert callable(getattr(store, name)), name


def test_the_local_store_offers_only_the_protocol_and_its_loading_methods() -> None:
    remote = RemoteStore("http://127.0.0.1:9/sparql")
    public = {n for n in vars(Store) if not n.startswith("_")} | {"__len__"}
    assert public - set(PROTOCOL) == LOCAL_ONLY
    assert len(PROTOCOL) >= 18
    for name in ("load", "add_quads", "remove_quads", "remember_prefixes"):
        assert not hasattr(
            remote, name
        )  # local writes never touch a snapshot: edits go to the endpoint


@pytest.mark.parametrize("name", ["disk", *SERVERS])
def test_aikg_export_of_an_edited_store_round_trips(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    endpoint = empty_graph_on(request, name) if name in SERVERS else None
    made = Backend(name, tmp_path, endpoint)
    live = made.worker()
    live.edit([*WITH_DEVELOPER, SetDefinition("GPT-4", "Edited before the export.")], "alice")
    expected = live.current.store.to_rdflib()
    output = tmp_path / "export.ttl"
    if endpoint is None:
        made.store.close()  # the CLI opens the store itself
        where = ["--store", str(tmp_path / "store")]
    else:
        where = endpoint.arguments(writable=False)
    assert main(["export", *where, "--no-skos", "--output", str(output)]) == 0
    exported = rdflib.Graph().parse(output, format="turtle")
    assert isomorphic(exported, expected) and len(exported) == len(expected)
    assert "Edited before the export." in output.read_text()
    assert main(["export", *where, "--output", str(output)]) == 0  # with the SKOS view: more
    with_skos = rdflib.Graph().parse(output, format="turtle")
    assert len(expected - with_skos) == 0 and len(with_skos) > len(expected)


def test_on_large_graphs_only_the_touched_nodes_are_checked_and_bad_edits_still_refused(
    backend: Backend,
) -> None:
    live = backend.worker()
    live.whole_check_triples = 0  # as on a graph past the size where the whole graph is re-checked
    base = live.revision
    with pytest.raises(EditRefused, match="is-a cycle through"):
        live.edit([AddEdge("foundation model", "IS_A", "large language model")], "alice")
    with pytest.raises(
        EditRefused, match=r"range: text: is the object of .*developedBy from .*gpt-4, but is not a"
    ):
        live.edit([AddEdge("GPT-4", "aikgs:developedBy", "text")], "alice")
    with pytest.raises(EditRefused, match="kind-and-example"):
        live.edit([AddEdge("large language model", "EXAMPLE_OF", "foundation model")], "alice")
    assert live.revision == base
    live.edit(WITH_DEVELOPER, "alice")
    assert (
        live.current.prove_is_a("Test Model X", "foundation model").holds
        and live.revision == base + 1
    )
