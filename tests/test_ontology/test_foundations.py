"""The foundations of the field (issue 13, part 3): competency questions a newcomer asks about
AI, machine learning and the vocabulary of a first course, answered by the bundled ontology;
and the record of the pages their sources were checked against."""

from __future__ import annotations

import csv

import pytest

import ontology
from graph import KnowledgeGraph
from graph import vocabulary as V
from tests.test_ontology.proofs import assert_is_a_proved

SOURCES_CHECKED = ontology.ROOT / "checks" / "foundations-sources-2026-12-04.tsv"

#: Sub-fields and the field they are part of (modelling guide R5: the one relation between
#: fields is aikgs:partOf).
PART_OF = [
    ("deep learning", "machine learning"),
    ("machine learning", "artificial intelligence"),
    ("NLP", "artificial intelligence"),
    ("computer vision", "artificial intelligence"),
    ("generative AI", "deep learning"),
    ("AGI", "artificial intelligence"),
    ("AI alignment", "AI safety"),
    ("AI safety", "artificial intelligence"),
]

IS_A = [
    # Paradigms and the techniques that learn that way (R5).
    ("RLHF", "reinforcement learning"),
    ("RLHF", "learning paradigm"),
    ("RLHF", "post-training"),  # it stays a training stage too
    ("self-supervised learning", "learning paradigm"),
    ("masked language modelling", "learning paradigm"),
    ("actor-critic method", "reinforcement-learning algorithm"),
    ("deep reinforcement learning", "reinforcement learning"),
    ("federated learning", "learning paradigm"),
    # Optimisation and regularisation are training techniques.
    ("SGD", "gradient descent"),
    ("gradient descent", "training technique"),
    ("dropout", "regularization"),
    ("weight decay", "regularization"),
    ("early stopping", "training technique"),
    # Neural-network basics are components (R4), activation functions among them.
    ("ReLU", "activation function"),
    ("softmax", "model component"),
    ("hidden layer", "neural network layer"),
    # Kinds of model.
    ("LLM", "language model"),
    ("small language model", "language model"),
    ("CNN", "neural network"),
    ("deep neural network", "AI model"),
    # A first course's vocabulary.
    ("overfitting", "learning phenomenon"),
    ("binary classification", "machine learning task"),
    ("clustering", "machine learning task"),
    ("validation set", "dataset"),
    ("KV cache", "efficiency technique"),
    ("cross-validation", "evaluation method"),
    ("policy", "element of reinforcement learning"),
    ("label smoothing", "regularization"),
    ("random search", "hyperparameter optimization"),
    ("imitation learning", "learning paradigm"),
    ("SVM", "classical machine learning model"),
    ("k-NN", "AI model"),
]

NOT_IS_A = [
    ("small language model", "large language model"),
    ("ReLU", "model architecture"),
    ("neural network layer", "model architecture"),
    ("overfitting", "AI failure mode"),
    ("RLHF", "supervised learning"),
]

EXAMPLE_OF = [
    ("machine learning", "research field"),
    ("deep learning", "AI research field"),
    ("artificial intelligence", "research field"),
    ("learning rate", "hyperparameter"),
    ("cross-entropy loss", "loss function"),
    ("test-time compute", "scaling factor"),
    ("F1 score", "evaluation metric"),
    ("Deep Learning (textbook)", "publication"),
]

#: What a newcomer types, and the concept it must find first.
FIRST_HIT = [
    ("backprop", "backpropagation"),
    ("overfitting", "overfitting"),
    ("generalisation", "generalization"),
    ("epoch", "number-of-epochs"),
    ("AI", "artificial-intelligence"),
    ("ML", "machine-learning"),
    ("AGI", "artificial-general-intelligence"),
    ("SLM", "small-language-model"),
    ("KV cache", "kv-cache"),
    ("RL", "reinforcement-learning"),
    ("neuron", "artificial-neuron"),
    ("loss", "loss-function"),
    ("mini-batch", "mini-batch"),
    ("agentic AI", "agentic-ai"),
    ("multi-agent system", "multi-agent-systems"),
    ("test-time compute", "test-time-compute"),
    ("synthetic data", "synthetic-data"),
    ("transfer learning", "transfer-learning"),
    ("PCA", "principal-component-analysis"),
    ("meta-learning", "meta-learning"),
]


@pytest.mark.parametrize(("field", "parent"), PART_OF)
def test_a_sub_field_is_part_of_its_field(bundled: KnowledgeGraph, field: str, parent: str) -> None:
    edges = bundled.relations(bundled.resolve(field).iri)
    assert ("part of", bundled.resolve(parent).iri) in {
        (bundled.predicate_label(e.predicate), e.object.iri) for e in edges
    }


def test_deep_learning_reaches_artificial_intelligence_through_machine_learning(
    bundled: KnowledgeGraph,
) -> None:
    path = bundled.path("deep learning", "artificial intelligence")
    assert path is not None
    assert [e.object.id for e in path] == ["machine-learning", "artificial-intelligence"]
    assert {bundled.predicate_label(e.predicate) for e in path} == {"part of"}


@pytest.mark.parametrize(("subject", "kind"), IS_A)
def test_is_a_holds_with_a_proof_of_asserted_edges(
    bundled: KnowledgeGraph, subject: str, kind: str
) -> None:
    assert_is_a_proved(bundled, subject, kind)


@pytest.mark.parametrize(("subject", "kind"), NOT_IS_A)
def test_is_a_does_not_hold(bundled: KnowledgeGraph, subject: str, kind: str) -> None:
    assert bundled.prove_is_a(subject, kind).holds is False


@pytest.mark.parametrize(("example", "kind"), EXAMPLE_OF)
def test_named_examples_of_the_foundations(
    bundled: KnowledgeGraph, example: str, kind: str
) -> None:
    assert bundled.prove_example_of(example, kind).holds


def test_the_examples_of_research_field_include_the_main_fields(bundled: KnowledgeGraph) -> None:
    fields = {c.id for c in bundled.examples(V.CONCEPT_NS + "research-field")}
    assert {"artificial-intelligence", "machine-learning", "deep-learning"} <= fields
    assert {"natural-language-processing", "computer-vision", "ai-safety"} <= fields


@pytest.mark.parametrize(("text", "expected"), FIRST_HIT)
def test_search_finds_the_concept_a_newcomer_means_first(
    bundled: KnowledgeGraph, text: str, expected: str
) -> None:
    assert [c.id for c in bundled.search(text, first=1)] == [expected]


def test_the_paradigms_of_a_first_course_are_kinds_of_learning_paradigm(
    bundled: KnowledgeGraph,
) -> None:
    paradigms = {c.id for c in bundled.descendants(V.CONCEPT_NS + "learning-paradigm", limit=None)}
    assert {
        "supervised-learning",
        "unsupervised-learning",
        "self-supervised-learning",
        "semi-supervised-learning",
        "reinforcement-learning",
        "transfer-learning",
    } <= paradigms


def read_sources_checked() -> list[dict[str, str]]:
    with SOURCES_CHECKED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows, f"{SOURCES_CHECKED.name} lists nothing"
    return rows


def test_every_row_of_the_sources_record_names_a_concept_and_its_actual_source(
    bundled: KnowledgeGraph,
) -> None:
    cites = set(bundled.store.triples(V.SOURCE))
    for row in read_sources_checked():
        concept = bundled.find_iri(V.CONCEPT_NS + row["concept"])
        assert concept is not None, f"{row['concept']} is not in the ontology"
        assert (concept.iri, V.SOURCE, V.CONCEPT_NS + row["source_block"]) in cites, row
        assert row["page_checked"].strip(), row


def test_every_concept_of_the_learning_branch_is_in_the_sources_record(
    bundled: KnowledgeGraph,
) -> None:
    recorded = {row["concept"] for row in read_sources_checked()}
    roots = ["machine-learning-task", "learning-phenomenon", "reinforcement-learning-element"]
    branch = {c.id for r in roots for c in bundled.descendants(V.CONCEPT_NS + r, limit=None)}
    assert branch and branch <= recorded, sorted(branch - recorded)


def test_every_publication_first_cited_by_the_foundations_names_a_checked_page(
    bundled: KnowledgeGraph,
) -> None:
    rows = read_sources_checked()
    cited = {row["source_block"] for row in rows}
    reused = {r["source_block"] for r in rows if r["page_checked"].startswith("(existing")}
    for block in sorted(cited - reused):
        publication = bundled.find_iri(V.CONCEPT_NS + block)
        assert publication is not None
        assert bundled.example_of(publication.iri, V.CONCEPT_NS + "publication")
        assert all(r["page_checked"].startswith("http") for r in rows if r["source_block"] == block)
