"""The direct resolvers of the hottest fields answer exactly as strawberry's own resolvers do."""

from __future__ import annotations

import pytest

from api.graphql.context import Context
from api.graphql.direct import DIRECT
from api.graphql.schema import build_schema

WITH, WITHOUT = build_schema(), build_schema(direct=False)

QUERIES = [
    '{ concept(id: "GPT-4") { id label altLabels definition kind } }',
    '{ concept(id: "LLM") { de: label(lang: "de") zh: definition(lang: "zh") } }',
    '{ concept(id: "no such thing") { id } }',
    '{ isA(subject: "GPT-4", object: "foundation model") { holds path { subject { label } predicate object { id } } } }',
    '{ isA(subject: "GPT-4", object: "organisation") { holds path { predicate } } }',
    '{ isA(subject: "GTP-4", object: "foundation model") { holds } }',
    '{ exampleOf(subject: "Whisper", object: "audio model") { holds path { predicateLabel } } }',
    '{ exampleOf(subject: "LLM", object: "foundation model") { holds path { predicateLabel } } }',
]


def test_every_direct_resolver_is_exercised_below() -> None:
    fields = {"concept", "isA", "exampleOf", "label", "definition", "path"}
    assert {field for _, field in DIRECT} == fields
    assert all(any(field in query for query in QUERIES) for field in fields)


@pytest.mark.parametrize("query", QUERIES)
def test_direct_and_strawberry_resolvers_give_the_same_response(bundled, query: str) -> None:
    fast = WITH.execute_sync(query, context_value=Context(bundled))
    slow = WITHOUT.execute_sync(query, context_value=Context(bundled))
    assert fast.data == slow.data
    assert [e.formatted for e in fast.errors or []] == [e.formatted for e in slow.errors or []]


def test_is_a_names_llama_by_its_preferred_label_as_written(bundled) -> None:
    query = '{ isA(subject: "LLaMA", object: "large language model") { holds path { subject { id } } } }'
    result = WITH.execute_sync(query, context_value=Context(bundled))
    assert result.errors is None
    assert result.data["isA"]["holds"] is True
    assert result.data["isA"]["path"][0]["subject"]["id"] == "llama-1"
