"""The bundled Turtle: closed vocabulary, one style, well-formed files."""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph

import ontology
from graph.vocabulary import AIKGS, PREFIXES, SCHEMA_NS
from ontology import data_files, shapes_file

FILES = [*data_files(), shapes_file()]


def test_there_are_ontology_files() -> None:
    assert len(FILES) >= 4


def test_every_turtle_file_is_package_data() -> None:
    """Wheels and editable installs carry the ontology: every Turtle file in any folder of
    ontology/ matches a package-data pattern (globbed as setuptools does, ``**`` spanning
    folders)."""
    root = Path(ontology.__file__).parent
    pyproject = tomllib.loads((root.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["ontology"]
    shipped = {
        name for pattern in patterns for name in glob.glob(pattern, root_dir=root, recursive=True)
    }
    files = {path.relative_to(root).as_posix() for path in root.rglob("*.ttl")}
    assert {path.relative_to(root).as_posix() for path in FILES} <= files
    assert files - shipped == set()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_schema_term_used_is_declared_in_the_closed_namespace(path) -> None:
    graph = Graph().parse(path, format="turtle")
    used = {str(t) for triple in graph for t in triple if str(t).startswith(SCHEMA_NS)}
    for term in used:
        getattr(AIKGS, term.removeprefix(SCHEMA_NS))  # raises AttributeError when undeclared


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_starts_with_the_same_prefix_block_and_a_role_comment(path) -> None:
    text = path.read_text()
    declared = re.findall(r"^@prefix (\w+):\s+<([^>]+)> \.$", text, flags=re.M)
    assert dict(declared) == PREFIXES
    assert re.search(r"^# Role: ", text, flags=re.M), "a comment naming the file's role"


def test_every_declared_relation_has_label_inverse_label_definition_domain_and_range() -> None:
    schema = Graph().parse(data_files()[0], format="turtle")
    query = """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?p WHERE {
          ?p a owl:ObjectProperty .
          FILTER NOT EXISTS {
            ?p rdfs:label ?l ; skos:definition ?d ; rdfs:domain ?dom ; rdfs:range ?r ;
               <https://w3id.org/aikg/schema/inverseLabel> ?inverse
          }
        }"""
    properties = list(
        schema.query("SELECT ?p WHERE { ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> }")
    )
    assert len(properties) >= 10
    assert list(schema.query(query)) == []
