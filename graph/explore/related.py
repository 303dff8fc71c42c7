"""Concepts related to a concept, ranked, each with the reasons and the edges behind its score.

A candidate's score adds up three kinds of evidence, each explainable in words:

* **direct edges** — every asserted edge between the two (is-a, example-of or a typed
  relation) adds 1;
* **shared neighbours** — every concept both are joined to (a common parent or type, a
  common developer, a common example…) adds ``1 / ln(e + degree)`` of that neighbour
  (Adamic–Adar: a neighbour shared with few others says more than a hub); a quarter of
  that when the two edges play different roles (A based on X, X has modality B), and
  at most :data:`MAX_LOOSE` from all such neighbours together;
* **the most informative common ancestor** — ``0.5 × IC / IC_max`` where the information
  content ``IC = ln(N / (1 + sub-kinds + examples))`` of the most specific kind both are
  kinds or examples of (Resnik's measure, scaled to 0..0.5).

Candidates are the concepts within two edges; ties are broken by label, then IRI, so
the ranking is deterministic. The work is bounded whatever the size of the graph:
only the first :data:`MAX_FAN_OUT` edges of the concept and of each neighbour are
followed (in the order of :meth:`Adjacency.incident`: parents, children, types,
examples, relations), and at most :data:`MAX_EXAMINED` second edges in all; past that
budget, later neighbours still count as direct edges but are not expanded. Only the
concepts around huge hubs (a root with 100,000 children) are affected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.explore.neighbours import Adjacency, Link
from graph.explore.predicates import PredicateWords
from graph.index.taxonomy import Taxonomy
from graph.model import Direction

__all__ = ["MAX_EXAMINED", "MAX_FAN_OUT", "RelatedRanker", "Relatedness"]

#: How many of the concept's own edges, and of each shared neighbour's, are followed.
MAX_FAN_OUT = 2000
#: How many second edges (through shared neighbours) are read in all, per question.
MAX_EXAMINED = 20_000
#: The most that neighbours joined in different roles add to one candidate's score.
MAX_LOOSE = 0.25
#: How many reasons and edges each answer carries at most.
MAX_REASONS = 4
MAX_VIA = 6


@dataclass(frozen=True, slots=True)
class Relatedness:
    """One related concept: its score, the reasons in words and the edges they rest on."""

    node: int
    score: float
    reasons: tuple[str, ...]
    via: tuple[Link, ...]


@dataclass
class _Evidence:
    score: float = 0.0
    loose: float = 0.0  # the part of the score from neighbours joined in different roles
    items: list[tuple[float, str, tuple[Link, ...]]] = field(default_factory=list)

    def add(self, weight: float, reason: str, links: tuple[Link, ...]) -> None:
        self.score += weight
        self.items.append((weight, reason, links))


class RelatedRanker:
    """Scores the concepts around one concept (see the module docstring)."""

    def __init__(
        self,
        adjacency: Adjacency,
        taxonomy: Taxonomy,
        label: Callable[[int], str],
        words: PredicateWords,
        size: int,
    ) -> None:
        self._adjacency = adjacency
        self._taxonomy = taxonomy
        self._label = label
        self._words = words
        self._size = max(size, 2)

    def rank(self, node: int, first: int) -> tuple[list[Relatedness], int]:
        """The ``first`` concepts most related to ``node``, best first, and how many were scored."""
        evidence = self._collect(node)
        kinds = self._kinds_of(node)
        for candidate, found in evidence.items():
            self._add_common_ancestor(node, kinds, candidate, found)
        ranked = sorted(
            evidence.items(),
            key=lambda item: (
                -round(item[1].score, 9),
                self._label(item[0]).casefold(),
                self._taxonomy.rank_of(item[0]),
            ),
        )
        return [self._answer(candidate, found) for candidate, found in ranked[:first]], len(ranked)

    def _collect(self, node: int) -> dict[int, _Evidence]:
        evidence: dict[int, _Evidence] = {}
        adjacency = self._adjacency
        budget = MAX_EXAMINED
        for middle, first_link in adjacency.incident(node, MAX_FAN_OUT):
            if middle == node:
                continue
            evidence.setdefault(middle, _Evidence()).add(
                1.0, self._say(node, first_link), (first_link,)
            )
            if budget <= 0:
                continue
            weight = 1.0 / math.log(math.e + adjacency.degree(middle))
            second = adjacency.incident(middle, min(MAX_FAN_OUT, budget))
            budget -= len(second)
            for candidate, second_link in second:
                if candidate != node and candidate != middle:
                    reason, same_role = self._say_shared(node, first_link, middle, second_link)
                    found = evidence.setdefault(candidate, _Evidence())
                    if same_role:
                        found.add(weight, reason, (first_link, second_link))
                    elif found.loose < MAX_LOOSE:
                        loose = min(weight / 4, MAX_LOOSE - found.loose)
                        found.loose += loose
                        found.add(loose, reason, (first_link, second_link))
        return evidence

    def _add_common_ancestor(
        self, node: int, kinds: set[int], candidate: int, found: _Evidence
    ) -> None:
        common = kinds & self._kinds_of(candidate)
        if not common:
            return
        rank_of = self._taxonomy.rank_of  # ties: the first in IRI order
        best = max(common, key=lambda kind: (self._information(kind), -rank_of(kind)))
        weight = 0.5 * self._information(best) / math.log(self._size)
        if weight <= 0:
            return
        found.add(weight, self._say_common(node, candidate, best), ())

    def _say_common(self, node: int, candidate: int, kind: int) -> str:
        """Words for a common ancestor; none when it is one of the two (a direct edge says it)."""
        if kind in (node, candidate):
            return ""
        t = self._taxonomy
        if t.is_kind(node) and t.is_kind(candidate):
            return f"both are kinds of {self._label(kind)}"
        if not (t.is_kind(node) or t.is_kind(candidate)):
            return f"both are examples of {self._label(kind)}"
        return f"both fall under {self._label(kind)}"

    def _kinds_of(self, node: int) -> set[int]:
        """The kinds ``node`` falls under: itself and its ancestors for a kind, its types' for an
        example."""
        t = self._taxonomy
        if t.is_kind(node):
            return {node, *t.ancestors(node)}
        return set(t.all_types(node))

    def _information(self, kind: int) -> float:
        t = self._taxonomy
        return math.log(self._size / (1 + t.descendant_count(kind) + t.example_count(kind)))

    def _answer(self, candidate: int, found: _Evidence) -> Relatedness:
        reasons: dict[str, float] = {}
        via: dict[Link, None] = {}
        for weight, reason, links in sorted(found.items, key=lambda item: -item[0]):
            if reason:
                reasons[reason] = reasons.get(reason, 0.0) + weight
            for link in links:
                if len(via) < MAX_VIA:
                    via.setdefault(link)
        ordered = sorted(reasons, key=lambda reason: -reasons[reason])
        return Relatedness(
            candidate, round(found.score, 6), tuple(ordered[:MAX_REASONS]), tuple(via)
        )

    # --- words ------------------------------------------------------------------------

    def _say(self, node: int, link: Link) -> str:
        """A direct edge read from ``node``'s side: "succeeded by GPT-4 Turbo"."""
        subject, predicate, obj = link
        direction = Direction.OUT if subject == node else Direction.IN
        return self._words.reading(self._label(subject), predicate, self._label(obj), direction)

    def _say_shared(self, node: int, first: Link, middle: int, second: Link) -> tuple[str, bool]:
        """Why two concepts joined through ``middle`` are related, and whether both edges play
        one role."""
        name = self._label(middle)
        node_is_subject = first[0] == node
        candidate_is_subject = second[2] == middle
        if first[1] == second[1] and node_is_subject and candidate_is_subject:
            return self._words.shared(first[1], name), True
        if first[1] == second[1] and not node_is_subject and not candidate_is_subject:
            return f"{name} {self._words.phrase(first[1], Direction.OUT)} both", True
        return f"both are linked to {name}", False
