"""A judged set of search queries over the bundled ontology, and its hit rate.

Each judgement is a query a learner or an engineer would type, with the concepts that
must come back among the first three and among the first ten. They were chosen by reading
the bundled ontology's labels and definitions, not by reading search results: a query
typed as a name (``llm``, ``rag``) wants the concept it names first; a query typed as a
topic (``mixture of experts``) wants the kinds first and its main papers and models on
the first page. A query is a top-3 hit when all its ``top3`` concepts are in the first
three results, and a top-10 hit when those and its ``top10`` concepts are in the first ten.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import KnowledgeGraph


@dataclass(frozen=True)
class Judgement:
    """A query and the concept ids it must find early."""

    query: str
    top3: tuple[str, ...] = ()
    top10: tuple[str, ...] = ()


J = Judgement
JUDGEMENTS: tuple[Judgement, ...] = (
    # --- names and acronyms -----------------------------------------------------------------
    J("llm", ("large-language-model",)),
    J("llms", ("large-language-model",)),
    J("large language models", ("large-language-model",)),
    J("rag", ("retrieval-augmented-generation",)),
    J(
        "retrieval augmented generation",
        ("retrieval-augmented-generation",),
        ("retrieval-augmented-generation-for-knowledge-intensive-nlp-tasks",),
    ),
    J(
        "lora",
        ("low-rank-adaptation",),
        ("lora-low-rank-adaptation-of-large-language-models", "qlora"),
    ),
    J("moe", ("mixture-of-experts-based-model", "mixture-of-experts")),
    J("rlhf", ("reinforcement-learning-from-human-feedback",)),
    J("dpo", ("direct-preference-optimisation",), ("direct-preference-optimization-paper",)),
    J("cot", ("chain-of-thought-prompting",)),
    J("vlm", ("vision-language-model",)),
    J("gpt", ("gpt",)),
    J("gpt 4", ("gpt-4",), ("gpt-4o", "gpt-4-turbo")),
    J("gpt4", ("gpt-4",)),
    J("claude", ("claude",), ("claude-3-5-sonnet",)),
    J("llama", ("llama-1", "llama")),
    J("llama 3", ("llama-3",)),
    J("mistral", ("mistral", "mistral-ai")),
    J("mixtral", ("mixtral-8x7b",), ("mixtral-8x22b", "mixtral-of-experts")),
    J("bert", ("bert",), ("bert-pre-training-of-deep-bidirectional-transformers",)),
    J("openai", ("openai",)),
    J("anthropic", ("anthropic",)),
    J("gan", ("gan-based-model",), ("generative-adversarial-nets",)),
    # --- topics -------------------------------------------------------------------------
    J(
        "mixture of experts",
        ("mixture-of-experts", "mixture-of-experts-based-model", "sparse-mixture-of-experts"),
        ("mixtral-of-experts", "mixtral-8x7b", "outrageously-large-neural-networks"),
    ),
    J("open weights", ("open-source-foundation-model",)),
    J("open source model", ("open-source-foundation-model",)),
    J("language model", ("large-language-model",), ("transformer-based-language-model",)),
    J("transformer", ("transformer",), ("attention-is-all-you-need",)),
    J("attention", ("attention-mechanism",), ("attention-is-all-you-need",)),
    J("diffusion", ("diffusion-based-model",), ("diffusion-model", "stable-diffusion")),
    J("diffusion model", ("diffusion-based-model",), ("diffusion-model",)),
    J("stable diffusion", ("stable-diffusion",), ("stable-diffusion-1", "stable-diffusion-3")),
    J(
        "scaling laws",
        ("scaling-law",),
        (
            "kaplan-scaling-laws",
            "chinchilla-scaling-laws",
            "scaling-laws-for-neural-language-models",
        ),
    ),
    J(
        "fine tuning",
        ("fine-tuning",),
        ("parameter-efficient-fine-tuning", "supervised-fine-tuning"),
    ),
    J("finetuning", ("fine-tuning",)),
    J("instruction tuning", ("instruction-tuning",)),
    J(
        "hallucination",
        ("hallucination",),
        ("survey-of-hallucination-in-natural-language-generation",),
    ),
    J("prompt injection", ("prompt-injection", "indirect-prompt-injection")),
    J("prompt engineering", ("prompt-engineering",)),
    J("embedding", ("embedding",), ("embedding-model", "text-embedding")),
    J("embeddings", ("embedding",)),
    J(
        "vector database",
        ("vector-database",),
        ("survey-of-vector-database-management-systems",),
    ),
    J("vector search", ("semantic-search", "vector-search-library")),
    J("semantic search", ("semantic-search",)),
    J(
        "chain of thought",
        ("chain-of-thought-prompting",),
        ("chain-of-thought-prompting-elicits-reasoning", "zero-shot-chain-of-thought"),
    ),
    J(
        "reinforcement learning from human feedback",
        ("reinforcement-learning-from-human-feedback",),
        ("reinforcement-learning-from-ai-feedback",),
    ),
    J("quantization", ("quantization",), ("gptq", "awq")),
    J("quantisation", ("quantization",)),
    J(
        "context window",
        ("context-window",),
        ("extending-context-window-via-positional-interpolation",),
    ),
    J("context length", ("context-window",)),
    J("tokenizer", ("tokenizer",), ("sentencepiece",)),
    J("tokenization", ("tokenization-algorithm",), ("subword-tokenization",)),
    J(
        "knowledge distillation",
        ("knowledge-distillation",),
        ("distilling-the-knowledge-in-a-neural-network",),
    ),
    J("distillation", ("knowledge-distillation",)),
    J("in context learning", ("in-context-learning",)),
    J("few shot", ("few-shot-prompting",), ("language-models-are-few-shot-learners",)),
    J("zero shot", ("zero-shot-prompting",)),
    J("multimodal", ("multimodal-foundation-model",)),
    J("vision language model", ("vision-language-model",)),
    J("reasoning model", ("reasoning-model",)),
    J("alignment", ("ai-alignment",)),
    J("ai agents", ("ai-agent",)),
    J(
        "constitutional ai",
        ("constitutional-ai", "constitutional-ai-harmlessness-from-ai-feedback"),
    ),
    # --- agents, serving, benchmarks, governance, the models of 2024-2026 -------------------
    J("agents", ("ai-agent",)),
    J("agentic ai", ("agentic-ai",)),
    J("multi agent", ("multi-agent-systems",)),
    J("mcp", ("model-context-protocol",), ("introducing-the-model-context-protocol",)),
    J(
        "model context protocol",
        ("model-context-protocol",),
        ("introducing-the-model-context-protocol",),
    ),
    J("tool calling", ("function-calling",)),
    J("computer use", ("computer-use",)),
    J("eu ai act", ("eu-ai-act",), ("regulation-eu-2024-1689",)),
    J("red teaming", ("red-teaming",)),
    J("jailbreak", ("jailbreak",)),
    J(
        "swe bench",
        ("swe-bench",),
        ("swe-bench-can-language-models-resolve-real-world-github-issues",),
    ),
    J("mmlu", ("mmlu",), ("measuring-massive-multitask-language-understanding", "mmlu-pro")),
    J("gpqa", ("gpqa",)),
    J("imagenet", ("imagenet",), ("imagenet-a-large-scale-hierarchical-image-database",)),
    J("vllm", ("vllm",), ("efficient-memory-management-with-pagedattention",)),
    J("pytorch", ("pytorch",)),
    J("hugging face", ("hugging-face",), ("hugging-face-hub",)),
    J("gpu", ("gpu",)),
    J("tpu", ("tensor-processing-unit",)),
    J("flash attention", ("flashattention",), ("flashattention-paper",)),
    J("kv cache", ("kv-cache",)),
    J(
        "speculative decoding",
        ("speculative-decoding",),
        ("fast-inference-via-speculative-decoding",),
    ),
    J("deepseek r1", ("deepseek-r1",), ("deepseek-r1-paper",)),
    J("gpt 5", ("gpt-5",), ("introducing-gpt-5",)),
    J("o1", ("o1",), ("learning-to-reason-with-llms",)),
    J("gpt oss", ("gpt-oss",), ("introducing-gpt-oss",)),
    J("llama 4", ("llama-4",), ("the-llama-4-herd",)),
    J("gemini", ("gemini",)),
    J("qwen", ("qwen",)),
    # --- typos --------------------------------------------------------------------------
    J("chinchila", ("chinchilla",)),
    J("lama 3", ("llama-3",)),
    J("transfomer", ("transformer",)),
    J("halucination", ("hallucination",)),
    # --- questions, as an agent or a learner types them: the concepts they name ----------
    J("who developed Kimi K2.5?", ("kimi-k2-5",)),
    J("what is retrieval-augmented generation", ("retrieval-augmented-generation",)),
    J("is GPT-4 an LLM?", ("gpt-4", "large-language-model")),
    J("Claude Opus 5 release date", ("claude-opus-5",)),
    J("tell me about mixture of experts", ("mixture-of-experts",)),
)


def misses(graph: KnowledgeGraph, judgement: Judgement) -> tuple[list[str], list[str]]:
    """The ids missing from the first three, and those missing from the first ten."""
    found = [concept.id for concept in graph.search(judgement.query, 10)]
    wanted = (*judgement.top3, *judgement.top10)
    return [i for i in judgement.top3 if i not in found[:3]], [i for i in wanted if i not in found]


def hit_rates(graph: KnowledgeGraph) -> tuple[float, float]:
    """The share of judgements with every top-3 concept in the first three, and the share
    with every judged concept in the first ten."""
    results = [misses(graph, j) for j in JUDGEMENTS]
    top3 = sum(not missed3 for missed3, _ in results) / len(results)
    top10 = sum(not missed10 for _, missed10 in results) / len(results)
    return top3, top10


if __name__ == "__main__":  # python -m tests.test_graph.search_judgements: the hit rates
    from graph.loading import load_files
    from ontology import data_files

    bundled = load_files(data_files())
    for judgement in JUDGEMENTS:
        missed3, missed10 = misses(bundled, judgement)
        if missed3 or missed10:
            print(f"{judgement.query!r}: not in top 3 {missed3}, not in top 10 {missed10}")
    rate3, rate10 = hit_rates(bundled)
    print(f"{len(JUDGEMENTS)} queries: top 3 {rate3:.0%}, top 10 {rate10:.0%}")
