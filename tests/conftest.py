"""Shared fixtures: the bundled graph, the external ontologies, and small graphs written inline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib

from graph import KnowledgeGraph
from graph.loading import load_files
from ontology import data_files

#: A real SPARQL server (``oxigraph serve``) for the remote-backend tests.
pytest_plugins = ["tests.sparql_servers"]

REPO = Path(__file__).resolve().parent.parent
#: Ontologies nobody on this project wrote (sources and licences in its README.md).
EXTDATA = REPO / "tests" / "data" / "external"
EXTDATA_FILES = sorted(EXTDATA.glob("*.ttl"))
assert EXTDATA_FILES, (
    f"no external ontologies in {EXTDATA}: the tests over them would run on nothing"
)


#: Files whose cases are independent work for pytest-xdist, one unit per case (parameter):
#: each validation of an example is seconds of SHACL, and its tests share it (in one process);
#: each backend's case of the import, remote-server, backend and Turtle files is one server's
#: or one file's work, minutes for Virtuoso's, so the other cases run beside it.
SPLIT_BY_CASE = {
    "tests/test_ontology/test_validation.py",
    "tests/test_graph/test_imports.py",
    "tests/test_graph/test_backends.py",
    "tests/test_api/test_remote_servers.py",
    "tests/test_graph/test_turtle.py",
}


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadfile`` (``pyproject.toml``), a file's tests run in one worker, so
    what a file makes once (a server, a browser, a loaded graph) is made once; the cases of
    the files in :data:`SPLIT_BY_CASE` are spread over the workers instead."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByFileOrCase(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file, _, name = nodeid.partition("::")
            case = name.partition("[")[2]
            return f"{file}[{case}" if file in SPLIT_BY_CASE and case else file

    return ByFileOrCase(config, log)


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The bundled AI-concepts ontology, indexed once for the whole run."""
    return load_files(data_files())


@pytest.fixture(scope="session")
def bundled_by_rdflib() -> rdflib.Graph:
    """The bundled ontology read by rdflib from its files, not through our store (a reference)."""
    graph = rdflib.Graph()
    files = data_files()
    assert files
    for path in files:
        graph.parse(path)
    return graph


@pytest.fixture
def turtle_graph(tmp_path: Path) -> Callable[[str], KnowledgeGraph]:
    """Build a graph from a Turtle snippet (our prefixes are declared for you)."""

    def build(body: str) -> KnowledgeGraph:
        path = tmp_path / "snippet.ttl"
        path.write_text(PREFIXES + body, encoding="utf-8")
        return load_files([path])

    return build


PREFIXES = """\
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
