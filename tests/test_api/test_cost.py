"""The static cost of a query (api/graphql/cost.py) and the cost limit, over the real schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from graphql import parse

from api.app import create_app
from api.graphql.cost import LIST_SIZES, query_cost
from api.graphql.limits import Limits
from api.graphql.schema import build_schema
from benchmarks.flood import HEAVY_QUERY, OVER_COST_QUERY
from graph import KnowledgeGraph

REPO = Path(__file__).resolve().parents[2]
SCHEMA = build_schema()._schema
LIMIT = Limits().max_cost
EXPLORER_VARIABLES = {
    "id": "x",
    "nodes": 60,
    "text": "a",
    "subject": "a",
    "object": "b",
    "from": "a",
    "to": "b",
    "first": 100,  # the page of examples listed through sub-kinds
    "offset": 0,
    "after": None,
}
#: Issue 19's second query: 25 aliases of descendants → examples → relations → descendants.
NESTED_QUERY = (
    "{ "
    + " ".join(
        f'a{i}: concept(id: "LLM") {{ descendants {{ examples {{ relations {{ '
        "object { descendants { id } } } } } }"
        for i in range(25)
    )
    + " }"
)


def _readme_queries() -> list[str]:
    queries = []
    for block in re.findall(r"```graphql\n(.*?)```", (REPO / "README.md").read_text(), re.DOTALL):
        lines = [line for line in block.splitlines() if not line.lstrip().startswith("#")]
        text = "\n".join(lines)
        whole = len(parse(text).definitions) == 1
        queries += [text] if whole else [line for line in lines if line.strip()]
    return queries


def _explorer_queries() -> list[str]:
    source = (REPO / "api/static/explorer.js").read_text()
    constants = dict(re.findall(r'const (\w+) = "([^"]*)";', source))
    return [
        re.sub(r"\$\{(\w+)\}", lambda match: constants[match.group(1)], query)
        for query in re.findall(r"const \w+_QUERY = `(.*?)`;", source, re.DOTALL)
    ]


def _cost(query: str, variables: dict[str, object] | None = None) -> int | None:
    return query_cost(SCHEMA, parse(query), variables)


def test_the_lists_of_examples_are_not_empty() -> None:
    assert len(_readme_queries()) >= 7 and len(_explorer_queries()) == 8


@pytest.mark.parametrize("query", _readme_queries() + _explorer_queries())
def test_every_readme_and_explorer_query_costs_under_half_the_default_limit(query: str) -> None:
    cost = _cost(query, EXPLORER_VARIABLES)
    assert cost is not None and cost <= LIMIT // 2, cost


@pytest.mark.parametrize(
    ("query", "cost"), [(OVER_COST_QUERY, 25_025_025_025_025), (NESTED_QUERY, 2_550_252_525)]
)
def test_the_abusive_queries_of_issue_19_cost_far_over_the_default_limit(
    query: str, cost: int
) -> None:
    assert _cost(query) == cost > LIMIT


def test_the_costliest_query_of_the_flood_is_admitted() -> None:
    assert _cost(HEAVY_QUERY) == 30_030 <= LIMIT


def test_aliases_add_up_and_fragments_count_where_spread() -> None:
    one = '{ concept(id: "x") { children(first: 5) { id } } }'
    assert _cost(one) == 6
    two = (
        '{ a: concept(id: "x") { children(first: 5) { id } } '
        'b: concept(id: "y") { children(first: 5) { id } } }'
    )
    assert _cost(two) == 12
    spread = (
        "fragment F on Concept { children(first: 5) { id } } "
        + '{ concept(id: "x") { ...F ancestors(first: 2) { ...F } } }'
    )
    assert _cost(spread) == 1 + 5 + 2 + 2 * 5


def test_variables_defaults_and_skip_are_read() -> None:
    query = (
        'query($n: Int = 3, $no: Boolean!) { concept(id: "x") { '
        "children(first: $n) { id } parents @skip(if: $no) { id } } }"
    )
    assert _cost(query, {"no": True}) == 1 + 3
    assert _cost(query, {"n": 10, "no": False}) == 1 + 10 + 100


def test_filtered_relations_cost_their_page_and_facts_a_fixed_bound() -> None:
    """A predicate or direction only narrows the page: the bound stays ``first``."""
    filtered = """{ concept(id: "x") {
        relations(predicate: "developed by", direction: IN, first: 7) { other { id } } } }"""
    assert _cost(filtered) == 1 + 7 + 7
    assert _cost('{ concept(id: "x") { relations { other { id } } } }') == 1 + 100 + 100
    assert _cost('{ concept(id: "x") { facts { value } } }') == 1 + LIST_SIZES["Concept.facts"]


def test_a_fragment_bomb_is_costed_at_once() -> None:
    fragments = "fragment F0 on Concept { id } " + " ".join(
        f"fragment F{i} on Concept {{ children(first: 1000) {{ ...F{i - 1} }} "
        f"parents(first: 1000) {{ ...F{i - 1} }} }}"
        for i in range(1, 10)
    )
    assert _cost(fragments + ' { concept(id: "x") { ...F9 } }') > 10**27


@pytest.fixture(scope="module")
def client(bundled: KnowledgeGraph) -> TestClient:
    return TestClient(create_app(graph=bundled))


def test_a_query_over_the_limit_is_refused_readably_before_it_runs(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": OVER_COST_QUERY}).json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert "25,025,025,025,025 objects; the limit is 50,000" in error["message"]  # not masked
    assert error["extensions"] == {
        "code": "LIMIT_EXCEEDED",
        "limit": "max_cost",
        "value": LIMIT,
        "cost": 25_025_025_025_025,
    }


def test_an_accepted_query_reports_its_cost(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": "{ concepts(first: 3) { nodes { id } } }"}).json()
    assert len(body["data"]["concepts"]["nodes"]) == 3
    assert body["extensions"]["cost"] == 4


def test_a_costly_query_runs_in_a_slot_and_answers_the_same(client: TestClient) -> None:
    query = "{ concepts(first: 300) { nodes { id label } } }"  # cost 301: over the inline cost
    body = client.post("/graphql", json={"query": query}).json()
    assert len(body["data"]["concepts"]["nodes"]) == 300 and body["extensions"]["cost"] == 301
