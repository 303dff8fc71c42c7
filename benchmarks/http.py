"""Requests per second over HTTP on loopback, with wrk as the bounded load generator.

Each server runs in its own process on 127.0.0.1 and is stopped afterwards; each
wrk run lasts a fixed number of seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

CONCEPT_QUERY = '{ concept(id: "%s") { id iri label altLabels kind } }'
IS_A_QUERY = (
    '{ isA(subject: "%s", object: "%s") { holds path { subject { id } predicate object { id } } } }'
)
FLOOR_QUERY = "{ hello }"
#: Asked once of each of our servers before its runs, so that every server holds what a
#: long-running one holds (search's indexes, the lists' orders and filter columns) when its
#: memory is read: ``--workers 2`` builds them before forking, one worker on first use.
#: The writer's token in the serving table's last rows (the edits' rows have their own).
WRITER_TOKEN = "bench-writer-token-0123456789"
WARM_QUERIES = [
    '{ search(text: "kind 1", first: 5) { id } }',
    '{ search(text: "knid", first: 5) { id } }',
    "{ concepts(first: 5, orderBy: LABEL) { nodes { id } } }",
    '{ concepts(kind: EXAMPLE, first: 5, orderBy: RELEASED_DESC, releasedAfter: "2020") '
    "{ nodes { id } } }",
    "{ concepts(first: 5, orderBy: PARAMETERS_DESC) { nodes { id } } }",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Running(NamedTuple):
    """A server started for a measurement."""

    url: str
    pid: int


@contextmanager
def server(
    command: list[str],
    port: int,
    timeout_s: float = 600,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Running]:
    """Start a server, wait until /health answers, yield its URL and process id, stop it."""
    log = tempfile.TemporaryFile()  # never a pipe: an undrained pipe would stall the server
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL, cwd=cwd, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited: {log.read().decode()[-500:]}")
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield Running(base, process.pid)
    finally:
        process.terminate()
        try:  # a clean shutdown may save what search built (a million kinds: seconds)
            process.wait(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wrk(url: str, query: str, seconds: int, connections: int = 32) -> dict[str, Any]:
    """Run wrk against a GraphQL POST; requests/s, p50 and p99 latency in ms, and errors."""
    body = json.dumps({"query": query})
    script = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [==[{body}]==]\n"
    )
    return wrk_script(url + "/graphql", script, seconds, connections)


#: A realistic mix over the bundled ontology: lookups, is-a, example-of, search, lists, export.
BUNDLED_MIX = [
    (
        "POST",
        "/graphql",
        '{ concept(id: "GPT-4") { id label altLabels definition kind types { label } } }',
    ),
    (
        "POST",
        "/graphql",
        '{ isA(subject: "GPT-4", object: "foundation model") '
        "{ holds path { predicate object { id } } } }",
    ),
    (
        "POST",
        "/graphql",
        '{ exampleOf(subject: "Whisper large", object: "audio model") { holds } }',
    ),
    ("POST", "/graphql", '{ search(text: "lama", first: 5) { id label } }'),
    (
        "POST",
        "/graphql",
        '{ concept(id: "LLM") { children { id } examples(transitive: true) { id } '
        "relations { predicateLabel } } }",
    ),
    ("POST", "/graphql", "{ concepts(kind: EXAMPLE, first: 20) { totalCount nodes { id } } }"),
    ("POST", "/graphql", '{ isA(subject: "GTP-4", object: "foundation model") { holds } }'),
    ("GET", "/ontology.ttl", ""),
]


def mixed_script(requests: list[tuple[str, str, str]]) -> str:
    """A wrk Lua script that cycles through the requests, one after another per connection."""
    lines = ["local requests = {}"]
    for method, path, query in requests:
        body = json.dumps({"query": query}) if query else ""
        lines.append(
            f'requests[#requests + 1] = wrk.format("{method}", "{path}", '
            f'{{["Content-Type"] = "application/json"}}, [==[{body}]==])'
        )
    lines += [
        "local i = 0",
        "request = function()",
        "  i = i % #requests + 1",
        "  return requests[i]",
        "end",
    ]
    return "\n".join(lines) + "\n"


def wrk_script(url: str, script: str, seconds: int, connections: int = 16) -> dict[str, Any]:
    """Run wrk with a Lua script; requests/s, p50/p99 in ms, non-2xx and socket errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    return _parse_wrk(out)


def _parse_wrk(out: str) -> dict[str, Any]:
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MiB."""
    return _summed_kib(pid, "status", "VmRSS:") / 1024


def pss_mb(pid: int) -> float:
    """Proportional set size of a process and its children, in MiB: a page shared by the
    workers counts once in all (each holds its share), unlike RSS, which counts it per process."""
    return _summed_kib(pid, "smaps_rollup", "Pss:") / 1024


def _summed_kib(pid: int, proc_file: str, field: str) -> float:
    """One kB field of ``/proc/PID/<proc_file>`` summed over a process and its descendants."""
    total = 0.0
    for candidate in [pid, *child_processes(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/{proc_file}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def child_processes(pid: int) -> list[int]:
    """The process ids of a process's children and their children, recursively."""
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in found] + [g for c in found for g in child_processes(int(c))]


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def measure_http(
    data: Path,
    concept: str,
    proofs: dict[str, tuple[str, str]],
    seconds: int,
    store: Path | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The floor and our server with 1 and 2 workers, the same queries, one after another;
    and our server's start time and memory (PSS over its processes) after those queries.

    Our server serves ``data`` loaded in memory (workers forked after one load) and, with
    ``store`` (an on-disk store of the same data), that store, whose workers each map its
    saved index; then two workers on that store once more, whose parent takes the state saved
    beside it (by the one server's clean shutdown, or the first two-worker start) instead of
    building it; and after one writer has edited a label and stopped, saving the state its
    edit patched, two workers again."""
    if shutil.which("wrk") is None:
        return [{"error": "wrk is not installed (apt-get install wrk)"}], []
    rows, memory = [], []
    for workers in (1, 2):
        port = free_port()
        floor = [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.floor:create_app",
            "--factory",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        with server(floor, port) as running:
            rows.append(
                {
                    "server": "bare strawberry (floor)",
                    "workers": workers,
                    "query": "{ hello }",
                    **wrk(running.url, FLOOR_QUERY, seconds),
                }
            )
        sources = [("in memory", ["--data", str(data)])]
        if store is not None:
            sources.append(("on disk", ["--store", str(store)]))
        for where, source in sources:
            with _ours_warmed(["--workers", str(workers), *source]) as (running, started_s):
                queries = [("concept, five fields", CONCEPT_QUERY % concept)]
                queries += [
                    (f"isA with proof, {name}", IS_A_QUERY % pair) for name, pair in proofs.items()
                ]
                for name, query in queries:
                    rows.append(
                        {
                            "server": f"aikg ({where})",
                            "workers": workers,
                            "query": name,
                            **wrk(running.url, query, seconds),
                        }
                    )
                memory.append(
                    {
                        "workers": workers,
                        "where": where,
                        "start_s": started_s,
                        "pss_mb": pss_mb(running.pid),
                    }
                )
    if store is not None:  # again: the parent takes what the last start saved beside the store
        with _ours_warmed(["--workers", "2", "--store", str(store)]) as (running, started_s):
            memory.append(
                {
                    "workers": 2,
                    "where": "on disk",
                    "restart": "the saved warm state",
                    "start_s": started_s,
                    "pss_mb": pss_mb(running.pid),
                }
            )
        # one writer edits a label and stops: it saves the search and lists its edit patched
        writer = {**os.environ, "AIKG_WRITE_TOKENS": f"bench:{WRITER_TOKEN}"}
        with _ours_warmed(["--store", str(store)], env=writer) as (running, _):
            edit = f'{{setLabel: {{id: "{concept}", text: "edited at {time.time()}"}}}}'
            ask(
                running.url,
                f"mutation {{ edit(operations: [{edit}]) {{ revision }} }}",
                WRITER_TOKEN,
            )
            for query in WARM_QUERIES:
                ask(running.url, query)
        with _ours_warmed(["--workers", "2", "--store", str(store)]) as (running, started_s):
            memory.append(
                {
                    "workers": 2,
                    "where": "on disk",
                    "restart": "after an edit: the state its writer saved at shutdown",
                    "start_s": started_s,
                    "pss_mb": pss_mb(running.pid),
                }
            )
    return rows, memory


@contextmanager
def _ours_warmed(
    arguments: list[str], env: dict[str, str] | None = None
) -> Iterator[tuple[Running, float]]:
    """``aikg serve`` with ``arguments`` on a free port, the seconds to its first answer, once
    it has answered the warm-up queries."""
    port = free_port()
    began = time.monotonic()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), *arguments]
    with server(command, port, env=env) as running:
        started_s = time.monotonic() - began
        for query in WARM_QUERIES:
            ask(running.url, query)
        yield running, started_s


def ask(url: str, query: str, token: str | None = None) -> dict[str, Any]:
    """One GraphQL query's answer (with ``token``, as a writer); an error in it stops the run."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url + "/graphql", data=json.dumps({"query": query}).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        answer: dict[str, Any] = json.loads(response.read())
    if answer.get("errors"):
        raise RuntimeError(f"{query} failed: {answer['errors']}")
    return answer


#: The warm-up is repeated (at most this many rounds) until a round grows the server's memory by
#: less than this: on a busy machine one round of ``warmup_s`` does not fill every lazy cache.
WARMUP_ROUNDS, WARMUP_SETTLED_MB = 4, 5.0


def load_test(seconds: int, workers: int = 2, warmup_s: int = 8) -> dict[str, Any]:
    """The bundled-ontology mix against ``aikg serve``: throughput, latency, errors, memory
    growth over ``seconds`` after a warm-up of ``warmup_s`` rounds until memory settles."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with server(command, port) as running:
        script = mixed_script(BUNDLED_MIX)
        before = rss_mb(running.pid)
        for _ in range(WARMUP_ROUNDS):  # until the lazy caches are full, not a fixed time
            wrk_script(running.url, script, warmup_s)
            warmed = rss_mb(running.pid)
            settled = warmed - before < WARMUP_SETTLED_MB
            before = warmed
            if settled:
                break
        result = wrk_script(running.url, script, seconds)
        after = rss_mb(running.pid)
    return {
        **result,
        "workers": workers,
        "seconds": seconds,
        "rss_before_mb": before,
        "rss_after_mb": after,
    }


def memory_table(memory: list[dict[str, Any]]) -> str:
    """Start time and memory of our server by store and worker count, with the ratio to one
    worker of the same store."""
    if not memory:
        return ""
    one = {m.get("where", "in memory"): m["pss_mb"] for m in memory if m["workers"] == 1}
    lines = [
        "| store | workers | start (to first answer) | memory after the runs (PSS) | of 1 worker |",
        "|---|---|---|---|---|",
    ]
    for m in sorted(
        memory, key=lambda m: (m.get("where", "in memory"), m["workers"], bool(m.get("restart")))
    ):
        where = m.get("where", "in memory")
        shown = f"{where}, restarted ({m['restart']})" if m.get("restart") else where
        lines.append(
            f"| {shown} | {m['workers']} | {m['start_s']:.1f} s | {m['pss_mb']:,.0f} MiB | "
            f"{m['pss_mb'] / one[where]:.2f}× |"
        )
    return "\n".join(lines)


def http_table(rows: list[dict[str, Any]]) -> str:
    """Requests/s and latency per server and query, with the share of the floor in the same run."""
    if rows and "error" in rows[0]:
        return f"HTTP: {rows[0]['error']}"
    floor = {r["workers"]: r["requests_per_s"] for r in rows if r["server"].startswith("bare")}
    lines = [
        "| server | workers | query | requests/s | p50 | p99 | of floor | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        share = r["requests_per_s"] / floor[r["workers"]]
        lines.append(
            f"| {r['server']} | {r['workers']} | {r['query']} | {r['requests_per_s']:,.0f} | "
            f"{r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | {share:.0%} | "
            f"{int(r['non_2xx'])} {r['socket_errors']} |"
        )
    return "\n".join(lines)
