"""The SKOS view of the export: what skosify (the checker Skosmos publishers run) reads from
it, and that loading the export back changes no concept, is-a answer or relation."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import skosify
from rdflib import RDF, RDFS, SKOS, URIRef

from graph import KnowledgeGraph
from graph.explore.skos import SCHEME, turtle_export
from graph.loading import load_files


@pytest.fixture(scope="module")
def exported(bundled: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("skos") / "aikg.ttl"
    path.write_text("".join(turtle_export(bundled)), encoding="utf-8")
    return path


def roots(graph: KnowledgeGraph) -> set[str]:
    """Concepts with no parent kind and no kind they are an example of."""
    return {c.iri for c in graph if not graph.parents(c.iri, 1) and not graph.types(c.iri, 1)}


def test_skosify_reads_the_export_without_a_warning_and_only_the_roots_on_top(
    exported: Path, bundled: KnowledgeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        vocabulary = skosify.skosify(str(exported), from_format="turtle")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    tops = {str(t) for t in vocabulary.objects(URIRef(SCHEME), SKOS.hasTopConcept)}
    assert tops == roots(bundled)
    assert URIRef("https://w3id.org/aikg/concept/ai-model") in {URIRef(t) for t in tops}
    assert 10 < len(tops) < 100  # a hierarchy, not 740 loose concepts


def test_every_is_a_and_example_of_edge_is_broader_and_every_concept_in_the_scheme(
    exported: Path, bundled_by_rdflib, bundled: KnowledgeGraph
) -> None:
    from rdflib import Graph

    graph = Graph().parse(exported, format="turtle")
    concepts = {URIRef(c.iri) for c in bundled}
    assert set(graph.subjects(SKOS.inScheme, URIRef(SCHEME))) == concepts
    assert (URIRef(SCHEME), RDF.type, SKOS.ConceptScheme) in graph
    assert graph.value(URIRef(SCHEME), SKOS.prefLabel) is not None
    for predicate in (RDFS.subClassOf, RDF.type):
        for child, parent in bundled_by_rdflib.subject_objects(predicate):
            if child in concepts and parent in concepts:
                assert (child, SKOS.broader, parent) in graph
                assert (parent, SKOS.narrower, child) in graph


def test_loading_the_export_back_gives_the_same_concepts_is_a_and_relations(
    exported: Path, bundled: KnowledgeGraph
) -> None:
    reloaded = load_files([exported])
    assert [c.iri for c in reloaded] == [c.iri for c in bundled]
    assert [c.kind for c in reloaded] == [c.kind for c in bundled]
    for concept in bundled:
        assert reloaded.parents(concept.iri) == bundled.parents(concept.iri)
        assert reloaded.types(concept.iri) == bundled.types(concept.iri)
        assert reloaded.relations(concept.iri) == bundled.relations(concept.iri)
    assert reloaded.is_a("GPT-4", "foundation model")
    assert not reloaded.is_a("foundation model", "GPT-4")
    hierarchy = {str(SKOS.broader), str(SKOS.narrower), str(SKOS.topConceptOf)}
    assert not any(e.predicate in hierarchy for c in reloaded for e in reloaded.relations(c.iri))
