"""The ontology's identifiers and model numbers agree with their records and with each other.

A record in ``ontology/checks`` (``identifiers-numbers-2026-12-04.tsv``, or a topic's
``breadth-*.tsv``) names, for every identifier and number, the stored page it was checked on
(``test_fact_records`` holds every record's rows to the ontology); ``identifiers-
unverified-2026-12-04.tsv`` lists every publication left without one. Neither may drift from the
ontology.
"""

from __future__ import annotations

import rdflib

from graph import KnowledgeGraph
from graph import vocabulary as V
from graph.quality.checks import arxiv_month_problems
from tests.test_ontology.records import CHECKS, as_record, curie, fact_records, read_rows

UNVERIFIED = CHECKS / "identifiers-unverified-2026-12-04.tsv"
RECORDED = (
    *V.IDENTIFIER_PREDICATES.values(),
    V.PARAMETER_COUNT,
    V.ACTIVE_PARAMETER_COUNT,
    V.CONTEXT_LENGTH,
    V.TRAINING_TOKENS,
)
AIKG = rdflib.Namespace(V.CONCEPT_NS)
AIKGS = rdflib.Namespace(V.SCHEMA_NS)
#: The marker that starts a note explaining a model's missing parameter count.
PARAMETER_NOTE = "Parameter count:"
#: The marker that starts a note explaining a mixture of experts' missing active parameters.
ACTIVE_NOTE = "Active parameters:"


def test_every_identifier_and_number_has_its_checked_page_and_every_record_is_in_the_ontology(
    bundled_by_rdflib: rdflib.Graph,
) -> None:
    in_ontology = {
        as_record(s, rdflib.URIRef(p), o)
        for p in RECORDED
        for s, o in bundled_by_rdflib.subject_objects(rdflib.URIRef(p))
    }
    recorded = {
        (r["concept"], r["property"], r["value"])
        for path in fact_records()
        for r in read_rows(path)
    }
    assert in_ontology - recorded == set(), "facts without a checked page in a record"


def test_every_publication_has_an_identifier_or_is_listed_as_unverified(
    bundled: KnowledgeGraph,
) -> None:
    publications = bundled.examples(V.CONCEPT_NS + "publication", transitive=True)
    without = {curie(p.iri) for p in publications if not bundled.identifiers(p.iri)}
    listed = [r["concept"] for r in read_rows(UNVERIFIED)]
    assert len(listed) == len(set(listed))
    assert set(listed) == without


def test_an_arxiv_id_agrees_with_the_year_and_month_the_paper_was_issued(
    bundled: KnowledgeGraph, bundled_by_rdflib: rdflib.Graph
) -> None:
    assert list(arxiv_month_problems(bundled.index, bundled.store)) == []
    assert len(set(bundled_by_rdflib.subject_objects(AIKGS.arxivId))) >= 60  # ids were checked


def test_every_open_weight_model_has_a_parameter_count_or_a_note_saying_why_not(
    bundled: KnowledgeGraph, bundled_by_rdflib: rdflib.Graph
) -> None:
    models = bundled.examples(V.CONCEPT_NS + "open-source-foundation-model", transitive=True)
    assert len(models) >= 50
    lacking = [
        m.id
        for m in models
        if bundled.model_numbers(m.iri).parameters is None
        and not any(
            str(note).startswith(PARAMETER_NOTE)
            for note in bundled_by_rdflib.objects(rdflib.URIRef(m.iri), rdflib.SKOS.note)
        )
    ]
    assert lacking == []


def test_a_mixture_of_experts_with_a_parameter_count_has_its_active_parameters_or_says_why_not(
    bundled: KnowledgeGraph, bundled_by_rdflib: rdflib.Graph
) -> None:
    models = bundled.examples(V.CONCEPT_NS + "mixture-of-experts-based-model", transitive=True)
    counted = [m for m in models if bundled.model_numbers(m.iri).parameters is not None]
    assert len(counted) >= 10
    lacking = []
    for model in counted:
        numbers = bundled.model_numbers(model.iri)
        if numbers.active_parameters is not None:
            assert numbers.parameters is not None
            assert numbers.active_parameters < numbers.parameters, model.id
        elif not any(
            str(note).startswith(ACTIVE_NOTE)
            for note in bundled_by_rdflib.objects(rdflib.URIRef(model.iri), rdflib.SKOS.note)
        ):
            lacking.append(model.id)
    assert lacking == []
