"""Is-a and example-of over integer node ids: the reasoning index.

Nodes are the integers ``0 .. size-1``. Two kinds of asserted edge are kept:
``subclass`` edges (child → parent, ``rdfs:subClassOf``) and ``type`` edges
(example → kind, ``rdf:type``). Every question is answered from adjacency lists
built once; nothing here reads RDF.

Edge cases, in words:

* A node is never its own ancestor or descendant, even on a cycle.
* Cycles never hang a question: every walk keeps a visited set.
* With multiple inheritance every parent is followed; proofs are shortest chains,
  ties broken by the smaller node id, so answers are deterministic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Literal

import networkx as nx

__all__ = ["Taxonomy", "Step"]

#: One asserted edge of a proof: (subject, "subclass" | "type", object).
Step = tuple[int, Literal["subclass", "type"], int]


class Taxonomy:
    """Adjacency lists for is-a (subclass) and example-of (type) edges.

    >>> t = Taxonomy(4, kinds=[0, 1, 2], subclass_edges=[(1, 0), (2, 1)], type_edges=[(3, 2)])
    >>> t.ancestors(2)
    [1, 0]
    >>> t.is_a_proof(3, 0)
    [(3, 'type', 2), (2, 'subclass', 1), (1, 'subclass', 0)]
    >>> t.example_of_proof(2, 0) is None  # a kind is not an example
    True
    """

    def __init__(
        self,
        size: int,
        kinds: Iterable[int],
        subclass_edges: Iterable[tuple[int, int]],
        type_edges: Iterable[tuple[int, int]],
    ) -> None:
        self.size = size
        self._is_kind = [False] * size
        for kind in kinds:
            self._is_kind[kind] = True
        self._parents = _adjacency(size, subclass_edges)
        self._children = _adjacency(size, ((p, c) for c, ps in enumerate(self._parents) for p in ps))
        self._types = _adjacency(size, type_edges)
        self._instances = _adjacency(size, ((t, e) for e, ts in enumerate(self._types) for t in ts))

    def parents(self, node: int) -> list[int]:
        """Direct super-kinds of ``node``."""
        return list(self._parents[node])

    def children(self, node: int) -> list[int]:
        """Direct sub-kinds of ``node``."""
        return list(self._children[node])

    def types(self, node: int) -> list[int]:
        """Kinds that ``node`` is directly an example of."""
        return list(self._types[node])

    def instances(self, node: int) -> list[int]:
        """Named examples typed directly by ``node``."""
        return list(self._instances[node])

    def ancestors(self, node: int) -> list[int]:
        """Every super-kind of ``node``, nearest first; never ``node`` itself."""
        return _reach(self._parents, self._parents[node], exclude=node)

    def descendants(self, node: int) -> list[int]:
        """Every sub-kind of ``node``, nearest first; never ``node`` itself."""
        return _reach(self._children, self._children[node], exclude=node)

    def all_types(self, node: int) -> list[int]:
        """Every kind ``node`` is an example of, directly or through super-kinds."""
        return _reach(self._parents, self._types[node], exclude=None)

    def examples(self, node: int, transitive: bool = True) -> list[int]:
        """Named examples of ``node``, and with ``transitive`` of its sub-kinds too."""
        if not transitive:
            return self.instances(node)
        kinds = [node, *self.descendants(node)]
        seen: set[int] = set()
        return [e for k in kinds for e in self._instances[k] if not (e in seen or seen.add(e))]

    def is_a_proof(self, subject: int, obj: int) -> list[Step] | None:
        """Shortest chain proving ``subject`` is a sub-kind or an example of ``obj``, or None.

        The first step may be a type edge; every later step is a subclass edge.
        """
        if subject == obj:
            return None
        first = [(subject, "type", t) for t in self._types[subject]]
        first += [(subject, "subclass", p) for p in self._parents[subject]]
        return self._climb(subject, sorted(first, key=lambda s: s[2]), obj)

    def example_of_proof(self, subject: int, obj: int) -> list[Step] | None:
        """Shortest chain proving ``subject`` is a named example of ``obj`` or of a sub-kind."""
        if self.is_kind(subject):
            return None
        return self._climb(subject, [(subject, "type", t) for t in self._types[subject]], obj)

    def is_kind(self, node: int) -> bool:
        """Whether ``node`` is a kind (a class) rather than only a named example."""
        return self._is_kind[node]

    def cycles(self) -> list[list[int]]:
        """Each is-a cycle once, as the nodes of a strongly connected component (or a self-loop)."""
        graph = nx.DiGraph()
        graph.add_edges_from((c, p) for c, ps in enumerate(self._parents) for p in ps)
        found = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
        found += [[n] for n in nx.nodes_with_selfloops(graph)]
        return sorted(found)

    def _climb(self, subject: int, first_steps: list[Step], target: int) -> list[Step] | None:
        """Breadth-first search up subclass edges after the given first steps."""
        came_from: dict[int, Step] = {subject: (subject, "subclass", subject)}
        queue: deque[int] = deque()
        for step in first_steps:
            if step[2] not in came_from:
                came_from[step[2]] = step
                queue.append(step[2])
        while queue:
            node = queue.popleft()
            if node == target:
                return _unwind(came_from, subject, node)
            for parent in self._parents[node]:
                if parent not in came_from:
                    came_from[parent] = (node, "subclass", parent)
                    queue.append(parent)
        return None


def _adjacency(size: int, edges: Iterable[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Sorted, de-duplicated out-neighbours per node."""
    lists: list[set[int]] = [set() for _ in range(size)]
    for source, target in edges:
        lists[source].add(target)
    return [tuple(sorted(targets)) for targets in lists]


def _reach(neighbours: list[tuple[int, ...]], start: Iterable[int], exclude: int | None) -> list[int]:
    """Breadth-first closure from ``start`` (inclusive), in visiting order, minus ``exclude``."""
    seen = set(start)
    order = list(dict.fromkeys(start))
    for node in order:  # the list grows while we walk it: a queue without pops
        for nxt in neighbours[node]:
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    return [n for n in order if n != exclude]


def _unwind(came_from: dict[int, Step], subject: int, node: int) -> list[Step]:
    """Follow the breadth-first tree back from ``node`` to ``subject``."""
    steps: list[Step] = []
    while node != subject:
        step = came_from[node]
        steps.append(step)
        node = step[0]
    return steps[::-1]
