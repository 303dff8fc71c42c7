"""The GraphQL contract over the bundled ontology: lookups, proofs, lists and errors."""

from __future__ import annotations

from api.graphql.context import Context
from tests.test_api.conftest import SCHEMA

CONCEPT = """query($id: String!) {
  concept(id: $id) { id iri label altLabels definition kind source
                     parents { id } ancestors { id } types { id } allTypes { id } }
}"""
IS_A = """query($s: String!, $o: String!) {
  isA(subject: $s, object: $o) {
    holds
    path { subject { label } predicate predicateLabel object { label } source }
  }
}"""
EXAMPLE_OF = (
    "query($s: String!, $o: String!) "
    "{ exampleOf(subject: $s, object: $o) { holds path { predicate } } }"
)


def test_a_concept_is_found_by_any_label_and_shows_its_place(run) -> None:
    data, errors = run(CONCEPT, id="large language models")
    assert not errors
    llm = data["concept"]
    assert (llm["id"], llm["kind"]) == ("large-language-model", "CLASS")
    assert llm["iri"] == "https://w3id.org/aikg/concept/large-language-model"
    assert "LLM" in llm["altLabels"] and llm["definition"]
    assert {"id": "foundation-model"} in llm["parents"]
    assert {"id": "foundation-model"} in llm["ancestors"]


def test_an_unknown_concept_is_null_without_error(run) -> None:
    data, errors = run(CONCEPT, id="no such concept at all")
    assert data == {"concept": None} and not errors


def test_gpt_4_is_a_foundation_model_through_llm(run) -> None:
    data, errors = run(IS_A, s="GPT-4", o="foundation model")
    assert not errors and data["isA"]["holds"]
    path = [
        (e["subject"]["label"], e["predicateLabel"], e["object"]["label"])
        for e in data["isA"]["path"]
    ]
    assert path == [
        ("GPT-4", "example of", "large language model"),
        ("large language model", "is a", "foundation model"),
    ]
    assert all(e["source"] for e in data["isA"]["path"])


def test_a_false_answer_has_an_empty_path(run) -> None:
    data, _ = run(IS_A, s="foundation model", o="LLM")
    assert data["isA"] == {"holds": False, "path": []}


def test_an_llm_is_not_an_example_of_a_foundation_model(run) -> None:
    data, _ = run(EXAMPLE_OF, s="LLM", o="foundation model")
    assert data["exampleOf"] == {"holds": False, "path": []}


def test_whisper_large_is_an_example_of_an_audio_model(run) -> None:
    data, _ = run(EXAMPLE_OF, s="Whisper large", o="audio model")
    assert data["exampleOf"]["holds"]
    assert data["exampleOf"]["path"][0]["predicate"].endswith("rdf-syntax-ns#type")


def test_an_unknown_concept_in_a_question_is_an_error_with_suggestions(run) -> None:
    data, errors = run(IS_A, s="GTP-4", o="foundation model")
    assert data is None
    assert errors[0]["extensions"]["code"] == "CONCEPT_NOT_FOUND"
    assert "GPT-4" in errors[0]["extensions"]["suggestions"]
    assert "Did you mean" in errors[0]["message"]


def test_a_label_two_concepts_share_as_written_is_ambiguous_with_the_candidates(
    turtle_graph,
) -> None:
    graph = turtle_graph(
        'ex:mercury1 a owl:NamedIndividual ; skos:prefLabel "Mercury"@en .\n'
        'ex:mercury2 a owl:NamedIndividual ; skos:prefLabel "Mercury"@en .\n'
        'ex:planet a owl:Class ; skos:prefLabel "planet"@en .\n'
    )
    result = SCHEMA.execute_sync(
        IS_A, variable_values={"s": "Mercury", "o": "planet"}, context_value=Context(graph)
    )
    assert result.data is None and result.errors
    error = result.errors[0].formatted
    assert error["extensions"]["code"] == "AMBIGUOUS_CONCEPT"
    assert set(error["extensions"]["candidates"]) == {
        "Mercury (ex:mercury1)",
        "Mercury (ex:mercury2)",
    }


def test_concepts_are_paginated_with_a_total_count(run) -> None:
    query = """query($after: String) { concepts(kind: CLASS, first: 5, after: $after) {
        totalCount nodes { id kind } pageInfo { hasNextPage endCursor } } }"""
    first, _ = run(query, after=None)
    second, _ = run(query, after=first["concepts"]["pageInfo"]["endCursor"])
    page1, page2 = first["concepts"], second["concepts"]
    assert page1["totalCount"] == page2["totalCount"] > 10
    assert page1["pageInfo"]["hasNextPage"]
    assert all(n["kind"] == "CLASS" for n in page1["nodes"] + page2["nodes"])
    assert page1["nodes"][-1]["id"] < page2["nodes"][0]["id"]


def test_a_page_size_out_of_bounds_is_a_readable_error(run) -> None:
    _, errors = run("{ concepts(first: 100000) { totalCount } }")
    assert "'first' must be between 0 and 1000" in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_forged_cursor_is_a_readable_error(run) -> None:
    _, errors = run('{ concepts(after: "!!!") { totalCount } }')
    assert "not a cursor this service issued" in errors[0]["message"]


def test_search_finds_by_acronym(run) -> None:
    data, _ = run('{ search(text: "RAG", first: 3) { id } }')
    assert data["search"][0]["id"] == "retrieval-augmented-generation"


def test_relations_show_typed_edges_with_readable_names(run) -> None:
    data, _ = run('{ concept(id: "GPT-4") { relations { predicateLabel object { id } } } }')
    assert {"predicateLabel": "developed by", "object": {"id": "openai"}} in data["concept"][
        "relations"
    ]


def test_examples_are_transitive_by_default(run) -> None:
    data, _ = run("""{ concept(id: "foundation model") {
        all: examples { id } direct: examples(transitive: false) { id } } }""")
    assert {"id": "gpt-4"} in data["concept"]["all"]
    assert {"id": "gpt-4"} not in data["concept"]["direct"]


def test_too_deep_a_query_is_refused_by_the_depth_limit(run) -> None:
    deep = '{ concept(id: "LLM") { ' + "parents { " * 14 + "id" + " }" * 14 + " } }"
    _, errors = run(deep)
    assert "exceeds maximum operation depth" in errors[0]["message"]


def test_an_unexpected_crash_is_masked_but_validation_errors_are_not(
    run, monkeypatch, bundled
) -> None:
    def crash(*_args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(type(bundled), "search", crash)
    _, errors = run('{ search(text: "x") { id } }')
    assert errors[0]["message"].startswith("Unexpected error. Request id: ")
    assert errors[0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    _, errors = run("{ nonsense }")
    assert "Cannot query field 'nonsense'" in errors[0]["message"]


def test_too_many_aliases_are_refused(run) -> None:
    query = "{ " + " ".join(f'a{i}: concept(id: "LLM") {{ id }}' for i in range(31)) + " }"
    _, errors = run(query)
    assert "aliases found" in errors[0]["message"] and "30" in errors[0]["message"]


def test_too_many_tokens_are_refused(run) -> None:
    query = "{ " + " ".join("__typename" for _ in range(2100)) + " }"
    _, errors = run(query)
    assert "more than 2000 tokens" in errors[0]["message"]


def test_a_syntax_error_is_reported_with_its_place(run) -> None:
    _, errors = run("{ concept(id: ")
    assert errors[0]["message"].startswith("Syntax Error") and errors[0]["locations"]


def test_repeated_queries_hit_the_validation_cache(bundled) -> None:
    from api.graphql.context import Context
    from api.graphql.schema import build_schema

    schema = build_schema()
    cache = schema.extensions[0]().cache  # type: ignore[operator]
    for _ in range(5):
        assert not schema.execute_sync(
            '{ concept(id: "LLM") { id } }', context_value=Context(bundled)
        ).errors
    assert (cache.misses, cache.hits) == (1, 4)
