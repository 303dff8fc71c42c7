"""Requests per second over HTTP on loopback, with wrk as the bounded load generator.

Each server runs in its own process on 127.0.0.1 and is stopped afterwards; each
wrk run lasts a fixed number of seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CONCEPT_QUERY = '{ concept(id: "%s") { id iri label altLabels kind } }'
IS_A_QUERY = '{ isA(subject: "%s", object: "%s") { holds path { subject { id } predicate object { id } } } }'
FLOOR_QUERY = "{ hello }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(command: list[str], port: int, timeout_s: float = 600) -> Iterator[str]:
    """Start a server, wait until /health answers, yield its base URL, stop it."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(url: str, query: str, seconds: int, connections: int = 32) -> dict[str, float]:
    """Run wrk against a GraphQL POST; requests/s, p50 and p99 latency in ms, and errors."""
    body = json.dumps({"query": query})
    script = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [==[{body}]==]\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, url + "/graphql"],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def measure_http(data: Path, concept: str, proofs: dict[str, tuple[str, str]], seconds: int) -> list[dict[str, Any]]:
    """The floor and our server with 1 and 2 workers, the same queries, one after another."""
    if shutil.which("wrk") is None:
        return [{"error": "wrk is not installed (apt-get install wrk)"}]
    rows = []
    for workers in (1, 2):
        port = free_port()
        floor = [sys.executable, "-m", "uvicorn", "benchmarks.floor:create_app", "--factory",
                 "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
        with server(floor, port) as url:
            rows.append({"server": "bare strawberry (floor)", "workers": workers, "query": "{ hello }",
                         **wrk(url, FLOOR_QUERY, seconds)})
        port = free_port()
        ours = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers),
                "--data", str(data)]
        with server(ours, port) as url:
            queries = [("concept, five fields", CONCEPT_QUERY % concept)]
            queries += [(f"isA with proof, {name}", IS_A_QUERY % pair) for name, pair in proofs.items()]
            for name, query in queries:
                rows.append({"server": "aikg", "workers": workers, "query": name, **wrk(url, query, seconds)})
    return rows


def http_table(rows: list[dict[str, Any]]) -> str:
    """Requests/s and latency per server and query, with the share of the floor in the same run."""
    if rows and "error" in rows[0]:
        return f"HTTP: {rows[0]['error']}"
    floor = {r["workers"]: r["requests_per_s"] for r in rows if r["server"].startswith("bare")}
    lines = ["| server | workers | query | requests/s | p50 | p99 | of floor | errors |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        share = r["requests_per_s"] / floor[r["workers"]]
        lines.append(
            f"| {r['server']} | {r['workers']} | {r['query']} | {r['requests_per_s']:,.0f} | "
            f"{r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | {share:.0%} | {int(r['non_2xx'])} {r['socket_errors']} |"
        )
    return "\n".join(lines)
