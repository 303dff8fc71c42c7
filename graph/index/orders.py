"""The orders a list of concepts can be read in, each total: equal keys are ordered by IRI.

An order is a value per node and a direction (:class:`SortKey`); nodes without a value
(an undated concept, in a release order) come last in either direction. Adding an order
is one entry in :data:`SORT_KEYS` (a numeric one, such as a parameter count, is a function
from the index to a ``{node: number}`` dict).

Each order is built once per index, on first use, into two numpy columns: the nodes in
order and each node's rank. A page of any selection is then its members' ranks sorted.

>>> from graph.index.taxonomy import Taxonomy
>>> from graph.index.build import GraphIndex
>>> index = GraphIndex(iris=["a", "b", "c"], node_of={"a": 0, "b": 1, "c": 2},
...     labels=["Zeta", "alpha", None], alt_labels={}, definitions={}, sources={},
...     taxonomy=Taxonomy(3, [], [], []), relations_out={}, relations_in={},
...     predicate_labels={}, prefixes={}, released={0: ("2023", ""), 2: ("2023-06", "")})
>>> Ordering.build(index, SORT_KEYS[ConceptOrder.RELEASED]).nodes.tolist()
[2, 0, 1]
>>> Ordering.build(index, SORT_KEYS[ConceptOrder.RELEASED_DESC]).nodes.tolist()
[0, 2, 1]
>>> Ordering.build(index, SORT_KEYS[ConceptOrder.LABEL]).nodes.tolist()
[1, 2, 0]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from graph.dates import period_end
from graph.find.lookup import normalise
from graph.index.build import GraphIndex
from graph.model import ConceptOrder

__all__ = ["SORT_KEYS", "Ordering", "SortKey", "release_days"]

#: A node's place in an order, comparable across nodes: (no value?, value, IRI).
Position = tuple[bool, Any, str]


@dataclass(frozen=True)
class SortKey:
    """How an order ranks nodes: ``values`` maps nodes to comparable values (numbers or
    strings; a node left out has none and sorts last), ``descending`` reverses the values
    (numbers only); ties and the nodes without a value go by IRI."""

    values: Callable[[GraphIndex], dict[int, Any]]
    descending: bool = False


def _iris(index: GraphIndex) -> dict[int, Any]:
    return {}  # every node ties on "no value": IRI order


def _labels(index: GraphIndex) -> dict[int, Any]:
    """The preferred label, case- and space-insensitively (the IRI when there is none)."""
    pairs = zip(index.labels, index.iris, strict=True)
    return {node: normalise(label or iri) for node, (label, iri) in enumerate(pairs)}


def release_days(index: GraphIndex) -> dict[int, Any]:
    """Each dated node's release as a day number, counted at the end of its period, as "as of"
    does (an unreadable date counts as none)."""
    ends = {node: period_end(lexical) for node, (lexical, _) in index.released.items()}
    return {node: end.toordinal() for node, end in ends.items() if end is not None}


#: Every order but IRI's own; a new one is a new entry (and a value of ConceptOrder).
SORT_KEYS: dict[ConceptOrder, SortKey] = {
    ConceptOrder.IRI: SortKey(_iris),
    ConceptOrder.LABEL: SortKey(_labels),
    ConceptOrder.RELEASED: SortKey(release_days),
    ConceptOrder.RELEASED_DESC: SortKey(release_days, descending=True),
}


@dataclass(frozen=True)
class Ordering:
    """One order over every node: ``nodes`` in order, ``rank[node]`` its place."""

    nodes: np.ndarray
    rank: np.ndarray
    values: dict[int, Any]
    descending: bool
    iris: list[str]

    @classmethod
    def build(cls, index: GraphIndex, key: SortKey) -> Ordering:
        """Sort every node once: those with a value by it (then IRI), then the rest by IRI."""
        values = key.values(index)
        valued = sorted(values, key=lambda n: (-values[n] if key.descending else values[n], n))
        flags = np.ones(len(index.iris), dtype=bool)
        flags[valued] = False
        nodes = np.concatenate([np.array(valued, dtype=np.int64), np.flatnonzero(flags)])
        rank = np.empty(len(nodes), dtype=np.int64)
        rank[nodes] = np.arange(len(nodes), dtype=np.int64)
        return cls(nodes, rank, values, key.descending, index.iris)

    def position(self, node: int) -> Position:
        """Where ``node`` stands: comparable with every other node's position."""
        value = self.values.get(node)
        if value is None:
            return (True, None, self.iris[node])
        return (False, -value if self.descending else value, self.iris[node])

    def after(self, position: Position) -> int:
        """How many nodes stand at or before ``position`` (a node's, or one from a cursor whose
        node has gone): the rank the next page starts at."""
        nodes = cast("Sequence[int]", self.nodes)  # bisect reads a numpy array as a sequence
        return bisect_right(nodes, position, key=lambda node: self.position(int(node)))

    def first(self, members: np.ndarray, start: int, count: int) -> tuple[list[int], int]:
        """The ``count`` members with the lowest ranks from ``start`` on, in order, and how
        many members there are from ``start`` on (a partial sort: linear in the members)."""
        ranks = self.rank[members]
        ranks = ranks[ranks >= start]
        remaining = len(ranks)
        if remaining > count:
            ranks = np.partition(ranks, count - 1)[:count] if count else ranks[:0]
        return self.nodes[np.sort(ranks)].tolist(), remaining
