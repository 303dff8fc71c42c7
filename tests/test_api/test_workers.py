"""Scaling out: several `aikg serve --sparql` workers in front of one SPARQL server.

The graph lives in the Oxigraph server the tests start; two uvicorn workers serve it.
Writes sent to whichever worker the kernel picks are all committed (none lost), and
every worker comes to serve the last revision within its refresh interval.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx
import pytest

from api.cli import main
from benchmarks.http import free_port, server
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
    assert "writes to an on-disk store need --workers 1" in capsys.readouterr().err
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
