"""A "no" says more where the graph can: a family asked as a model, a kind asked as an example."""

from __future__ import annotations

from graph import KnowledgeGraph
from graph.explore.why_not import indefinite_article


def test_a_family_asked_as_a_model_names_its_models_of_which_it_holds(
    bundled: KnowledgeGraph,
) -> None:
    assert not bundled.is_a("Llama 3", "open-weight model")
    assert bundled.why_not("Llama 3", "open-weight model") == (
        "Llama 3 is a model family or series, not a model; ask of its models: Llama 3 70B and "
        "Llama 3 8B are each an open-weight model (2 of its 2 member models)."
    )


def test_a_family_reaches_the_models_of_its_series_within_series(bundled: KnowledgeGraph) -> None:
    note = bundled.why_not("Llama family", "large language model")
    assert note is not None
    assert note.startswith("Llama family is a model family or series, not a model; ask of its")
    assert "are each a large language model" in note and "more" in note  # LLaMA 7B … Llama 4


def test_a_family_none_of_whose_models_holds_says_so(bundled: KnowledgeGraph) -> None:
    assert bundled.why_not("Claude 3", "image generation model") == (
        "Claude 3 is a model family or series, not a model; none of its 3 member models is an "
        "image generation model."
    )


def test_a_kind_asked_as_an_example_points_to_is_a(bundled: KnowledgeGraph) -> None:
    assert not bundled.example_of("LLM", "foundation model")
    assert bundled.why_not("LLM", "foundation model", strictly_example=True) == (
        "large language model is a kind, not a named example, so it is an example of nothing; "
        "as a kind, it is a sub-kind of foundation model (what isA answers)."
    )


def test_an_architecture_asked_as_a_model_names_the_kinds_of_model_built_on_it(
    bundled: KnowledgeGraph,
) -> None:
    assert not bundled.is_a("transformer", "neural network")
    assert bundled.why_not("transformer", "neural network") == (
        "transformer is a model architecture, not a model: models use it; ask of the kinds of "
        "model built on it: large language model and transformer-based language model are each "
        "a neural network."
    )


def test_a_plain_no_has_no_note(bundled: KnowledgeGraph) -> None:
    assert bundled.why_not("DALL-E 3", "LLM") is None
    assert bundled.why_not("foundation model", "LLM") is None


def test_the_article_follows_the_first_sound() -> None:
    labels = ("MLLM", "SSM", "model", "GPT model", "open-weight model")
    assert [indefinite_article(x) for x in labels] == ["an", "an", "a", "a", "an"]
