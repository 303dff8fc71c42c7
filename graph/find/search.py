"""Ranked search over labels, alternative and translated labels, acronyms and definitions.

Matches are scored by tier, best first; a concept keeps its best tier:

==========================  =====  ==========================================
tier                        score  example (query → label)
==========================  =====  ==========================================
exact preferred label        1000  "large language model"
exact other label             950  "LLM", "Großes Sprachmodell"
acronym of a label            900  "rag" → "retrieval-augmented generation"
label starts with query       800  "chinch" → "Chinchilla" (shorter first)
a word starts with query      700  "language" → "large language model"
fuzzy (typos)             500-600  "chinchila" → "Chinchilla", "lama 3"
definition has every word     300  "denoising" → diffusion model
==========================  =====  ==========================================

Fuzzy matching (rapidfuzz) and definitions are consulted only when the tiers above
them found nothing, so autocomplete stays cheap on big graphs; fuzzy matching compares
only keys that begin with the query's first character (typos rarely hit the first
letter), at most :data:`MAX_FUZZY_KEYS` of them.
Ties are broken by label, then node number.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from itertools import takewhile

from rapidfuzz import fuzz, process

from graph.find.lookup import MAX_REFERENCE, ConceptResolver, LabelIndex, nodes_in, normalise

__all__ = ["MAX_DEFINITIONS_INDEXED", "MAX_FUZZY_KEYS", "Searcher", "acronyms"]

#: Definitions are searched only in graphs with at most this many (the word index is in memory).
MAX_DEFINITIONS_INDEXED = 200_000
#: How many label keys one prefix scan looks at, and one fuzzy pass compares, at most.
_MAX_KEYS_SCANNED = 20_000
MAX_FUZZY_KEYS = 20_000
_FUZZY_CUTOFF = 75.0
_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"})
_WORD = re.compile(r"[^\W_]+")


def acronyms(label: str) -> set[str]:
    """The initials of a label of two or more words, with and without short function words.

    >>> sorted(acronyms("mixture of experts")), acronyms("retrieval-augmented generation"), (
    ...     acronyms("GPT-4")
    ... )
    (['me', 'moe'], {'rag'}, set())
    """
    words = _WORD.findall(normalise(label))
    if len(words) < 2 or any(w.isdigit() for w in words):
        return set()
    content = [w for w in words if w not in _STOP_WORDS]
    return {"".join(w[0] for w in chosen) for chosen in (words, content) if len(chosen) >= 2}


class Searcher:
    """Finds concepts for a typed text; filters (kind, place in the taxonomy) apply before
    ranking."""

    def __init__(
        self,
        label_keys: tuple[LabelIndex, LabelIndex],
        labels: Sequence[str | None],
        definitions: Mapping[int, str],
        resolver: ConceptResolver,
    ) -> None:
        self._by_label, self._by_alt = label_keys
        self._resolver = resolver  # shares its sorted label keys, built once for both
        self._labels = labels
        self._definitions = definitions

    def search(
        self, text: str, keep: Callable[[int], bool] | None = None
    ) -> list[tuple[int, float]]:
        """Every match found for ``text`` that ``keep`` accepts, best first, with its score."""
        if len(text) > MAX_REFERENCE:
            return []
        query = normalise(text)
        if not query:
            return []
        scores: dict[int, float] = {}

        def score(nodes: Iterable[int], value: float) -> None:
            for node in nodes:
                if (keep is None or keep(node)) and scores.get(node, 0.0) < value:
                    scores[node] = value

        score(nodes_in(self._by_label.get(query)), 1000.0)
        score(nodes_in(self._by_alt.get(query)), 950.0)
        score(self._acronyms.get(query.replace(" ", ""), ()), 900.0)
        for key in self._keys_with_prefix(query):
            score(self._nodes_for(key), 800.0 - len(key) / 1000)
        for key in self._keys_with_word_prefix(query):
            score(self._nodes_for(key), 700.0 - len(key) / 1000)
        return self._ranked(scores, query, score)

    def _ranked(
        self, scores: dict[int, float], query: str, score: Callable[[Iterable[int], float], None]
    ) -> list[tuple[int, float]]:
        if not scores:
            for key, value, _ in process.extract(
                query,
                self._fuzzy_candidates(query),
                scorer=fuzz.WRatio,
                limit=50,
                score_cutoff=_FUZZY_CUTOFF,
            ):
                score(self._nodes_for(key), 500.0 + float(value))
        if not scores:
            score(self._defined_with(query), 300.0)
        labels = self._labels
        ranked = sorted(scores, key=lambda n: (-scores[n], (labels[n] or "").casefold(), n))
        return [(n, scores[n]) for n in ranked]

    # --- indexes, built on first use -----------------------------------------------------

    @property
    def _keys(self) -> list[str]:
        """Every label key, sorted (the resolver's, built on first use)."""
        return self._resolver.keys

    @cached_property
    def _words(self) -> list[tuple[str, str]]:
        """(word, key) for every word after the first of a multi-word key, sorted by word."""
        return sorted((word, key) for key in self._keys for word in key.split()[1:])

    @cached_property
    def _acronyms(self) -> dict[str, tuple[int, ...]]:
        found: dict[str, list[int]] = defaultdict(list)
        for key in self._keys:
            for initials in acronyms(key):
                found[initials].extend(self._nodes_for(key))
        return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}

    @cached_property
    def _definition_words(self) -> dict[str, frozenset[int]]:
        if len(self._definitions) > MAX_DEFINITIONS_INDEXED:
            return {}
        index: dict[str, set[int]] = defaultdict(set)
        for node, definition in self._definitions.items():
            for word in _WORD.findall(normalise(definition)):
                index[word].add(node)
        return {word: frozenset(nodes) for word, nodes in index.items()}

    # --- tiers ---------------------------------------------------------------------------

    def _nodes_for(self, key: str) -> tuple[int, ...]:
        return self._resolver.nodes_for(key)

    def _keys_with_prefix(self, prefix: str) -> list[str]:
        keys = self._keys
        start = bisect_left(keys, prefix)
        return list(
            takewhile(lambda key: key.startswith(prefix), keys[start : start + _MAX_KEYS_SCANNED])
        )

    def _keys_with_word_prefix(self, prefix: str) -> list[str]:
        words = self._words
        start = bisect_left(words, (prefix, ""))
        matching = takewhile(
            lambda pair: pair[0].startswith(prefix), words[start : start + _MAX_KEYS_SCANNED]
        )
        return [key for _, key in matching]

    def _fuzzy_candidates(self, query: str) -> list[str]:
        keys = self._keys
        start = bisect_left(keys, query[0])
        return list(
            takewhile(lambda key: key[:1] == query[0], keys[start : start + MAX_FUZZY_KEYS])
        )

    def _defined_with(self, query: str) -> set[int]:
        words = [w for w in _WORD.findall(query) if w not in _STOP_WORDS]
        if not words:
            return set()
        index = self._definition_words
        found = set(index.get(words[0], ()))
        for word in words[1:]:
            found &= index.get(word, frozenset())
        return found
