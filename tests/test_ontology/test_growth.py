"""The grown ontology: breadth per branch, sources, languages and release dates."""

from __future__ import annotations

import pytest

from graph import ConceptKind, KnowledgeGraph
from graph import vocabulary as V

LESSON = V.CONCEPT_NS + "foundation-model-lesson"

#: The top-level branches (our root kinds, grouped by the area of the vocabulary they cover)
#: and the least number of concepts each must hold: the roots, their sub-kinds and examples.
BRANCHES = {
    "architectures": (["model-architecture", "model-component"], 45),
    "learning": (
        [
            "learning-paradigm",
            "machine-learning-task",
            "learning-phenomenon",
            "reinforcement-learning-element",
            "loss-function",
            "hyperparameter",
            "machine-learning-data",
        ],
        70,
    ),
    "training": (["training-technique"], 35),
    "adaptation and efficiency": (["adaptation-technique", "efficiency-technique"], 37),
    "inference and use": (
        [
            "language-model-representation",
            "tokenizer",
            "tokenization-algorithm",
            "prompt",
            "decoding-strategy",
            "generation-parameter",
            "retrieval-method",
            "retrieval-pipeline-element",
            "ai-agent",
            "tool-use",
            "agent-interoperability-protocol",
        ],
        45,
    ),
    "evaluation and safety": (
        [
            "benchmark",
            "leaderboard",
            "evaluation-method",
            "evaluation-metric",
            "evaluation-problem",
            "ai-failure-mode",
            "adversarial-attack",
            "safety-practice",
            "research-field",
            "ai-governance-instrument",
        ],
        65,
    ),
    "models and families": (["ai-model", "model-family"], 150),
    "organisations": (["organisation"], 35),
    "software": (["software"], 6),
    "publications": (["publication"], 220),
}


def branch_size(graph: KnowledgeGraph, roots: list[str]) -> int:
    members: set[str] = set()
    for root in roots:
        iri = V.CONCEPT_NS + root
        members |= {
            iri,
            *(c.iri for c in graph.descendants(iri, limit=None)),
            *(c.iri for c in graph.examples(iri)),
        }
    return len(members)


@pytest.mark.parametrize("branch", sorted(BRANCHES))
def test_each_top_level_branch_holds_at_least_its_floor(
    bundled: KnowledgeGraph, branch: str
) -> None:
    roots, floor = BRANCHES[branch]
    assert all(bundled.find_iri(V.CONCEPT_NS + r) is not None for r in roots), "a root was renamed"
    assert branch_size(bundled, roots) >= floor


def test_every_root_kind_of_ours_belongs_to_a_branch(bundled: KnowledgeGraph) -> None:
    listed = {root for roots, _ in BRANCHES.values() for root in roots}
    lesson_roots = {  # the lesson's own small vocabularies
        "ai-accelerator",  # the lesson's GPUs, and the TPU beside them
        "cloud-computing-platform",
        "deployment-option",
        "deployment-trade-off",
        "downstream-task",
        "emergent-capability",
        "foundation-model-property",
        "modality",
        "pricing-model",
        "scaling-factor",
        "scaling-law",
    }
    roots = {
        c.id
        for c in bundled
        if c.iri.startswith(V.CONCEPT_NS)
        and c.kind is ConceptKind.CLASS
        and not bundled.parents(c.iri)
    }
    assert roots - lesson_roots == listed


def test_at_least_250_concepts_beyond_the_lesson_each_with_a_source(
    bundled: KnowledgeGraph,
) -> None:
    publications = {c.iri for c in bundled.examples(V.CONCEPT_NS + "publication")}
    grown = [
        c
        for c in bundled
        if c.iri.startswith(V.CONCEPT_NS)
        and c.source != LESSON
        and c.iri not in publications
        and not bundled.is_a(c.iri, V.CONCEPT_NS + "publication")
    ]
    assert len(grown) >= 250
    assert all(c.source in publications for c in grown), "each cites a publication in the graph"


def test_every_kind_of_ours_has_german_french_spanish_and_chinese_labels(
    bundled: KnowledgeGraph,
) -> None:
    kinds = [c for c in bundled if c.iri.startswith(V.CONCEPT_NS) and c.kind is ConceptKind.CLASS]
    assert len(kinds) >= 100, "the hundred most central concepts are kinds"
    missing = [
        c.id
        for c in kinds
        if not {"de", "fr", "es", "zh"} <= {tag for tag, _ in bundled.labels(c.iri)}
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("lang", "label"), [("de", "großes Sprachmodell"), ("en", "large language model")]
)
def test_graphql_label_in_a_language_on_the_bundled_ontology(
    bundled: KnowledgeGraph, lang, label
) -> None:
    assert (
        bundled.label_in(V.CONCEPT_NS + "large-language-model", lang).casefold() == label.casefold()
    )


def test_which_multimodal_models_existed_in_2022(bundled: KnowledgeGraph) -> None:
    multimodal = V.CONCEPT_NS + "multimodal-foundation-model"
    then = bundled.examples(multimodal, as_of="2022-12-31")
    assert then, "CLIP (2021) at least"
    assert all(c.released is not None and c.released[:4] <= "2022" for c in then)
    later = {c.id for c in bundled.examples(multimodal)} - {c.id for c in then}
    assert "gpt-4o" in later, "GPT-4o came in 2024"


def test_named_models_carry_release_dates(bundled: KnowledgeGraph) -> None:
    models = bundled.examples(V.CONCEPT_NS + "ai-model")
    dated = [m for m in models if m.released]
    assert len(dated) >= 0.8 * len(models)


def test_claude_3_5_sonnet_succeeds_claude_3_sonnet(bundled: KnowledgeGraph) -> None:
    edges = bundled.relations(V.CONCEPT_NS + "claude-3-5-sonnet")
    assert (V.SCHEMA_NS + "succeeds", V.CONCEPT_NS + "claude-3-sonnet") in {
        (e.predicate, e.object.iri) for e in edges
    }
