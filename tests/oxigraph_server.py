"""A real SPARQL 1.1 server for the tests: ``oxigraph serve`` on a free 127.0.0.1 port.

Registered as a pytest plugin in ``tests/conftest.py``. The server is started once per
session (about 0.2 s) with a RocksDB directory under the session's temporary path, and
stopped at the end; tests that need an empty dataset clear it with ``CLEAR ALL``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve``: its query and update URLs, and the process."""

    process: subprocess.Popen[bytes]
    port: int
    location: Path

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    def clear(self) -> None:
        """Empty every graph of the dataset."""
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
            self.process.wait(timeout=10)
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


def start_oxigraph(location: Path, timeout_s: float = 30.0) -> OxigraphServer:
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
    server = OxigraphServer(process, port, location)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read().decode() if process.stderr else ""
            server.stop()
            raise RuntimeError(f"oxigraph serve exited: {errors}")
        try:
            with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=2):
                return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"oxigraph serve did not answer on port {port} within {timeout_s} s")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One Oxigraph SPARQL server for the whole session, stopped at the end."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture
def empty_endpoint(oxigraph_server: OxigraphServer) -> OxigraphServer:
    """The session's server with an empty dataset."""
    oxigraph_server.clear()
    return oxigraph_server
