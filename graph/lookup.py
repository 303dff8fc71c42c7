"""Finding a concept from what a person types: id, IRI, CURIE or any label.

A reference is tried against tiers in order, and the first tier with a match
decides: full IRI, CURIE, id, preferred label, alternative label. Ids and labels
match case-insensitively. Two matches within the deciding tier are ambiguous.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process

from graph.errors import AmbiguousConcept, ConceptNotFound
from graph.model import Concept

__all__ = ["ConceptResolver", "normalise"]


def normalise(text: str) -> str:
    """Fold case, Unicode compatibility forms and runs of white space.

    >>> normalise("  Large   Language MODELS ")
    'large language models'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


class ConceptResolver:
    """Resolves references to node numbers, and suggests labels for unknown ones."""

    def __init__(
        self,
        concepts: Sequence[Concept],
        prefixes: Mapping[str, str],
        extra_labels: Mapping[int, Iterable[str]] | None = None,
    ) -> None:
        self._concepts = concepts
        self._prefixes = dict(prefixes)
        self._by_iri = {c.iri: n for n, c in enumerate(concepts)}
        self._by_id = _index((normalise(c.id), n) for n, c in enumerate(concepts))
        self._by_label = _index((normalise(c.label), n) for n, c in enumerate(concepts))
        alt = [(normalise(a), n) for n, c in enumerate(concepts) for a in c.alt_labels]
        alt += [(normalise(x), n) for n, labels in (extra_labels or {}).items() for x in labels]
        self._by_alt = _index(alt)
        self._keys = sorted({*self._by_label, *self._by_alt})

    def find(self, reference: str) -> int | None:
        """The node a reference names, ``None`` when nothing matches.

        Raises :class:`AmbiguousConcept` when the deciding tier holds several concepts.
        """
        folded = normalise(reference)
        tiers = (
            [self._by_iri[reference]] if reference in self._by_iri else [],
            self._curie_match(reference),
            self._by_id.get(folded, []),
            self._by_label.get(folded, []),
            self._by_alt.get(folded, []),
        )
        for matches in tiers:
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise AmbiguousConcept(reference, [self._describe(n) for n in matches])
        return None

    def resolve(self, reference: str) -> int:
        """Like :meth:`find`, but an unknown reference raises :class:`ConceptNotFound`."""
        node = self.find(reference)
        if node is None:
            raise ConceptNotFound(reference, self.suggest(reference))
        return node

    def suggest(self, reference: str, limit: int = 5) -> list[str]:
        """Labels of the concepts closest in spelling to ``reference``, best first."""
        matches = process.extract(
            normalise(reference), self._keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60
        )
        labels: dict[str, None] = {}
        for key, _score, _index_ in matches:
            for node in (*self._by_label.get(key, []), *self._by_alt.get(key, [])):
                labels.setdefault(self._concepts[node].label)
        return list(labels)[:limit]

    def search(self, text: str, limit: int) -> list[int]:
        """Nodes whose labels match ``text``: exact, then prefix, then fuzzy; best first."""
        query = normalise(text)
        if not query:
            return []
        scores: dict[int, float] = defaultdict(float)
        for node in self._by_label.get(query, []):
            scores[node] = max(scores[node], 400.0)
        for node in self._by_alt.get(query, []):
            scores[node] = max(scores[node], 350.0)
        for key in self._keys_with_prefix(query, limit * 10):
            for node in (*self._by_label.get(key, []), *self._by_alt.get(key, [])):
                scores[node] = max(scores[node], 300.0 - len(key) / 100)
        for key, score, _index_ in process.extract(
            query, self._keys, scorer=fuzz.WRatio, limit=limit * 5, score_cutoff=70
        ):
            for node in (*self._by_label.get(key, []), *self._by_alt.get(key, [])):
                scores[node] = max(scores[node], float(score))
        ranked = sorted(scores, key=lambda n: (-scores[n], self._concepts[n].label, n))
        return ranked[:limit]

    def _keys_with_prefix(self, prefix: str, limit: int) -> list[str]:
        start = bisect_left(self._keys, prefix)
        found = []
        for key in self._keys[start : start + limit]:
            if not key.startswith(prefix):
                break
            found.append(key)
        return found

    def _curie_match(self, reference: str) -> list[int]:
        prefix, colon, local = reference.partition(":")
        namespace = self._prefixes.get(prefix) if colon else None
        node = self._by_iri.get(namespace + local) if namespace is not None else None
        return [] if node is None else [node]

    def _describe(self, node: int) -> str:
        concept = self._concepts[node]
        return f"{concept.label} ({concept.id})"


def _index(pairs: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for key, node in pairs:
        if node not in index[key]:
            index[key].append(node)
    return dict(index)
