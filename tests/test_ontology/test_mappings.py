"""Mappings to the Artificial Intelligence Ontology and to Papers with Code's methods: every
mapped IRI exists in its source file, AIO's coverage, the reviewed Papers with Code pairs, the
figures README quotes, and the SSSOM export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph import KnowledgeGraph
from graph.explore.sssom import COLUMNS, sssom_lines
from graph.loading import load_files
from ontology import data_files
from tests.conftest import EXTDATA

REPO = Path(__file__).resolve().parents[2]
AIO = "https://w3id.org/aio/"
PWC_METHOD = "https://paperswithcode.com/method/"
#: AIO's branches left out of the coverage figure: Keras's layer classes and kinds of bias.
AIO_BRANCHES_LEFT_OUT = (AIO + "Layer", AIO + "Bias")
#: The predicates that count a class as mapped (exact, close, broad or narrow; not related).
COUNTED_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
MAPPING_PREDICATES = (*COUNTED_PREDICATES, SKOS.relatedMatch)
AIO_COVERAGE_FLOOR = 0.30
PWC_REVIEW = REPO / "ontology" / "checks" / "mappings-pwc-2026-12-04.tsv"


@pytest.fixture(scope="module")
def ours(bundled_by_rdflib: rdflib.Graph) -> rdflib.Graph:
    return bundled_by_rdflib


@pytest.fixture(scope="module")
def aio() -> rdflib.Graph:
    return rdflib.Graph().parse(EXTDATA / "aio.ttl")


@pytest.fixture(scope="module")
def aio_classes(aio) -> set[str]:
    return named_classes(aio)


@pytest.fixture(scope="module")
def pwc_methods() -> set[str]:
    pwc = rdflib.Graph().parse(EXTDATA / "pwc_methods.ttl")
    return {
        str(m) for m in pwc.subjects(RDF.type, OWL.NamedIndividual) if str(m).startswith(PWC_METHOD)
    }


def named_classes(aio: rdflib.Graph) -> set[str]:
    """The IRIs AIO declares as OWL classes."""
    return {str(c) for c in aio.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}


def aio_classes_in_scope(aio: rdflib.Graph) -> set[str]:
    """AIO's classes outside its Keras-layer and bias branches (each root and every class under
    it through named rdfs:subClassOf edges)."""
    below: dict[str, set[str]] = {}
    for child, parent in aio.subject_objects(RDFS.subClassOf):
        if isinstance(child, rdflib.URIRef) and isinstance(parent, rdflib.URIRef):
            below.setdefault(str(parent), set()).add(str(child))
    left_out, todo = set(AIO_BRANCHES_LEFT_OUT), list(AIO_BRANCHES_LEFT_OUT)
    while todo:
        for child in below.get(todo.pop(), ()):
            if child not in left_out:
                left_out.add(child)
                todo.append(child)
    return named_classes(aio) - left_out


def mapped_aio_classes(ours: rdflib.Graph) -> set[str]:
    """The AIO classes one of our concepts maps to exactly, closely, broadly or narrowly."""
    return {
        str(o) for p in COUNTED_PREDICATES for o in ours.objects(None, p) if str(o).startswith(AIO)
    }


def mapped_pwc_methods(ours: rdflib.Graph) -> set[str]:
    """The Papers with Code methods one of our concepts maps to (same predicates)."""
    return {
        str(o)
        for p in COUNTED_PREDICATES
        for o in ours.objects(None, p)
        if str(o).startswith(PWC_METHOD)
    }


def mapping_triples(graph: rdflib.Graph) -> list[tuple[str, str, str]]:
    return sorted(
        (str(s), str(p), str(o)) for p in MAPPING_PREDICATES for s, o in graph.subject_objects(p)
    )


def test_the_ontology_maps_concepts_to_aio(ours) -> None:
    assert len(mapping_triples(ours)) >= 30


def test_every_mapped_iri_exists_in_its_source_file(ours, aio_classes, pwc_methods) -> None:
    mapped = {o for _, _, o in mapping_triples(ours)}
    to_aio = {iri for iri in mapped if iri.startswith(AIO)}
    to_pwc = {iri for iri in mapped if iri.startswith(PWC_METHOD)}
    assert to_aio and to_pwc, "no mappings found: the checks below would pass on nothing"
    assert to_aio - aio_classes == set(), "mapped to classes aio.ttl does not declare"
    assert to_pwc - pwc_methods == set(), "mapped to methods pwc_methods.ttl does not hold"
    assert mapped == to_aio | to_pwc, "only AIO and Papers with Code's methods are mapped to"


def test_the_scope_leaves_out_the_layer_and_bias_branches_only(aio) -> None:
    scope = aio_classes_in_scope(aio)
    deep_under_layer, deep_under_bias = AIO + "MaxPooling2DLayer", AIO + "ConfirmationBias"
    assert {deep_under_layer, deep_under_bias} <= named_classes(aio)
    assert AIO + "LargeLanguageModel" in scope and AIO + "ReLUFunction" in scope
    assert AIO + "Layer" not in scope and AIO + "Bias" not in scope
    assert deep_under_layer not in scope, "a class two levels under Layer is left out"
    assert deep_under_bias not in scope, "a class two levels under Bias is left out"
    assert len(scope) == 213, "aio.ttl release 2026-07-22: 442 classes, 229 of them left out"


def test_at_least_30_percent_of_aio_outside_layers_and_bias_is_mapped(ours, aio) -> None:
    scope = aio_classes_in_scope(aio)
    covered = mapped_aio_classes(ours) & scope
    assert len(covered) / len(scope) >= AIO_COVERAGE_FLOOR, (
        f"{len(covered)} of {len(scope)} AIO classes mapped"
    )


def read_pwc_review() -> list[dict[str, str]]:
    with PWC_REVIEW.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_reviewed_papers_with_code_pair_is_decided_as_the_ontology_says(ours) -> None:
    rows = read_pwc_review()
    assert rows and {r["decision"] for r in rows} >= {"not mapped"}
    aikg, pwcm = "https://w3id.org/aikg/concept/", PWC_METHOD
    in_ontology = {(s, p, o) for s, p, o in mapping_triples(ours) if o.startswith(PWC_METHOD)}
    decided = set()
    for row in rows:
        subject = aikg + row["concept"].removeprefix("aikg:")
        method = pwcm + row["pwc_method"].removeprefix("pwcm:")
        assert row["why"], f"{row['concept']} / {row['pwc_method']}: no reason given"
        if row["decision"].startswith("mapped skos:"):
            predicate = str(SKOS) + row["decision"].removeprefix("mapped skos:")
            decided.add((subject, predicate, method))
        else:
            assert row["decision"] == "not mapped"
            assert not any(s == subject and o == method for s, _, o in in_ontology)
    assert decided == in_ontology, "the review file and the ontology's mappings differ"


def readme_text() -> str:
    return " ".join((REPO / "README.md").read_text(encoding="utf-8").split())


def test_the_readme_quotes_the_mapping_figures(ours, aio) -> None:
    scope = aio_classes_in_scope(aio)
    covered = mapped_aio_classes(ours) & scope
    match = re.search(
        r"maps (\d+) of the (\d+) classes of AIO outside its Keras-layer and bias branches "
        r"\((\d+)%\) and (\d+) Papers with Code methods",
        readme_text(),
    )
    assert match, "README should quote the mapping figures"
    assert tuple(int(n) for n in match.groups()) == (
        len(covered),
        len(scope),
        round(100 * len(covered) / len(scope)),
        len(mapped_pwc_methods(ours)),
    ), "README: mapping figures are stale"


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


def test_sssom_export_holds_both_vocabularies_under_their_prefixes(bundled: KnowledgeGraph) -> None:
    curie_map, rows = read_sssom("".join(sssom_lines(bundled)))
    assert curie_map["aio"] == AIO and curie_map["pwcm"] == PWC_METHOD
    assert {r["object_id"].split(":", 1)[0] for r in rows} == {"aio", "pwcm"}
    assert {"subject_id": "aikg:relu", "object_id": "pwcm:relu"}.items() <= next(
        r for r in rows if r["object_id"] == "pwcm:relu"
    ).items()


def test_sssom_names_the_target_labels_when_aio_and_papers_with_code_are_loaded_too() -> None:
    loaded = load_files([*data_files(), EXTDATA / "aio.ttl", EXTDATA / "pwc_methods.ttl"])
    _, rows = read_sssom("".join(sssom_lines(loaded)))
    llm = next(
        r
        for r in rows
        if r["subject_id"] == "aikg:large-language-model" and "exact" in r["predicate_id"]
    )
    assert llm["object_label"]
    relu = next(r for r in rows if r["object_id"] == "pwcm:relu")
    assert relu["object_label"] == "ReLU"


def test_aikg_export_format_sssom_writes_the_file(tmp_path) -> None:
    from api.cli import main

    target = tmp_path / "mappings.sssom.tsv"
    assert main(["export", "--format", "sssom", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8").splitlines()[0] == "# curie_map:"
