"""Exploring around a concept: shortest paths, neighbourhoods and ranked related concepts."""

from __future__ import annotations

import random
from itertools import pairwise

import networkx as nx
import pytest

from graph import InvalidArgument, KnowledgeGraph
from graph import vocabulary as V
from graph.explore.neighbours import Adjacency
from graph.index.taxonomy import Taxonomy
from graph.loading import load_files

AIKG = V.CONCEPT_NS


def asserted(graph: KnowledgeGraph, edge) -> bool:
    return (edge.subject.iri, edge.predicate, edge.object.iri) in set(
        graph.store.triples(edge.predicate)
    )


# --- paths ----------------------------------------------------------------------------------


def test_a_path_chains_asserted_edges_from_one_concept_to_the_other(
    bundled: KnowledgeGraph,
) -> None:
    # The lesson names OpenAI as the developer of both Whisper and GPT-4: two edges apart.
    path = bundled.path("Whisper", "GPT-4")
    assert path is not None and len(path) == 2
    assert all(asserted(bundled, edge) for edge in path)
    ends = [{e.subject.iri, e.object.iri} for e in path]
    assert AIKG + "whisper" in ends[0] and AIKG + "gpt-4" in ends[-1]
    assert ends[0] & ends[1], "consecutive edges share a concept"


def test_a_path_walks_edges_against_their_direction(bundled: KnowledgeGraph) -> None:
    # OpenAI is the object of "GPT-4 developed by OpenAI": the path from OpenAI walks it backwards.
    [edge] = bundled.path("OpenAI", "GPT-4", max_length=1)
    assert (edge.subject.iri, edge.object.iri) == (AIKG + "gpt-4", AIKG + "openai")


def test_a_concept_is_zero_edges_from_itself(bundled: KnowledgeGraph) -> None:
    assert bundled.path("GPT-4", "gpt-4") == []


def test_no_path_within_max_length_is_none(turtle_graph) -> None:
    graph = turtle_graph("""
        ex:A a owl:Class . ex:B a owl:Class ; rdfs:subClassOf ex:A .
        ex:C a owl:Class ; rdfs:subClassOf ex:B .
        ex:Island a owl:Class .
    """)
    assert graph.path("ex:C", "ex:A", max_length=1) is None
    assert len(graph.path("ex:C", "ex:A", max_length=2)) == 2
    assert graph.path("ex:C", "ex:Island") is None


def test_max_length_outside_0_to_12_is_refused(bundled: KnowledgeGraph) -> None:
    with pytest.raises(InvalidArgument, match="'maxLength' must be between 0 and 12"):
        bundled.path("GPT-4", "OpenAI", max_length=13)


def test_shortest_paths_have_the_length_networkx_finds_on_random_graphs() -> None:
    rng = random.Random(20261129)
    for _ in range(60):
        size = rng.randint(2, 40)
        subclass = [
            (c, p) for c in range(size) for p in range(size) if c != p and rng.random() < 1.5 / size
        ]
        kinds = set(range(size // 2, size)) | {p for _, p in subclass} | {c for c, _ in subclass}
        typed = [
            (e, k)
            for e in range(size // 2)
            if e not in kinds
            for k in kinds
            if rng.random() < 1 / size
        ]
        taxonomy = Taxonomy(size, kinds=kinds, subclass_edges=subclass, type_edges=typed)
        adjacency = Adjacency(taxonomy, {}, {}, {})
        reference = nx.Graph([*subclass, *typed])
        reference.add_nodes_from(range(size))
        for start, goal in [(rng.randrange(size), rng.randrange(size)) for _ in range(10)]:
            found = adjacency.shortest_path(start, goal, 12)
            if (
                nx.has_path(reference, start, goal)
                and nx.shortest_path_length(reference, start, goal) <= 12
            ):
                assert found is not None and len(found) == nx.shortest_path_length(
                    reference, start, goal
                )
                walk = start
                for s, _, o in found:  # the edges chain from start to goal, each walked either way
                    assert walk in (s, o)
                    walk = o if walk == s else s
                assert walk == goal
            else:
                assert found is None


# --- neighbourhoods -------------------------------------------------------------------------


def test_a_neighbourhood_starts_with_the_concept_and_holds_its_direct_neighbours(
    bundled: KnowledgeGraph,
) -> None:
    around = bundled.neighbourhood("GPT-4")
    ids = [c.id for c in around.nodes]
    assert ids[0] == "gpt-4"
    assert {"openai", "large-language-model", "gpt"} <= set(ids)
    assert around.total_nodes == len(ids)


def test_every_neighbourhood_edge_joins_two_of_its_nodes_and_was_asserted(
    bundled: KnowledgeGraph,
) -> None:
    around = bundled.neighbourhood("large language model", depth=2)
    iris = {c.iri for c in around.nodes}
    assert around.edges
    assert all(
        e.subject.iri in iris and e.object.iri in iris and asserted(bundled, e)
        for e in around.edges
    )


def test_first_bounds_the_nodes_and_total_still_counts_them_all(bundled: KnowledgeGraph) -> None:
    everything = bundled.neighbourhood("OpenAI", depth=2)
    three = bundled.neighbourhood("OpenAI", depth=2, first=3)
    assert [c.id for c in three.nodes] == [c.id for c in everything.nodes][:3]
    assert three.total_nodes == everything.total_nodes > 3


def test_depth_outside_0_to_3_is_refused(bundled: KnowledgeGraph) -> None:
    with pytest.raises(InvalidArgument, match="'depth' must be between 0 and 3"):
        bundled.neighbourhood("GPT-4", depth=4)


# --- related concepts -----------------------------------------------------------------------


def ranked(graph: KnowledgeGraph, reference: str, first: int = 1000) -> list[str]:
    return [r.concept.id for r in graph.related(reference, first)[0]]


def position(order: list[str], concept_id: str) -> int:
    return order.index(concept_id) if concept_id in order else len(order)


def test_a_sibling_model_of_the_same_family_and_developer_outranks_a_rival_companys_model(
    bundled,
) -> None:
    # The lesson: GPT-4 and GPT-4o are both OpenAI models of the GPT family; Claude 3 Opus is
    # Anthropic's (Claude 3 itself is a series, not a model).
    order = ranked(bundled, "GPT-4")
    assert order.index("gpt-4o") < position(order, "claude-3-opus")


def test_a_model_of_the_same_kind_outranks_one_that_only_shares_the_developer(bundled) -> None:
    # The lesson: Whisper is, like Voicebox, an audio model; GPT-4 only shares OpenAI with it.
    # (The lesson's third audio model, ElevenLabs, is the company; Whisper is a series, so its
    # largest model stands for it.)
    order = ranked(bundled, "Whisper large")
    before_its_kind = order[: order.index("speech-recognition-model")]
    assert all(m.startswith("whisper-") for m in before_its_kind), "only its siblings come first"
    assert order.index("voicebox") < position(order, "gpt-4")


def test_the_tiers_of_a_release_outrank_every_model_of_another_developer(bundled) -> None:
    # The lesson lists Claude 3 Opus as a tier of Claude 3: its siblings share the series,
    # developer and kinds, where GPT-4 shares only kinds and a modality.
    order = ranked(bundled, "Claude 3 Opus")
    first_other = min(
        position(order, m)
        for m in ("gpt-4", "gpt-4o", "llama-3-8b", "gemini-1-5-pro", "mistral-7b")
    )
    assert all(order.index(tier) < first_other for tier in ("claude-3-sonnet", "claude-3-haiku"))


def test_reasons_say_in_words_what_two_concepts_share(bundled) -> None:
    gpt4o = next(r for r in bundled.related("GPT-4", 50)[0] if r.concept.id == "gpt-4o")
    assert "both developed by OpenAI" in gpt4o.reasons
    assert any(reason.startswith("both are examples of") for reason in gpt4o.reasons)


def test_every_via_edge_was_asserted_and_touches_one_of_the_two(bundled) -> None:
    for related in bundled.related("large language model", 20)[0]:
        assert related.via
        assert all(asserted(bundled, edge) for edge in related.via)


def test_ranking_is_deterministic_and_equal_scores_are_ordered_by_label(bundled) -> None:
    first, again = bundled.related("GPT-4", 50)[0], bundled.related("GPT-4", 50)[0]
    assert first == again
    for a, b in pairwise(first):
        assert a.score > b.score or (
            a.score == b.score and a.concept.label.casefold() <= b.concept.label.casefold()
        )


def test_the_total_counts_every_concept_scored_and_first_cuts_the_list(bundled) -> None:
    three, total = bundled.related("GPT-4", 3)
    assert len(three) == 3 and total > 3


def test_around_a_huge_hub_related_reads_a_bounded_number_of_edges(tmp_path) -> None:
    # A root with 30,000 direct sub-kinds: every sibling shares the root, but only the
    # first MAX_FAN_OUT of the root's edges are followed, and each sibling's sub-kind still ranks
    # first.
    from graph.explore.related import MAX_EXAMINED, MAX_FAN_OUT

    lines = [
        "@prefix ex: <http://example.org/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    lines += [f"ex:k{n} rdfs:subClassOf ex:root ." for n in range(30_000)]
    lines += ["ex:leaf rdfs:subClassOf ex:k7 ."]
    path = tmp_path / "hub.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    graph = load_files([path])
    found, total = graph.related("http://example.org/k7", 3)
    assert total <= MAX_FAN_OUT + MAX_EXAMINED
    assert [r.concept.iri for r in found[:2]] == [
        "http://example.org/leaf",
        "http://example.org/root",
    ]
    _, total_from_root = graph.related("http://example.org/root", 3)
    assert total_from_root <= MAX_FAN_OUT + MAX_EXAMINED


def test_incident_with_a_limit_reads_the_first_edges_in_the_usual_order() -> None:
    taxonomy = Taxonomy(
        5, kinds=[0, 1, 2, 3], subclass_edges=[(1, 0), (2, 0), (3, 0), (0, 3)], type_edges=[(4, 0)]
    )
    adjacency = Adjacency(taxonomy, {}, {}, {})
    everything = adjacency.incident(0)
    assert [adjacency.incident(0, n) for n in range(len(everything) + 2)] == [
        everything[:n] for n in range(len(everything) + 2)
    ]
