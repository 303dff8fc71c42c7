"""Real servers, real clients: parallel writers over HTTP, and a crash in the middle of a batch.

`aikg serve --store` runs as a subprocess on 127.0.0.1; clients are httpx in threads.
The crash test kills the server with SIGKILL while writes are in flight, restarts it on
the same store, and checks that every acknowledged edit is there and that every edit
is there whole or not at all.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from benchmarks.http import free_port, server
from tests.concurrency import failures_in_parallel
from tests.sparql_servers import SERVERS, start_server

pytestmark = pytest.mark.slow  # servers started, killed and restarted: about 15 s in all

TOKEN = "crash-test-token-0123456789"
CONCEPT = (
    '{ concept(id: "%s") { id label definition types { id } '
    "relations { predicate object { id } } } }"
)
NEW_MODEL = """mutation($id: String!, $label: String!) { edit(operations: [
  {addConcept: {id: $id, label: $label, definition: "Made by the crash test.", kind: EXAMPLE,
                parents: ["large language model"], source: "foundation-model-lesson"}},
  {addEdge: {subject: $id, predicate: "aikgs:developedBy", object: "OpenAI"}},
  {addEdge: {subject: $id, predicate: "aikgs:hasModality", object: "text"}}
]) { revision } }"""


def serve_command(store: Path, port: int, token_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        "--store",
        str(store),
        "--port",
        str(port),
        "--write-token-file",
        str(token_file),
    ]


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens"
    path.write_text(f"# name:token\ncrash-tester:{TOKEN}\n")
    return path


def mutate(client: httpx.Client, query: str, **variables: str) -> dict:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def test_parallel_http_clients_never_lose_an_update(tmp_path: Path, token_file: Path) -> None:
    port = free_port()
    with server(
        serve_command(tmp_path / "store", port, token_file), port, timeout_s=120
    ) as running:

        def client_run(number: int) -> None:
            with httpx.Client(base_url=running.url, timeout=60) as client:
                for step in range(1):
                    mutate(
                        client,
                        "mutation($l: String!) "
                        '{ addAltLabel(id: "GPT-4", label: $l) { revision } }',
                        l=f"client {number} label {step}",
                    )
                    mutate(
                        client,
                        "mutation($d: String!) "
                        '{ setDefinition(id: "Claude 3", definition: $d) { revision } }',
                        d=f"Definition by client {number}, step {step}.",
                    )

        failures = failures_in_parallel(client_run, 4, timeout_s=300)
        assert not failures, failures
        with httpx.Client(base_url=running.url, timeout=60) as client:
            assert client.get("/health").json()["revision"] == 8
            gpt4 = client.post("/graphql", json={"query": CONCEPT % "GPT-4"}).json()["data"][
                "concept"
            ]
            labels = client.post(
                "/graphql", json={"query": '{ concept(id: "GPT-4") { altLabels } }'}
            ).json()
    expected = {f"client {n} label {s}" for n in range(4) for s in range(1)}
    assert expected <= set(labels["data"]["concept"]["altLabels"])
    assert gpt4["label"] == "GPT-4"


def test_a_crash_mid_batch_loses_nothing_committed_and_shows_nothing_half_written(
    tmp_path: Path, token_file: Path
) -> None:
    store, port = tmp_path / "store", free_port()
    acknowledged: list[str] = []
    attempted: list[str] = []
    stop = threading.Event()

    def writer(number: int, url: str) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            for step in range(200):
                if stop.is_set():
                    return
                concept_id = f"crash-model-{number}-{step}"
                attempted.append(concept_id)
                try:
                    mutate(client, NEW_MODEL, id=concept_id, label=f"Crash Model {number}-{step}")
                except (httpx.HTTPError, ValueError):
                    return  # the server died under us: this one was never acknowledged
                acknowledged.append(concept_id)

    with server(serve_command(store, port, token_file), port, timeout_s=120) as running:
        threads = [threading.Thread(target=writer, args=(n, running.url)) for n in range(3)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < 6 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(running.pid, signal.SIGKILL)  # mid-batch: writes are in flight on every thread
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert len(acknowledged) >= 6
    assert len(attempted) > len(acknowledged)  # some writes were cut off by the kill

    port = free_port()
    with (
        server(serve_command(store, port, token_file), port, timeout_s=120) as running,
        httpx.Client(base_url=running.url, timeout=60) as client,
    ):
        revision = client.get("/health").json()["revision"]
        present = []
        for concept_id in attempted:
            concept = client.post("/graphql", json={"query": CONCEPT % concept_id}).json()["data"][
                "concept"
            ]
            if concept is None:
                continue
            present.append(concept_id)
            assert (
                concept["label"].startswith("Crash Model")
                and concept["definition"] == "Made by the crash test."
            )
            assert {t["id"] for t in concept["types"]} == {"large-language-model"}
            assert {
                (r["predicate"].rsplit("/", 1)[-1], r["object"]["id"]) for r in concept["relations"]
            } >= {("developedBy", "openai"), ("hasModality", "text")}, (
                concept
            )  # whole: every triple of the edit, or (above) none
        assert set(acknowledged) <= set(present)  # nothing acknowledged was lost
        assert revision == len(present)  # one revision per edit that is there, no half one
        # and the restarted server takes writes again
        mutate(client, NEW_MODEL, id="after-the-crash", label="After The Crash")
        assert client.get("/health").json()["revision"] == revision + 1


@pytest.mark.parametrize("kind", SERVERS)
def test_killing_the_sparql_server_mid_batch_loses_nothing_committed(
    kind: str, tmp_path: Path
) -> None:
    """The remote backend's side: the SPARQL server itself (Oxigraph's, Virtuoso) is killed
    while workers write."""
    from graph.edits.imports import import_into_endpoint
    from graph.edits.live import LiveGraph
    from graph.edits.operations import AddConcept, AddEdge
    from graph.model import ConceptKind
    from graph.store.change_log import read_revision
    from ontology import data_files

    location = tmp_path / kind
    endpoint = start_server(kind, location)
    acknowledged: list[str] = []
    attempted: list[str] = []
    try:
        import_into_endpoint(endpoint.store(), data_files())
        workers = [LiveGraph(endpoint.store()) for _ in range(2)]

        def write(number: int) -> None:
            for step in range(200):
                concept_id = f"remote-crash-{number}-{step}"
                attempted.append(concept_id)
                try:
                    workers[number].edit(
                        [
                            AddConcept(
                                concept_id,
                                f"Remote Crash {number}-{step}",
                                "Made by the crash test.",
                                ConceptKind.EXAMPLE,
                                ("large language model",),
                                "foundation-model-lesson",
                            ),
                            AddEdge(concept_id, "aikgs:developedBy", "OpenAI"),
                            AddEdge(concept_id, "aikgs:hasModality", "text"),
                        ],
                        f"writer-{number}",
                    )
                except Exception:
                    return
                acknowledged.append(concept_id)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < 8 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(endpoint.process.pid, signal.SIGKILL)
        endpoint.process.wait(timeout=30)
        for thread in threads:
            thread.join(timeout=120)
    finally:
        endpoint.stop()
    assert len(acknowledged) >= 8 and len(attempted) > len(acknowledged)

    restarted = start_server(kind, location)
    restarted.graphs = endpoint.graphs  # the same graph, on the same database
    try:
        graph = LiveGraph(restarted.store(writable=False)).current
        present = [
            c for c in attempted if graph.find_iri("https://w3id.org/aikg/concept/" + c) is not None
        ]
        assert set(acknowledged) <= set(present)  # nothing acknowledged was lost
        for concept_id in present:  # and each edit is whole
            iri = "https://w3id.org/aikg/concept/" + concept_id
            assert len(graph.store.describe(iri)) == 8, concept_id
        assert read_revision(restarted.store(writable=False)) == 1 + len(
            present
        )  # the import, then one per edit
    finally:
        restarted.stop()
