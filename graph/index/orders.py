"""The orders a list of concepts can be read in, each total: equal keys are ordered by IRI.

An order is a value per node and a direction (:class:`SortKey`); nodes without a value
(an undated concept, in a release order) come last in either direction. Adding an order
is one entry in :data:`SORT_KEYS` (a numeric one, such as a parameter count, is a function
from the index's columns to a ``{node: number}`` dict).

Each order is built once per index, on first use, into two numpy columns: the nodes in
order and each node's rank (a numpy sort: 0.1 s at 200,000 concepts). A page of any
selection is then its members' ranks, partially sorted.

>>> iris = ["a", "b", "c"]
>>> Ordering.build(iris, {0: 738520, 2: 738701}).nodes.tolist()  # "c" undated: last
[0, 2, 1]
>>> Ordering.build(iris, {0: 738520, 2: 738701}, descending=True).nodes.tolist()
[2, 0, 1]
>>> Ordering.build(iris, {0: "zeta", 1: "alpha", 2: "alpha"}).nodes.tolist()  # ties by IRI
[1, 2, 0]
>>> Ordering.build(iris, ["zeta", "alpha", "alpha"]).nodes.tolist()  # a value for every node
[1, 2, 0]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from graph.index.packed_rows import IntColumn
from graph.index.selection import Selector
from graph.model import ConceptOrder

__all__ = ["SORT_KEYS", "Ordering", "SortKey"]

#: A node's place in an order, comparable across nodes: (no value?, value, IRI).
Position = tuple[bool, Any, str]
#: An order's values: some nodes' (a dict), or every node's (a sequence, indexed by node).
Values = dict[int, Any] | Sequence[Any]


@dataclass(frozen=True)
class SortKey:
    """How an order ranks nodes: ``values`` maps nodes to comparable values (all numbers or
    all strings; a node left out has none and sorts last), or lists one value for every node;
    ``descending`` reverses the values (numbers only); ties and the nodes without a value go
    by IRI."""

    values: Callable[[Selector], Values]
    descending: bool = False


#: Every order; a new one is a new entry here and a value of ConceptOrder.
SORT_KEYS: dict[ConceptOrder, SortKey] = {
    ConceptOrder.IRI: SortKey(lambda _: {}),  # every node ties on "no value": IRI order
    ConceptOrder.LABEL: SortKey(lambda columns: columns.labels),
    ConceptOrder.RELEASED: SortKey(lambda columns: columns.release_days),
    ConceptOrder.RELEASED_DESC: SortKey(lambda columns: columns.release_days, descending=True),
    ConceptOrder.PARAMETERS: SortKey(lambda columns: columns.parameter_counts),
    ConceptOrder.PARAMETERS_DESC: SortKey(
        lambda columns: columns.parameter_counts, descending=True
    ),
}


@dataclass(frozen=True)
class Ordering:
    """One order over every node: ``nodes`` in order, ``rank[node]`` its place."""

    nodes: np.ndarray
    rank: np.ndarray
    values: Values
    descending: bool
    iris: Sequence[str]

    @classmethod
    def build(
        cls,
        iris: Sequence[str],
        values: Values,
        descending: bool = False,
        iri_rank: IntColumn | None = None,
    ) -> Ordering:
        """Sort every node once: those with a value by it (then IRI), then the rest by IRI.
        ``iri_rank`` is each node's place in IRI order where node numbers do not follow it
        (nodes an edit appended; see :mod:`graph.index.update`)."""
        places = None if iri_rank is None else np.frombuffer(iri_rank, dtype=np.int64)
        if not isinstance(values, dict):
            # every node has one: a stable sort of the nodes in IRI order keeps it in ties
            in_order = range(len(values)) if places is None else np.argsort(places).tolist()
            nodes = np.array(sorted(in_order, key=values.__getitem__), dtype=np.int64)
            rank = np.empty(len(nodes), dtype=np.int64)
            rank[nodes] = np.arange(len(nodes), dtype=np.int64)
            return cls(nodes, rank, values, descending, iris)
        if all(isinstance(v, int | float) for v in values.values()):  # numbers: numpy sorts
            valued = np.fromiter(values, dtype=np.int64, count=len(values))
            keys = np.fromiter(values.values(), dtype=np.float64, count=len(values))
            ties = valued if places is None else places[valued]
            valued = valued[np.lexsort((ties, -keys if descending else keys))]
        else:  # strings: Python's sort (a numpy string column is as wide as the longest label)
            tie = (lambda n: n) if places is None else places.__getitem__
            valued = np.array(sorted(values, key=lambda n: (values[n], tie(n))), dtype=np.int64)
        rest = np.ones(len(iris), dtype=bool)
        rest[valued] = False
        unvalued = np.flatnonzero(rest)
        if places is not None:
            unvalued = unvalued[np.argsort(places[unvalued])]
        nodes = np.concatenate([valued, unvalued])
        rank = np.empty(len(nodes), dtype=np.int64)
        rank[nodes] = np.arange(len(nodes), dtype=np.int64)
        return cls(nodes, rank, values, descending, iris)

    def patched(self, values: Values, iris: Sequence[str], touched: Iterable[int]) -> Ordering:
        """This order once the ``touched`` nodes have the values ``values`` gives them (the
        other nodes' values and numbers the same; nodes appended or removed since all
        touched): those whose place changed, or who had none, are put where they now belong,
        those removed taken out, instead of sorting every node again.

        >>> before = Ordering.build(["a", "b", "c"], {0: 5, 1: 7, 2: 9})
        >>> before.patched({0: 8, 1: 7}, ["a", "b", "c"], [0, 2]).nodes.tolist()
        [1, 0, 2]
        """
        after = Ordering(self.nodes, self.rank, values, self.descending, iris)
        size, now = len(self.nodes), len(iris)  # nodes appended since are placed, nodes
        touched = set(touched)  # removed (numbered from the new size on) taken out
        appended = [n for n in touched if size <= n < now]
        gone = [n for n in touched if now <= n < size]
        kept = (n for n in touched if n < min(size, now))
        moved = [n for n in kept if self.position(n) != after.position(n)]
        if not moved and not appended and not gone:
            return after
        keep = np.ones(size, dtype=bool)
        keep[self.rank[moved + gone]] = False
        moved += appended
        rest = self.nodes[keep]
        moved.sort(key=after.position)
        staying = cast("Sequence[int]", rest)
        places = [
            bisect_left(staying, after.position(n), key=lambda m: after.position(int(m)))
            for n in moved
        ]
        nodes = np.insert(rest, places, moved)
        rank = np.empty(len(nodes), dtype=np.int64)
        rank[nodes] = np.arange(len(nodes), dtype=np.int64)
        return Ordering(nodes, rank, values, self.descending, iris)

    def position(self, node: int) -> Position:
        """Where ``node`` stands: comparable with every other node's position."""
        values = self.values
        value = values.get(node) if isinstance(values, dict) else values[node]
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
