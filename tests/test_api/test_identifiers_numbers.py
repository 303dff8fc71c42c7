"""Identifiers and model numbers through GraphQL, the HTML concept page and the MCP card."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.graphql.context import Context
from api.mcp.cards import card_markdown, concept_card
from graph import KnowledgeGraph
from tests.test_api.conftest import SCHEMA

MODEL = """\
@prefix aikgs: <https://w3id.org/aikg/schema/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:moe a skos:Concept ; skos:prefLabel "Big MoE"@en ;
    aikgs:parameterCount 671000000000 ;
    aikgs:activeParameterCount 37000000000 ;
    aikgs:contextLength 131072 ;
    aikgs:trainingTokens 14800000000000 ;
    aikgs:arxivId "2412.19437" .
ex:huge a skos:Concept ; skos:prefLabel "Huge context"@en ; aikgs:contextLength 3000000000 .
"""
QUERY = """query ($id: String!) { concept(id: $id) {
  parameters activeParameters contextLength trainingTokens identifiers { scheme value url } } }"""


@pytest.fixture
def model_graph(turtle_graph: Callable[[str], KnowledgeGraph]) -> KnowledgeGraph:
    return turtle_graph(MODEL)


def ask(graph: KnowledgeGraph, reference: str) -> tuple[dict | None, list[dict]]:
    result = SCHEMA.execute_sync(
        QUERY, variable_values={"id": reference}, context_value=Context(graph)
    )
    return result.data, [e.formatted for e in result.errors or []]


def test_counts_past_32_bits_come_back_whole_as_floats(model_graph: KnowledgeGraph) -> None:
    data, errors = ask(model_graph, "Big MoE")
    assert errors == []
    assert data == {
        "concept": {
            "parameters": 671_000_000_000.0,
            "activeParameters": 37_000_000_000.0,
            "contextLength": 131_072,
            "trainingTokens": 14_800_000_000_000.0,
            "identifiers": [
                {
                    "scheme": "arxiv",
                    "value": "2412.19437",
                    "url": "https://arxiv.org/abs/2412.19437",
                }
            ],
        }
    }


def test_a_context_length_past_graphql_int_is_an_error_not_a_wrong_number(
    model_graph: KnowledgeGraph,
) -> None:
    _, errors = ask(model_graph, "Huge context")
    assert len(errors) == 1 and errors[0]["path"] == ["concept", "contextLength"]
    assert "32-bit" in errors[0]["message"]


def test_unknown_numbers_are_null_and_a_concept_without_identifiers_has_an_empty_list(
    run,
) -> None:
    data, errors = run(QUERY, id="large language model")
    assert errors == []
    assert data["concept"] == {
        "parameters": None,
        "activeParameters": None,
        "contextLength": None,
        "trainingTokens": None,
        "identifiers": [],
    }


def test_the_bert_paper_has_its_checked_arxiv_id_and_doi(run) -> None:
    data, errors = run(QUERY, id="BERT paper")
    assert errors == []
    assert data["concept"]["identifiers"] == [
        {"scheme": "arxiv", "value": "1810.04805", "url": "https://arxiv.org/abs/1810.04805"},
        {
            "scheme": "doi",
            "value": "10.18653/v1/N19-1423",
            "url": "https://doi.org/10.18653/v1/N19-1423",
        },
    ]


def test_the_concept_page_links_identifiers_and_shows_exact_numbers(
    model_graph: KnowledgeGraph,
) -> None:
    page = TestClient(create_app(graph=model_graph)).get(
        "/concept/Big MoE", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    html = page.text
    assert 'arXiv <a href="https://arxiv.org/abs/2412.19437" rel="nofollow">2412.19437</a>' in html
    assert "<dt>Parameters</dt><dd>671,000,000,000</dd>" in html
    assert "<dt>Active parameters</dt><dd>37,000,000,000</dd>" in html
    assert "<dt>Context length</dt><dd>131,072</dd>" in html
    assert "<dt>Training tokens</dt><dd>14,800,000,000,000</dd>" in html


LLAMA_4_CARD = "https://github.com/meta-llama/llama-models/blob/main/models/llama4/MODEL_CARD.md"


@pytest.mark.parametrize(
    ("concept", "homepage"),
    [("OpenAI", "https://openai.com"), ("Llama 4 Scout", LLAMA_4_CARD)],
    ids=["organisation", "model"],
)
def test_an_organisation_or_model_homepage_is_a_url_identifier_its_concept_page_links(
    run, bundled: KnowledgeGraph, concept: str, homepage: str
) -> None:
    data, errors = run(QUERY, id=concept)
    assert errors == []
    assert {"scheme": "url", "value": homepage, "url": homepage} in data["concept"]["identifiers"]
    page = TestClient(create_app(graph=bundled)).get(
        f"/concept/{concept}", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    assert f'URL <a href="{homepage}" rel="nofollow">{homepage}</a>' in page.text


def test_the_mcp_card_carries_links_and_numbers(model_graph: KnowledgeGraph) -> None:
    card = concept_card(model_graph, model_graph.resolve("Big MoE"))
    assert [(link.scheme, link.value, link.url) for link in card.links] == [
        ("arxiv", "2412.19437", "https://arxiv.org/abs/2412.19437")
    ]
    assert card.numbers.parameters == 671_000_000_000
    text = card_markdown(card)
    assert (
        "Numbers: 671,000,000,000 parameters (37,000,000,000 active) · context 131,072 tokens"
        " · trained on 14,800,000,000,000 tokens" in text
    )
    assert "- **Links:** arxiv 2412.19437 <https://arxiv.org/abs/2412.19437>" in text
