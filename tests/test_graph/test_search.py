"""Search: exact, phrase and word, acronym, prefix, fuzzy and definition matches, ranked in
one list, with filters; and the judged set of queries over the bundled ontology."""

from __future__ import annotations

import pytest

from graph import ConceptKind, KnowledgeGraph
from tests.test_graph.search_judgements import JUDGEMENTS, Judgement, hit_rates, misses

#: Judged queries the ranking does not yet satisfy, and why (the hit rate counts them).
KNOWN_MISSES = {
    "claude": "31 labels hold the word; Claude 3.5 Sonnet is pointed at by no more edges "
    "than the other Claude models",
    "diffusion model": "'diffusion architecture' shares only one word of any label",
    "reinforcement learning from human feedback": "RLAIF's texts never spell RLHF out",
    "mixture of experts": "Mixtral 8x7B matches only by its definition, like 45 other MoE "
    "models and papers; nothing in the graph sets it apart from Qwen2-57B-A14B",
}

SNIPPET = """
ex:Model a owl:Class ; skos:prefLabel "AI model"@en .
ex:FM a owl:Class ; rdfs:subClassOf ex:Model ; skos:prefLabel "foundation model"@en .
ex:LLM a owl:Class ; rdfs:subClassOf ex:FM ;
    skos:prefLabel "large language model"@en, "großes Sprachmodell"@de, "大语言模型"@zh .
ex:RAG a owl:Class ; skos:prefLabel "retrieval-augmented generation"@en .
ex:MoE a owl:Class ; skos:prefLabel "mixture of experts"@en .
ex:Diffusion a owl:Class ; rdfs:subClassOf ex:Model ; skos:prefLabel "diffusion model"@en ;
    skos:definition "A generative model that learns to reverse a gradual noising process."@en .
ex:chinchilla a ex:LLM ; skos:prefLabel "Chinchilla"@en .
ex:llama3 a ex:LLM ; skos:prefLabel "Llama 3"@en .
ex:llama2 a ex:LLM ; skos:prefLabel "Llama 2"@en .
ex:sdxl a ex:Diffusion ; skos:prefLabel "Stable Diffusion XL"@en ; skos:altLabel "SDXL"@en .
ex:MCP a owl:Class ; skos:prefLabel "Model Context Protocol"@en ; skos:altLabel "MCP"@en .
ex:mcpPost a ex:Post ; skos:prefLabel "Introducing the Model Context Protocol"@en .
ex:flash a ex:Method ; skos:prefLabel "FlashAttention"@en .
ex:flashPaper a ex:Paper ; skos:prefLabel "FlashAttention: Fast Exact Attention"@en .
"""


@pytest.fixture
def graph(turtle_graph) -> KnowledgeGraph:
    return turtle_graph(SNIPPET)


def labels(found) -> list[str]:
    return [c.label for c in found]


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("large language model", "large language model"),  # exact preferred label
        ("SDXL", "Stable Diffusion XL"),  # exact alternative label
        ("Sprachmodell", "large language model"),  # a word of a German label
        ("大语言模型", "large language model"),  # a Chinese label
        ("rag", "retrieval-augmented generation"),  # acronym
        ("moe", "mixture of experts"),  # acronym with a function word
        ("chinch", "Chinchilla"),  # prefix, for autocomplete
        ("chinchila", "Chinchilla"),  # typo
        ("lama 3", "Llama 3"),  # typo with a version
        ("noising", "diffusion model"),  # only in a definition
    ],
)
def test_search_finds_the_intended_concept_first(graph, text: str, best: str) -> None:
    assert labels(graph.search(text, 3))[0] == best


def test_an_exact_label_outranks_a_prefix_match(graph) -> None:
    assert labels(graph.search("llama", 5))[:2] == [
        "Llama 2",
        "Llama 3",
    ]  # prefix, shorter first, then by label
    assert labels(graph.search("Llama 3", 5))[0] == "Llama 3"


def test_an_acronym_label_also_finds_the_words_it_stands_for(graph) -> None:
    assert labels(graph.search("mcp", 5)) == [
        "Model Context Protocol",  # the exact other label
        "Introducing the Model Context Protocol",  # "Model Context Protocol" as a phrase
    ]


def test_words_typed_apart_also_find_a_label_that_runs_them_together(graph) -> None:
    assert labels(graph.search("flash attention", 5)) == [
        "FlashAttention",  # the same word, once run together
        "FlashAttention: Fast Exact Attention",  # the word in a longer label
    ]


def test_within_a_tier_the_concept_more_edges_point_at_comes_first(turtle_graph) -> None:
    graph = turtle_graph(
        """
        ex:T a owl:Class ; skos:prefLabel "transformer"@en .
        ex:xl a ex:T ; skos:prefLabel "Transformer-XL"@en .
        ex:paper a ex:Paper ; skos:prefLabel "Attention Is All You Need"@en ;
            skos:altLabel "the Transformer paper"@en .
        ex:bert a ex:T ; skos:prefLabel "BERT"@en ; ex:cites ex:paper .
        ex:gpt a ex:T ; skos:prefLabel "GPT"@en ; ex:cites ex:paper .
        """
    )
    found = labels(graph.search("transformer", 5))
    assert found[:3] == ["transformer", "Attention Is All You Need", "Transformer-XL"]


def test_a_label_the_query_covers_more_of_comes_first_in_its_tier(turtle_graph) -> None:
    graph = turtle_graph(
        """
        ex:mas a owl:Class ; skos:prefLabel "multi-agent systems"@en .
        ex:paper a ex:Paper ; skos:prefLabel "A Generalist Multi-Agent System for Tasks"@en .
        ex:survey a ex:Paper ; skos:prefLabel "A survey"@en ; ex:cites ex:paper .
        """
    )  # one edge points at the paper, none at the kind: covering more of its label wins
    assert labels(graph.search("multi agent", 5))[:2] == [
        "multi-agent systems",
        "A Generalist Multi-Agent System for Tasks",
    ]


def test_kind_keeps_only_kinds_or_only_named_examples(graph) -> None:
    assert all(
        c.kind is ConceptKind.EXAMPLE for c in graph.search("model", 10, kind=ConceptKind.EXAMPLE)
    )
    assert labels(graph.search("diffusion", 10, kind=ConceptKind.CLASS)) == ["diffusion model"]


def test_under_keeps_only_what_is_a_concept_strictly(graph) -> None:
    found = labels(graph.search("l", 10, under="foundation model"))
    assert found and set(found) <= {"large language model", "Llama 2", "Llama 3", "Chinchilla"}
    assert "foundation model" not in labels(
        graph.search("foundation model", 10, under="foundation model")
    )


def test_search_count_counts_every_match_and_first_cuts_the_list(graph) -> None:
    assert graph.search_count("llama") == 2
    assert len(graph.search("llama", 1)) == 1


def test_nothing_matches_nonsense_and_empty_text(graph) -> None:
    assert graph.search("qqqqzzzz", 10) == []
    assert graph.search("   ", 10) == []


def test_search_over_the_bundled_ontology_handles_the_issues_typos(bundled) -> None:
    assert labels(bundled.search("chinchila", 3))[0] == "Chinchilla"
    assert labels(bundled.search("lama 3", 3))[0] == "Llama 3"
    assert labels(bundled.search("llm", 3))[0] == "large language model"


@pytest.mark.parametrize("judgement", JUDGEMENTS, ids=lambda j: j.query)
def test_judged_queries_find_their_concepts_early(bundled, judgement: Judgement) -> None:
    missed3, missed10 = misses(bundled, judgement)
    if judgement.query in KNOWN_MISSES:  # a measured miss, counted in the hit rate below
        found_now = (missed3, missed10) == ([], [])
        assert not found_now, f"{judgement.query!r} is found now: drop it from KNOWN_MISSES"
        pytest.xfail(KNOWN_MISSES[judgement.query])
    assert (missed3, missed10) == ([], [])


def test_the_judged_set_is_large_and_its_hit_rate_holds(bundled) -> None:
    assert len(JUDGEMENTS) >= 90
    top3, top10 = hit_rates(bundled)
    # 96 queries: 1.00 and 0.96 once centrality, closeness, acronyms' words and words run
    # together joined the ranking (0.98 and 0.91 with label length alone); 101 with the five
    # questions (labels named inside a sentence), the same.
    assert (round(top3, 2), round(top10, 2)) >= (1.0, 0.96)


def test_search_ranks_across_tiers_instead_of_stopping_at_the_first(bundled) -> None:
    found = [c.id for c in bundled.search("mixture of experts", 60)]
    assert found[:3] == [
        "mixture-of-experts",  # an exact other label
        "mixture-of-experts-based-model",  # the phrase, in the shortest label
        "sparse-mixture-of-experts",
    ]
    assert {"mixtral-of-experts", "mixtral-8x7b"} <= set(found)  # from their definitions
    assert found.index("mixtral-of-experts") < 10  # its label shares "of experts"
    assert bundled.search_count("mixture of experts") > 10
    assert bundled.search("open weights", 1)[0].id == "open-source-foundation-model"


def test_a_contiguous_phrase_outranks_scattered_words_and_the_same_words_outrank_both(
    graph,
) -> None:
    assert labels(graph.search("language model", 3))[0] == "large language model"
    assert labels(graph.search("large model", 3))[:1] == ["large language model"]  # scattered
    assert labels(graph.search("diffusion xl stable", 3))[0] == "Stable Diffusion XL"
    assert labels(graph.search("retrieval augmented generation", 1)) == [
        "retrieval-augmented generation"  # the same words, punctuation aside
    ]


def test_warming_builds_what_search_builds_on_first_use_and_changes_no_answer(
    turtle_graph,
) -> None:
    cold, warm = turtle_graph(SNIPPET), turtle_graph(SNIPPET)
    warm.warm()  # `aikg serve --workers N` does this before forking (api/prefork.py)
    assert "triple_count" in vars(warm) and "triple_count" not in vars(cold)
    for text in ("llama", "mixture of experts", "SDXL", "noising process", "chinchila"):
        assert [c.iri for c in warm.search(text)] == [c.iri for c in cold.search(text)]
