"""Ranked search over labels, alternative and translated labels, acronyms and definitions.

Every tier is consulted and the matches are ranked in one list; a concept keeps its best
tier, and within a tier (see below) the closer label and the more central concept first:

==========================  =====  ==========================================
tier                        score  example (query → label)
==========================  =====  ==========================================
exact preferred label        1000  "large language model"
exact other label             950  "LLM", "Großes Sprachmodell"
the same words as a label     900  "gpt 4" → "GPT-4", "scaling laws" → "scaling law"
the words as a phrase         800  "mixture of experts" → "sparse mixture of experts"
every word, scattered         700  "mixture of experts" → "Adaptive Mixtures of Local Experts"
acronym of a label            650  "rag" → "retrieval-augmented generation"
label starts with query       600  "chinch" → "Chinchilla"
a word starts with query      550  "former" → nothing, "lang" → "large language model"
named inside a question   690-705  "who developed Kimi K2.5?" → "Kimi K2.5"
fuzzy (typos)             475-500  "chinchila" → "Chinchilla", "lama 3" → "Llama 3"
definition has every word 300-330  "denoising" → diffusion model
==========================  =====  ==========================================

Words are compared whole, with case folded, punctuation aside and a plural "s" dropped
(so "open weights" finds the label "open-weight model"); "of", "the" and other function
words must stand in a phrase but are not required of scattered words. Definition matches
rank by how much of the query the concept's label shares (the Mixtral paper's "Mixtral of
Experts" for "mixture of experts"), then phrase before scattered words, then how early in
the definition the words come.

Fuzzy matching (rapidfuzz) runs only when some word of the query begins no word of any
label, that is when the text probably holds a typo: it is the one tier that scans, and it
compares only keys that begin with the query's first character (typos rarely hit the
first letter), at most :data:`MAX_FUZZY_KEYS` of them, keeping the best 50. Every other
tier is a dictionary look-up or a bisection in sorted keys, reading at most
:data:`MAX_KEYS_SCANNED` keys.

A question or a sentence ("is GPT-4 an LLM?", "who developed Kimi K2.5") matches no label as a
whole; when nothing matched in the scattered-words tier or above, every run of up to
:data:`MAX_NAMED_WORDS` of its words is looked up as a label, and the longest runs found are
kept (not "Claude" inside "Claude Opus 5"): an agent's question finds the concepts it names.

The words of a query are also tried in two other forms, in the same tiers as if typed: an
acronym a concept carries as a label ("MoE", "MCP") stands for the words it abbreviates in
that concept's other labels (:func:`expansions`), so ``mcp`` finds the announcement
"Introducing the Model Context Protocol"; and two or three words are also run together, so
``flash attention`` finds "FlashAttention: Fast and Memory-Efficient Exact Attention…".

Within a tier, two bonuses order the matches, together less than the 50 between tiers, so
neither lifts a concept into a better tier: :func:`closeness`, how much of the matched
label the query covers (up to 15: "multi-agent systems" before a paper title holding
"multi-agent"), and :func:`centrality`, how many edges point at the concept (its sub-kinds,
its named examples, the relations whose object it is; up to 30). Among the 41 labels of the
bundled ontology that hold the word "transformer", the architecture's paper, pointed at by
7 relations, so comes before Transformer-XL and Swin, pointed at by none. Ties are broken
by label, then IRI.
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice, takewhile
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from graph.find.lookup import (
    MAX_REFERENCE,
    ConceptResolver,
    LabelIndex,
    LayeredKeys,
    LayeredSorted,
    nodes_in,
    normalise,
)
from graph.index.mapped import KeyRows

__all__ = [
    "MAX_CENTRALITY",
    "MAX_CLOSENESS",
    "MAX_DEFINITIONS_INDEXED",
    "MAX_FUZZY_KEYS",
    "MAX_KEYS_SCANNED",
    "Searcher",
    "acronyms",
    "centrality",
    "closeness",
    "expansions",
    "stems",
]

#: Definitions are searched only in graphs with at most this many (the word index is in memory).
MAX_DEFINITIONS_INDEXED = 200_000
#: How many label keys one tier reads, and one fuzzy pass compares, at most.
MAX_KEYS_SCANNED = 20_000
MAX_FUZZY_KEYS = 20_000
#: Acronyms naming more concepts than this are not expanded (a short word, not an acronym).
MAX_EXPANDED = 10
#: The most :func:`centrality` and :func:`closeness` add to a score (less than the 50
#: between two tiers, together).
MAX_CENTRALITY, MAX_CLOSENESS = 30.0, 15.0
#: Queries of this many words at most are also tried with their words run together.
MAX_WORDS_JOINED = 3
_FUZZY_CUTOFF = 75.0
_FUZZY_LIMIT = 50
_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"})
_WORD = re.compile(r"[^\W_]+")

#: Runs of at most this many words of a question are looked up as labels.
MAX_NAMED_WORDS = 8
#: Words of a question never looked up as a label alone.
_QUESTION_WORDS = _STOP_WORDS | frozenset(
    {"is", "are", "was", "what", "which", "who", "whom", "when", "where", "why", "how", "does",
     "do", "did", "can", "me", "about", "tell", "explain", "define", "by", "it", "its", "or"}
)  # fmt: skip
_EDGE_PUNCTUATION = "?!.,;:\"'()[]"

EXACT, EXACT_OTHER, SAME_WORDS, PHRASE, WORDS = 1000.0, 950.0, 900.0, 800.0, 700.0
NAMED_IN = 690.0
ACRONYM, PREFIX, WORD_PREFIX, FUZZY, DEFINITION = 650.0, 600.0, 550.0, 400.0, 300.0


def stems(text: str) -> list[str]:
    """The words of a normalised text, each without a plural "s" (not "ss", "us", short words).

    >>> stems("open-weight models"), stems("scaling laws"), stems("loss of focus")
    (['open', 'weight', 'model'], ['scaling', 'law'], ['loss', 'of', 'focus'])
    """
    return _stemmed(_WORD.findall(text))


def _stemmed(words: list[str]) -> list[str]:
    """Each word without a plural "s" (see :func:`stems`)."""
    return [w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] not in "su" else w for w in words]


def _later_words(key: str) -> Iterable[str]:
    """The words of a label key after its first (as split at white space), each once."""
    return dict.fromkeys(key.split()[1:])


def _spaced(words: Iterable[str]) -> str:
    """Words joined and framed by spaces, so that ``in`` finds whole words and phrases.

    >>> _spaced(["mixture", "of", "expert"]) in _spaced(stems("sparse mixture of experts"))
    True
    """
    return f" {' '.join(words)} "


def acronyms(label: str) -> set[str]:
    """The initials of a label of two or more words, with and without short function words.

    >>> sorted(acronyms("mixture of experts")), acronyms("retrieval-augmented generation"), (
    ...     acronyms("GPT-4")
    ... )
    (['me', 'moe'], {'rag'}, set())
    """
    return _initials(_WORD.findall(normalise(label)))


def _initials(words: list[str]) -> set[str]:
    """The acronyms of a normalised label's words (see :func:`acronyms`)."""
    if len(words) < 2 or any(w.isdigit() for w in words):
        return set()
    content = [w for w in words if w not in _STOP_WORDS]
    return {"".join(w[0] for w in chosen) for chosen in (words, content) if len(chosen) >= 2}


def expansions(acronym: str, labels: Iterable[str]) -> list[str]:
    """The runs of words in ``labels`` whose initials spell ``acronym`` (normalised), with
    or without their function words: what the acronym stands for in those labels.

    >>> expansions("moe", ["MoE", "mixture-of-experts model", "sparse MoE model"])
    ['mixture of experts']
    >>> expansions("mcp", ["Model Context Protocol"]), expansions("gpt", ["GPT-4"])
    (['model context protocol'], [])
    """
    found: dict[str, None] = {}
    for label in labels:
        words = _WORD.findall(normalise(label))
        for start, first in enumerate(words):
            if first[0] != acronym[0] or first in _STOP_WORDS:
                continue
            for stop in range(start + 2, len(words) + 1):
                run = words[start:stop]
                if run[-1] not in _STOP_WORDS and acronym in acronyms(" ".join(run)):
                    found[" ".join(run)] = None
    return list(found)


def centrality(links: int) -> float:
    """What ``links`` edges pointing at a concept add to its score within its tier: 4 per
    doubling, at most :data:`MAX_CENTRALITY` (from 180 links).

    >>> centrality(0), centrality(1), centrality(7), centrality(10**6)
    (0.0, 4.0, 12.0, 30.0)
    """
    return min(MAX_CENTRALITY, 4.0 * math.log2(1 + links))


def closeness(typed: str, key: str) -> float:
    """What it adds to a match that the typed words cover much of the label matched (never
    empty: it holds them), up to :data:`MAX_CLOSENESS` when they are the whole label.

    >>> closeness("multi agent", "multi agent systems") > closeness(
    ...     "multi agent", "magentic one a generalist multi agent system"
    ... )
    True
    >>> closeness("gpt 4", "gpt 4")
    15.0
    """
    covered = len(typed) / len(key)
    return MAX_CLOSENESS if covered >= 1.0 else MAX_CLOSENESS * covered


#: The most nodes an edit (or the edits since the last search) may touch for search's word
#: indexes to be patched rather than built again.
MAX_CARRIED = 2_000
#: The word indexes a searcher builds on first use (see :meth:`Searcher.carry_over`).
_WORD_INDEXES = ("_keys_by_word", "_words", "_label_words", "_acronyms", "_definition_index")


class _WordIndexes(NamedTuple):
    """The word indexes :attr:`Searcher._word_pass` builds together."""

    keys_by_word: dict[str, tuple[str, ...]]
    words: LayeredSorted
    label_words: LayeredSorted
    acronyms: dict[str, tuple[int, ...]]


@dataclass
class _Carried:
    """A searcher whose word indexes are built, and, for each node touched since, its label
    keys and definition as they were in it; ``key_changes`` once computed."""

    base: Searcher
    before: dict[int, tuple[frozenset[str], str | None]]
    key_changes: tuple[list[str], list[str]] | None = None


def _patched_definitions(
    built: Mapping[str, frozenset[int]],
    before: Mapping[int, tuple[frozenset[str], str | None]],
    definitions: Mapping[int, str],
) -> LayeredKeys:
    """The definition word index ``built`` with the touched nodes' definitions as they are."""
    layered = LayeredKeys.over(built)
    for node, (_, definition) in before.items():
        now = definitions.get(node)
        was_words = set(stems(normalise(definition))) if definition else set()
        now_words = set(stems(normalise(now))) if now else set()
        for word in was_words - now_words:
            left = layered[word] - {node}
            if left:
                layered[word] = left
            else:
                del layered[word]
        for word in now_words - was_words:
            layered[word] = layered.get(word, frozenset()) | {node}
    return layered


class Searcher:
    """Finds concepts for a typed text; filters (kind, place in the taxonomy) apply before
    ranking."""

    def __init__(
        self,
        label_keys: tuple[LabelIndex, LabelIndex],
        labels: Sequence[str | None],
        alt_labels: Mapping[int, tuple[str, ...]],
        definitions: Mapping[int, str],
        resolver: ConceptResolver,
        links_to: Callable[[int], int],
        translations: Mapping[int, tuple[tuple[str, str], ...]] | None = None,
        rank_of: Callable[[int], int] = int,
    ) -> None:
        """``links_to(node)``: how many edges point at a node (see :func:`centrality`);
        ``translations``: labels in other languages, node → ((tag, text), ...); ``rank_of``:
        a node's place in IRI order, which breaks ties (its number, in a built index)."""
        self._rank_of = rank_of
        self._by_label, self._by_alt = label_keys
        self._resolver = resolver  # shares its sorted label keys, built once for both
        self._labels = labels
        self._alt_labels = alt_labels
        self._translations = translations or {}
        self._definitions = definitions
        self._links_to = links_to
        self._centrality: dict[int, float] = {}
        self._spaced_definitions: dict[int, tuple[str, str]] = {}
        self._carried: _Carried | None = None

    def carry_over(self, previous: Searcher, touched: Collection[int]) -> None:
        """Take ``previous``'s word indexes, where built, for this searcher's first use,
        patched for the ``touched`` nodes (whose labels or definition an edit may have
        changed; the same numbering in both, nodes appended or renumbered by the edit among
        the touched ones) instead of built again from every key: at a
        million kinds a build takes half a minute, a patch milliseconds.

        ``previous`` may itself still carry another's: the one whose indexes are built stays
        the base, and the touched nodes add up. Past :data:`MAX_CARRIED` of them, or when
        ``previous`` has nothing built, nothing is carried (the first search builds)."""
        pending = previous._carried
        base = previous if pending is None else pending.base
        if not base._has_built():
            return
        before = {} if pending is None else dict(pending.before)
        for node in touched:
            if node not in before:
                before[node] = (previous._keys_of(node), previous._definitions.get(node))
        if len(before) <= MAX_CARRIED:
            self._carried = _Carried(base, before)

    def search(
        self, text: str, keep: Callable[[int], bool] | None = None
    ) -> list[tuple[int, float]]:
        """Every match found for ``text`` that ``keep`` accepts, best first, with its score."""
        if len(text) > MAX_REFERENCE:
            return []
        query = normalise(text)
        if not query:
            return []
        if self._carried is not None:
            self.warm()  # every index patched from the carried ones at once, then let go
        scores: dict[int, float] = {}
        central, nodes_for = self._centrality, self._resolver.nodes_for

        def score(nodes: Iterable[int], value: float) -> None:
            """Keep ``value`` plus each node's centrality where it beats the node's score."""
            for node in nodes:
                old = scores.get(node)
                if old is not None:  # kept already, its centrality known
                    if old < value + central[node]:
                        scores[node] = value + central[node]
                elif keep is None or keep(node):
                    bonus = central.get(node)
                    if bonus is None:
                        bonus = central[node] = centrality(self._links_to(node))
                    scores[node] = value + bonus

        named = nodes_in(self._by_label.get(query)), nodes_in(self._by_alt.get(query))
        score(named[0], EXACT)
        score(named[1], EXACT_OTHER)
        words = stems(query)
        for phrase in (words, *self._other_forms(query, (*named[0], *named[1]))):
            typed = " ".join(phrase)
            for key, value in self._word_matches(phrase):
                score(nodes_for(key), value + closeness(typed, key))
        score(self._acronyms.get(query.replace(" ", ""), ()), ACRONYM)
        for key in self._keys_with_prefix(query):
            score(nodes_for(key), PREFIX + closeness(query, key))
        for key in self._keys_with_word_prefix(query):
            score(nodes_for(key), WORD_PREFIX + closeness(query, key))
        if len(query.split()) > 1 and not any(v >= WORDS for v in scores.values()):
            for key, value in self._labels_named_in(query):
                score(nodes_for(key), value)
        if self._has_unknown_word(query):
            for key, value, _ in process.extract(
                query,
                self._fuzzy_candidates(query),
                scorer=fuzz.WRatio,
                limit=_FUZZY_LIMIT,
                score_cutoff=_FUZZY_CUTOFF,
            ):
                score(nodes_for(key), FUZZY + float(value) + closeness(query, key))
        for node, value in self._definition_matches(words):
            score((node,), value)
        labels = self._labels
        rank_of = self._rank_of
        ranked = sorted(
            scores, key=lambda n: (-scores[n], (labels[n] or "").casefold(), rank_of(n))
        )
        return [(n, scores[n]) for n in ranked]

    def _labels_named_in(self, query: str) -> Iterable[tuple[str, float]]:
        """Label keys that are runs of the query's words (punctuation at a word's ends aside),
        each scored :data:`NAMED_IN` plus up to :data:`MAX_CLOSENESS` for how much of the query
        it spans."""
        words = [w.strip(_EDGE_PUNCTUATION) for w in query.split()]
        words = [w for w in words if w]
        covered: set[int] = set()  # word positions inside a longer run found
        for size in range(min(len(words), MAX_NAMED_WORDS), 0, -1):
            for start in range(len(words) - size + 1):
                run = words[start : start + size]
                if (size == 1 and run[0] in _QUESTION_WORDS) or covered.issuperset(
                    range(start, start + size)
                ):
                    continue
                key = " ".join(run)
                if self._by_label.get(key) is not None or self._by_alt.get(key) is not None:
                    covered.update(range(start, start + size))
                    yield key, NAMED_IN + MAX_CLOSENESS * len(key) / len(query)

    def _other_forms(self, query: str, named: tuple[int, ...]) -> list[list[str]]:
        """The query's words run together ("flash attention" → "flashattention"), or the
        words a one-word query abbreviates in the labels of the concepts it names."""
        words = _WORD.findall(query)
        if 1 < len(words) <= MAX_WORDS_JOINED:
            return [["".join(words)]]
        if len(words) > 1 or len(named) > MAX_EXPANDED:
            return []
        found: dict[str, None] = {}
        for node in named:
            labels = (self._labels[node] or "", *self._alt_labels.get(node, ()))
            found.update(dict.fromkeys(expansions(query, labels)))
        return [stems(words) for words in found]

    # --- indexes, built on first use -----------------------------------------------------

    @property
    def _keys(self) -> LayeredSorted:
        """Every label key, sorted (the resolver's, built on first use, or carried over)."""
        carried = self._carried
        if carried is not None and "keys" in carried.base._resolver.__dict__:
            if "keys" not in self._resolver.__dict__:
                added, removed = self._key_changes(carried)
                keys = carried.base._resolver.keys.changed(added, removed)
                self._resolver.carry_keys(keys)
        return self._resolver.keys

    def warm(self) -> None:
        """Build (or patch from the carried ones) now every structure otherwise built on the
        first search."""
        _ = self._keys
        for name in _WORD_INDEXES:
            getattr(self, name)
        self._carried = None  # everything is derived: the base searcher can go

    def in_use(self) -> bool:
        """Whether its word indexes are built or taken, or carried over to be patched: then
        :meth:`warm` costs no build from every key."""
        return self._carried is not None or self._has_built()

    def _has_built(self) -> bool:
        """Whether some word index is built (or taken) in this searcher itself."""
        return any(name in self.__dict__ for name in _WORD_INDEXES)

    def built(self) -> dict[str, Any]:
        """Every structure :meth:`warm` builds, by name, to be saved (see :meth:`take_built`):
        the keys of each word as their positions in the sorted keys (:class:`KeyRows`)."""
        self.warm()
        built = {name: self.__dict__[name] for name in _WORD_INDEXES}
        keys = self._keys.folded()
        built["_keys_by_word"] = KeyRows.packed(built["_keys_by_word"], keys)
        return {"keys": LayeredSorted(keys), **built}

    def take_built(self, built: Mapping[str, Any]) -> None:
        """Take the structures :meth:`built` gave, of a searcher over the same index, instead
        of building them."""
        self._resolver.carry_keys(built["keys"])
        self.__dict__.update({name: built[name] for name in _WORD_INDEXES})
        self._carried = None

    def _keys_of(self, node: int) -> frozenset[str]:
        """The normalised keys of a node's labels (preferred, other, in other languages); none
        for a node appended since this searcher's index."""
        if node >= len(self._labels):
            return frozenset()
        texts = (
            self._labels[node],
            *self._alt_labels.get(node, ()),
            *(text for _, text in self._translations.get(node, ())),
        )
        return frozenset(normalise(text) for text in texts if text)

    def _has_key(self, key: str) -> bool:
        return key in self._by_label or key in self._by_alt

    def _key_changes(self, carried: _Carried) -> tuple[list[str], list[str]]:
        """The label keys added and removed since the carried base (both sorted)."""
        if carried.key_changes is None:
            base, before = carried.base, carried.before
            candidates = {key for keys, _ in before.values() for key in keys}
            candidates.update(key for node in before for key in self._keys_of(node))
            added = sorted(k for k in candidates if self._has_key(k) and not base._has_key(k))
            removed = sorted(k for k in candidates if base._has_key(k) and not self._has_key(k))
            carried.key_changes = added, removed
        return carried.key_changes

    def _derived(self, name: str) -> tuple[Any, _Carried] | None:
        """The carried base's built index ``name`` and the carry; or None (build it from the
        keys). Read once per index: :meth:`warm` may let the carry go meanwhile."""
        carried = self._carried
        built = None if carried is None else carried.base.__dict__.get(name)
        return None if carried is None or built is None else (built, carried)

    @cached_property
    def _word_pass(self) -> _WordIndexes:
        """The four word indexes built from every label key in one pass, each key's words
        found once (four passes took 17 s at a million kinds); built for the first of them
        asked for that is not carried over."""
        by_word: dict[str, list[str]] = defaultdict(list)
        words: list[tuple[str, str]] = []
        label_words: set[str] = set()
        initials: dict[str, list[int]] = defaultdict(list)
        # one string object per distinct word across the indexes (a million fewer at a
        # million kinds, in memory and in a saved state)
        distinct: dict[str, str] = {}
        same = distinct.setdefault
        for key in self._keys:
            found = [same(word, word) for word in _WORD.findall(key)]
            label_words.update(found)
            for word in dict.fromkeys(_stemmed(found)):
                by_word[same(word, word)].append(key)
            words.extend((same(word, word), key) for word in _later_words(key))
            ascii_key = key.isascii()  # then normalised as it is: its words are the ones found
            if len(found) > 1 or not ascii_key:  # an ASCII key of one word has no acronym
                for acronym in _initials(found if ascii_key else _WORD.findall(normalise(key))):
                    initials[acronym].extend(self._nodes_for(key))
        words.sort()
        return _WordIndexes(
            {word: tuple(keys) for word, keys in by_word.items()},
            LayeredSorted(words),
            LayeredSorted(sorted(label_words)),
            {k: tuple(dict.fromkeys(v)) for k, v in initials.items()},
        )

    @cached_property
    def _keys_by_word(self) -> MutableMapping[str, tuple[str, ...]]:
        """The label keys holding each word (stemmed), in key order."""
        derived = self._derived("_keys_by_word")
        if derived is not None:
            built, carried = derived
            layered = LayeredKeys.over(built)
            added, removed = self._key_changes(carried)
            for key in removed:
                for word in dict.fromkeys(stems(key)):
                    left = tuple(k for k in layered[word] if k != key)
                    if left:
                        layered[word] = left
                    else:
                        del layered[word]
            for key in added:
                for word in dict.fromkeys(stems(key)):
                    keys = layered.get(word, ())
                    at = bisect_left(keys, key)
                    layered[word] = (*keys[:at], key, *keys[at:])
            return layered
        return self._word_pass.keys_by_word

    @cached_property
    def _words(self) -> LayeredSorted:
        """(word, key) for every word after the first of a multi-word key, sorted by word."""
        derived = self._derived("_words")
        if derived is not None:
            built, carried = derived
            added, removed = self._key_changes(carried)
            return built.changed(  # type: ignore[no-any-return]
                added=[(word, key) for key in added for word in _later_words(key)],
                removed=[(word, key) for key in removed for word in _later_words(key)],
            )
        return self._word_pass.words

    @cached_property
    def _label_words(self) -> LayeredSorted:
        """Every word of every label key as written (not stemmed), sorted."""
        derived = self._derived("_label_words")
        if derived is not None:
            built, carried = derived
            added, removed = self._key_changes(carried)
            gone = {w for key in removed for w in _WORD.findall(key)}
            return built.changed(  # type: ignore[no-any-return]
                added=sorted({w for key in added for w in _WORD.findall(key)}),
                removed=sorted(w for w in gone if not self._in_some_key(w)),
            )
        return self._word_pass.label_words

    def _in_some_key(self, word: str) -> bool:
        """Whether some label key holds ``word`` as written (through its stem's keys)."""
        (stem,) = stems(word)
        return any(word in _WORD.findall(key) for key in self._keys_by_word.get(stem, ()))

    @cached_property
    def _acronyms(self) -> MutableMapping[str, tuple[int, ...]]:
        derived = self._derived("_acronyms")
        if derived is not None:
            built, carried = derived
            layered = LayeredKeys.over(built)
            for node, (keys, _) in carried.before.items():
                was = {i for key in keys for i in acronyms(key)}
                now = {i for key in self._keys_of(node) for i in acronyms(key)}
                for initials in was - now:
                    left = tuple(n for n in layered[initials] if n != node)
                    if left:
                        layered[initials] = left
                    else:
                        del layered[initials]
                for initials in now - was:
                    layered[initials] = (*layered.get(initials, ()), node)
            return layered
        return self._word_pass.acronyms

    @cached_property
    def _definition_index(self) -> Mapping[str, frozenset[int]]:
        """The nodes whose definition holds each (stemmed) word."""
        if len(self._definitions) > MAX_DEFINITIONS_INDEXED:
            return {}
        derived = self._derived("_definition_index")
        if derived is not None:
            built, carried = derived
            if len(carried.base._definitions) <= MAX_DEFINITIONS_INDEXED:  # built, not skipped
                return _patched_definitions(built, carried.before, self._definitions)
        index: dict[str, set[int]] = defaultdict(set)
        for node, definition in self._definitions.items():
            for word in stems(normalise(definition)):
                index[sys.intern(word)].add(node)
        return {word: frozenset(nodes) for word, nodes in index.items()}

    def _definition_words(self, node: int) -> tuple[str, str]:
        """A definition's words and its concept's preferred label's words, spaced (cached)."""
        found = self._spaced_definitions.get(node)
        if found is None:
            definition, label = self._definitions[node], self._labels[node] or ""
            found = _spaced(stems(normalise(definition))), _spaced(stems(normalise(label)))
            self._spaced_definitions[node] = found
        return found

    # --- tiers ---------------------------------------------------------------------------

    def _nodes_for(self, key: str) -> tuple[int, ...]:
        return self._resolver.nodes_for(key)

    def _word_matches(self, words: list[str]) -> Iterable[tuple[str, float]]:
        """(key, tier) for the keys holding every content word: the same words, the words as
        a phrase, or scattered. Candidates come from the rarest word's keys."""
        required = [w for w in words if w not in _STOP_WORDS] or list(words)
        if not required:
            return
        index = self._keys_by_word
        rarest = min(required, key=lambda w: len(index.get(w, ())))
        phrase, needed = _spaced(words), [f" {w} " for w in required]
        for key in islice(index.get(rarest, ()), MAX_KEYS_SCANNED):
            key_words = _spaced(stems(key))
            if key_words == phrase:
                yield key, SAME_WORDS
            elif phrase in key_words:
                yield key, PHRASE
            elif all(w in key_words for w in needed):
                yield key, WORDS

    def _keys_with_prefix(self, prefix: str) -> list[str]:
        keys = self._keys.starting_at(prefix)
        return list(takewhile(lambda key: key.startswith(prefix), islice(keys, MAX_KEYS_SCANNED)))

    def _keys_with_word_prefix(self, prefix: str) -> list[str]:
        words = islice(self._words.starting_at((prefix, "")), MAX_KEYS_SCANNED)
        return [key for _, key in takewhile(lambda pair: pair[0].startswith(prefix), words)]

    def _has_unknown_word(self, query: str) -> bool:
        """Whether some word of the query begins no word of any label (a likely typo)."""
        words = self._label_words
        for word in _WORD.findall(query):
            following = next(words.starting_at(word), None)
            if following is None or not following.startswith(word):
                return True
        return not _WORD.search(query)

    def _fuzzy_candidates(self, query: str) -> list[str]:
        keys = islice(self._keys.starting_at(query[0]), MAX_FUZZY_KEYS)
        return list(takewhile(lambda key: key[:1] == query[0], keys))

    def _definition_matches(self, words: list[str]) -> Iterable[tuple[int, float]]:
        """(node, score) for definitions holding every content word of the query."""
        required = [w for w in words if w not in _STOP_WORDS]
        if not required:
            return
        index = self._definition_index
        found = set(index.get(required[0], ()))
        for word in required[1:]:
            found &= index.get(word, frozenset())
        phrase, needed = _spaced(words), [f" {w} " for w in required]
        for node in found:
            definition, label = self._definition_words(node)
            shared = sum(w in label for w in needed) / len(needed)
            start = definition.find(phrase)
            bonus = 10.0 if start >= 0 else 0.0
            yield node, DEFINITION + 20 * shared + bonus - min(max(start, 0), 990) / 100
