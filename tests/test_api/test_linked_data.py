"""Linked Data: /concept/{id} and /ontology negotiate five syntaxes; every RDF answer parses
back with rdflib isomorphic to the subgraph taken independently from the source files (with
the SKOS view, also computed here from the files, unless ``?skos=false``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import DCTERMS, RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.compare import isomorphic

from api.app import create_app
from graph import KnowledgeGraph
from graph.loading import load_files

AIKG = rdflib.Namespace("https://w3id.org/aikg/concept/")
RDF_TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(bundled: KnowledgeGraph) -> TestClient:
    return TestClient(create_app(graph=bundled))


@pytest.fixture(scope="module")
def plain_source(bundled_by_rdflib: rdflib.Graph) -> rdflib.Graph:
    """The files as they are (what ``?skos=false`` serves)."""
    return bundled_by_rdflib


@pytest.fixture(scope="module")
def source(bundled_by_rdflib: rdflib.Graph, bundled: KnowledgeGraph) -> rdflib.Graph:
    """The files with the SKOS view that every answer carries by default."""
    return bundled_by_rdflib + skos_view(bundled_by_rdflib, set(bundled.index.iris))


SCHEME = URIRef("https://w3id.org/aikg/")


def skos_view(graph: rdflib.Graph, concepts: set[str]) -> rdflib.Graph:
    """The SKOS view written out from its definition (graph/explore/skos.py), with rdflib:
    ``skos:broader`` for every asserted rdfs:subClassOf or rdf:type between two concepts."""
    view = rdflib.Graph()
    view.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    titles = list(graph.objects(SCHEME, DCTERMS.title)) or [Literal("aikg", lang="en")]
    for title in titles:
        view.add((SCHEME, SKOS.prefLabel, title))
    nodes = [URIRef(c) for c in concepts]
    for predicate in (RDFS.subClassOf, RDF.type):
        for child, parent in graph.subject_objects(predicate):
            if str(child) in concepts and str(parent) in concepts and child != parent:
                view.add((child, SKOS.broader, parent))
                view.add((parent, SKOS.narrower, child))
    for node in nodes:
        view.add((node, RDF.type, SKOS.Concept))
        view.add((node, SKOS.inScheme, SCHEME))
        if (node, SKOS.broader, None) not in view:
            view.add((node, SKOS.topConceptOf, SCHEME))
            view.add((SCHEME, SKOS.hasTopConcept, node))
    return view


def expected_description(graph: rdflib.Graph, node: URIRef) -> rdflib.Graph:
    """The CBD of ``node`` plus the triples pointing at it from named subjects."""
    described = rdflib.Graph()
    pending, seen = [node], {node}
    while pending:
        subject = pending.pop()
        for _, predicate, obj in graph.triples((subject, None, None)):
            described.add((subject, predicate, obj))
            if isinstance(obj, BNode) and obj not in seen:
                seen.add(obj)
                pending.append(obj)
    for subject, predicate, _ in graph.triples((None, None, node)):
        if isinstance(subject, URIRef):
            described.add((subject, predicate, node))
    return described


def parsed(response, syntax: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=syntax)


# --- /concept/{id} ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RDF_TYPES))
@pytest.mark.parametrize("concept", ["gpt-4", "large-language-model", "openai"])
def test_concept_in_every_rdf_syntax_is_its_description(
    client: TestClient, source: rdflib.Graph, name: str, concept: str
) -> None:
    media_type, syntax = RDF_TYPES[name]
    response = client.get(f"/concept/{concept}", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["vary"] == "Accept"
    expected = expected_description(source, AIKG[concept])
    assert len(expected) > 10
    assert isomorphic(parsed(response, syntax), expected)


@pytest.mark.parametrize("name", sorted(RDF_TYPES))
def test_format_parameter_overrides_accept(
    client: TestClient, source: rdflib.Graph, name: str
) -> None:
    media_type, syntax = RDF_TYPES[name]
    response = client.get(f"/concept/gpt-4?format={name}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith(media_type)
    assert isomorphic(parsed(response, syntax), expected_description(source, AIKG["gpt-4"]))


def test_description_includes_children_and_examples_as_incoming_triples(client: TestClient) -> None:
    graph = parsed(client.get("/concept/large-language-model?format=nt"), "nt")
    assert (AIKG["gpt-4"], RDF.type, AIKG["large-language-model"]) in graph
    assert (AIKG["large-language-model"], RDFS.subClassOf, AIKG["foundation-model"]) in graph


def test_turtle_goes_through_the_deterministic_writer(client: TestClient) -> None:
    first = client.get("/concept/gpt-4").content
    assert first == client.get("/concept/gpt-4").content
    assert first.startswith(b"@prefix aikg: <https://w3id.org/aikg/concept/> .\n")
    assert b"\naikg:gpt-4\n    a " in first


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        (BROWSER, "text/html"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
        ("text/*;q=0.2, text/turtle;q=0.1, application/n-triples;q=0.15", "text/html"),
        ("application/rdf+xml, text/turtle;q=0", "application/rdf+xml"),
        ("application/x-turtle", "text/turtle"),
        ("application/json", "application/ld+json"),  # JSON-LD is the JSON we have
    ],
)
def test_accept_is_negotiated_with_q_values(
    client: TestClient, accept: str | None, expected: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = client.get("/concept/gpt-4", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    "request_", [{"headers": {"Accept": "text/csv"}}, {"params": {"format": "csv"}}]
)
def test_what_we_cannot_produce_is_406_listing_what_we_can(
    client: TestClient, request_: dict
) -> None:
    response = client.get("/concept/gpt-4", **request_)
    assert response.status_code == 406
    assert response.headers["vary"] == "Accept"
    for media_type in (
        "text/turtle",
        "text/html",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    ):
        assert media_type in response.text


def test_unknown_concept_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/concept/gtp-4")
    assert response.status_code == 404
    assert response.headers["vary"] == "Accept"
    assert "Did you mean" in response.text and "GPT-4" in response.text
    page = client.get("/concept/gtp-4", headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert '<a href="/concept/GPT-4">GPT-4</a>' in page.text


def test_a_label_redirects_to_the_concept_page_keeping_the_format(client: TestClient) -> None:
    response = client.get("/concept/GPT-4?format=nt", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/concept/gpt-4?format=nt"
    assert client.get("/concept/GPT-4?format=nt").headers["content-type"] == "application/n-triples"


def test_the_old_iri_of_a_merged_concept_redirects_to_the_concept_that_replaced_it(
    client: TestClient,
) -> None:
    response = client.get("/concept/temperature-sampling?format=ttl", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/concept/temperature?format=ttl"
    assert (
        "dcterms:replaces aikg:temperature-sampling"
        in client.get(response.headers["location"]).text
    )


def test_html_page_shows_the_concept_with_links(client: TestClient) -> None:
    response = client.get("/concept/gpt-4", headers={"Accept": BROWSER})
    assert response.status_code == 200
    page = response.text
    assert "<h1>GPT-4</h1>" in page
    assert "fourth-generation GPT model" in page
    assert "named example" in page
    assert '<a href="/concept/large-language-model">large language model</a>' in page  # example of
    assert '<a href="/concept/openai">OpenAI</a>' in page  # developed by
    assert '<a href="/#gpt-4">open in explorer</a>' in page
    assert '<a href="?format=ttl" type="text/turtle">Turtle</a>' in page
    assert "script-src" not in response.headers["content-security-policy"]
    kind = client.get("/concept/large-language-model", headers={"Accept": "text/html"}).text
    assert '<a href="/concept/gpt-4">GPT-4</a>' in kind  # its examples
    assert '<a href="/concept/foundation-model">foundation model</a>' in kind  # its parent


def test_head_answers_without_a_body(client: TestClient) -> None:
    response = client.head("/concept/gpt-4", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/n-triples"
    assert response.content == b""


SNIPPET = """\
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

ex:Thing a owl:Class ; skos:prefLabel "<script>alert('x')</script> & co" ;
    skos:definition "Less < more & \\"quoted\\"" .
ex:Part a owl:Class ; skos:prefLabel "Part" .
ex:Whole a owl:Class ; skos:prefLabel "Whole" ;
    rdfs:subClassOf ex:Thing ,
        [ a owl:Restriction ; owl:onProperty ex:hasPart ;
          owl:someValuesFrom [ a owl:Class ; owl:unionOf ( ex:Part ex:Thing ) ] ] .
"""


@pytest.fixture(scope="module")
def snippet(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, rdflib.Graph]:
    path: Path = tmp_path_factory.mktemp("ld") / "snippet.ttl"
    path.write_text(SNIPPET, encoding="utf-8")
    return TestClient(create_app(graph=load_files([path]))), rdflib.Graph().parse(path)


@pytest.mark.parametrize("name", sorted(RDF_TYPES))
def test_description_follows_blank_nodes_and_skips_arcs_from_them(
    snippet: tuple[TestClient, rdflib.Graph], name: str
) -> None:
    client, source = snippet
    media_type, syntax = RDF_TYPES[name]
    ex = rdflib.Namespace("http://example.org/")
    whole = parsed(
        client.get("/concept/ex:Whole?skos=false", headers={"Accept": media_type}), syntax
    )
    assert isomorphic(whole, expected_description(source, ex.Whole))
    assert len(whole) == 13  # 4 of its own, 3 in the restriction, 2 in the union, 4 in the list
    part = parsed(client.get("/concept/ex:Part?skos=false", headers={"Accept": media_type}), syntax)
    assert isomorphic(part, expected_description(source, ex.Part))
    assert len(part) == 2  # its own triples: the rdf:first from the union's list is left out


def test_html_escapes_text_from_the_graph(snippet: tuple[TestClient, rdflib.Graph]) -> None:
    client, _ = snippet
    page = client.get("/concept/ex:Thing", headers={"Accept": "text/html"}).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page
    assert "Less &lt; more &amp; &quot;quoted&quot;" in page
    assert '<a href="/concept/ex:Whole">Whole</a>' in page


# --- /ontology -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RDF_TYPES))
def test_ontology_in_every_rdf_syntax_is_the_whole_graph(
    client: TestClient, source: rdflib.Graph, name: str
) -> None:
    media_type, syntax = RDF_TYPES[name]
    response = client.get("/ontology", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["vary"] == "Accept"
    assert isomorphic(parsed(response, syntax), source)


def test_ontology_has_no_html_and_says_so(client: TestClient) -> None:
    response = client.get("/ontology?format=html")
    assert response.status_code == 406
    assert "text/turtle" in response.text and "text/html" not in response.text
    assert (
        client.get("/ontology", headers={"Accept": BROWSER})
        .headers["content-type"]
        .startswith("text/turtle")
    )


@pytest.fixture(scope="module")
def entailed_by_paths(source: rdflib.Graph) -> set[tuple]:
    """What the files entail, by SPARQL property paths in rdflib: type via sub-kinds, and
    sub-kind of a sub-kind (triples not asserted directly are the candidates)."""
    types = source.query("SELECT ?s ?o WHERE { ?s rdf:type/rdfs:subClassOf+ ?o }")
    kinds = source.query("SELECT ?s ?o WHERE { ?s rdfs:subClassOf/rdfs:subClassOf+ ?o }")
    return {(s, RDF.type, o) for s, o in types} | {(s, RDFS.subClassOf, o) for s, o in kinds}


@pytest.mark.parametrize("name", ["ttl", "nt"])
def test_inferred_adds_exactly_the_entailed_is_a_and_example_of(
    client: TestClient, plain_source: rdflib.Graph, entailed_by_paths: set[tuple], name: str
) -> None:
    media_type, syntax = RDF_TYPES[name]
    source = plain_source
    inferred = parsed(
        client.get("/ontology?inferred=true&skos=false", headers={"Accept": media_type}), syntax
    )
    added = set(inferred - source)
    assert (AIKG["gpt-4"], RDF.type, AIKG["foundation-model"]) in added  # not asserted
    assert (AIKG["gpt-4"], RDF.type, AIKG["foundation-model"]) not in source
    assert len(source - inferred) == 0
    assert len(added) > 100
    assert added <= entailed_by_paths  # sound
    ours = {t for t in entailed_by_paths if t[0] in AIKG and t[2] in AIKG and t[0] != t[2]}
    assert ours - set(source) <= added  # complete within our namespace (never a concept to itself)


def test_concept_inferred_adds_its_entailed_types(client: TestClient, source: rdflib.Graph) -> None:
    graph = parsed(client.get("/concept/gpt-4?format=nt&inferred=true&skos=true"), "nt")
    added = graph - expected_description(source, AIKG["gpt-4"])
    assert set(added) == {
        (AIKG["gpt-4"], RDF.type, AIKG["foundation-model"]),
        (AIKG["gpt-4"], RDF.type, AIKG["language-model"]),  # a large language model is one
        (AIKG["gpt-4"], RDF.type, AIKG["deep-neural-network"]),  # a foundation model is one
        (AIKG["gpt-4"], RDF.type, AIKG["neural-network"]),
        (AIKG["gpt-4"], RDF.type, AIKG["ai-model"]),
    }


def test_served_graph_is_read_per_request(
    bundled: KnowledgeGraph, turtle_graph: Callable[[str], KnowledgeGraph]
) -> None:
    from fastapi import FastAPI

    from api.web.linked_data import linked_data_router

    served = [bundled]
    app = FastAPI()
    app.include_router(linked_data_router(lambda: served[0]))
    client = TestClient(app)
    assert client.get("/concept/gpt-4").status_code == 200
    before = client.get("/ontology?format=nt").content
    served[0] = turtle_graph("ex:a a owl:Class ; skos:prefLabel 'A' .")
    assert client.get("/concept/gpt-4").status_code == 404
    after = client.get("/ontology?format=nt").content
    assert after != before and b"<http://example.org/a>" in after


@pytest.mark.parametrize("name", sorted(RDF_TYPES))
def test_large_graphs_stream_the_same_triples(
    client: TestClient, source: rdflib.Graph, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.web.linked_data

    monkeypatch.setattr(api.web.linked_data, "CACHED_TRIPLES", 0)  # every graph counts as large
    media_type, syntax = RDF_TYPES[name]
    skos_only = source - parsed(client.get("/ontology?format=nt&skos=false"), "nt")
    plain = client.get("/ontology", headers={"Accept": media_type})
    assert "content-length" not in plain.headers  # streamed, not made whole first
    assert isomorphic(parsed(plain, syntax), source)
    if name in ("ttl", "nt"):  # the two ways entailments are added: per subject, and appended
        inferred = parsed(
            client.get("/ontology?inferred=true&skos=false", headers={"Accept": media_type}),
            syntax,
        )
        assert (AIKG["gpt-4"], RDF.type, AIKG["foundation-model"]) in inferred
        assert len(inferred) == len(source - skos_only) + sum(
            1 for _ in client.app.state.live.current.entailed()
        )


# --- JSON-LD -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/concept/gpt-4", "/ontology"])
def test_json_ld_is_compact_with_our_prefixes_and_the_same_triples_as_turtle(
    client: TestClient, path: str
) -> None:
    import json

    document = client.get(path, headers={"Accept": "application/ld+json"}).json()
    context = document["@context"]
    for prefix in ("aikg", "aikgs", "skos", "rdfs", "dcterms", "xsd"):
        assert prefix in context
    nodes: dict[str, dict] = {}
    for node in document["@graph"]:  # a node split across the writer's batches comes twice
        nodes.setdefault(node["@id"], {}).update(node)
    gpt4 = nodes["aikg:gpt-4"]
    assert "skos:prefLabel" in gpt4 and "aikgs:developedBy" in gpt4
    assert not any(key.startswith("http") for node in nodes.values() for key in node)
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    as_json_ld = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(as_json_ld, parsed(turtle, "turtle"))
