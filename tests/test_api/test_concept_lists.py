"""`concepts` filtered and ordered, and `examples(orderBy)`, over the bundled ontology."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse

from api.graphql.cost import FILTER_COST, query_cost
from tests.test_api.conftest import SCHEMA

META_LLMS = """query($after: String, $first: Int) {
  concepts(kind: EXAMPLE, under: "large language model",
           where: [{predicate: "developed by", object: "Meta"}],
           orderBy: RELEASED_DESC, first: $first, after: $after) {
    totalCount nodes { id released } edges { cursor } pageInfo { hasNextPage endCursor }
  }
}"""


def test_the_llms_meta_developed_come_newest_first_through_its_lab(run) -> None:
    data, errors = run(META_LLMS, first=30)
    assert not errors
    page = data["concepts"]
    # Developed by Meta AI, part of Meta Platforms ("Meta"); Llama 3.1, 3, 2, LLaMA, Galactica,
    # RoBERTa and BART are series, so their sized models are listed.
    # Llama 4 and Llama 3.2 Vision read images too: multimodal LLMs, LLMs all the same.
    assert [(n["id"], n["released"]) for n in page["nodes"]] == [
        ("llama-4-maverick", "2025-04-05"),
        ("llama-4-scout", "2025-04-05"),
        ("llama-guard-3", "2024"),  # a year alone compares at its end, 2024-12-31
        ("llama-3-3-70b", "2024-12-06"),
        ("llama-3-2-11b-vision", "2024-09-25"),
        ("llama-3-2-1b", "2024-09-25"),
        ("llama-3-2-3b", "2024-09-25"),  # a tie keeps the order of the IRIs
        ("llama-3-2-90b-vision", "2024-09-25"),
        ("llama-3-1-405b", "2024-07-23"),
        ("llama-3-1-70b", "2024-07-23"),
        ("llama-3-1-8b", "2024-07-23"),
        ("llama-3-70b", "2024-04-18"),
        ("llama-3-8b", "2024-04-18"),
        ("llama-2-13b", "2023-07"),
        ("llama-2-70b", "2023-07"),
        ("llama-2-7b", "2023-07"),
        ("llama-1-13b", "2023-02"),  # a tie keeps the order of the IRIs
        ("llama-1-33b", "2023-02"),
        ("llama-1-65b", "2023-02"),
        ("llama-1-7b", "2023-02"),
        ("galactica-1-3b", "2022-11"),
        ("galactica-120b", "2022-11"),
        ("galactica-125m", "2022-11"),
        ("galactica-30b", "2022-11"),
        ("galactica-6-7b", "2022-11"),
        ("bart-large", "2019-11"),
        ("roberta-base", "2019-07"),  # a tie keeps the order of the IRIs
        ("roberta-large", "2019-07"),
    ]
    assert page["totalCount"] == 28 and not page["pageInfo"]["hasNextPage"]


def test_pages_of_a_filtered_ordered_list_follow_on_from_their_cursors(run) -> None:
    first, _ = run(META_LLMS, first=3)
    second, _ = run(META_LLMS, first=3, after=first["concepts"]["pageInfo"]["endCursor"])
    assert first["concepts"]["pageInfo"]["hasNextPage"]
    assert [n["id"] for n in second["concepts"]["nodes"]] == [
        "llama-3-3-70b",
        "llama-3-2-11b-vision",
        "llama-3-2-1b",
    ]
    assert first["concepts"]["edges"][-1]["cursor"] == first["concepts"]["pageInfo"]["endCursor"]


def test_kind_stays_the_concept_kind_enum_and_takes_a_variable(run) -> None:
    query = "query($k: ConceptKind) { concepts(kind: $k, first: 2) { totalCount nodes { kind } } }"
    data, errors = run(query, k="EXAMPLE")
    assert not errors
    assert {n["kind"] for n in data["concepts"]["nodes"]} == {"EXAMPLE"}
    _, refused = run('{ concepts(kind: "large language model") { totalCount } }')
    assert refused  # a kind by name is `under:` with `kind: EXAMPLE`


def test_the_named_examples_of_a_kind_are_under_it_with_kind_example(run) -> None:
    query = '{ concepts(kind: EXAMPLE, under: "LLM", first: 1000) { nodes { id kind } } }'
    data, errors = run(query)
    assert not errors
    ids = {n["id"] for n in data["concepts"]["nodes"]}
    assert {"gpt-4", "llama-3-8b"} <= ids and "large-language-model" not in ids
    assert "llama-3" not in ids  # a series, not a model (R1)
    assert {n["kind"] for n in data["concepts"]["nodes"]} == {"EXAMPLE"}


def test_under_keeps_sub_kinds_and_examples_but_not_the_concept_itself(run) -> None:
    data, _ = run('{ concepts(under: "foundation model", first: 1000) { nodes { id kind } } }')
    found = {n["id"]: n["kind"] for n in data["concepts"]["nodes"]}
    assert found["large-language-model"] == "CLASS" and found["gpt-4"] == "EXAMPLE"
    assert "foundation-model" not in found and "openai" not in found


def test_several_relation_filters_must_all_hold(run) -> None:
    query = """{ concepts(where: [{predicate: "aikgs:developedBy", object: "OpenAI"},
                                {predicate: "has modality", object: "image"}], first: 1000) {
                 nodes { id } } }"""
    data, errors = run(query)
    ids = {n["id"] for n in data["concepts"]["nodes"]}
    assert not errors and "gpt-4o" in ids and "gpt-3" not in ids


def test_an_unknown_predicate_is_named_with_suggestions(run) -> None:
    query = '{ concepts(where: [{predicate: "devloped by", object: "Meta"}]) { totalCount } }'
    data, errors = run(query)
    assert data is None
    assert "Unknown predicate 'devloped by'" in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "PREDICATE_NOT_FOUND"
    assert "developed by" in errors[0]["extensions"]["suggestions"]


def test_a_filter_suggests_only_names_it_takes(run) -> None:
    # "developer of" reads from the object's side, which a filter refuses: never suggested.
    query = '{ concepts(where: [{predicate: "developer", object: "Meta"}]) { totalCount } }'
    _, errors = run(query)
    assert errors[0]["extensions"]["suggestions"] == ["developed by"]


def test_an_unknown_object_is_named(run) -> None:
    query = (
        '{ concepts(where: [{predicate: "developed by", object: "Metta Labz"}]) { totalCount } }'
    )
    _, errors = run(query)
    assert errors[0]["extensions"]["code"] == "CONCEPT_NOT_FOUND"
    assert "'Metta Labz'" in errors[0]["message"]


@pytest.mark.parametrize("argument", ["releasedAfter", "releasedBefore"])
def test_a_date_that_is_not_a_date_names_its_argument(run, argument: str) -> None:
    _, errors = run(f'{{ concepts({argument}: "last spring") {{ totalCount }} }}')
    assert f"'{argument}' must be a date like 2022-12-31" in errors[0]["message"]


def test_released_after_a_year_leaves_out_a_month_inside_it(run) -> None:
    query = """{ concepts(kind: EXAMPLE, releasedAfter: "2023", releasedBefore: "2024-02",
                 orderBy: RELEASED, first: 1000) { nodes { released } } }"""
    data, _ = run(query)
    released = [n["released"] for n in data["concepts"]["nodes"]]
    assert released and all(r.startswith("2024-01") for r in released)


def test_a_cursor_of_one_order_is_refused_by_another(run) -> None:
    first, _ = run(META_LLMS, first=1)
    cursor = first["concepts"]["pageInfo"]["endCursor"]
    _, errors = run(
        "query($c: String) { concepts(orderBy: LABEL, after: $c) { totalCount } }", c=cursor
    )
    assert (
        "a cursor of orderBy RELEASED_DESC, but this list is ordered by LABEL"
        in (errors[0]["message"])
    )


def test_examples_take_an_order(run) -> None:
    query = """{ concept(id: "LLM") {
        newest: examples(orderBy: RELEASED_DESC, first: 3, asOf: "2023") { released }
        byLabel: examples(orderBy: LABEL, first: 1000) { label } } }"""
    data, errors = run(query)
    assert not errors
    newest = [e["released"] for e in data["concept"]["newest"]]
    assert len(newest) == 3 and all(r <= "2023-12-31" for r in newest)
    labels = [e["label"].casefold() for e in data["concept"]["byLabel"]]
    assert labels == sorted(labels)


def test_the_readme_query_for_metas_llms_answers_as_the_readme_says(run) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    block = readme.split('"Which LLMs did Meta develop, newest first?"', 1)[1]
    query = block.split("```graphql", 1)[1].split("```", 1)[0]
    data, errors = run("\n".join(line for line in query.splitlines() if "#" not in line))
    assert not errors
    assert [n["id"] for n in data["concepts"]["nodes"]] == [
        "llama-4-maverick", "llama-4-scout", "llama-guard-3", "llama-3-3-70b",
        "llama-3-2-11b-vision", "llama-3-2-1b", "llama-3-2-3b", "llama-3-2-90b-vision",
        "llama-3-1-405b", "llama-3-1-70b", "llama-3-1-8b", "llama-3-70b", "llama-3-8b",
        "llama-2-13b", "llama-2-70b", "llama-2-7b",
        "llama-1-13b", "llama-1-33b", "llama-1-65b", "llama-1-7b",
        "galactica-1-3b", "galactica-120b", "galactica-125m", "galactica-30b", "galactica-6-7b",
        "bart-large", "roberta-base", "roberta-large",
    ]  # fmt: skip
    assert '# 28: llama-4-maverick "2025-04-05", llama-4-scout "2025-04-05"' in query


def test_each_filter_is_charged_in_the_cost_model_and_the_old_kinds_are_free() -> None:
    def cost(arguments: str) -> int | None:
        return query_cost(
            SCHEMA._schema, parse(f"{{ concepts({arguments}first: 10) {{ nodes {{ id }} }} }}")
        )

    plain = cost("")
    assert cost("kind: EXAMPLE, orderBy: LABEL, ") == plain == 11
    two_relations = '{predicate: "developed by", object: "Meta"}, {predicate: "x", object: "y"}'
    assert cost(f'under: "x", where: [{two_relations}], releasedAfter: "2020", ') == (
        plain + 4 * FILTER_COST  # type: ignore[operator]
    )
    ordered = "{ concepts(first: 10) { nodes { examples(orderBy: LABEL, first: 5) { id } } } }"
    assert query_cost(SCHEMA._schema, parse(ordered)) == 11 + 10 * (5 + FILTER_COST)


def test_a_family_filter_keeps_the_models_of_its_series_at_any_depth(run) -> None:
    query = """{ concepts(kind: EXAMPLE, under: "AI model", first: 100,
                 where: [{predicate: "member of family", object: "Llama family"}]) {
                 nodes { id } } }"""
    data, errors = run(query)
    assert not errors
    models = {n["id"] for n in data["concepts"]["nodes"]}
    # Llama 3 8B is in the Llama 3 series, itself in the Llama family; Llama 4 Scout likewise.
    assert {"llama-3-8b", "llama-3-1-405b", "llama-4-scout", "llama-2-7b"} <= models
    direct, _ = run(
        """{ concepts(kind: EXAMPLE, where: [{predicate: "member of family", object: "Llama 3"}])
             { nodes { id } } }"""
    )
    assert {n["id"] for n in direct["concepts"]["nodes"]} == {"llama-3-8b", "llama-3-70b"}


def test_under_a_named_example_is_refused_saying_what_to_ask(run) -> None:
    # Nothing is ever under a named example: an empty list would hide the mistake.
    _, family = run('{ concepts(under: "Claude") { totalCount } }')
    assert family[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "model family or series, not a kind" in family[0]["message"]
    assert 'predicate: "member of family", object: "Claude"' in family[0]["message"]
    _, model = run('{ search(text: "opus", under: "GPT-4") { id } }')
    assert "'GPT-4' is a named example, not a kind" in model[0]["message"]
    assert "large language model" in model[0]["message"]  # its kinds, to ask under instead
