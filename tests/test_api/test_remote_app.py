"""The app over a remote SPARQL endpoint: every route answers from the endpoint's graph, and
mutations write to the endpoint."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import parse_tokens
from api.settings import Settings
from graph.edits.imports import import_into_endpoint
from ontology import data_files
from tests.sparql_servers import SparqlServer

TOKEN = "remote-app-token-0123456789"
GPT4 = "https://w3id.org/aikg/concept/gpt-4"


def test_an_app_over_an_endpoint_reads_everything_from_it_and_writes_to_it(
    empty_endpoint: SparqlServer,
) -> None:
    import_into_endpoint(empty_endpoint.store(), data_files())
    settings = Settings(
        sparql=empty_endpoint.query_url,
        sparql_update=empty_endpoint.update_url,
        graph=empty_endpoint.graphs.data,
        write_tokens=parse_tokens(f"carol:{TOKEN}"),
    )
    client = TestClient(create_app(settings))
    answer = client.post(
        "/graphql",
        json={"query": '{ isA(subject: "GPT-4", object: "foundation model") { holds } }'},
    )
    assert answer.json()["data"] == {"isA": {"holds": True}}
    assert "aikg:gpt-4" in client.get("/ontology.ttl").text
    assert client.get("/concept/gpt-4", headers={"Accept": "text/turtle"}).status_code == 200
    asked = client.get(
        "/sparql",
        params={"query": f"ASK {{ <{GPT4}> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert asked.json()["boolean"] is True

    edited = client.post(
        "/graphql",
        json={
            "query": 'mutation { addAltLabel(id: "GPT-4", '
            'label: "Generative Pre-trained Transformer 4") { revision } }'
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert edited.json()["data"] == {"addAltLabel": {"revision": 2}}  # the import was revision 1
    elsewhere = empty_endpoint.store(writable=False).snapshot()[0]
    assert "Generative Pre-trained Transformer 4" in {
        getattr(o, "value", o) for _, o in elsewhere.describe(GPT4)
    }
    assert (
        client.get("/concept/gpt-4", headers={"Accept": "text/turtle"}).text.count(
            "Generative Pre-trained"
        )
        == 1
    )
