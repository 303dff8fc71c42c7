"""Several workers: `aikg serve --workers N` loads once and forks N workers over one socket.

In front of one SPARQL server (the Oxigraph server the tests start), writes sent to whichever
worker the kernel picks are all committed (none lost), and every worker comes to serve the last
revision within its refresh interval. A graph in memory or on disk is served read-only by
several workers; a worker that dies is replaced; the supervisor stops them all on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.cli import main
from api.prefork import MIN_LIFETIME_S
from benchmarks.http import child_processes, free_port, server
from graph.index.persistence import WARM_FILE, warm_key, warm_saved_over
from graph.loading import open_store, take_saved_warm
from ontology import data_files
from tests.concurrency import failures_in_parallel
from tests.sparql_servers import SparqlServer

pytestmark = pytest.mark.slow  # servers with two worker processes each: about 10 s in all

TOKEN = "workers-test-token-0123456789"


def test_two_workers_on_one_endpoint_share_every_write(
    empty_endpoint: SparqlServer, tmp_path: Path
) -> None:
    endpoint = empty_endpoint.arguments()
    assert main(["load", *map(str, data_files()), *endpoint]) == 0
    tokens = tmp_path / "tokens"
    tokens.write_text(f"worker-tester:{TOKEN}\n")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        *endpoint,
        "--port",
        str(port),
        "--workers",
        "2",
        "--refresh-ms",
        "200",
        "--write-token-file",
        str(tokens),
    ]
    with server(command, port, timeout_s=120) as running:

        def write(number: int) -> None:
            with httpx.Client(base_url=running.url, timeout=60) as client:
                for step in range(1):
                    response = client.post(
                        "/graphql",
                        json={
                            "query": "mutation($l: String!) "
                            '{ addAltLabel(id: "GPT-4", label: $l) { revision } }',
                            "variables": {"l": f"worker label {number}-{step}"},
                        },
                        headers={"Authorization": f"Bearer {TOKEN}", "Connection": "close"},
                    )
                    assert "errors" not in response.json(), response.text

        failures = failures_in_parallel(write, 4, timeout_s=300)
        assert not failures, failures

        expected = {f"worker label {n}-{s}" for n in range(4) for s in range(1)}
        # Every read on a new connection (the kernel spreads them over both workers) must
        # come to show the last revision, 1 (the import) + 4 edits, with every label.
        agreeing, deadline = 0, time.monotonic() + 30
        while agreeing < 10 and time.monotonic() < deadline:
            with httpx.Client(
                base_url=running.url, timeout=30, headers={"Connection": "close"}
            ) as client:
                revision = client.get("/health").json()["revision"]
                labels = client.post(
                    "/graphql", json={"query": '{ concept(id: "GPT-4") { altLabels } }'}
                ).json()
            caught_up = revision == 5 and expected <= set(labels["data"]["concept"]["altLabels"])
            agreeing = agreeing + 1 if caught_up else 0
            time.sleep(0.05)
        assert agreeing == 10


def test_an_embedded_store_serves_read_only_workers_and_refuses_writes_with_more_than_one(
    tmp_path: Path, capsys
) -> None:
    store = tmp_path / "store"
    assert main(["load", *map(str, data_files()), "--store", str(store)]) == 0
    tokens = tmp_path / "tokens"
    tokens.write_text(f"someone:{TOKEN}\n")
    assert (
        main(["serve", "--store", str(store), "--workers", "2", "--write-token-file", str(tokens)])
        == 2
    )
    assert "writes to a graph in memory or on disk need --workers 1" in capsys.readouterr().err
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        "--store",
        str(store),
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    with (
        server(command, port, timeout_s=120) as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        assert client.get("/health").json()["revision"] == 0
        refused = client.post(
            "/graphql",
            json={"query": 'mutation { addAltLabel(id: "GPT-4", label: "x") { revision } }'},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert refused.status_code == 403  # read-only workers have no write tokens
    assert (store / WARM_FILE).exists()  # what the parent built before forking, for next time


def test_one_server_that_searched_and_edited_leaves_its_search_for_the_next_start(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    assert main(["load", *map(str, data_files()), "--store", str(store)]) == 0
    tokens = tmp_path / "tokens"
    tokens.write_text(f"someone:{TOKEN}\n")
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--store", str(store)]
    command += ["--port", str(port), "--write-token-file", str(tokens)]
    with (
        server(command, port, timeout_s=120) as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        search = {"query": '{ search(text: "zyxwv omega", first: 1) { id } }'}
        assert client.post("/graphql", json=search).json()["data"]["search"] != [{"id": "gpt-4"}]
        listed = '{ concepts(first: 5, releasedAfter: "2024") { totalCount } }'
        assert client.post("/graphql", json={"query": listed}).status_code == 200
        edited = client.post(
            "/graphql",
            json={
                "query": 'mutation { addAltLabel(id: "GPT-4", label: "Zyxwv Omega") { revision } }'
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert edited.json()["data"]["addAltLabel"]["revision"] == 1
        assert client.post("/graphql", json=search).json()["data"]["search"] == [{"id": "gpt-4"}]
    # stopped (SIGTERM): the search it patched for the edit is saved for the store as it is now
    reopened = open_store(store)
    assert warm_saved_over(store) == warm_key(reopened.index, reopened.store.generation())
    assert take_saved_warm(reopened, store)
    assert [c.id for c in reopened.search("zyxwv omega", 1)] == ["gpt-4"]
    reopened.store.close()


def test_workers_forked_from_one_load_replace_a_dead_worker_and_stop_together() -> None:
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"]
    with (
        server(command, port, timeout_s=120) as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        workers = child_processes(running.pid)
        assert len(workers) == 2
        time.sleep(MIN_LIFETIME_S + 0.5)  # a worker dying at start is not restarted
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while set(child_processes(running.pid)) in ({workers[1]}, set(workers)):
            assert time.monotonic() < deadline, "no worker replaced the killed one"
            time.sleep(0.1)
        assert len(child_processes(running.pid)) == 2
        for _ in range(10):  # every new connection is answered, whichever worker takes it
            answer = client.post(
                "/graphql",
                json={"query": '{ isA(subject: "GPT-4", object: "foundation model") { holds } }'},
                headers={"Connection": "close"},
            )
            assert answer.json()["data"]["isA"]["holds"] is True
        survivors = child_processes(running.pid)
        os.kill(running.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in [running.pid, *survivors]):
            assert time.monotonic() < deadline, "SIGTERM did not stop the workers"
            time.sleep(0.1)


def test_workers_stop_when_their_supervisor_is_killed() -> None:
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"]
    with server(command, port, timeout_s=120) as running:
        workers = child_processes(running.pid)
        assert len(workers) == 2
        os.kill(running.pid, signal.SIGKILL)  # no handler runs: the kernel tells the workers
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived its killed supervisor"
            time.sleep(0.1)
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{running.url}/health", timeout=2)


def test_a_graph_in_memory_refuses_writes_with_more_than_one_worker(tmp_path: Path, capsys) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"someone:{TOKEN}\n")
    assert main(["serve", "--workers", "2", "--write-token-file", str(tokens)]) == 2
    assert "each worker would edit its own copy" in capsys.readouterr().err


def test_a_busy_port_is_one_line_before_anything_forks() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert finished.returncode == 2
    assert finished.stderr.strip().splitlines() == [
        f"aikg: error: 127.0.0.1:{port}: Address already in use"
    ]


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False
