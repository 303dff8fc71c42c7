"""The structural checks: the same problem in the same words, whole graph or focused on a node."""

from __future__ import annotations

from collections.abc import Callable

from graph import KnowledgeGraph
from graph.quality.checks import structural_problems

PREFIXES = """@prefix aikg: <https://w3id.org/aikg/concept/> .
@prefix aikgs: <https://w3id.org/aikg/schema/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def test_a_dangling_reference_reads_the_same_whole_or_focused(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    graph = turtle_graph(
        PREFIXES + 'aikg:a a owl:Class ; skos:prefLabel "A"@en ; rdfs:subClassOf aikg:missing .\n'
    )
    whole = {str(p) for p in structural_problems(graph.index, graph.store)}
    focused = {
        str(p)
        for p in structural_problems(graph.index, graph.store, ["https://w3id.org/aikg/concept/a"])
    }
    expected = (
        "dangling: https://w3id.org/aikg/concept/missing: "
        "used by https://w3id.org/aikg/concept/a but never described"
    )
    assert expected in whole
    assert expected in focused


def test_a_focused_check_leaves_out_problems_elsewhere(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    graph = turtle_graph(
        PREFIXES
        + 'aikg:a a owl:Class ; skos:prefLabel "A"@en .\n'
        + "aikg:b a owl:Class ; rdfs:subClassOf aikg:a .\n"
    )
    assert {p.check for p in structural_problems(graph.index, graph.store)} == {"label"}
    assert (
        structural_problems(graph.index, graph.store, ["https://w3id.org/aikg/concept/a"]) == set()
    )


def test_cycles_are_found_whatever_the_focus(turtle_graph: Callable[[str], KnowledgeGraph]) -> None:
    graph = turtle_graph(
        PREFIXES
        + 'aikg:a a owl:Class ; skos:prefLabel "A"@en ; rdfs:subClassOf aikg:b .\n'
        + 'aikg:b a owl:Class ; skos:prefLabel "B"@en ; rdfs:subClassOf aikg:a .\n'
        + 'aikg:c a owl:Class ; skos:prefLabel "C"@en .\n'
    )
    focused = structural_problems(graph.index, graph.store, ["https://w3id.org/aikg/concept/c"])
    assert [str(p) for p in focused] == ["cycle: a: is-a cycle through a → b"]
