"""The remote backend on real SPARQL servers (Oxigraph's and Virtuoso), as a user runs it.

`aikg load` of the bundled ontology plus the Papers with Code file into a named graph, then
`aikg serve` against it answers as the in-memory server does on the same files, and takes an
edit; snapshots stay whole past a server's row limit; every error reaches the user as one line.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from benchmarks.http import free_port, server
from graph.errors import EndpointError
from graph.loading import load_files
from graph.store.change_log import Graphs
from graph.store.endpoint import RemoteStore
from graph.store.lease import CLAIMED_AT
from graph.store.oxigraph import Store
from graph.store.staging import drop_leftovers
from graph.store.terms import ntriples
from ontology import data_files
from tests.conftest import EXTDATA
from tests.sparql_servers import SparqlServer

PWC = EXTDATA / "pwc_methods.ttl"
TOKEN = "remote-servers-token-0123456789"
CONCEPT = """query($id: String!) { concept(id: $id) {
  id label altLabels definition released kind childCount exampleCount descendantCount
  parents { id } children { id } types { id } allTypes { id }
  examples(transitive: false) { id } relations { predicate object { id } }
  label_de: label(lang: "de") mappings { relation iri }
} }"""
QUESTIONS = [
    '{ isA(subject: "GPT-4", object: "foundation model") { holds path { subject { id } '
    "predicate object { id } } } }",
    '{ exampleOf(subject: "Claude 3", object: "large language model") { holds } }',
    '{ search(text: "transformer", first: 20) { id } searchCount(text: "transformer") }',
    '{ search(text: "attention", first: 20, kind: CLASS) { id } }',
    '{ related(id: "GPT-4", first: 10) { concept { id } score reasons } }',
    '{ path(from: "Whisper", to: "Claude 3") { subject { id } predicate object { id } } }',
    '{ neighbourhood(id: "BERT", depth: 2, first: 50) { totalNodes nodes { id } } }',
    '{ concept(id: "multimodal model") { examples(asOf: "2022-12-31") { id released } } }',
    "{ concepts(first: 100, kind: CLASS) { totalCount edges { node { id } } } }",
    "{ concepts(first: 100, kind: EXAMPLE) { totalCount } }",
]
SPARQL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?m ?d WHERE { ?m dcterms:issued ?d } ORDER BY ?m",
    "SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x rdfs:subClassOf ?c } GROUP BY ?c ORDER BY ?c",
]
EDIT = """mutation { edit(operations: [
  {addConcept: {id: "remote-test-model", label: "Remote Test Model", kind: EXAMPLE,
    definition: "A model made up by the remote-server test.",
    parents: ["large language model"], source: "foundation-model-lesson"}},
  {addEdge: {subject: "remote-test-model", predicate: "aikgs:developedBy", object: "OpenAI"}},
  {addEdge: {subject: "remote-test-model", predicate: "aikgs:hasModality", object: "text"}}
]) { revision } }"""


def aikg(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the ``aikg`` command as a user does, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def answers(ask: httpx.Client | TestClient, ids: list[str]) -> dict[str, object]:
    """What a server answers to every question (data and errors), keyed by the question."""

    def graphql(query: str, **variables: str) -> object:
        body = ask.post("/graphql", json={"query": query, "variables": variables}).json()
        return {"data": body.get("data"), "errors": body.get("errors")}

    got: dict[str, object] = {}
    for id_ in ids:
        got[id_] = graphql(CONCEPT, id=id_)
    for question in QUESTIONS:
        got[question] = graphql(question)
    for query in SPARQL:
        response = ask.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        got[query] = response.json()["results"]["bindings"]
    return got


@pytest.mark.slow
def test_a_server_loaded_with_aikg_load_answers_as_the_in_memory_server_and_takes_an_edit(
    empty_endpoint: SparqlServer, tmp_path: Path
) -> None:
    files = [*data_files(), PWC]
    empty_endpoint.graphs = Graphs.named(f"http://example.org/done/{uuid.uuid4().hex}")
    loaded = aikg("load", *map(str, files), *empty_endpoint.arguments())
    assert loaded.returncode == 0, loaded.stderr
    written = Store.from_files(files)
    held = empty_endpoint.as_held(written)  # Virtuoso: some dates changed (known, asserted)
    changed = len(set(written.triples()) - set(held.triples()))
    assert (changed == 0) == (empty_endpoint.kind == "oxigraph")
    reference = files
    if changed:  # the load said which; the reference is the files as the server holds them
        assert f"holds {changed} literal(s) in another form" in loaded.stderr
        declared = tmp_path / "prefixes.ttl"
        declared.write_text(
            "".join(f"@prefix {n}: <{ns}> .\n" for n, ns in written.prefixes.items())
        )
        as_held = tmp_path / "as-held.nt"
        as_held.write_text("".join(" ".join(map(ntriples, t)) + " .\n" for t in held.triples()))
        reference = [declared, as_held]
    assert len(held) > 26_000  # past Virtuoso's 10,000-row limit on answers
    memory = TestClient(create_app(Settings(data=tuple(reference))))
    ids = sorted(concept.iri for concept in load_files(files))[::7]  # about 480 concepts
    assert len(ids) > 400
    expected = answers(memory, ids)
    errors = [k for k, v in expected.items() if isinstance(v, dict) and v["errors"] is not None]
    assert not errors, errors[:3]  # every question is a real one

    tokens = tmp_path / "tokens"
    tokens.write_text(f"tester:{TOKEN}\n")
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    command += [*empty_endpoint.arguments(), "--write-token-file", str(tokens)]
    with (
        server(command, port, timeout_s=300) as running,
        httpx.Client(base_url=running.url, timeout=120) as client,
    ):
        served = answers(client, ids)
        differing = [key for key in expected if served[key] != expected[key]]
        assert not differing, _first_difference(served[differing[0]], expected[differing[0]])
        edited = client.post(
            "/graphql", json={"query": EDIT}, headers={"Authorization": f"Bearer {TOKEN}"}
        ).json()
        assert "errors" not in edited, edited
        after = client.post(
            "/graphql", json={"query": CONCEPT, "variables": {"id": "Remote Test Model"}}
        ).json()["data"]["concept"]
        assert after["types"] == [{"id": "large-language-model"}]
    snapshot = empty_endpoint.store(writable=False).snapshot()[0]
    assert snapshot.describe("https://w3id.org/aikg/concept/remote-test-model")


def _first_difference(served: object, expected: object, where: str = "") -> str:
    """Where two JSON answers first differ, for the assertion message."""
    if isinstance(served, dict) and isinstance(expected, dict):
        for key in sorted(served.keys() | expected.keys()):
            if served.get(key) != expected.get(key):
                return _first_difference(served.get(key), expected.get(key), f"{where}.{key}")
    if isinstance(served, list) and isinstance(expected, list) and len(served) == len(expected):
        for i, (a, b) in enumerate(zip(served, expected, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{where}[{i}]")
    return f"{where}: served {str(served)[:300]}, in memory {str(expected)[:300]}"


def test_a_snapshot_past_a_servers_row_limit_is_whole(empty_endpoint: SparqlServer) -> None:
    """Virtuoso answers at most 10,000 rows (HTTP 200, no warning); the snapshot pages on."""
    files = [*data_files(), PWC]
    assert aikg("load", *map(str, files), *empty_endpoint.arguments()).returncode == 0
    snapshot = empty_endpoint.store(writable=False).snapshot()[0]
    assert len(snapshot) == len(Store.from_files(files)) > 10_000


def test_a_server_whose_pages_do_not_move_is_read_by_parts(
    empty_endpoint: SparqlServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that ignores OFFSET (or whose order moves between pages) is read again in parts,
    each checked against its own count."""
    assert aikg("load", *map(str, data_files()), *empty_endpoint.arguments()).returncode == 0
    remote = empty_endpoint.store(writable=False)
    remote.page_triples = 4_000
    construct = remote.construct
    monkeypatch.setattr(remote, "construct", lambda q: construct(q.split(" OFFSET ")[0]))
    assert len(remote.snapshot()[0]) == len(Store.from_files(data_files()))


def test_a_server_that_cuts_every_answer_short_is_refused_naming_the_setting(
    empty_endpoint: SparqlServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert aikg("load", *map(str, data_files()), *empty_endpoint.arguments()).returncode == 0
    remote = empty_endpoint.store(writable=False)
    construct = remote.construct

    def cut_short(query: str) -> bytes:  # a row limit of 3, and pages that do not move
        return b"\n".join(construct(query.split(" OFFSET ")[0]).splitlines()[:3])

    monkeypatch.setattr(remote, "construct", cut_short)
    with pytest.raises(EndpointError, match=r"answered 3 of .* ResultSetMaxRows"):
        remote.snapshot()


def test_a_named_graph_leaves_the_rest_of_the_server_alone(
    oxigraph_server: SparqlServer,
) -> None:
    """With --graph, the triples and the change log live in named graphs; the default graph and
    the other named graphs are never read or written."""
    oxigraph_server.clear()
    stranger = "<http://example.org/stranger> <http://example.org/p> <http://example.org/o>"
    RemoteStore(oxigraph_server.query_url, oxigraph_server.update_url).update(
        f"INSERT DATA {{ {stranger} . GRAPH <http://example.org/other> {{ {stranger} }} }}"
    )
    oxigraph_server.graphs = Graphs.named("http://example.org/kg")
    assert aikg("load", *map(str, data_files()), *oxigraph_server.arguments()).returncode == 0
    remote = oxigraph_server.store()
    assert len(remote.snapshot()[0]) == len(Store.from_files(data_files()))
    rows = remote.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    graphs = {str(g) for g, _ in rows}
    assert graphs == {
        "http://example.org/kg",
        "http://example.org/kg/changes/",
        "http://example.org/other",
    }
    assert remote.ask(f"ASK {{ {stranger} }}") and remote.count() > 9_000


def test_a_crashed_imports_staging_graph_is_dropped_by_the_next_writer(
    empty_endpoint: SparqlServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An `aikg load` killed mid-import leaves the graph as it was, and its staging graphs
    registered; the next writer drops them."""
    loader = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "load", str(PWC), *empty_endpoint.arguments()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    remote = empty_endpoint.store()
    log = f"<{remote.graphs.changes}>"
    staged = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {log} {{ {log} "
        "<https://w3id.org/aikg/changes/terms#staging> ?g } GRAPH ?g { ?s ?p ?o } }"
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and int(remote.select(staged)[0][0].value) < 1_000:
        assert loader.poll() is None, "the load ended before it could be killed"
        time.sleep(0.05)
    loader.kill()
    loader.wait(timeout=30)
    assert remote.count() == 0 and int(remote.select(staged)[0][0].value) >= 1_000
    monkeypatch.setattr("graph.store.lease.LEASE_S", 0.5)  # the dead loader's claim expires
    time.sleep(1)
    with remote.writing():
        assert drop_leftovers(remote) == []  # dropped on taking the lease already
    assert int(remote.select(staged)[0][0].value) == 0
    prefix = remote.graphs.staging
    assert not remote.select(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} LIMIT 1'
    )  # no staging graph is left at all


def test_every_error_reaches_the_user_as_one_line(
    empty_endpoint: SparqlServer, tmp_path: Path
) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("<http://example.org/a> a <http://example.org/C> .\n")
    unreachable = aikg(
        "load",
        str(good),
        "--sparql",
        "http://127.0.0.1:9/sparql",
        "--sparql-update",
        "http://127.0.0.1:9/sparql",
    )
    refused = aikg(
        "load",
        str(good),
        "--sparql",
        empty_endpoint.query_url,
        "--sparql-update",
        empty_endpoint.query_url + "-nothing-here",
        *(["--graph", empty_endpoint.graphs.data] if empty_endpoint.graphs.data else []),
    )
    remote = empty_endpoint.store()
    log = remote.graphs.changes
    now = datetime.now(UTC).isoformat()
    remote.update(
        f"INSERT DATA {{ GRAPH <{log}> {{ <{log}claim/busy> <{CLAIMED_AT}> "
        f'"{now}"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}'
    )
    busy = aikg("load", str(good), "--wait", "1", *empty_endpoint.arguments())
    bad_graph = aikg(
        "export", *empty_endpoint.arguments(writable=False)[:2], "--graph", "not an iri"
    )
    no_endpoint = aikg("validate", "--graph", "http://example.org/kg")
    for done, says in [
        (unreachable, "unreachable"),
        (refused, "HTTP 4"),
        (busy, "other writers held the endpoint for more than 1 s"),
        (bad_graph, "not an IRI"),
        (no_endpoint, "use it with --sparql URL"),
    ]:
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aikg: error: ") and says in lines[0], lines
