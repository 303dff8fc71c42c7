"""Naming a concept: id, IRI, CURIE or any label, case-insensitively; clear errors otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import AmbiguousConcept, ConceptNotFound
from graph.find.lookup import LayeredSorted
from graph.index.mapped import StringColumn

SNIPPET = """
ex:Model a owl:Class ; skos:prefLabel "AI model"@en .
ex:LLM a owl:Class ; rdfs:subClassOf ex:Model ;
    skos:prefLabel "large language model"@en, "großes Sprachmodell"@de ;
    skos:altLabel "LLM"@en, "large language models"@en .
ex:gpt4 a ex:LLM ; skos:prefLabel "GPT-4"@en .
ex:mercury1 a ex:Model ; skos:prefLabel "Mercury"@en .
ex:mercury2 a ex:Model ; skos:prefLabel "Mercury"@en .
ex:planet a owl:Class ; skos:prefLabel "planet"@en ; skos:altLabel "GPT-4"@en .
"""


@pytest.fixture
def graph(turtle_graph):
    return turtle_graph(SNIPPET)


@pytest.mark.parametrize(
    "reference",
    [
        "http://example.org/LLM",
        "ex:LLM",
        "LARGE LANGUAGE MODEL",
        "llm",
        "Large  Language Models",
        "großes sprachmodell",
    ],
)
def test_every_way_of_naming_a_concept_finds_it(graph, reference: str) -> None:
    assert graph.resolve(reference).iri == "http://example.org/LLM"


def test_a_preferred_label_wins_over_another_concepts_alternative_label(graph) -> None:
    assert graph.resolve("gpt-4").iri == "http://example.org/gpt4"


def test_an_unknown_reference_suggests_close_labels(graph) -> None:
    with pytest.raises(ConceptNotFound) as raised:
        graph.resolve("GTP-4")
    assert "GPT-4" in raised.value.suggestions
    assert "Did you mean: GPT-4" in str(raised.value)


def test_find_returns_none_for_an_unknown_reference(graph) -> None:
    assert graph.find("no such thing") is None


@pytest.mark.parametrize("reference", ["Mercury", "mercury"])
def test_an_ambiguous_label_lists_every_candidate(graph, reference: str) -> None:
    # "Mercury" ties at the tier of labels as written, "mercury" at the case-folded one.
    with pytest.raises(AmbiguousConcept) as raised:
        graph.resolve(reference)
    assert set(raised.value.candidates) == {"Mercury (ex:mercury1)", "Mercury (ex:mercury2)"}


def test_search_ranks_exact_then_prefix_then_fuzzy(graph) -> None:
    assert next(c.label for c in graph.search("large language model", 3)) == "large language model"
    assert graph.search("GPT", 1)[0].label == "GPT-4"
    assert graph.search("lage langauge model", 1)[0].label == "large language model"


def test_concepts_page_through_in_a_stable_order(graph) -> None:
    first = graph.concepts(first=2)
    second = graph.concepts(first=10, after=first.end_cursor)
    assert first.total_count == 6 and first.has_next_page
    assert [c.iri for c in first.items + second.items] == sorted(c.iri for c in graph)
    assert not second.has_next_page


FAMILY_AND_MODEL = """
ex:Model a owl:Class ; skos:prefLabel "AI model"@en .
ex:Family a owl:Class ; skos:prefLabel "model family"@en .
ex:llama a ex:Family ; skos:prefLabel "Llama"@en .
ex:llama1 a ex:Model ; skos:prefLabel "LLaMA"@en .
"""


@pytest.mark.parametrize(
    ("reference", "expected"), [("LLaMA", "llama1"), ("Llama", "llama"), (" LLaMA ", "llama1")]
)
def test_a_preferred_label_as_written_wins_over_a_case_folded_match(
    turtle_graph, reference: str, expected: str
) -> None:
    graph = turtle_graph(FAMILY_AND_MODEL)
    assert graph.resolve(reference).iri == "http://example.org/" + expected


def test_labels_equal_only_when_folded_are_ambiguous_with_every_candidate(turtle_graph) -> None:
    graph = turtle_graph(FAMILY_AND_MODEL)
    with pytest.raises(AmbiguousConcept) as raised:
        graph.resolve("LLAMA")
    assert set(raised.value.candidates) == {"Llama (ex:llama)", "LLaMA (ex:llama1)"}


def test_llama_as_written_is_the_first_series_whose_models_are_large_language_models(
    bundled,
) -> None:
    assert bundled.resolve("LLaMA").id == "llama-1"
    assert bundled.is_a("LLaMA", "model family")
    assert bundled.is_a("LLaMA 7B", "large language model")


def test_of_two_concepts_with_the_label_as_written_the_one_with_that_id_wins(turtle_graph) -> None:
    graph = turtle_graph(
        "@prefix aikg: <https://w3id.org/aikg/concept/> .\n"
        'aikg:gpt-4 a owl:NamedIndividual ; skos:prefLabel "GPT-4"@en .\n'
        'ex:gpt4 a owl:NamedIndividual ; skos:prefLabel "GPT-4"@en .\n'
    )
    assert graph.resolve("GPT-4").iri == "https://w3id.org/aikg/concept/gpt-4"


MERGED = """\
@prefix aikg: <https://w3id.org/aikg/concept/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
aikg:temperature a owl:NamedIndividual ; skos:prefLabel "temperature"@en ;
    dcterms:replaces aikg:temperature-sampling .
ex:other a owl:NamedIndividual ; skos:prefLabel "temperature-sampling"@en .
"""


@pytest.mark.parametrize(
    "reference",
    [
        "https://w3id.org/aikg/concept/temperature-sampling",
        "aikg:temperature-sampling",
        "temperature-sampling",
    ],
)
def test_the_old_iri_of_a_merged_concept_names_the_concept_that_replaced_it(
    turtle_graph, reference: str
) -> None:
    # The old IRI, CURIE or id is tried before labels: it still means what it meant.
    graph = turtle_graph(MERGED)
    assert graph.resolve(reference).iri == "https://w3id.org/aikg/concept/temperature"


def test_a_replaced_iri_is_not_a_concept_of_its_own(turtle_graph) -> None:
    graph = turtle_graph(MERGED)
    assert graph.find_iri("https://w3id.org/aikg/concept/temperature-sampling") is None
    assert "temperature-sampling" not in {c.id for c in graph}


WORDS = st.text(alphabet="abcé ", max_size=4)


@settings(max_examples=200, deadline=None)
@given(
    base=st.sets(WORDS),
    edits=st.lists(st.tuples(st.booleans(), st.lists(WORDS, max_size=3)), max_size=6),
    mapped=st.booleans(),
    start=WORDS,
)
def test_a_layered_sorted_collection_reads_as_the_sorted_set_its_edits_leave(
    base: set[str], edits: list[tuple[bool, list[str]]], mapped: bool, start: str
) -> None:
    column: list[str] | StringColumn = sorted(base)
    layered = LayeredSorted(StringColumn.packed(column) if mapped else column)
    expected = set(base)
    for adding, items in edits:
        layered = layered.changed(added=items) if adding else layered.changed(removed=items)
        expected = expected | set(items) if adding else expected - set(items)
    assert list(layered) == sorted(expected) == list(layered.folded())
    assert len(layered) == len(expected)
    assert list(layered.starting_at(start)) == [item for item in sorted(expected) if item >= start]
    assert all(item in layered for item in expected) and "zz" not in layered
