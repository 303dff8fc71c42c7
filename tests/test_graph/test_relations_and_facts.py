"""Relations filtered by predicate and direction and read from either end; facts; every
predicate and reason in plain English."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from graph import KnowledgeGraph, load_files, open_store
from graph import vocabulary as V
from graph.errors import InvalidArgument, PredicateNotFound
from graph.knowledge_graph import GROUPED_FROM
from graph.model import Direction

ANTHROPIC = V.CONCEPT_NS + "anthropic"
MIXTRAL_8X7B = V.CONCEPT_NS + "mixtral-8x7b"
DEVELOPED_BY = V.SCHEMA_NS + "developedBy"
SUCCEEDS = V.SCHEMA_NS + "succeeds"


def test_anthropics_edges_filtered_to_developed_by_in_are_its_models(
    bundled: KnowledgeGraph,
) -> None:
    models = bundled.relations(ANTHROPIC, predicate="developed by", direction=Direction.IN)
    assert models and all(
        r.predicate == DEVELOPED_BY and r.object.iri == ANTHROPIC and r.direction is Direction.IN
        for r in models
    )
    assert "Claude 3 Opus" in {r.subject.label for r in models}
    everything = bundled.relations(ANTHROPIC)
    assert {r.predicate for r in everything} > {DEVELOPED_BY}  # papers it authored are left out
    assert len(models) == sum(
        r.predicate == DEVELOPED_BY and r.direction is Direction.IN for r in everything
    )


@pytest.mark.parametrize(
    "reference", ["developed by", "Developed  By", "aikgs:developedBy", DEVELOPED_BY]
)
def test_a_predicate_is_named_by_its_label_curie_or_iri(
    bundled: KnowledgeGraph, reference: str
) -> None:
    assert bundled.relation_predicate(reference) == (DEVELOPED_BY, False)


def test_the_inverse_name_names_the_predicate_with_the_ends_swapped(
    bundled: KnowledgeGraph,
) -> None:
    assert bundled.relation_predicate("developer of") == (DEVELOPED_BY, True)
    as_developer = bundled.relations(ANTHROPIC, predicate="developer of", direction=Direction.OUT)
    assert as_developer == bundled.relations(
        ANTHROPIC, predicate="developed by", direction=Direction.IN
    )


def test_mixtral_8x7b_reads_its_succession_from_its_own_side(bundled: KnowledgeGraph) -> None:
    older = bundled.relations(MIXTRAL_8X7B, predicate="succeeds")
    assert [(r.direction, r.phrase, r.reading, r.other.label) for r in older] == [
        (Direction.IN, "succeeded by", "succeeded by Mixtral 8x22B", "Mixtral 8x22B")
    ]
    assert not any(r.reading.startswith("succeeds") for r in bundled.relations(MIXTRAL_8X7B))


def test_mixtral_8x22b_reads_the_same_edge_from_the_other_end(bundled: KnowledgeGraph) -> None:
    newer = bundled.relations(V.CONCEPT_NS + "mixtral-8x22b", predicate=SUCCEEDS)
    assert [(r.direction, r.reading) for r in newer] == [(Direction.OUT, "succeeds Mixtral 8x7B")]
    assert (newer[0].subject, newer[0].object) == (
        bundled.relations(MIXTRAL_8X7B, predicate=SUCCEEDS)[0].subject,
        bundled.relations(MIXTRAL_8X7B, predicate=SUCCEEDS)[0].object,
    )


@pytest.mark.parametrize("predicate", [None, "developed by", "authored by", "developer of"])
@pytest.mark.parametrize("direction", list(Direction))
def test_counts_equal_the_lengths_of_the_lists(
    bundled: KnowledgeGraph, predicate: str | None, direction: Direction
) -> None:
    for iri in (ANTHROPIC, MIXTRAL_8X7B):
        listed = bundled.relations(iri, predicate=predicate, direction=direction)
        assert bundled.relation_count(iri, predicate, direction) == len(listed)
    both = bundled.relation_count(ANTHROPIC, predicate)
    assert both == bundled.relation_count(
        ANTHROPIC, predicate, Direction.OUT
    ) + bundled.relation_count(ANTHROPIC, predicate, Direction.IN)


def test_outgoing_edges_come_first_and_a_limit_keeps_the_first(bundled: KnowledgeGraph) -> None:
    everything = bundled.relations(ANTHROPIC)
    directions = [r.direction for r in everything]
    assert directions == sorted(directions, key=lambda d: d is Direction.IN)
    assert bundled.relations(ANTHROPIC, limit=3) == everything[:3]


def test_a_hubs_edges_filtered_by_predicate_are_those_of_the_whole_list(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    """Past GROUPED_FROM edges on a side, the edges are grouped by predicate once: the answer
    is the same as filtering the whole list."""
    spokes = "\n".join(
        f"ex:n{i} a ex:K ; ex:{'cites' if i % 7 == 0 else 'uses'} ex:hub ."
        for i in range(GROUPED_FROM + 50)
    )
    graph = turtle_graph(f"ex:K a owl:Class . ex:hub a ex:K ; ex:uses ex:n1 .\n{spokes}")
    hub, uses = "http://example.org/hub", "http://example.org/uses"
    everything = graph.relations(hub)
    for predicate in (uses, "http://example.org/cites"):
        for direction in Direction:
            expected = [
                r
                for r in everything
                if r.predicate == predicate and direction in (Direction.BOTH, r.direction)
            ]
            assert graph.relations(hub, predicate=predicate, direction=direction) == expected
            assert graph.relation_count(hub, predicate, direction) == len(expected)
    assert (
        graph.relations(hub, limit=2, predicate=uses, direction=Direction.IN)
        == [r for r in everything if r.predicate == uses and r.direction is Direction.IN][:2]
    )


def test_an_unknown_predicate_is_an_error_naming_it_and_the_close_names(
    bundled: KnowledgeGraph,
) -> None:
    with pytest.raises(PredicateNotFound) as raised:
        bundled.relations(ANTHROPIC, predicate="devloped by")
    error = raised.value
    assert "'devloped by'" in str(error) and error.suggestions[0] == "developed by"
    assert "authored by" in error.known and "member of family" in error.known


def test_is_a_is_not_a_typed_relation_and_says_where_to_look(bundled: KnowledgeGraph) -> None:
    with pytest.raises(InvalidArgument, match="parents"):
        bundled.relation_count(ANTHROPIC, "is a")


def test_the_facts_of_llama_3_8b_are_its_licence_release_date_and_note(
    bundled: KnowledgeGraph,
) -> None:
    facts = bundled.facts(V.CONCEPT_NS + "llama-3-8b")
    assert [(f.predicate_label, f.value, f.datatype, f.language) for f in facts] == [
        ("date issued", "2024-04-18", V.XSD + "date", None),
        ("licence", "Meta Llama 3 Community License", V.XSD + "string", None),
        (
            "note",
            "The source is Meta's paper on the whole Llama 3 herd, published with the July 2024 "
            "update; the size, context length and date were checked on copies of Meta's model "
            "card and announcement of April 2024.",
            None,
            "en",
        ),
    ]
    assert [f.predicate for f in facts] == [
        V.ISSUED, V.SCHEMA_NS + "licence", V.SKOS + "note"
    ]  # fmt: skip


def test_facts_leave_out_labels_and_definitions_and_come_in_order(
    bundled: KnowledgeGraph,
) -> None:
    for concept in bundled:
        facts = bundled.facts(concept.iri)
        assert not {f.predicate for f in facts} & V.FIELD_LITERAL_PREDICATES
        keys = [(f.predicate_label, f.value) for f in facts]
        assert keys == sorted(keys)


def test_a_paper_has_its_title_as_a_fact(bundled: KnowledgeGraph) -> None:
    paper = bundled.resolve("Mixtral of Experts")
    assert "title" in {f.predicate_label for f in bundled.facts(paper.iri)}


def test_facts_of_any_rdf_keep_datatype_and_language(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    graph = turtle_graph("""
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:k a owl:Class ; rdfs:label "kind"@en ; skos:definition "A kind."@en ;
            skos:note "Eine Notiz."@de, "A note."@en ; ex:weight "12"^^xsd:integer ;
            dcterms:modified "2024-01-02"^^xsd:date .
    """)
    facts = graph.facts("http://example.org/k")
    assert [(f.predicate_label, f.value, f.datatype, f.language) for f in facts] == [
        ("date modified", "2024-01-02", V.XSD + "date", None),
        ("note", "A note.", None, "en"),
        ("note", "Eine Notiz.", None, "de"),
        ("weight", "12", V.XSD + "integer", None),
    ]


def test_facts_and_predicate_names_survive_the_index_saved_beside_a_store(
    tmp_path: Path, turtle_graph: Callable[[str], KnowledgeGraph]
) -> None:
    source = turtle_graph("""
        @prefix aikgs: <https://w3id.org/aikg/schema/> .
        ex:p a owl:ObjectProperty ; rdfs:label "inspires"@en ; aikgs:inverseLabel "inspired by"@en .
        ex:a a owl:Class ; rdfs:label "A"@en ; skos:note "A note."@en ; ex:p ex:b .
        ex:b a owl:Class ; rdfs:label "B"@en .
    """)
    paths = [tmp_path / "snippet.ttl"]
    load_files(paths, tmp_path / "store").store.close()
    reopened = open_store(tmp_path / "store", read_only=False)
    try:
        assert reopened.facts("http://example.org/a") == source.facts("http://example.org/a")
        [edge] = reopened.relations("http://example.org/b", predicate="inspired by")
        assert (edge.direction, edge.reading) == (Direction.IN, "inspired by A")
    finally:
        reopened.store.close()


def _curies_and_iris(text: str, prefixes: dict[str, str]) -> list[str]:
    """Every CURIE of the graph's prefixes, or IRI, that ``text`` contains."""
    found = re.findall(r"\b[a-z][\w.-]*://\S+", text)
    found += [m for p in prefixes if p for m in re.findall(rf"\b{re.escape(p)}:\w+", text)]
    return found


def test_every_predicate_and_every_reason_on_it_reads_without_curies_or_iris(
    bundled: KnowledgeGraph,
) -> None:
    """One concept per predicate the bundled ontology uses (relations and facts): its
    predicate names, readings and related reasons are plain English."""
    prefixes = bundled.prefixes
    index = bundled.index
    seen: dict[str, str] = {}
    for node, edges in sorted(index.relations_out.items()):
        for edge in edges:
            seen.setdefault(edge.predicate, index.iris[node])
    for node, rows in sorted(index.facts.items()):
        for row in rows:
            seen.setdefault(row.predicate, index.iris[node])
    assert len(seen) >= 26  # 22 relations, skos:related, and note, licence, title, date issued
    for predicate, iri in sorted(seen.items()):
        assert not _curies_and_iris(bundled.predicate_label(predicate), prefixes), predicate
        texts = [bundled.predicate_label(predicate)]
        if predicate in index.relation_predicates:
            for relation in bundled.relations(iri, predicate=predicate):
                texts += [relation.predicate_label or "", relation.phrase, relation.reading]
        texts += [f.predicate_label for f in bundled.facts(iri)]
        related, _ = bundled.related(iri, first=20)
        texts += [reason for r in related for reason in r.reasons]
        texts += [e.predicate_label or "" for r in related for e in r.via]
        leaks = [t for t in texts if _curies_and_iris(t, prefixes)]
        assert not leaks, (predicate, leaks)


def test_reasons_read_from_the_asked_concepts_side(bundled: KnowledgeGraph) -> None:
    related, _ = bundled.related("hallucination", first=5)
    reasons = {r.concept.id: r.reasons for r in related}
    assert "related to retrieval-augmented generation" in reasons["retrieval-augmented-generation"]
    gpt4, _ = bundled.related("GPT-4", first=5)
    by_id = {r.concept.id: r.reasons for r in gpt4}
    assert "both in the GPT family" in by_id["gpt-3-5"]
    assert "succeeds GPT-3.5" in by_id["gpt-3-5"]
    assert "has variant GPT-4 Turbo" in by_id["gpt-4-turbo"]
