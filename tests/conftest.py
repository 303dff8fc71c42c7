"""Shared fixtures: the bundled graph, the external ontologies, and small graphs written inline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
