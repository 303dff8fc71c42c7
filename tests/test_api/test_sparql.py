"""The read-only SPARQL endpoint: through real clients (SPARQLWrapper, rdflib's SPARQLStore)
against ``aikg serve`` on 127.0.0.1, and its protocol details and limits in process.

Expected answers are computed by rdflib over the source files, never by our own code.
"""

from __future__ import annotations

import csv
import io
import re
import socket
import sys
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from api.web.sparql import sparql_router
from benchmarks.http import free_port
from benchmarks.http import server as running_server
from graph import KnowledgeGraph
from graph.loading import load_files

REPO = Path(__file__).resolve().parents[2]
PREFIXES = """\
PREFIX aikg: <https://w3id.org/aikg/concept/>
PREFIX aikgs: <https://w3id.org/aikg/schema/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
OPENAI_MODELS = (
    PREFIXES
    + """\
SELECT ?model ?label WHERE {
  ?model aikgs:developedBy aikg:openai ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "" || LANG(?label) = "en")
}"""
)
SUB_KINDS = (
    PREFIXES + "CONSTRUCT { ?k rdfs:subClassOf ?p ; skos:prefLabel ?l } "
    "WHERE { ?k rdfs:subClassOf ?p ; skos:prefLabel ?l . ?p rdfs:subClassOf aikg:foundation-model }"
)


@pytest.fixture(scope="module")
def source(bundled_by_rdflib: rdflib.Graph) -> rdflib.Graph:
    return bundled_by_rdflib


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """``aikg serve`` (bundled ontology) on a free loopback port; yields its /sparql URL."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running_server(command, port, timeout_s=90, cwd=REPO) as running:
        yield running.url + "/sparql"


def client_for(
    endpoint: str, query: str, return_format: str, method: str | None = None
) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint, returnFormat=return_format)
    sparql.setQuery(query)
    if method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    elif method is not None:
        sparql.setMethod(method)
    return sparql


def rows_of(result: rdflib.query.Result) -> set[tuple[str, ...]]:
    return {tuple(str(value) for value in row) for row in result}


# --- through SPARQLWrapper and SPARQLStore, against the real server --------------------------


@pytest.mark.parametrize(
    "method", [None, POST, POSTDIRECTLY], ids=["GET", "POST form", "POST query"]
)
def test_select_as_json_agrees_with_rdflib(
    endpoint: str, source: rdflib.Graph, method: str | None
) -> None:
    answer = client_for(endpoint, OPENAI_MODELS, JSON, method).query().convert()
    got = {(b["model"]["value"], b["label"]["value"]) for b in answer["results"]["bindings"]}
    expected = rows_of(source.query(OPENAI_MODELS))
    assert len(expected) > 5
    assert got == expected


def test_select_as_xml_and_csv(endpoint: str, source: rdflib.Graph) -> None:
    expected = rows_of(source.query(OPENAI_MODELS))
    document = client_for(endpoint, OPENAI_MODELS, XML).query().convert()
    results = document.getElementsByTagName("result")
    values = {
        tuple(
            b.getElementsByTagName("uri" if b.getAttribute("name") == "model" else "literal")[
                0
            ].firstChild.data
            for b in result.getElementsByTagName("binding")
        )
        for result in results
    }
    assert values == expected
    table = client_for(endpoint, OPENAI_MODELS, CSV).query().convert()
    reader = csv.reader(io.StringIO(table.decode()))
    assert next(reader) == ["model", "label"]
    assert {tuple(row) for row in reader} == expected


def test_ask(endpoint: str) -> None:
    asserted = PREFIXES + "ASK { aikg:gpt-4 a aikg:large-language-model }"
    entailed_only = PREFIXES + "ASK { aikg:gpt-4 a aikg:foundation-model }"
    by_path = PREFIXES + "ASK { aikg:gpt-4 a/rdfs:subClassOf* aikg:foundation-model }"
    assert client_for(endpoint, asserted, JSON).query().convert()["boolean"] is True
    assert (
        client_for(endpoint, entailed_only, JSON).query().convert()["boolean"] is False
    )  # asserted triples only
    assert client_for(endpoint, by_path, JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, JSONLD])
def test_construct_is_isomorphic_to_rdflib(
    endpoint: str, source: rdflib.Graph, return_format: str
) -> None:
    converted = client_for(endpoint, SUB_KINDS, return_format).query().convert()
    graph = (
        converted
        if isinstance(converted, rdflib.Graph)
        else rdflib.Graph().parse(data=converted, format="turtle")
    )
    expected = source.query(SUB_KINDS).graph
    assert len(expected) > 10
    assert isomorphic(graph, expected)


def test_describe_returns_the_concept(endpoint: str) -> None:
    text = client_for(endpoint, PREFIXES + "DESCRIBE aikg:gpt-4", TURTLE).query().convert()
    graph = rdflib.Graph().parse(data=text, format="turtle")
    gpt4 = rdflib.URIRef("https://w3id.org/aikg/concept/gpt-4")
    assert (gpt4, rdflib.SKOS.prefLabel, rdflib.Literal("GPT-4", lang="en")) in graph


def test_our_prefixes_need_no_declaration(endpoint: str) -> None:
    query = "SELECT ?k WHERE { ?k rdfs:subClassOf aikg:foundation-model }"
    bindings = client_for(endpoint, query, JSON).query().convert()["results"]["bindings"]
    assert {"type": "uri", "value": "https://w3id.org/aikg/concept/large-language-model"} in [
        b["k"] for b in bindings
    ]


def test_updates_are_refused(endpoint: str, source: rdflib.Graph) -> None:
    update = PREFIXES + "INSERT DATA { aikg:x skos:prefLabel 'x' }"
    sparql = client_for(endpoint, update, JSON, POST)  # SPARQLWrapper sends it as update=
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403
    assert b"read-only" in refused.value.read()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = client_for(endpoint, count, JSON).query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(source)


def test_syntax_error_is_400_with_the_parsers_message(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed) as error:
        client_for(endpoint, "SELECT ?s WHERE { ?s ?p }", JSON).query()
    assert "error at 1:" in str(error.value)


def test_rdflib_sparql_store_reads_the_endpoint(endpoint: str, source: rdflib.Graph) -> None:
    remote = rdflib.Graph(SPARQLStore(endpoint, returnFormat="json"))
    assert rows_of(remote.query(OPENAI_MODELS)) == rows_of(source.query(OPENAI_MODELS))


def test_deeply_nested_queries_do_not_kill_the_server(endpoint: str) -> None:
    """10,000 nested brackets overflow an 8 MiB thread stack in Oxigraph's parser (a segfault
    of the whole server, found by hand); query threads get a deep stack instead."""
    deep = [
        "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
        "ASK " + "{" * 10_000 + "}" * 10_000,
    ]
    for query in deep:
        response = httpx.post(endpoint, data={"query": query}, timeout=60)
        assert response.status_code == 200, response.text
    assert httpx.get(endpoint.removesuffix("/sparql") + "/health").status_code == 200


# --- protocol details and limits, in process ----------------------------------------------------


def app_for(graph: KnowledgeGraph, **limits: float) -> TestClient:
    app = FastAPI()
    app.include_router(sparql_router(lambda: graph, **limits))
    return TestClient(app)


@pytest.fixture(scope="module")
def client(bundled: KnowledgeGraph) -> TestClient:
    return app_for(bundled)


@pytest.mark.parametrize(
    ("accept", "format_", "expected"),
    [
        (None, None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", None, "text/tab-separated-values"),
        ("application/json", None, "application/sparql-results+json"),
        ("application/sparql-results+json", "csv", "text/csv"),
    ],
)
def test_select_formats(
    client: TestClient, accept: str | None, format_: str | None, expected: str
) -> None:
    params = {"query": "SELECT ?s WHERE { ?s rdfs:subClassOf aikg:foundation-model } LIMIT 1"} | (
        {"format": format_} if format_ else {}
    )
    response = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    ("accept", "syntax"),
    [
        (None, "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(
    client: TestClient, source: rdflib.Graph, accept: str | None, syntax: str
) -> None:
    response = client.post(
        "/sparql",
        content=SUB_KINDS,
        headers={"Content-Type": "application/sparql-query"}
        | ({"Accept": accept} if accept else {}),
    )
    assert response.status_code == 200
    assert isomorphic(
        rdflib.Graph().parse(data=response.content, format=syntax), source.query(SUB_KINDS).graph
    )


@pytest.mark.parametrize(
    ("request_", "status", "words"),
    [
        ({"params": {"update": "CLEAR ALL"}}, 403, "read-only"),
        ({"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403, "read-only"),
        (
            {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
            403,
            "read-only",
        ),
        ({"data": {"update": "CLEAR ALL"}}, 403, "read-only"),
        ({"params": {"query": "SELECT * FROM <http://e.org/g> WHERE { ?s ?p ?o }"}}, 403, "FROM"),
        (
            {
                "params": {
                    "query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                    "named-graph-uri": "http://e.org/g",
                }
            },
            403,
            "named-graph-uri",
        ),
        ({"params": {}}, 400, "exactly one"),
        ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "exactly one"),
        (
            {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}},
            415,
            "application/sparql-query",
        ),
        (
            {
                "params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                "headers": {"Accept": "text/csv"},
            },
            406,
            "CONSTRUCT",
        ),
        ({"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406, "text/turtle"),
        ({"params": {"query": "SELECT ?x WHERE { ?x ?y }"}}, 400, "error at 1:"),
    ],
)
def test_refusals(client: TestClient, request_: dict, status: int, words: str) -> None:
    method = client.post if "content" in request_ or "data" in request_ else client.get
    response = method("/sparql", **request_)
    assert response.status_code == status, response.text
    assert words in response.text
    assert response.headers["content-type"].startswith("text/plain")


def test_service_is_refused_and_never_contacted(client: TestClient) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.3)
        target = f"<http://127.0.0.1:{listener.getsockname()[1]}/sparql>"
        for query in (
            f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
            f"select * where {{ ?s ?p ?o . service silent {target} {{ ?s ?p ?o }} }}",
        ):
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 403 and "SERVICE" in response.text
        with pytest.raises(socket.timeout):
            listener.accept()


def test_named_graphs_are_not_visible(tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_text(
        "<http://e.org/a> <http://e.org/p> 1 .\n"
        "<http://e.org/g> { <http://e.org/b> <http://e.org/p> 2 . }\n"
    )
    client = app_for(load_files([path]))
    every = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"},
    )
    assert [b["s"]["value"] for b in every.json()["results"]["bindings"]] == ["http://e.org/a"]


def test_results_over_the_size_limit_are_refused(bundled: KnowledgeGraph) -> None:
    client = app_for(bundled, max_result_bytes=10_000)
    assert (
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}).status_code
        == 200
    )
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "10,000 bytes" in response.text and "LIMIT" in response.text


def test_a_query_writing_results_stops_at_the_time_limit(bundled: KnowledgeGraph) -> None:
    client = app_for(bundled, timeout_s=0.5, max_result_bytes=10**10, max_concurrent=1)
    started = time.monotonic()
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
    assert response.status_code == 503
    assert "time limit of 0.5 s" in response.text
    assert time.monotonic() - started < 2.0
    # It stopped itself at its next write: the one slot is free again at once.
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


#: About 1.5 s on this machine, computed before its single row is written: it cannot be stopped.
SLOW_COUNT = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?c . ?d skos:prefLabel ?f . VALUES ?k { 1 2 3 } }"
)


def test_a_query_that_cannot_be_stopped_is_answered_at_the_limit_and_holds_its_slot(
    bundled: KnowledgeGraph,
) -> None:
    client = app_for(bundled, timeout_s=0.3, max_concurrent=1)
    started = time.monotonic()
    response = client.get("/sparql", params={"query": SLOW_COUNT})
    assert response.status_code == 503
    assert time.monotonic() - started < 1.0  # answered at the limit, though the query runs on
    busy = client.get("/sparql", params={"query": "ASK {}"})
    assert busy.status_code == 503
    assert "query slots stayed busy" in busy.text and busy.headers["retry-after"] == "1"
    deadline = time.monotonic() + 30
    while (
        client.get("/sparql", params={"query": "ASK {}"}).status_code != 200
    ):  # freed when it ends
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_queries_over_the_length_limit_are_refused(bundled: KnowledgeGraph) -> None:
    client = app_for(bundled, max_query_chars=100)
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }" + " " * 100})
    assert response.status_code == 413
    assert "116 characters; the limit is 100" in response.text


def readme_dates_query() -> str:
    """The query the README's SPARQL section gives for mixed date types, exactly as written."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text.split("<!-- sparql-dates -->\n```sparql\n", 1)[1]
    return after.split("```", 1)[0]


def test_the_readme_date_idiom_finds_every_model_released_before_2023(
    client: TestClient, source: rdflib.Graph
) -> None:
    response = client.post("/sparql", data={"query": readme_dates_query()})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    found = {(row["model"]["value"], row["issued"]["datatype"]) for row in rows}
    models = source.query(
        "SELECT DISTINCT ?m ?d WHERE { ?m a/rdfs:subClassOf* aikg:ai-model ; dcterms:issued ?d }",
        initNs={"aikg": "https://w3id.org/aikg/concept/", "dcterms": "http://purl.org/dc/terms/"},
    )
    expected = {(str(m), str(d.datatype)) for m, d in models if int(str(d)[:4]) < 2023}
    assert found == expected
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"It returns (\d+) models", readme)
    assert quoted is not None and len(found) == int(quoted.group(1))  # the number the README gives
    dated = sum(1 for _, datatype in found if datatype.endswith("#date"))
    assert f"keeps {dated} of the {len(found)} models released before 2023" in " ".join(
        readme.split()
    )
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert {datatype for _, datatype in found} == {xsd + "date", xsd + "gYearMonth", xsd + "gYear"}
    assert ("https://w3id.org/aikg/concept/clip", xsd + "gYearMonth") in found
    assert ("https://w3id.org/aikg/concept/gpt-3", xsd + "gYear") in found
