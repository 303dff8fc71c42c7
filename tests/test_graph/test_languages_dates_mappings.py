"""Labels by language, release dates with "as of" questions, and mappings to other vocabularies."""

from __future__ import annotations

import pytest

from graph import ConceptNotFound, InvalidArgument, KnowledgeGraph
from graph import vocabulary as V

SNIPPET = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix aio: <https://w3id.org/aio/> .
ex:LLM a owl:Class ;
    skos:prefLabel "large language model"@en, "großes Sprachmodell"@de, "大语言模型"@zh-Hans ;
    skos:altLabel "LLM"@en ;
    skos:definition "A model of language."@en, "Ein Sprachmodell."@de ;
    skos:exactMatch aio:LargeLanguageModel ;
    skos:broadMatch aio:Model .
ex:MM a owl:Class ; skos:prefLabel "multimodal model"@en ; skos:closeMatch aio:MultimodalModel .
ex:gpt3 a ex:LLM ; skos:prefLabel "GPT-3"@en ; dcterms:issued "2020"^^xsd:gYear .
ex:chatgpt a ex:LLM ; skos:prefLabel "ChatGPT"@en ; dcterms:issued "2022-11-30"^^xsd:date .
ex:gpt4 a ex:LLM, ex:MM ; skos:prefLabel "GPT-4"@en ; dcterms:issued "2023-03"^^xsd:gYearMonth .
ex:undated a ex:LLM ; skos:prefLabel "Undated"@en .
"""
LLM = "http://example.org/LLM"


@pytest.fixture
def graph(turtle_graph) -> KnowledgeGraph:
    return turtle_graph(SNIPPET)


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("de", "großes Sprachmodell"),
        ("DE-at", "großes Sprachmodell"),
        ("zh", "大语言模型"),
        ("zh-hans", "大语言模型"),
        ("fr", "large language model"),
        (None, "large language model"),
    ],
)
def test_a_label_in_a_language_falls_back_to_english(graph, lang, label) -> None:
    assert graph.label_in(LLM, lang) == label


def test_a_definition_in_a_language_falls_back_to_english(graph) -> None:
    assert graph.definition_in(LLM, "de") == "Ein Sprachmodell."
    assert graph.definition_in(LLM, "es") == "A model of language."


def test_translations_are_labels_not_alternative_labels(graph) -> None:
    llm = graph.get(LLM)
    assert llm.alt_labels == ("LLM",)
    assert ("de", "großes Sprachmodell") in graph.labels(LLM)


def test_any_language_label_finds_the_concept(graph) -> None:
    assert graph.resolve("GROSSES SPRACHMODELL").iri == LLM
    assert graph.resolve("大语言模型").iri == LLM


# --- release dates --------------------------------------------------------------------------


def released(graph: KnowledgeGraph, as_of: str) -> list[str]:
    return sorted(c.label for c in graph.examples(LLM, as_of=as_of))


def test_as_of_lists_what_was_released_by_then(graph) -> None:
    assert released(graph, "2022-12-31") == ["ChatGPT", "GPT-3"]
    assert graph.example_count(LLM, as_of="2022-12-31") == 2


def test_a_year_or_month_counts_as_released_at_its_end(graph) -> None:
    assert released(graph, "2020-06-30") == []  # GPT-3 is dated only "2020"
    assert released(graph, "2020") == ["GPT-3"]
    assert "GPT-4" not in released(graph, "2023-03-14") and "GPT-4" in released(graph, "2023-03")


def test_undated_examples_are_listed_without_as_of_and_never_with_it(graph) -> None:
    assert "Undated" in [c.label for c in graph.examples(LLM)]
    assert "Undated" not in released(graph, "2100")


def test_a_malformed_date_is_refused_with_the_expected_form(graph) -> None:
    with pytest.raises(InvalidArgument, match="like 2022-12-31"):
        graph.examples(LLM, as_of="31/12/2022")


def test_the_release_date_is_on_the_concept_as_written(graph) -> None:
    assert graph.resolve("GPT-4").released == "2023-03"


# --- mappings -------------------------------------------------------------------------------


def test_mappings_list_predicate_and_iri(graph) -> None:
    assert [(m.predicate, m.iri) for m in graph.mappings(LLM)] == [
        (V.SKOS + "broadMatch", "https://w3id.org/aio/Model"),
        (V.EXACT_MATCH, "https://w3id.org/aio/LargeLanguageModel"),
    ]


def test_an_exactly_or_closely_mapped_iri_finds_our_concept(graph) -> None:
    assert graph.resolve("https://w3id.org/aio/LargeLanguageModel").iri == LLM
    assert graph.resolve("https://w3id.org/aio/MultimodalModel").label == "multimodal model"


def test_a_broader_mapping_does_not_stand_for_our_concept(graph) -> None:
    with pytest.raises(ConceptNotFound):
        graph.resolve("https://w3id.org/aio/Model")
