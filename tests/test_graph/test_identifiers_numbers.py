"""A concept's identifiers with their addresses, and a model's published numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph import InvalidData, KnowledgeGraph
from graph.model import ConceptOrder, Identifier, ModelNumbers

SNIPPET = """\
@prefix aikgs: <https://w3id.org/aikg/schema/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:paper a skos:Concept ; skos:prefLabel "A paper"@en ;
    aikgs:url "https://example.org/paper"^^xsd:anyURI ;
    aikgs:wikidataId "Q42" ;
    aikgs:doi "10.18653/v1/N19-1423" ;
    aikgs:arxivId "1810.04805", "arXiv:1706.03762" .
ex:model a skos:Concept ; skos:prefLabel "A model"@en ;
    aikgs:parameterCount 46700000000 ;
    aikgs:activeParameterCount 12900000000 ;
    aikgs:contextLength 32768 .
ex:plain a skos:Concept ; skos:prefLabel "Plain"@en .
"""


@pytest.fixture
def graph(turtle_graph: Callable[[str], KnowledgeGraph]) -> KnowledgeGraph:
    return turtle_graph(SNIPPET)


def test_identifiers_come_by_scheme_then_value_each_with_its_address(graph: KnowledgeGraph) -> None:
    assert graph.identifiers("http://example.org/paper") == [
        Identifier("arxiv", "1810.04805", "https://arxiv.org/abs/1810.04805"),
        Identifier("arxiv", "arXiv:1706.03762", None),  # not the scheme's form: no address
        Identifier("doi", "10.18653/v1/N19-1423", "https://doi.org/10.18653/v1/N19-1423"),
        Identifier("url", "https://example.org/paper", "https://example.org/paper"),
        Identifier("wikidata", "Q42", "https://www.wikidata.org/wiki/Q42"),
    ]


def test_a_concept_without_identifiers_has_none(graph: KnowledgeGraph) -> None:
    assert graph.identifiers("http://example.org/plain") == []


def test_a_model_has_the_numbers_the_graph_holds_and_none_for_the_others(
    graph: KnowledgeGraph,
) -> None:
    assert graph.model_numbers("http://example.org/model") == ModelNumbers(
        parameters=46_700_000_000, active_parameters=12_900_000_000, context_length=32_768
    )
    assert graph.model_numbers("http://example.org/plain") == ModelNumbers()


@pytest.mark.parametrize(
    "value", ['"about 7B"', '"7000000000"^^xsd:decimal', "<http://example.org/seven>"]
)
def test_a_number_that_is_not_an_integer_is_an_error_naming_concept_and_property(
    turtle_graph: Callable[[str], KnowledgeGraph], value: str
) -> None:
    graph = turtle_graph(SNIPPET + f"ex:odd a skos:Concept ; aikgs:parameterCount {value} .\n")
    with pytest.raises(InvalidData, match="parameterCount") as raised:
        graph.model_numbers("http://example.org/odd")
    assert "http://example.org/odd" in str(raised.value)
    with pytest.raises(InvalidData, match="parameterCount") as listed:  # the same reader
        graph.concepts(order=ConceptOrder.PARAMETERS_DESC)
    assert str(listed.value) == str(raised.value)


def test_two_different_counts_of_one_kind_are_an_error(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    graph = turtle_graph(SNIPPET + "ex:model aikgs:contextLength 8192 .\n")
    with pytest.raises(InvalidData, match="two values"):
        graph.model_numbers("http://example.org/model")
