"""The MCP server (api/mcp), spoken to with the SDK's own client over stdio and over HTTP.

Each transport answers one session of questions (:data:`QUESTIONS`, errors among them, so
the session is shown to survive them); the tests then read the answers, and compare each
tool's answer with GraphQL's answer to the same question on the bundled graph.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from mcp import Client, StdioServerParameters

from api.app import create_app
from api.mcp.cards import concept_card, estimate_tokens, trimmed
from api.mcp.server import build_server
from api.web.sparql import sparql_router
from benchmarks.http import free_port
from benchmarks.http import server as running_server
from graph import KnowledgeGraph
from graph.dates import period_end
from graph.model import ConceptOrder

REPO = Path(__file__).resolve().parents[2]
TOOLS = {
    "lookup_concept": ["ref", "max_tokens"],
    "is_a": ["subject", "object"],
    "example_of": ["subject", "object"],
    "search_concepts": ["text", "limit", "kind", "under"],
    "related_concepts": ["ref", "limit"],
    "find_path": ["from_ref", "to_ref", "max_length"],
    "list_examples": ["ref", "order_by", "limit"],
    "sparql_select": ["query"],
}
SELECT = (
    "SELECT ?model ?label WHERE { ?model aikgs:developedBy aikg:openai ; skos:prefLabel ?label } "
    "ORDER BY ?model"
)
#: name -> (tool, arguments); asked in this order in one session per transport.
QUESTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "is_a gpt-4": ("is_a", {"subject": "GPT-4", "object": "foundation model"}),
    "typo": ("is_a", {"subject": "GTP-4", "object": "foundation model"}),
    "is_a no": ("is_a", {"subject": "large language model", "object": "GPT-4"}),
    "example_of yes": ("example_of", {"subject": "GPT-4", "object": "foundation model"}),
    "example_of kind": (
        "example_of",
        {"subject": "large language model", "object": "foundation model"},
    ),
    "is_a family": ("is_a", {"subject": "Llama 3", "object": "open-weight model"}),
    "lookup": ("lookup_concept", {"ref": "LLM", "max_tokens": 20_000}),
    "lookup small": ("lookup_concept", {"ref": "GPT-4", "max_tokens": 100}),
    "search": ("search_concepts", {"text": "llm", "limit": 5}),
    "search filtered": (
        "search_concepts",
        {"text": "gpt", "limit": 5, "kind": "EXAMPLE", "under": "large language model"},
    ),
    "related": ("related_concepts", {"ref": "GPT-4", "limit": 5}),
    "path": ("find_path", {"from_ref": "GPT-4", "to_ref": "Claude 3"}),
    "examples by iri": (
        "list_examples",
        {"ref": "large language model", "order_by": "IRI", "limit": 100},
    ),
    "examples newest": ("list_examples", {"ref": "large language model", "limit": 100}),
    "examples largest": (
        "list_examples",
        {"ref": "large language model", "order_by": "PARAMETERS_DESC", "limit": 100},
    ),
    "sparql": ("sparql_select", {"query": SELECT}),
    "sparql ask": ("sparql_select", {"query": "ASK { aikg:gpt-4 a aikg:large-language-model }"}),
    "sparql update": ("sparql_select", {"query": "INSERT DATA { aikg:a aikg:b aikg:c }"}),
    "sparql construct": ("sparql_select", {"query": "CONSTRUCT WHERE { aikg:gpt-4 ?p ?o }"}),
    "sparql syntax": ("sparql_select", {"query": "SELECT WHERE {"}),
    "after the errors": ("is_a", {"subject": "gpt-4", "object": "aikg:foundation-model"}),
}


async def _session(target: Any, max_page_size: int) -> dict[str, Any]:
    """Ask every question in one session, and a page one over the limit; keep the answers as
    plain data."""
    answers: dict[str, Any] = {}
    over = {"page over limit": ("search_concepts", {"text": "gpt", "limit": max_page_size + 1})}
    async with Client(target) as client:
        answers["tools"] = {t.name: t for t in (await client.list_tools()).tools}
        answers["templates"] = [
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        ]
        for name, (tool, arguments) in {**over, **QUESTIONS}.items():
            result = await client.call_tool(tool, arguments)
            answers[name] = {
                "error": result.is_error,
                "text": result.content[0].text,
                "data": result.structured_content,
            }
        card = await client.read_resource("aikg://concept/gpt-4")
        turtle = await client.read_resource("aikg://concept/gpt-4/turtle")
        answers["card"] = (card.contents[0].mime_type, card.contents[0].text)
        answers["turtle"] = (turtle.contents[0].mime_type, turtle.contents[0].text)
        try:
            await client.read_resource("aikg://concept/GTP-4")
        except Exception as error:
            answers["unknown resource"] = str(error)
    return answers


@pytest.fixture(scope="module")
def stdio_answers() -> dict[str, Any]:
    """``aikg mcp`` (bundled ontology) spawned by the SDK's stdio client; its page limit is 1000."""
    server = StdioServerParameters(command=sys.executable, args=["-m", "api.cli", "mcp"], cwd=REPO)
    return anyio.run(_session, server, 1000)


@pytest.fixture(scope="module")
def http_server() -> Iterator[str]:
    """``aikg serve`` on a free loopback port, with a page limit of 100 and a body limit of
    16 KB."""
    port = free_port()
    command = [
        sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--max-page-size", "100", "--max-body-bytes", "16000",
    ]  # fmt: skip
    with running_server(command, port, timeout_s=90, cwd=REPO) as running:
        yield running.url


@pytest.fixture(scope="module")
def http_answers(http_server: str) -> dict[str, Any]:
    return anyio.run(_session, http_server + "/mcp", 100)


@pytest.fixture(params=["stdio", "http"])
def answers(request: pytest.FixtureRequest) -> dict[str, Any]:
    return request.getfixturevalue(f"{request.param}_answers")


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


# --- the tool list ---------------------------------------------------------------------------


def test_the_tool_list_has_the_eight_tools_with_their_arguments_and_schemas(
    answers: dict[str, Any],
) -> None:
    tools = answers["tools"]
    assert set(tools) == set(TOOLS)
    for name, arguments in TOOLS.items():
        assert list(tools[name].input_schema["properties"]) == arguments
        assert tools[name].output_schema["type"] == "object"
        assert len(tools[name].description) > 80
        assert tools[name].annotations.read_only_hint


def test_lookup_concept_says_how_tokens_are_estimated(answers: dict[str, Any]) -> None:
    assert "4 characters a token" in answers["tools"]["lookup_concept"].description


# --- the proofs ------------------------------------------------------------------------------


def test_gpt_4_is_a_foundation_model_with_its_two_step_proof(answers: dict[str, Any]) -> None:
    answer = answers["is_a gpt-4"]
    assert not answer["error"] and answer["data"]["holds"]
    steps = answer["data"]["proof"]
    assert [s["text"] for s in steps] == [
        "GPT-4 —example of→ large language model",
        "large language model —is a→ foundation model",
    ]
    assert all(
        s["source"] == "https://w3id.org/aikg/concept/foundation-model-lesson" for s in steps
    )
    assert (
        "1. GPT-4 —example of→ large language model [source: Foundation Model (lesson)"
        in answer["text"]
    )


@pytest.mark.parametrize(
    ("name", "field", "subject", "obj"),
    [
        ("is_a gpt-4", "isA", "GPT-4", "foundation model"),
        ("is_a no", "isA", "large language model", "GPT-4"),
        ("example_of yes", "exampleOf", "GPT-4", "foundation model"),
        ("example_of kind", "exampleOf", "large language model", "foundation model"),
        ("is_a family", "isA", "Llama 3", "open-weight model"),
    ],
)
def test_is_a_and_example_of_answer_as_graphql_does(
    answers, run, name: str, field: str, subject: str, obj: str
) -> None:
    data, errors = run(
        f"query($s: String!, $o: String!) {{ answer: {field}(subject: $s, object: $o) "
        "{ holds note path { subject { id } predicateLabel object { id } source } } }",
        s=subject,
        o=obj,
    )
    assert not errors
    answer = answers[name]["data"]
    assert answer["holds"] == data["answer"]["holds"]
    assert answer["note"] == data["answer"]["note"]
    if answer["note"] is not None:
        assert answers[name]["text"].endswith(answer["note"])  # the agent reads it too
    assert [
        {
            "subject": {"id": s["subject"]["id"]},
            "predicateLabel": s["predicate_label"],
            "object": {"id": s["object"]["id"]},
            "source": s["source"],
        }
        for s in answer["proof"]
    ] == data["answer"]["path"]


# --- the errors ------------------------------------------------------------------------------


def test_an_unknown_concept_is_a_tool_error_naming_the_did_you_mean_candidates(
    answers: dict[str, Any],
) -> None:
    answer = answers["typo"]
    assert answer["error"]
    assert "Did you mean: GPT-4" in answer["text"]
    assert (
        answer["data"]["code"] == "CONCEPT_NOT_FOUND" and "GPT-4" in answer["data"]["suggestions"]
    )


def test_an_ambiguous_concept_is_a_tool_error_naming_the_candidates(turtle_graph) -> None:
    graph = turtle_graph("""
        ex:mercury1 a owl:Class ; skos:prefLabel "Mercury" .
        ex:mercury2 a owl:Class ; skos:prefLabel "Mercury" .
        """)

    async def ask() -> Any:
        async with Client(build_server(lambda: graph)) as client:
            return await client.call_tool("lookup_concept", {"ref": "mercury"})

    result = anyio.run(ask)
    assert result.is_error
    assert "Mercury (ex:mercury1)" in result.content[0].text
    assert set(result.structured_content["candidates"]) == {
        "Mercury (ex:mercury1)",
        "Mercury (ex:mercury2)",
    }


def test_a_page_over_the_limit_is_refused_naming_the_limit(request: pytest.FixtureRequest) -> None:
    stdio, http = request.getfixturevalue("stdio_answers"), request.getfixturevalue("http_answers")
    assert (
        stdio["page over limit"]["error"]
        and "between 0 and 1000 (the page size limit), got 1001" in stdio["page over limit"]["text"]
    )
    assert (
        http["page over limit"]["error"]
        and "between 0 and 100 (the page size limit), got 101" in http["page over limit"]["text"]
    )


def test_refused_sparql_says_why(answers: dict[str, Any]) -> None:
    assert answers["sparql update"]["error"] and "read-only" in answers["sparql update"]["text"]
    assert (
        answers["sparql construct"]["error"]
        and "Only SELECT and ASK" in answers["sparql construct"]["text"]
    )
    assert answers["sparql syntax"]["error"] and "syntax error" in answers["sparql syntax"]["text"]


def test_the_session_survives_its_errors(answers: dict[str, Any]) -> None:
    assert answers["after the errors"]["data"]["holds"]


# --- every tool against GraphQL --------------------------------------------------------------


def test_lookup_concept_agrees_with_graphql(answers: dict[str, Any], run) -> None:
    data, errors = (
        run("""{ concept(id: "LLM") { id iri label altLabels definition kind source released
        parents { id } types { id } exampleCount examples(first: 5) { id } relationCount
        relations(first: 8) { subject { id } object { id } } mappings { relation iri } } }""")
    )
    assert not errors
    expected, card = data["concept"], answers["lookup"]["data"]
    assert not card["trimmed"]
    assert (card["id"], card["iri"], card["label"], card["alt_labels"], card["definition"]) == (
        expected["id"],
        expected["iri"],
        expected["label"],
        expected["altLabels"],
        expected["definition"],
    )
    assert (card["kind"], card["source"], card["released"]) == (
        expected["kind"],
        expected["source"],
        expected["released"],
    )
    assert ids(card["parents"]) == ids(expected["parents"]) and ids(card["types"]) == ids(
        expected["types"]
    )
    assert card["example_count"] == expected["exampleCount"] and ids(card["examples"]) == ids(
        expected["examples"]
    )
    assert card["relation_count"] == expected["relationCount"]
    others = [
        e["object"]["id"] if e["subject"]["id"] == "large-language-model" else e["subject"]["id"]
        for e in expected["relations"]
    ]
    assert [r["concept"]["id"] for r in card["relations"]] == others
    assert card["identifiers"] == expected["mappings"]
    assert answers["lookup"]["text"].startswith("# large language model\n")


def test_lookup_concept_keeps_to_its_token_budget(answers: dict[str, Any]) -> None:
    small = answers["lookup small"]
    assert small["data"]["trimmed"] and estimate_tokens(small["text"]) <= 100
    assert (
        small["text"].startswith("# GPT-4")
        and "https://w3id.org/aikg/concept/gpt-4" in small["text"]
    )


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("search", 'text: "llm", first: 5'),
        ("search filtered", 'text: "gpt", first: 5, kind: EXAMPLE, under: "large language model"'),
    ],
)
def test_search_concepts_agrees_with_graphql(answers, run, name: str, arguments: str) -> None:
    count_arguments = arguments.replace(", first: 5", "")
    data, errors = run(
        f"{{ search({arguments}) {{ id definition }} searchCount({count_arguments}) }}"
    )
    assert not errors
    answer = answers[name]["data"]
    assert [(r["id"], r["definition"]) for r in answer["results"]] == [
        (r["id"], r["definition"]) for r in data["search"]
    ]
    assert answer["total"] == data["searchCount"]


def test_related_concepts_agrees_with_graphql(answers: dict[str, Any], run) -> None:
    data, errors = run("""{ related(id: "GPT-4", first: 5) { concept { id } score reasons
        via { subject { id } object { id } } } relatedCount(id: "GPT-4") }""")
    assert not errors
    answer = answers["related"]["data"]
    assert answer["total_scored"] == data["relatedCount"]
    assert [
        {"concept": {"id": r["concept"]["id"]}, "score": r["score"], "reasons": r["reasons"],
         "via": [{"subject": {"id": v["subject"]["id"]}, "object": {"id": v["object"]["id"]}}
                 for v in r["via"]]}
        for r in answer["related"]
    ] == data["related"]  # fmt: skip


def test_find_path_agrees_with_graphql(answers: dict[str, Any], run) -> None:
    data, errors = run(
        '{ path(from: "GPT-4", to: "Claude 3") { subject { id } predicateLabel object { id } } }'
    )
    assert not errors
    answer = answers["path"]["data"]
    assert answer["found"]
    steps = [
        {
            "subject": {"id": s["subject"]["id"]},
            "predicateLabel": s["predicate_label"],
            "object": {"id": s["object"]["id"]},
        }
        for s in answer["steps"]
    ]
    assert steps == data["path"]


def test_list_examples_agrees_with_graphql_in_each_order(answers: dict[str, Any], run) -> None:
    data, errors = run(
        '{ concept(id: "large language model") '
        "{ exampleCount examples(first: 1000) { id iri released } } }"
    )
    assert not errors
    expected = data["concept"]
    by_iri, newest = answers["examples by iri"]["data"], answers["examples newest"]["data"]
    assert by_iri["total"] == newest["total"] == expected["exampleCount"]
    page = len(by_iri["examples"])  # one page: the HTTP server's limit is 100
    assert page == len(newest["examples"]) == min(expected["exampleCount"], 100)
    assert (
        ids(by_iri["examples"])
        == [e["id"] for e in sorted(expected["examples"], key=lambda e: e["iri"])][:page]
    )
    assert set(ids(newest["examples"])) <= set(ids(expected["examples"]))
    dates = [e["released"] for e in newest["examples"]]
    dated = [d for d in dates if d]
    ends = [period_end(d) for d in dated]  # a year or month counts at its end, as asOf does
    assert ends == sorted(ends, reverse=True) and dates == dated + [None] * (
        len(dates) - len(dated)
    )
    left_out = [
        e["released"] for e in expected["examples"] if e["id"] not in ids(newest["examples"])
    ]
    assert all(d is None or (ends and period_end(d) <= ends[-1]) for d in left_out)


def test_list_examples_by_parameters_agrees_with_graphql(answers: dict[str, Any], run) -> None:
    data, errors = run(
        '{ concepts(kind: EXAMPLE, under: "large language model", orderBy: PARAMETERS_DESC, '
        "first: 100) { nodes { id parameters } } }"
    )
    assert not errors
    largest = answers["examples largest"]
    assert not largest["error"]
    got = [(e["id"], e["parameters"]) for e in largest["data"]["examples"]]
    assert got == [(n["id"], n["parameters"]) for n in data["concepts"]["nodes"]]
    counts = [p for _, p in got if p is not None]
    assert len(counts) >= 5 and counts == sorted(counts, reverse=True)
    assert [p for _, p in got] == counts + [None] * (len(got) - len(counts))  # counted first
    assert f"{counts[0]:,} parameters" in largest["text"]


def test_sparql_select_agrees_with_the_sparql_endpoint(
    answers: dict[str, Any], bundled: KnowledgeGraph
) -> None:
    app = FastAPI()
    app.include_router(sparql_router(lambda: bundled))
    expected = (
        TestClient(app)
        .get(
            "/sparql",
            params={"query": SELECT},
            headers={"Accept": "application/sparql-results+json"},
        )
        .json()
    )
    answer = answers["sparql"]["data"]
    assert answer["variables"] == expected["head"]["vars"]
    values = [{name: term["value"] for name, term in row.items()} for row in answer["rows"]]
    assert values == [
        {name: term["value"] for name, term in row.items()}
        for row in expected["results"]["bindings"]
    ]
    assert answers["sparql ask"]["data"]["boolean"] is True


# --- resources -------------------------------------------------------------------------------


def test_concepts_are_resources_as_markdown_cards_and_turtle(answers: dict[str, Any]) -> None:
    assert answers["templates"] == ["aikg://concept/{id}", "aikg://concept/{id}/turtle"]
    mime_type, card = answers["card"]
    assert mime_type == "text/markdown" and card.startswith("# GPT-4\n")
    mime_type, turtle = answers["turtle"]
    assert mime_type == "text/turtle" and "aikg:gpt-4" in turtle
    assert "Did you mean: GPT-4" in answers["unknown resource"]


def test_the_concept_page_answers_markdown_when_asked(bundled: KnowledgeGraph) -> None:
    response = TestClient(create_app(graph=bundled)).get(
        "/concept/gpt-4", headers={"Accept": "text/markdown"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/markdown"
    )
    assert response.text.startswith("# GPT-4\n") and "—developed by→ OpenAI" in response.text


# --- the HTTP transport's limits -------------------------------------------------------------


def test_an_oversized_body_to_mcp_is_refused(http_server: str) -> None:
    body = (
        b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", '
        b'"params": {"name": "search_concepts", "arguments": {"text": "' + b"x" * 20_000 + b'"}}}'
    )
    response = httpx.post(
        http_server + "/mcp", content=body,
        headers={"Content-Type": "application/json",
                 "Accept": "application/json, text/event-stream"},
    )  # fmt: skip
    assert response.status_code == 413
    assert "exceeds the limit of 16,000 bytes" in response.json()["errors"][0]["message"]


# --- the parts, on small inputs --------------------------------------------------------------


def test_trimming_drops_lists_before_the_definition(bundled: KnowledgeGraph) -> None:
    card = concept_card(bundled, bundled.resolve("large language model"))
    assert trimmed(card, 10_000) == card
    small = trimmed(card, 150)
    assert small.trimmed and small.estimated_tokens <= 150
    assert small.examples == [] and small.example_count == card.example_count
    assert small.definition == card.definition


def test_examples_order_newest_first_with_undated_last(turtle_graph) -> None:
    graph = turtle_graph("""
        ex:model a owl:Class ; skos:prefLabel "model" .
        ex:a a ex:model ; skos:prefLabel "b" ; <http://purl.org/dc/terms/issued> "2022" .
        ex:b a ex:model ; skos:prefLabel "a" ; <http://purl.org/dc/terms/issued> "2023-03-14" .
        ex:c a ex:model ; skos:prefLabel "c" .
        """)

    def labels(order: str) -> list[str]:
        found = graph.examples("http://example.org/model", order=ConceptOrder[order])
        return [c.label for c in found]

    assert labels("RELEASED_DESC") == ["a", "b", "c"]
    assert labels("RELEASED") == ["b", "a", "c"]
    assert labels("LABEL") == ["a", "b", "c"]
    assert labels("IRI") == ["b", "a", "c"]
