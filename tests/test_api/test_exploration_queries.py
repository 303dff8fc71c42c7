"""The exploring part of the contract over GraphQL: related, path, neighbourhood, search, counts."""

from __future__ import annotations


def test_related_gives_concepts_scores_reasons_and_edges(run) -> None:
    data, errors = run(
        """query($id: String!) { related(id: $id, first: 3) {
             concept { id } score reasons via { subject { id } predicateLabel object { id } } }
           relatedCount(id: $id) }""",
        id="GPT-4",
    )
    assert not errors
    assert len(data["related"]) == 3 and data["relatedCount"] > 3
    scores = [r["score"] for r in data["related"]]
    assert scores == sorted(scores, reverse=True)
    assert all(r["reasons"] and r["via"] for r in data["related"])


def test_path_returns_edges_or_null(run) -> None:
    data, errors = run(
        """{ found: path(from: "Whisper", to: "GPT-4") { subject { id } predicate object { id } }
             none: path(from: "Whisper", to: "GPT-4", maxLength: 1) { predicate } }"""
    )
    assert not errors
    assert len(data["found"]) == 2 and data["none"] is None


def test_neighbourhood_gives_nodes_edges_and_a_total(run) -> None:
    data, errors = run(
        '{ neighbourhood(id: "GPT-4", first: 4) '
        "{ nodes { id } edges { subject { id } object { id } } totalNodes } }"
    )
    assert not errors
    subgraph = data["neighbourhood"]
    assert subgraph["nodes"][0]["id"] == "gpt-4" and len(subgraph["nodes"]) == 4
    assert subgraph["totalNodes"] >= 4
    ids = {n["id"] for n in subgraph["nodes"]}
    assert all(e["subject"]["id"] in ids and e["object"]["id"] in ids for e in subgraph["edges"])


def test_search_filters_and_counts(run) -> None:
    data, errors = run(
        """{ search(text: "model", first: 50, kind: EXAMPLE, under: "foundation model") { id kind }
             searchCount(text: "chinchila") }"""
    )
    assert not errors
    assert all(c["kind"] == "EXAMPLE" for c in data["search"])
    assert data["searchCount"] >= 1


def test_list_fields_take_first_and_counts_say_how_many_there_are(run) -> None:
    data, errors = run(
        """{ concept(id: "foundation model") {
             children(first: 1) { id } childCount
             descendants(first: 2, offset: 1) { id } descendantCount
             examples(first: 3) { id } exampleCount
             relations(first: 1) { predicate } relationCount } }"""
    )
    assert not errors
    concept = data["concept"]
    assert len(concept["children"]) == 1 and concept["childCount"] > 1
    assert len(concept["descendants"]) == 2 and concept["descendantCount"] > 2
    assert len(concept["examples"]) == 3 and concept["exampleCount"] > 3
    assert len(concept["relations"]) == 1 and concept["relationCount"] >= 1


def test_a_page_past_the_limit_is_refused_on_nested_lists_too(run) -> None:
    _, errors = run('{ concept(id: "AI model") { descendants(first: 5000) { id } } }')
    assert "page size limit" in errors[0]["message"]


def test_examples_as_of_a_date_and_a_bad_date(run) -> None:
    data, errors = run(
        """{ concept(id: "large language model") {
             all: exampleCount
             before2020: exampleCount(asOf: "2019-12-31") } }"""
    )
    assert not errors
    assert data["concept"]["before2020"] <= data["concept"]["all"]
    _, errors = run('{ concept(id: "large language model") { examples(asOf: "soon") { id } } }')
    assert "like 2022-12-31" in errors[0]["message"]


def test_labels_by_language_and_mappings(run) -> None:
    data, errors = run(
        """{ concept(id: "large language model") {
             en: label de: label(lang: "de") xx: label(lang: "xx") labels { lang value }
             mappings { relation iri } } }"""
    )
    assert not errors
    concept = data["concept"]
    assert concept["xx"] == concept["en"] == "large language model"
    assert concept["de"] != concept["en"]
    assert {"lang": "de", "value": concept["de"]} in concept["labels"]
    assert {"relation": "exactMatch", "iri": "https://w3id.org/aio/LargeLanguageModel"} in concept[
        "mappings"
    ]


def test_a_mapped_iri_finds_our_concept(run) -> None:
    data, errors = run('{ concept(id: "https://w3id.org/aio/LargeLanguageModel") { id } }')
    assert not errors and data["concept"]["id"] == "large-language-model"
