"""GraphQL: Concept.relations(predicate, direction, first), relationCount and facts."""

from __future__ import annotations


def test_anthropics_relations_filtered_to_developed_by_in_are_the_models_it_developed(
    run,
) -> None:
    data, errors = run("""{ concept(id: "Anthropic") {
        relations(predicate: "developed by", direction: IN, first: 1000) {
          direction predicateLabel phrase subject { id } object { id } other { id } }
        relationCount(predicate: "developed by", direction: IN)
        all: relationCount } }""")
    assert not errors
    concept = data["concept"]
    edges = concept["relations"]
    assert {"claude-3-opus", "claude-3-5-sonnet"} <= {e["subject"]["id"] for e in edges}
    assert all(
        e["direction"] == "IN"
        and e["predicateLabel"] == "developed by"
        and e["phrase"] == "developer of"
        and e["object"]["id"] == "anthropic"
        and e["other"] == e["subject"]
        for e in edges
    )
    assert concept["relationCount"] == len(edges) < concept["all"]


def test_mixtral_8x7b_succession_reads_from_both_ends(run) -> None:
    data, _ = run("""{
      older: concept(id: "Mixtral 8x7B") { relations(predicate: "aikgs:succeeds") {
        direction phrase reading other { label } } }
      newer: concept(id: "Mixtral 8x22B") { relations(predicate: "succeeds", direction: OUT) {
        direction phrase reading other { label } } } }""")
    assert data["older"]["relations"] == [
        {
            "direction": "IN",
            "phrase": "succeeded by",
            "reading": "succeeded by Mixtral 8x22B",
            "other": {"label": "Mixtral 8x22B"},
        }
    ]
    assert data["newer"]["relations"] == [
        {
            "direction": "OUT",
            "phrase": "succeeds",
            "reading": "succeeds Mixtral 8x7B",
            "other": {"label": "Mixtral 8x7B"},
        }
    ]


def test_the_inverse_name_swaps_the_ends(run) -> None:
    data, _ = run("""{ concept(id: "Mixtral 8x7B") {
        byInverse: relations(predicate: "succeeded by", direction: OUT) { reading }
        byName: relations(predicate: "succeeds", direction: IN) { reading } } }""")
    assert data["concept"]["byInverse"] == data["concept"]["byName"] != []


def test_every_count_equals_the_length_of_its_list(run) -> None:
    for direction in ("OUT", "IN", "BOTH"):
        data, errors = run(
            """query($d: Direction!) { concept(id: "Anthropic") {
                relations(direction: $d, first: 1000) { predicate }
                relationCount(direction: $d)
                authored: relations(predicate: "authored by", direction: $d, first: 1000) {
                  predicate }
                authoredCount: relationCount(predicate: "authored by", direction: $d) } }""",
            d=direction,
        )
        assert not errors
        concept = data["concept"]
        assert concept["relationCount"] == len(concept["relations"])
        assert concept["authoredCount"] == len(concept["authored"])


def test_the_existing_relations_query_still_answers(run) -> None:
    data, _ = run("""{ concept(id: "GPT-4") { relationCount
        relations(first: 2) { subject { id } predicate predicateLabel object { id } source } } }""")
    first = data["concept"]["relations"][0]
    assert first["subject"]["id"] == "gpt-4" and first["predicateLabel"] == "developed by"
    assert data["concept"]["relationCount"] >= 2


def test_an_unknown_predicate_is_an_error_naming_it_with_the_close_and_known_names(run) -> None:
    data, errors = run(
        '{ concept(id: "Anthropic") { relations(predicate: "devloped by") { reading } } }'
    )
    assert data is None or data["concept"] is None
    error = errors[0]
    assert error["message"].startswith(
        "Unknown predicate 'devloped by'. Did you mean: developed by"
    )
    extensions = error["extensions"]
    assert extensions["code"] == "PREDICATE_NOT_FOUND"
    assert extensions["suggestions"][0] == "developed by"
    assert "member of family" in extensions["known"]


def test_an_unknown_predicate_in_a_count_is_the_same_error(run) -> None:
    _, errors = run('{ concept(id: "Anthropic") { relationCount(predicate: "aikgs:inventedBy") } }')
    assert errors[0]["extensions"]["code"] == "PREDICATE_NOT_FOUND"
    assert "'aikgs:inventedBy'" in errors[0]["message"]


def test_facts_of_a_model_give_licence_release_date_and_note(run) -> None:
    data, errors = run("""{ concept(id: "Llama 3 8B") {
        facts { predicate predicateLabel value datatype language } } }""")
    assert not errors
    facts = data["concept"]["facts"]
    assert [(f["predicateLabel"], f["datatype"], f["language"]) for f in facts] == [
        ("date issued", "http://www.w3.org/2001/XMLSchema#date", None),
        ("licence", "http://www.w3.org/2001/XMLSchema#string", None),
        ("note", None, "en"),
    ]  # its numbers are fields of their own (parameters, contextLength), not facts
    assert facts[0]["value"] == "2024-04-18" and facts[0]["predicate"].endswith("/terms/issued")
    assert facts[1]["value"] == "Meta Llama 3 Community License"
    assert facts[2]["value"].startswith("The source is Meta's paper on the whole Llama 3 herd")


def test_facts_of_a_series_give_its_release_date_and_notes(run) -> None:
    data, errors = run("""{ concept(id: "Llama 3") {
        facts { predicateLabel value } } }""")
    assert not errors
    facts = data["concept"]["facts"]
    assert [f["predicateLabel"] for f in facts] == ["date issued", "note", "note"]
    assert facts[2]["value"].startswith("The lesson names Llama 3")


def test_a_concept_without_literal_statements_has_no_facts(run) -> None:
    data, _ = run('{ concept(id: "text") { facts { value } } }')
    assert data["concept"]["facts"] == []
