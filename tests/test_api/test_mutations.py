"""Edits through GraphQL: bearer tokens (401/403 that say why), validation, results, provenance."""

from __future__ import annotations

import gc
import time
import weakref
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from api.app import create_app
from api.auth import AuthError, parse_tokens, writer
from api.settings import Settings
from graph.edits import live as live_module
from graph.loading import load_files
from graph.store.change_log import change_log
from ontology import data_files

ALICE = "alice-token-0123456789abcdef"
BOB = "bob-token-0123456789abcdef"
NEW_MODEL = """
mutation($id: String!) {
  edit(operations: [
    {addConcept: {id: $id, label: "Test Model Y", definition: "A model the tests make up.",
                  kind: EXAMPLE, parents: ["large language model"],
                  source: "foundation-model-lesson"}},
    {addEdge: {subject: $id, predicate: "aikgs:developedBy", object: "OpenAI"}},
    {addEdge: {subject: $id, predicate: "aikgs:hasModality", object: "text"}}
  ]) {
    revision added removed
    concepts { id label types { id } allTypes { id } }
  }
}"""


@pytest.fixture
def client() -> TestClient:
    settings = Settings(write_tokens=parse_tokens(f"alice:{ALICE}\nbob:{BOB}"))
    return TestClient(create_app(settings, load_files(data_files())))


def post(
    client: TestClient,
    query: str,
    token: str | None = None,
    header: str | None = None,
    **variables: Any,
):
    headers = (
        {"Authorization": header if header is not None else f"Bearer {token}"}
        if token or header
        else {}
    )
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


def test_reads_need_no_token(client: TestClient) -> None:
    response = post(client, '{ concept(id: "GPT-4") { label } }')
    assert response.status_code == 200 and response.json()["data"]["concept"]["label"] == "GPT-4"


def test_a_mutation_without_a_token_is_401_with_a_bearer_challenge(client: TestClient) -> None:
    response = post(client, NEW_MODEL, id="test-model-y")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Authorization: Bearer <token>" in error["message"]


@pytest.mark.parametrize(
    "header", ["Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer two words", "token-without-scheme"]
)
def test_a_malformed_authorization_header_is_401(client: TestClient, header: str) -> None:
    response = post(client, NEW_MODEL, header=header, id="test-model-y")
    assert response.status_code == 401
    assert "Malformed Authorization header" in response.json()["errors"][0]["message"]


def test_a_wrong_token_is_403_and_changes_nothing(client: TestClient) -> None:
    response = post(client, NEW_MODEL, token="not-a-token-anyone-has-1234", id="test-model-y")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "This token is not allowed to write."
    assert post(client, '{ concept(id: "test-model-y") { id } }').json()["data"]["concept"] is None


def test_a_server_without_tokens_refuses_every_write_with_403() -> None:
    client = TestClient(create_app(Settings(), load_files(data_files())))
    response = post(client, NEW_MODEL, token=ALICE, id="test-model-y")
    assert response.status_code == 403
    assert "no write tokens configured" in response.json()["errors"][0]["message"]


def test_an_edit_is_answered_from_the_graph_it_made_and_served_from_then_on(
    client: TestClient,
) -> None:
    response = post(client, NEW_MODEL, token=ALICE, id="test-model-y")
    assert response.status_code == 200, response.text
    result = response.json()["data"]["edit"]
    assert result["revision"] == 1 and result["removed"] == 0 and result["added"] == 8
    model = next(c for c in result["concepts"] if c["id"] == "test-model-y")
    assert {t["id"] for t in model["types"]} == {"large-language-model"}
    assert "foundation-model" in {t["id"] for t in model["allTypes"]}
    answer = post(client, '{ isA(subject: "Test Model Y", object: "foundation model") { holds } }')
    assert answer.json()["data"]["isA"]["holds"] is True
    assert client.get("/health").json()["revision"] == 1


def test_the_graph_an_edit_replaced_is_freed_once_the_requests_that_read_it_are_answered(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # graphql-core's execution context is a reference cycle holding the request's context
    # and its errors: left to the cycle collector, each request kept the graph it read (at a
    # million kinds, hundreds of MB of columns that the next edit could not reuse)
    post(client, NEW_MODEL, token=ALICE, id="test-model-x")  # (the checks' first imports)
    gone = weakref.ref(client.app.state.live.current)  # type: ignore[attr-defined]
    slots = client.app.state.admission.slots  # type: ignore[attr-defined]
    in_slots: list[object] = []
    run = slots.run
    monkeypatch.setattr(slots, "run", lambda *a, **k: in_slots.append(a) or run(*a, **k))
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        read = post(client, '{ concept(id: "GPT-4") { label } }')
        costly = post(client, '{ search(text: "model", first: 100) { id ancestors { id } } }')
        assert read.status_code == costly.status_code == 200, costly.text
        assert len(in_slots) == 1  # the costly query ran in a slot's thread
        # errors' tracebacks hold the resolvers' frames (and a refused edit's trial graph)
        unknown = post(client, '{ related(id: "no such concept") { concept { id } } }')
        assert unknown.json()["errors"][0]["extensions"]["code"] == "CONCEPT_NOT_FOUND"
        cycle = (
            'mutation { edit(operations: [{addEdge: {subject: "foundation model",'
            ' predicate: "IS_A", object: "LLM"}}]) { revision } }'
        )
        refused = post(client, cycle, token=ALICE)
        assert refused.json()["errors"][0]["extensions"]["code"] == "INVALID_EDIT", refused.text
        edited = post(client, NEW_MODEL, token=ALICE, id="test-model-y")
        assert edited.json()["data"]["edit"]["revision"] == 2
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_each_edit_records_the_token_name_and_time(client: TestClient) -> None:
    post(client, NEW_MODEL, token=ALICE, id="test-model-y")
    post(client, 'mutation { addAltLabel(id: "GPT-4", label: "GPT four") { revision } }', token=BOB)
    log = change_log(client.app.state.live.backend)  # type: ignore[attr-defined]
    assert [(revision, agent) for revision, _, agent, _ in log] == [(1, "alice"), (2, "bob")]
    assert all(when.endswith("Z") or "+00:00" in when for _, _, _, when in log)


def test_an_invalid_edit_is_rejected_whole_with_the_reasons(client: TestClient) -> None:
    query = """mutation { edit(operations: [
        {addAltLabel: {id: "GPT-4", text: "fine on its own"}},
        {addEdge: {subject: "foundation model", predicate: "IS_A", object: "large language model"}}
    ]) { revision } }"""
    response = post(client, query, token=ALICE)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_EDIT"
    assert any("is-a cycle" in reason for reason in error["extensions"]["reasons"])
    labels = post(client, '{ concept(id: "GPT-4") { altLabels } }').json()["data"]["concept"][
        "altLabels"
    ]
    assert "fine on its own" not in labels
    assert client.get("/health").json()["revision"] == 0


def test_unknown_concepts_in_an_edit_say_did_you_mean(client: TestClient) -> None:
    response = post(
        client,
        'mutation { addIsA(subject: "GPT-4", object: "foundation modle") { revision } }',
        token=ALICE,
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "CONCEPT_NOT_FOUND"
    assert "foundation model" in error["message"]


def test_every_kind_of_edit_and_its_removal(client: TestClient) -> None:
    def edit(mutation: str) -> dict:
        response = post(
            client, "mutation { " + mutation + " { revision added removed } }", token=ALICE
        )
        assert "errors" not in response.json(), response.text
        return next(iter(response.json()["data"].values()))

    assert edit('setLabel(id: "GPT-4", label: "GPT-4 (2023)")')["removed"] == 1
    assert (
        edit('setDefinition(id: "GPT-4", definition: "Un modèle.", language: "fr")')["added"] == 1
    )
    assert edit('addAltLabel(id: "GPT-4", label: "GPT quatre", language: "fr")')["added"] == 1
    assert edit('removeAltLabel(id: "GPT-4", label: "GPT quatre", language: "fr")')["removed"] == 1
    assert (
        edit('addRelation(subject: "GPT-4", predicate: "aikgs:hasModality", object: "image")')[
            "added"
        ]
        == 1
    )
    assert (
        edit('removeRelation(subject: "GPT-4", predicate: "aikgs:hasModality", object: "image")')[
            "removed"
        ]
        == 1
    )
    assert edit('addExampleOf(subject: "GPT-4", object: "multimodal model")')["added"] == 1
    assert edit('removeExampleOf(subject: "GPT-4", object: "multimodal model")')["removed"] == 1
    assert (
        edit('addIsA(subject: "code model", object: "open-source foundation model")')["added"] == 1
    )
    assert (
        edit('removeIsA(subject: "code model", object: "open-source foundation model")')["removed"]
        == 1
    )
    concept = post(client, '{ concept(id: "GPT-4") { label definition(lang: "fr") } }').json()[
        "data"
    ]["concept"]
    assert concept == {"label": "GPT-4 (2023)", "definition": "Un modèle."}


def test_removing_a_concept_others_depend_on_is_refused(client: TestClient) -> None:
    response = post(client, 'mutation { removeConcept(id: "OpenAI") { revision } }', token=ALICE)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_EDIT"
    assert any("developed it" in reason for reason in error["extensions"]["reasons"])


def test_the_served_turtle_follows_the_edits_and_round_trips(client: TestClient) -> None:
    post(client, NEW_MODEL, token=ALICE, id="test-model-y")
    text = client.get("/ontology.ttl?skos=false").text
    assert "aikg:test-model-y" in text
    served = client.app.state.live.current.store  # type: ignore[attr-defined]
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), served.to_rdflib())
    with_skos = rdflib.Graph().parse(data=client.get("/ontology.ttl").text, format="turtle")
    new = rdflib.URIRef("https://w3id.org/aikg/concept/test-model-y")
    assert (new, rdflib.SKOS.inScheme, rdflib.URIRef("https://w3id.org/aikg/")) in with_skos


def test_tokens_are_compared_by_digest_and_named() -> None:
    tokens = parse_tokens(f"alice:{ALICE}")
    assert writer(f"Bearer {ALICE}", tokens) == "alice"
    assert all(ALICE not in part for pair in tokens for part in pair)  # only digests are kept
    with pytest.raises(AuthError) as refused:
        writer(f"bearer {ALICE}x", tokens)
    assert refused.value.status == 403
    with pytest.raises(ValueError, match="16"):
        parse_tokens("eve:short")


def test_an_edit_ready_only_after_the_time_limit_is_a_503_and_commits_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a client told that its request ran out of time must not find the edit made afterwards
    settings = Settings(write_tokens=parse_tokens(f"alice:{ALICE}"), timeout_s=0.2)
    client = TestClient(create_app(settings, load_files(data_files())))
    building = live_module.changed_index

    def slow_index(*args: Any) -> Any:
        time.sleep(0.5)  # as an edit that builds the whole index of a million kinds
        return building(*args)

    monkeypatch.setattr(live_module, "changed_index", slow_index)
    revision = client.get("/health").json()["revision"]
    response = post(client, NEW_MODEL, ALICE, id="test-model-late")
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "timeout", "value": 0.2}
    assert "not committed: nothing was changed" in error["message"]
    after = post(client, '{ concept(id: "test-model-late") { id } }').json()
    assert after["data"]["concept"] is None
    assert client.get("/health").json()["revision"] == revision
