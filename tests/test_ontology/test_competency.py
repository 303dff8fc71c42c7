"""Competency questions from the seed article, answered by the bundled ontology.

Each case names the sentence of the article (in our words) that makes it true.
"""

from __future__ import annotations

import pytest

from graph import KnowledgeGraph
from tests.test_ontology.proofs import assert_is_a_proved

IS_A = [
    # "All LLMs are foundation models."
    ("LLM", "foundation model"),
    # The table of kinds: multimodal, image generation, audio and code models are foundation models.
    ("multimodal model", "foundation model"),
    ("image generation model", "foundation model"),
    ("audio model", "foundation model"),
    ("code generation model", "foundation model"),
    # "A foundation model is a large AI model."
    ("foundation model", "AI model"),
    # Named examples, through their kinds.
    ("GPT-4", "foundation model"),
    # Claude 3, Llama 3 and Mistral are series and a family (R1): their models carry the kinds.
    ("Claude 3", "model family"),
    ("Claude 3 Opus", "foundation model"),
    ("Llama 3", "model family"),
    ("Llama 3 8B", "LLM"),
    ("Llama 3 70B", "LLM"),
    ("Mistral", "model family"),
    ("Mistral 7B", "LLM"),
    ("GPT-4o", "multimodal model"),
    ("Gemini 1.5 Pro", "multimodal model"),
    ("Claude 3 Opus", "multimodal model"),
    # A model that reads images besides text and writes text is a multimodal LLM: both an LLM
    # and a multimodal model, so the lesson's LLM row (Claude 3) and multimodal row (Claude 3
    # Opus) both hold of Claude 3 Opus, and "is GPT-5 an LLM?" is answered yes.
    ("Claude 3 Opus", "LLM"),
    ("GPT-4o", "multimodal large language model"),
    ("GPT-5", "large language model"),
    ("Claude Opus 5", "LLM"),
    ("Gemini 3 Pro", "MLLM"),
    # Models their developers present as thinking or reasoning models (breadth-reasoning26):
    # "is GPT-5 a reasoning model?" is answered yes, beside being a multimodal LLM.
    ("GPT-5", "reasoning model"),
    ("Claude Opus 4", "reasoning model"),
    ("Gemini 3 Pro", "thinking model"),
    ("multimodal LLM", "LLM"),
    ("multimodal LLM", "multimodal model"),
    # The report that named foundation models: they are built on standard deep learning.
    ("foundation model", "deep neural network"),
    ("GPT-4", "neural network"),
    ("LLM", "neural network"),
    ("transformer-based language model", "neural network"),
    ("DALL-E 3", "image generation model"),
    ("DALL·E 3", "foundation model"),
    ("SDXL", "image generation model"),
    # Midjourney and GitHub Copilot are products built on models (R1); ElevenLabs is a company.
    ("Midjourney", "AI product"),
    # Whisper is a series (R1): its five sizes carry the kind.
    ("Whisper", "model family"),
    ("Whisper large", "audio model"),
    ("Whisper tiny", "audio model"),
    ("ElevenLabs", "company"),
    ("Voicebox", "audio model"),
    ("GitHub Copilot", "AI product"),
    # StarCoder2 is a series (R1): its three sizes carry the kinds.
    ("StarCoder2", "model family"),
    ("StarCoder2-15B", "code generation model"),
    # DeepSeek-Coder is a series too (R1): its four sizes carry the kind.
    ("DeepSeek-Coder", "model family"),
    ("DeepSeek-Coder 6.7B", "code generation model"),
    ("DeepSeek-Coder 33B", "code generation model"),
    # Flan-T5 and DeBERTa are series (R1): their released sizes carry the kinds.
    ("Flan-T5", "model family"),
    ("Flan-T5-XXL", "LLM"),
    ("Flan-T5 Small", "open-source foundation model"),
    ("DeBERTa", "model family"),
    ("DeBERTa-V2-XXLarge", "LLM"),
    # Proprietary vs open: "Proprietary (GPT-4, Claude)", "Open-Source (Llama 3, Mistral)",
    # and Falcon.
    ("GPT-4", "proprietary foundation model"),
    ("Llama 3 8B", "open-source foundation model"),
    ("Llama 3 70B", "open-source foundation model"),
    ("Mistral 7B", "open-source foundation model"),
    ("Falcon-40B", "open-source foundation model"),
    ("Claude 3.5 Sonnet", "proprietary foundation model"),
    # "The three main adaptation techniques are prompt engineering, RAG, and fine-tuning."
    ("prompt engineering", "adaptation technique"),
    ("RAG", "adaptation technique"),
    ("fine-tuning", "adaptation technique"),
    # Organisations behind the models.
    ("OpenAI", "organisation"),
    ("Anthropic", "organisation"),
    ("Google DeepMind", "organisation"),
    ("Meta AI", "organisation"),
    ("CRFM", "organisation"),
    # Scaling laws and the Chinchilla refinement.
    ("Chinchilla scaling laws", "scaling law"),
    # Kinds of model by architecture carry the names people ask with (R3).
    ("Stable Diffusion XL", "diffusion model"),
    ("SDXL", "diffusion model"),
    ("Mixtral 8x7B", "mixture-of-experts model"),
    ("Mixtral 8x7B", "MoE"),
    ("Jamba", "state space model"),
    # "LLaMA" names Meta's first series, as the field writes it; the line is "Llama family".
    ("LLaMA", "model family"),
    ("LLaMA 7B", "large language model"),
    ("LLaMA 65B", "large language model"),
    ("Llama family", "model family"),
]

NOT_IS_A = [
    # "Not all foundation models are LLMs."
    ("foundation model", "LLM"),
    # Text-only LLMs are not multimodal by kind; image models are not LLMs.
    ("LLM", "multimodal model"),
    ("DALL-E 3", "LLM"),
    ("CLIP", "LLM"),  # a multimodal model that writes no text
    ("multimodal model", "LLM"),
    ("Whisper large", "image generation model"),
    # Open and proprietary are disjoint in the article's table.
    ("Llama 3 70B", "proprietary foundation model"),
    ("GPT-4", "open-source foundation model"),
    # An organisation is not a model; nor is a family, a series or a product.
    ("OpenAI", "foundation model"),
    ("Claude 3", "foundation model"),
    ("Llama 3", "foundation model"),
    ("Mistral", "foundation model"),
    ("Whisper", "foundation model"),
    ("DeepSeek-Coder", "foundation model"),
    ("Flan-T5", "foundation model"),
    ("DeBERTa", "foundation model"),
    ("ChatGPT", "foundation model"),
    ("ElevenLabs", "audio model"),
    # A model uses an architecture; it is not one (R3).
    ("Stable Diffusion XL", "diffusion architecture"),
    ("Mixtral 8x7B", "mixture-of-experts architecture"),
    ("transformer", "neural network"),  # an architecture: models built on it are networks
    ("Llama family", "large language model"),
    ("LLaMA", "large language model"),
]

RELATIONS = [
    ("GPT-4", "developed by", "OpenAI"),
    ("Claude 3 Opus", "developed by", "Anthropic"),
    ("Claude 3 Opus", "member of family", "Claude 3"),
    ("Claude 3", "member of family", "Claude"),
    ("Gemini 1.5 Pro", "developed by", "Google DeepMind"),
    ("Gemini 1.5 Pro", "member of family", "Gemini 1.5"),
    ("Mistral 7B", "member of family", "Mistral"),
    ("Falcon-40B", "member of family", "Falcon"),
    ("Google DeepMind", "part of", "Google"),
    ("GitHub Copilot", "based on", "OpenAI Codex"),
    ("Llama 3", "developed by", "Meta AI"),
    ("Llama 3 8B", "developed by", "Meta AI"),
    ("Llama 3 8B", "member of family", "Llama 3"),
    ("Whisper", "developed by", "OpenAI"),
    ("Whisper large", "developed by", "OpenAI"),
    ("Whisper large", "member of family", "Whisper"),
    ("GitHub Copilot", "based on", "GPT-4"),
    ("Chinchilla scaling laws", "refines", "Kaplan scaling laws"),
    ("foundation model", "coined by", "CRFM"),
    ("foundation model", "adapted by", "RAG"),
    ("foundation model", "adapted by", "prompt engineering"),
    ("foundation model", "adapted by", "fine-tuning"),
    ("diffusion model", "uses architecture", "diffusion architecture"),
    ("mixture-of-experts model", "uses architecture", "mixture-of-experts architecture"),
    ("LLaMA", "member of family", "Llama family"),
    ("LLaMA 13B", "member of family", "LLaMA"),
    ("Flan-T5-XL", "member of family", "Flan-T5"),
    ("DeBERTa-V2-XLarge", "member of family", "DeBERTa"),
    ("DeBERTa-V2-XXLarge", "developed by", "Microsoft Research"),
]


@pytest.mark.parametrize(("subject", "kind"), IS_A)
def test_is_a_holds_with_a_proof_of_asserted_edges(
    bundled: KnowledgeGraph, subject: str, kind: str
) -> None:
    assert_is_a_proved(bundled, subject, kind)


@pytest.mark.parametrize(("subject", "kind"), NOT_IS_A)
def test_is_a_does_not_hold(bundled: KnowledgeGraph, subject: str, kind: str) -> None:
    assert bundled.prove_is_a(subject, kind).holds is False


def test_every_named_model_of_the_article_is_an_example_of_a_foundation_model(bundled) -> None:
    named = [
        "GPT-4",
        "Claude 3 Opus",
        "Claude 3.5 Sonnet",
        "Gemini 1.5 Pro",
        "Llama 3 8B",
        "Llama 3 70B",
        "GPT-4o",
        "DALL-E 3",
        "Stable Diffusion XL",
        "Whisper large",
        "Voicebox",
        "StarCoder2-3B",
        "DeepSeek-Coder 33B",
    ]
    for model in named:
        assert bundled.prove_example_of(model, "foundation model").holds, model


def test_the_article_families_series_and_products_lead_to_foundation_models(bundled) -> None:
    # The lesson names families and series (Claude 3, Gemini 1.5, Llama 3, Mistral, Falcon,
    # StarCoder2, Whisper, DeepSeek-Coder) and products (GitHub Copilot) as models: their member
    # or underlying models are foundation models.
    families = [
        "Claude 3",
        "Gemini 1.5",
        "Llama 3",
        "Mistral",
        "Falcon",
        "StarCoder2",
        "Whisper",
        "DeepSeek-Coder",
    ]
    for family in families:
        iri = bundled.resolve(family).iri
        members = [
            e.subject
            for e in bundled.relations(iri)
            if bundled.predicate_label(e.predicate) == "member of family" and e.object.iri == iri
        ]
        assert any(bundled.prove_example_of(m.iri, "foundation model").holds for m in members), (
            family
        )
    edges = bundled.relations(bundled.resolve("GitHub Copilot").iri)
    assert any(
        bundled.predicate_label(e.predicate) == "based on"
        and bundled.prove_example_of(e.object.iri, "code generation model").holds
        for e in edges
    )


def test_kinds_are_not_examples(bundled) -> None:
    assert not bundled.prove_example_of("LLM", "foundation model").holds
    assert not bundled.prove_example_of("RAG", "adaptation technique").holds


@pytest.mark.parametrize(("subject", "predicate", "obj"), RELATIONS)
def test_typed_relations_from_the_article(bundled, subject: str, predicate: str, obj: str) -> None:
    edges = bundled.relations(bundled.resolve(subject).iri)
    found = {(bundled.predicate_label(e.predicate), e.object.iri) for e in edges}
    assert (predicate, bundled.resolve(obj).iri) in found


def test_the_four_properties_of_foundation_models(bundled) -> None:
    fm = bundled.resolve("foundation model").iri
    properties = {
        e.object.label.lower()
        for e in bundled.relations(fm)
        if bundled.predicate_label(e.predicate) == "has property"
    }
    # The lesson's Broad, Transferable, Emergent and Adaptable, labelled by what each property is.
    assert {
        "breadth of training data",
        "transferability to new tasks",
        "emergence with scale",
        "adaptability to new uses",
    } <= properties


def test_the_term_was_coined_in_the_2021_paper(bundled) -> None:
    paper = bundled.resolve("on-the-opportunities-and-risks-of-foundation-models")
    assert bundled.prove_is_a(paper.iri, "publication").holds
    edges = bundled.relations(bundled.resolve("foundation model").iri)
    assert any(e.object.iri == paper.iri for e in edges)


@pytest.mark.parametrize(
    "label",
    [
        "per-token pricing",
        "data privacy",
        "vendor dependency",
        "break-even volume",
        "self-hosting",
        "API access",
        "emergent capability",
        "downstream task",
        "modality",
        "scaling law",
        "translation",
    ],
)
def test_deployment_trade_offs_and_other_article_concepts_are_present(bundled, label: str) -> None:
    concept = bundled.resolve(label)
    assert concept.definition and concept.source


def test_every_concept_has_a_label_definition_and_source(bundled) -> None:
    assert bundled.unlabelled() == []
    assert [c.id for c in bundled if not (c.definition and c.source)] == []


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        # The kinds of model take the common names; the architectures are named as designs (R3).
        ("diffusion model", "diffusion-based-model"),
        ("diffusion architecture", "diffusion-model"),
        ("state space model", "state-space-based-model"),
        ("state space architecture", "state-space-model"),
        ("mixture-of-experts model", "mixture-of-experts-based-model"),
        ("mixture-of-experts architecture", "mixture-of-experts"),
        ("CNN", "cnn-based-model"),
        ("convolutional neural network", "cnn-based-model"),
        ("convolutional architecture", "convolutional-neural-network"),
        ("RNN", "rnn-based-model"),
        ("recurrent architecture", "recurrent-neural-network"),
        ("GAN", "gan-based-model"),
        ("VAE", "vae-based-model"),
        # "LLaMA" as written is the first series; the family has a label of its own.
        ("LLaMA", "llama-1"),
        ("LLaMA 1", "llama-1"),
        ("Llama family", "llama"),
    ],
)
def test_common_names_resolve_to_the_concept_people_mean(
    bundled, reference: str, expected: str
) -> None:
    assert bundled.resolve(reference).id == expected


def test_acronyms_plurals_and_spellings_resolve(bundled) -> None:
    for alias, expected in [
        ("LLMs", "large-language-model"),
        ("large language models", "large-language-model"),
        ("SDXL", "stable-diffusion-xl"),
        ("DALL·E 3", "dall-e-3"),
        ("RAG", "retrieval-augmented-generation"),
    ]:
        assert bundled.resolve(alias).id == expected
