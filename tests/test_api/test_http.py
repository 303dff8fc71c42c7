"""The HTTP surface: GraphQL (with GraphiQL), Turtle export and health."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from graph.explore.skos import turtle_export
from graph.explore.sssom import MAPPING_SET_ID, sssom_lines


@pytest.fixture(scope="module")
def client(bundled) -> TestClient:
    return TestClient(create_app(graph=bundled))


def test_graphql_answers_over_http(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json={"query": '{ isA(subject: "Llama 3 8B", object: "foundation model") { holds } }'},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"isA": {"holds": True}}
    assert response.json()["extensions"]["cost"] == 1  # one Answer (api/graphql/cost.py)


def test_graphiql_is_served_to_browsers(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


def test_the_ontology_is_served_as_the_same_turtle_as_the_export(
    client: TestClient, bundled
) -> None:
    response = client.get("/ontology.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.text == "".join(turtle_export(bundled))  # with the SKOS view
    assert len(Graph().parse(data=response.text, format="turtle")) > len(bundled.store)


def test_the_mappings_are_served_as_sssom_where_their_set_id_points(
    client: TestClient, bundled
) -> None:
    response = client.get("/mappings.sssom.tsv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert response.text == "".join(sssom_lines(bundled))  # as `aikg export --format sssom`
    assert MAPPING_SET_ID.endswith("/mappings.sssom.tsv")
    assert f"# mapping_set_id: {MAPPING_SET_ID}" in response.text


def test_health_reports_the_size_of_the_graph(client: TestClient, bundled) -> None:
    body = client.get("/health").json()
    assert body == {
        "status": "ok",
        "triples": len(bundled.store),
        "concepts": len(bundled),
        "revision": 0,
    }
