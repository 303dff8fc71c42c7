"""Imports into the on-disk store and into a remote endpoint: syntaxes, all or nothing, and
the external ontologies beside ours with answers equal to SPARQL property paths."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.cli import main
from graph import InvalidData, KnowledgeGraph
from graph.edits.imports import import_into_endpoint
from graph.loading import open_store
from graph.model import ConceptKind
from graph.store.change_log import read_revision
from graph.store.oxigraph import Store
from graph.vocabulary import is_vocabulary
from ontology import data_files
from tests.conftest import EXTDATA_FILES
from tests.sparql_servers import SERVERS, SparqlServer, empty_graph_on
from tests.test_graph.test_extdata_agreement import CLASSES, EXAMPLE_OF, IS_A, _inverted

GOOD = "@prefix ex: <http://example.org/> .\nex:a a ex:C .\n"
BAD = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n'
SYNTAXES = {
    "data.nt": "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<http://example.org/C> .\n",
    "data.nq": "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<http://example.org/C> .\n",
    "data.rdf": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="http://example.org/a"><rdf:type rdf:resource="http://example.org/C"/>'
    "</rdf:Description></rdf:RDF>",
    "data.owl": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:owl="http://www.w3.org/2002/07/owl#"><owl:Class rdf:about="http://example.org/C"/>'
    '<owl:NamedIndividual rdf:about="http://example.org/a"><rdf:type rdf:resource="http://example.org/C"/>'
    "</owl:NamedIndividual></rdf:RDF>",
    "data.jsonld": '{"@id": "http://example.org/a", "@type": "http://example.org/C"}',
}
OWL_XML = (
    '<?xml version="1.0"?>\n<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://example.org/o">'
    '<Declaration><Class IRI="http://example.org/A"/></Declaration></Ontology>\n'
)


def endpoint_args(server: SparqlServer) -> list[str]:
    return server.arguments()


def triple_count(server: SparqlServer) -> int:
    return len(server.store(writable=False).snapshot()[0])


@pytest.mark.parametrize("name", sorted(SYNTAXES))
def test_every_rdf_syntax_loads_into_an_endpoint(
    empty_endpoint: SparqlServer, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(SYNTAXES[name])
    assert main(["load", str(path), *endpoint_args(empty_endpoint)]) == 0
    graph = KnowledgeGraph(empty_endpoint.store(writable=False).snapshot()[0])
    assert graph.prove_example_of("http://example.org/a", "http://example.org/C").holds


def test_owl_xml_is_refused_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ontology.owl"
    path.write_text(OWL_XML)
    assert main(["load", str(path), "--store", str(tmp_path / "store")]) == 2
    assert "this is OWL/XML, not RDF" in capsys.readouterr().err


def test_a_bad_file_leaves_the_endpoint_exactly_as_it_was(
    empty_endpoint: SparqlServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(GOOD)
    bad.write_text(BAD)
    assert main(["load", str(good), *endpoint_args(empty_endpoint)]) == 0
    before = (triple_count(empty_endpoint), read_revision(empty_endpoint.store(writable=False)))
    assert main(["load", *map(str, data_files()), str(bad), *endpoint_args(empty_endpoint)]) == 2
    assert f"{bad}:3:11: " in capsys.readouterr().err
    assert (
        triple_count(empty_endpoint),
        read_revision(empty_endpoint.store(writable=False)),
    ) == before


def test_an_import_that_would_make_a_cycle_is_refused_whole(
    empty_endpoint: SparqlServer, tmp_path: Path
) -> None:
    remote = empty_endpoint.store()
    import_into_endpoint(remote, data_files())
    cyclic = tmp_path / "cyclic.ttl"
    cyclic.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/aikg/concept/foundation-model> rdfs:subClassOf "
        "<https://w3id.org/aikg/concept/large-language-model> .\n"
        "<http://example.org/fine> rdfs:subClassOf <http://example.org/other> .\n"
    )
    before = triple_count(empty_endpoint)
    with pytest.raises(InvalidData, match="is-a cycle"):
        import_into_endpoint(remote, [cyclic])
    assert triple_count(empty_endpoint) == before


def test_loading_the_same_files_twice_adds_nothing(empty_endpoint: SparqlServer) -> None:
    """Nothing but the literals the server changed (Virtuoso's dates), which it lacks as written."""
    remote = empty_endpoint.store()
    first = import_into_endpoint(remote, data_files())
    again = import_into_endpoint(remote, data_files())
    assert first.added == first.triples > 1000
    if not first.changed:
        assert (again.added, again.triples, again.revision) == (0, first.triples, first.revision)
    else:
        assert empty_endpoint.kind == "virtuoso"
        assert again.added == len(first.changed) and again.revision == first.revision + 1


def test_an_import_reports_every_literal_the_server_changed(empty_endpoint: SparqlServer) -> None:
    """Oxigraph keeps every literal; Virtuoso keeps one of "2024"^^xsd:gYear and
    "2024-01"^^xsd:gYearMonth for both, and the import says which it changed."""
    first = import_into_endpoint(empty_endpoint.store(), data_files())
    held = empty_endpoint.store(writable=False).snapshot()[0]
    files = Store.from_files(data_files())
    assert len(held) == len(files) == first.triples
    if empty_endpoint.kind == "oxigraph":
        assert first.changed == ()
        return
    differing = set(files.triples()) - set(held.triples())
    assert {(c.subject, c.predicate, c.wrote) for c in first.changed} == differing
    for change in first.changed:
        (holds,) = change.holds
        assert change.predicate == "http://purl.org/dc/terms/issued"
        assert holds.value[:4] == change.wrote.value[:4] and holds.datatype != change.wrote.datatype
        assert "the server holds" in str(change)


def test_large_loads_show_a_progress_bar(
    tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("api.cli.PROGRESS_BYTES", 1)
    assert main(["load", *map(str, data_files()), "--store", str(tmp_path / "store")]) == 0
    err = capsys.readouterr().err
    total_kb = sum(p.stat().st_size for p in data_files()) / 1000
    done = re.search(r"loading .* ([\d.]+)/\1 (kB|MB)", err)  # the bar ends full: read = total
    assert done is not None, err
    shown_kb = float(done[1]) * (1000 if done[2] == "MB" else 1)
    assert abs(shown_kb - total_kb) <= 0.06 * (1000 if done[2] == "MB" else 1)


def _reference(paths: list[Path]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Ancestors and all types of every concept over the union of files, from SPARQL property
    paths."""
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    classes = {row["c"].value for row in store.query(CLASSES)}
    ancestors: dict[str, set[str]] = defaultdict(set)
    for row in store.query(IS_A):
        if not is_vocabulary(row["x"].value) and not is_vocabulary(row["y"].value):
            ancestors[row["x"].value].add(row["y"].value)
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.query(EXAMPLE_OF):
        if row["i"].value not in classes and not is_vocabulary(row["c"].value):
            types[row["i"].value].add(row["c"].value)
    return ancestors, types


@pytest.fixture(scope="module")
def union_reference() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    assert len(EXTDATA_FILES) >= 3
    return _reference([*data_files(), *EXTDATA_FILES])


@pytest.mark.parametrize("target", ["disk", *SERVERS])
def test_the_external_ontologies_import_beside_ours_with_answers_equal_to_sparql(
    target: str, request: pytest.FixtureRequest, tmp_path: Path, union_reference
) -> None:
    ancestors, types = union_reference
    if target == "disk":
        store = tmp_path / "store"
        assert main(["load", *map(str, data_files()), "--store", str(store)]) == 0
        assert main(["load", *map(str, EXTDATA_FILES), "--store", str(store)]) == 0
        graph = open_store(store)
    else:
        server = empty_graph_on(request, target)
        assert main(["load", *map(str, data_files()), *endpoint_args(server)]) == 0
        for path in EXTDATA_FILES:  # one import per file: each lands beside what is there
            assert main(["load", str(path), *endpoint_args(server)]) == 0
        graph = KnowledgeGraph(server.store(writable=False).snapshot()[0])
    descendants, examples = _inverted(ancestors), _inverted(types)
    checked = 0
    for concept in graph:
        if concept.kind is ConceptKind.CLASS:
            assert {c.iri for c in graph.ancestors(concept.iri)} == ancestors.get(
                concept.iri, set()
            ), concept.iri
            assert {c.iri for c in graph.descendants(concept.iri)} == descendants.get(
                concept.iri, set()
            )
            assert {c.iri for c in graph.examples(concept.iri)} == examples.get(concept.iri, set())
            checked += 1
        else:
            assert {c.iri for c in graph.all_types(concept.iri)} == types.get(concept.iri, set()), (
                concept.iri
            )
    assert checked > 1000
    assert graph.prove_is_a("GPT-4", "foundation model").holds
