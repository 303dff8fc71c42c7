"""Mappings to the Artificial Intelligence Ontology: every mapped IRI exists, and SSSOM export."""

from __future__ import annotations

import csv
import io

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from graph import KnowledgeGraph
from graph.explore.sssom import COLUMNS, sssom_lines
from graph.loading import load_files
from ontology import data_files
from tests.conftest import EXTDATA

AIO = "https://w3id.org/aio/"
MAPPING_PREDICATES = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
)


@pytest.fixture(scope="module")
def ours(bundled_by_rdflib: rdflib.Graph) -> rdflib.Graph:
    return bundled_by_rdflib


@pytest.fixture(scope="module")
def aio_classes() -> set[str]:
    aio = rdflib.Graph().parse(EXTDATA / "aio.ttl")
    return {str(c) for c in aio.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}


def mapping_triples(graph: rdflib.Graph) -> list[tuple[str, str, str]]:
    return sorted(
        (str(s), str(p), str(o)) for p in MAPPING_PREDICATES for s, o in graph.subject_objects(p)
    )


def test_the_ontology_maps_concepts_to_aio(ours) -> None:
    assert len(mapping_triples(ours)) >= 30


def test_every_mapped_aio_iri_is_a_class_declared_in_aio(ours, aio_classes) -> None:
    mapped = {o for _, _, o in mapping_triples(ours)}
    assert mapped, "no mappings found: the check below would pass on nothing"
    assert {iri for iri in mapped if iri.startswith(AIO)} - aio_classes == set()
    assert all(iri.startswith(AIO) for iri in mapped), "only AIO is mapped to so far"


def read_sssom(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    metadata = [line[2:] for line in text.splitlines() if line.startswith("#")]
    curie_map = {
        line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
        for line in metadata
        if line.startswith("  ")
    }
    assert any(line.startswith("mapping_set_id: ") for line in metadata)
    assert any(line.startswith("license: ") for line in metadata)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return curie_map, list(csv.DictReader(io.StringIO(body), delimiter="\t"))


def expand(curie: str, curie_map: dict[str, str]) -> str:
    prefix, _, local = curie.partition(":")
    return curie_map[prefix] + local


def test_sssom_export_holds_exactly_the_mapping_triples(bundled: KnowledgeGraph, ours) -> None:
    text = "".join(sssom_lines(bundled))
    curie_map, rows = read_sssom(text)
    assert list(rows[0]) == list(COLUMNS)
    exported = sorted(
        (
            expand(r["subject_id"], curie_map),
            expand(r["predicate_id"], curie_map),
            expand(r["object_id"], curie_map),
        )
        for r in rows
    )
    assert exported == mapping_triples(ours)
    assert all(
        r["mapping_justification"] == "semapv:ManualMappingCuration" and r["subject_label"]
        for r in rows
    )
    assert text == "".join(sssom_lines(bundled)), "the same graph gives the same bytes"


def test_sssom_names_the_aio_label_when_aio_is_loaded_too() -> None:
    both = load_files([*data_files(), EXTDATA / "aio.ttl"])
    _, rows = read_sssom("".join(sssom_lines(both)))
    llm = next(
        r
        for r in rows
        if r["subject_id"] == "aikg:large-language-model" and "exact" in r["predicate_id"]
    )
    assert llm["object_label"]


def test_aikg_export_format_sssom_writes_the_file(tmp_path) -> None:
    from api.cli import main

    target = tmp_path / "mappings.sssom.tsv"
    assert main(["export", "--format", "sssom", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8").splitlines()[0] == "# curie_map:"
