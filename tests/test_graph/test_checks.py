"""The structural checks (the same problem in the same words, whole graph or focused on a
node) and the modelling rules that no shape can say."""

from __future__ import annotations

from collections.abc import Callable

from graph import KnowledgeGraph
from graph.quality.checks import modelling_problems, structural_problems

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


# --- the modelling rules that SHACL cannot say (ontology/README.md, "Modelling guide") ---------

MODELS = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
aikg:ai-model a owl:Class ; skos:prefLabel "AI model"@en .
aikg:llm a owl:Class ; rdfs:subClassOf aikg:ai-model ; skos:prefLabel "LLM"@en .
"""


def modelling(graph: KnowledgeGraph, check: str) -> set[str]:
    """The short ids (``aikg:`` left off) of the resources the named check reports."""
    found = modelling_problems(graph.index, graph.store)
    return {p.focus.rsplit("/", 1)[-1] for p in found if p.check == check}


def model(name: str, issued: str, datatype: str, extra: str = "") -> str:
    return (
        f'aikg:{name} a aikg:llm ; skos:prefLabel "{name}"@en ; {extra}'
        f'dcterms:issued "{issued}"^^xsd:{datatype} .\n'
    )


def test_a_variant_is_compared_with_its_original_at_the_precision_both_dates_give(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    graph = turtle_graph(
        PREFIXES
        + MODELS
        + model("base", "2023-05-14", "date")
        + model("same-year", "2023", "gYear", "aikgs:variantOf aikg:base ; ")
        + model("month-before", "2023-04", "gYearMonth", "aikgs:variantOf aikg:base ; ")
        + model("older-generation", "2022", "gYear", "aikgs:succeeds aikg:base ; ")
        + 'aikg:undated a aikg:llm ; skos:prefLabel "undated"@en ; aikgs:variantOf aikg:base .\n'
    )
    assert modelling(graph, "release-order") == {"month-before", "older-generation"}


def test_a_variant_shares_a_kind_with_its_original_and_is_never_a_kind(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    graph = turtle_graph(
        PREFIXES
        + MODELS
        + 'aikg:chat-llm a owl:Class ; rdfs:subClassOf aikg:llm ; skos:prefLabel "chat"@en .\n'
        + 'aikg:other a owl:Class ; skos:prefLabel "other"@en .\n'
        + 'aikg:base a aikg:llm ; skos:prefLabel "base"@en .\n'
        + 'aikg:tuned a aikg:chat-llm ; skos:prefLabel "tuned"@en ; aikgs:variantOf aikg:base .\n'
        + 'aikg:stray a aikg:other ; skos:prefLabel "stray"@en ; aikgs:variantOf aikg:base .\n'
        + "aikg:kind a owl:Class ; rdfs:subClassOf aikg:llm ; "
        + 'skos:prefLabel "kind"@en ; aikgs:variantOf aikg:base .\n'
    )
    assert modelling(graph, "variant-kind") == {"stray", "kind"}


ARCHITECTURES = """
aikg:model-architecture a owl:Class ; skos:prefLabel "architecture"@en .
aikg:diffusion a owl:Class ; rdfs:subClassOf aikg:model-architecture ; skos:prefLabel "d"@en .
aikg:latent-diffusion a owl:Class ; rdfs:subClassOf aikg:diffusion ; skos:prefLabel "ld"@en .
aikg:transformer a owl:Class ; rdfs:subClassOf aikg:model-architecture ; skos:prefLabel "t"@en .
aikg:dit a owl:Class ; rdfs:subClassOf aikg:diffusion, aikg:transformer ; skos:prefLabel "dit"@en .
aikg:u-net a aikg:diffusion ; skos:prefLabel "U-Net"@en .
aikg:diffusion-model a owl:Class ; rdfs:subClassOf aikg:ai-model ; skos:prefLabel "dm"@en ;
    aikgs:usesArchitecture aikg:diffusion .
aikg:tlm a owl:Class ; rdfs:subClassOf aikg:ai-model ; skos:prefLabel "tlm"@en ;
    aikgs:usesArchitecture aikg:transformer .
aikg:llm aikgs:usesArchitecture aikg:transformer .
"""


def test_a_model_on_the_architecture_one_kind_is_named_after_is_an_example_of_that_kind(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    def uses(name: str, architecture: str, kind: str = "aikg:llm") -> str:
        return (
            f'aikg:{name} a {kind} ; skos:prefLabel "{name}"@en ;'
            f" aikgs:usesArchitecture aikg:{architecture} .\n"
        )

    graph = turtle_graph(
        PREFIXES
        + MODELS
        + ARCHITECTURES
        + uses("typed", "latent-diffusion", "aikg:diffusion-model")
        + uses("untyped", "latent-diffusion")  # a sub-kind of the diffusion architecture
        + uses("dit-model", "dit")  # diffusion decides; transformer (two kinds) does not
        + uses("on-a-transformer", "transformer", "aikg:diffusion-model")
        + uses("on-a-u-net", "u-net")  # a named architecture decides nothing
    )
    assert modelling(graph, "architecture-kind") == {"untyped", "dit-model"}


def test_a_family_names_a_company_for_one_model_and_its_lab_for_another(
    turtle_graph: Callable[[str], KnowledgeGraph],
) -> None:
    def member(name: str, family: str, developer: str) -> str:
        return (
            f'aikg:{name} a aikg:llm ; skos:prefLabel "{name}"@en ;'
            f" aikgs:memberOfFamily aikg:{family} ; aikgs:developedBy aikg:{developer} .\n"
        )

    graph = turtle_graph(
        PREFIXES
        + MODELS
        + 'aikg:company a owl:NamedIndividual ; skos:prefLabel "company"@en .\n'
        + 'aikg:lab a owl:NamedIndividual ; skos:prefLabel "lab"@en ; aikgs:partOf aikg:company .\n'
        + 'aikg:other-lab a owl:NamedIndividual ; skos:prefLabel "other lab"@en .\n'
        + 'aikg:line a owl:NamedIndividual ; skos:prefLabel "line"@en .\n'
        + 'aikg:series a owl:NamedIndividual ; skos:prefLabel "series"@en ;'
        + " aikgs:memberOfFamily aikg:line .\n"
        + member("by-the-lab", "series", "lab")  # in the line through its series
        + member("by-the-company", "line", "company")
        + member("by-another-lab", "line", "other-lab")
        + 'aikg:elsewhere a aikg:llm ; skos:prefLabel "elsewhere"@en ;'
        + " aikgs:developedBy aikg:company .\n"
    )
    assert modelling(graph, "family-developer") == {"by-the-company"}
