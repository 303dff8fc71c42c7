"""Real SPARQL 1.1 servers for the tests: Oxigraph's (``oxigraph serve``) and Virtuoso's.

Registered as a pytest plugin in ``tests/conftest.py``. Each server runs on a free 127.0.0.1
port with its database under a temporary path. :func:`empty_endpoint` hands a test an empty
graph on each server in turn (the tests that take it run once per server):

* Oxigraph (``oxigraph serve``, about 0.2 s to start): a new server for each test, its
  default graph — the plain setup that needs no ``--graph``;
* Virtuoso 7 (Debian's ``virtuoso-opensource``, ``virtuoso-t``, about 4 s to start): its stock
  ``virtuoso.ini`` with only the paths and ports changed (so ``ResultSetMaxRows`` stays at
  10,000), ``SPARQL_UPDATE`` granted to the ``SPARQL`` user through ``isql-vt``; each test
  gets a new named graph (``--graph``), since Virtuoso's default graph is the union of all
  graphs, its own system graphs included.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.edits.imports import changed_literals
from graph.store.change_log import Change, Graphs, plain_update
from graph.store.endpoint import RemoteStore
from graph.store.oxigraph import Store

#: The servers the remote-backend suite runs against (``empty_endpoint``'s parameters).
SERVERS = ["oxigraph", "virtuoso"]
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The literals each server is known to store in another form than written (datatype written,
#: datatype held): Virtuoso 7 keeps one of "2024"^^xsd:gYear and "2024-01"^^xsd:gYearMonth,
#: whichever its database met first, for both.
KNOWN_CHANGES = {
    "oxigraph": set(),
    "virtuoso": {(XSD + "gYearMonth", XSD + "gYear"), (XSD + "gYear", XSD + "gYearMonth")},
}
#: Debian's stock configuration, which the test server copies.
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass
class SparqlServer:
    """A running SPARQL server: its query and update URLs, and the process."""

    kind: str
    process: subprocess.Popen[bytes]
    port: int
    location: Path
    query_path: str
    update_path: str
    #: The graph the tests use on it (None: the default graph).
    graphs: Graphs = field(default_factory=Graphs)
    sql_port: int | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.query_path}"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.update_path}"

    def store(self, writable: bool = True) -> RemoteStore:
        """A remote store on this server's test graph, as a worker opens it."""
        return RemoteStore(
            self.query_url, self.update_url if writable else None, graphs=self.graphs
        )

    def arguments(self, writable: bool = True) -> list[str]:
        """The ``aikg`` options that name this server and its test graph."""
        args = ["--sparql", self.query_url]
        if writable:
            args += ["--sparql-update", self.update_url]
        if self.graphs.data is not None:
            args += ["--graph", self.graphs.data]
        return args

    def as_held(self, written: Store) -> Store:
        """``written`` as this server holds it after an import: each literal the server changed
        replaced by what it holds; only the server's known changes are allowed."""
        held = self.store(writable=False).snapshot()[0]
        removed, added = [], []
        for change in changed_literals(written, held):
            assert len(change.holds) == 1, change
            assert (change.wrote.datatype, change.holds[0].datatype) in KNOWN_CHANGES[self.kind], (
                f"{self.kind} changed a literal in an unknown way: {change}"
            )
            removed.append((change.subject, change.predicate, change.wrote))
            added.append((change.subject, change.predicate, change.holds[0]))
        copy = written.copy()
        if removed:
            copy.update(plain_update(Change(added=tuple(added), removed=tuple(removed))))
        return copy

    def clear(self) -> None:
        """An empty graph for the next test: Oxigraph's dataset emptied, a new Virtuoso graph."""
        if self.kind == "virtuoso":
            self.graphs = Graphs.named(f"http://example.org/test/{uuid.uuid4().hex}")
            return
        self.graphs = Graphs()
        request = urllib.request.Request(
            self.update_url,
            data=b"CLEAR ALL",
            headers={"Content-Type": "application/sparql-update"},
        )
        with urllib.request.urlopen(request, timeout=30):
            pass

    def stop(self) -> None:
        """Stop the server and close the pipe its errors went to."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` installed beside the running Python, else the one on PATH.

    Beside first: ``.venv/bin/python -m pytest`` run without activating the virtual
    environment has the venv's ``bin`` off PATH, but its ``oxigraph`` is next to the interpreter.
    """
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def start_oxigraph(location: Path, timeout_s: float = 30.0) -> SparqlServer:
    """Start ``oxigraph serve`` and wait until it answers a query."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.fail("the `oxigraph` server is not installed: pip install -e '.[test]' brings it")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = SparqlServer("oxigraph", process, port, location, "/query", "/update")
    return _answering(server, timeout_s)


def start_virtuoso(
    location: Path, timeout_s: float = 60.0, ports: tuple[int, int] | None = None
) -> SparqlServer:
    """Start ``virtuoso-t`` on a database in ``location`` (made there when new), grant
    SPARQL_UPDATE, and wait until it answers a query. ``ports`` (SQL, HTTP) restart it as it was.
    """
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        pytest.fail("Virtuoso is not installed: apt-get install virtuoso-opensource (.ci/run does)")
    location.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = ports or (free_port(), free_port())
    ini = location / "virtuoso.ini"
    ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text(), location, sql_port, http_port))
    process = subprocess.Popen(
        [binary, "+configfile", str(ini), "+foreground"],
        cwd=location,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = SparqlServer(
        "virtuoso", process, http_port, location, "/sparql", "/sparql", sql_port=sql_port
    )
    _answering(server, timeout_s)
    grant = subprocess.run(
        ["isql-vt", str(sql_port), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if grant.returncode != 0:
        server.stop()
        raise RuntimeError(f"isql-vt could not grant SPARQL_UPDATE: {grant.stdout!r}")
    server.clear()
    return server


def virtuoso_ini(stock: str, location: Path, sql_port: int, http_port: int) -> str:
    """Debian's ``virtuoso.ini`` with the database in ``location`` and the given ports."""
    text = re.sub(r"/var/lib/virtuoso-opensource-7/db/", f"{location}/", stock)
    section = ""
    lines = []
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip()
        key = line.split("=", 1)[0].strip()
        if key == "ServerPort" and section == "[Parameters]":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and section == "[HTTPServer]":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DefaultHost" and section == "[URIQA]":
            line = f"DefaultHost = 127.0.0.1:{http_port}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _answering(server: SparqlServer, timeout_s: float) -> SparqlServer:
    deadline = time.monotonic() + timeout_s
    process = server.process
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read().decode() if process.stderr else ""
            server.stop()
            raise RuntimeError(f"{server.kind} exited: {errors}")
        try:
            with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=2):
                return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{server.kind} did not answer on port {server.port} within {timeout_s} s")


def start_server(kind: str, location: Path) -> SparqlServer:
    """Start a server of the given kind (one of :data:`SERVERS`)."""
    return start_oxigraph(location) if kind == "oxigraph" else start_virtuoso(location)


@pytest.fixture
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """A new Oxigraph SPARQL server for each test (about 0.2 s to start), stopped after it.

    One server for the whole session, emptied with ``CLEAR ALL`` between tests, answered
    imports ever more slowly in the full suite until setups hit the 60 s HTTP timeout (twice
    in a run of 1,450 tests; never in the remote-backend files run alone).
    """
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """One Virtuoso server for the whole session, stopped at the end."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def empty_graph_on(request: pytest.FixtureRequest, kind: str) -> SparqlServer:
    """A server of this kind (one of :data:`SERVERS`) with an empty graph: a new Oxigraph
    server, or a new named graph on the session's Virtuoso."""
    server: SparqlServer = request.getfixturevalue(f"{kind}_server")
    server.clear()
    return server


@pytest.fixture(params=SERVERS)
def empty_endpoint(request: pytest.FixtureRequest) -> SparqlServer:
    """An empty graph on each server in turn."""
    return empty_graph_on(request, request.param)
