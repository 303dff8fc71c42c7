"""The concept graph seen undirected: incident edges, neighbourhoods and shortest paths.

Every asserted edge between two concepts counts — is-a (``rdfs:subClassOf``),
example-of (``rdf:type``) and every typed relation — and may be walked either way.
Edges keep the direction they were asserted in, so a path from A to B may contain
edges that point back towards A. Orders are deterministic: a node's edges come as
parents, children, types, examples, outgoing relations, incoming relations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph import vocabulary as V
from graph.index.build import Relation
from graph.index.taxonomy import Taxonomy

__all__ = ["MAX_NEIGHBOURHOOD_DEPTH", "MAX_PATH_LENGTH", "Adjacency", "Link", "Neighbourhood"]

#: The longest path searched for, and the deepest neighbourhood drawn.
MAX_PATH_LENGTH = 12
MAX_NEIGHBOURHOOD_DEPTH = 3

#: One asserted edge as node numbers: (subject, predicate IRI, object).
Link = tuple[int, str, int]


class Adjacency:
    """Incident edges of each concept, over the taxonomy and the typed relations."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        relations_out: Mapping[int, Sequence[Relation]],
        relations_in: Mapping[int, Sequence[Relation]],
        node_of: Mapping[str, int],
    ) -> None:
        self._taxonomy = taxonomy
        self._out = relations_out
        self._in = relations_in
        self._node_of = node_of

    def incident(self, node: int, limit: int | None = None) -> list[tuple[int, Link]]:
        """Each neighbour of ``node`` with the edge that joins them (a neighbour may repeat).

        With ``limit``, only the first ``limit`` in the usual order, and only those are
        read: a root with 100,000 children costs no more than a leaf.
        """
        t, node_of = self._taxonomy, self._node_of
        found: list[tuple[int, Link]] = [
            (p, (node, V.SUB_CLASS_OF, p)) for p in t.parents(node, limit)
        ]
        found += [(c, (c, V.SUB_CLASS_OF, node)) for c in t.children(node, _left(limit, found))]
        found += [(k, (node, V.TYPE, k)) for k in t.types(node)[: _left(limit, found)]]
        found += [(e, (e, V.TYPE, node)) for e in t.instances(node, _left(limit, found))]
        for edge in self._out.get(node, ())[: _left(limit, found)]:
            other = node_of[edge.object]
            found.append((other, (node, edge.predicate, other)))
        for edge in self._in.get(node, ())[: _left(limit, found)]:
            other = node_of[edge.subject]
            found.append((other, (other, edge.predicate, node)))
        return found

    def degree(self, node: int) -> int:
        """How many edges touch ``node``."""
        return (
            self._taxonomy.degree(node) + len(self._out.get(node, ())) + len(self._in.get(node, ()))
        )

    def incoming(self, node: int) -> int:
        """How many edges point at ``node``: its sub-kinds, its named examples and the
        relations whose object it is (what search ranks a more central concept by)."""
        t = self._taxonomy
        return t.child_count(node) + t.example_count(node, False) + len(self._in.get(node, ()))

    def shortest_path(self, start: int, goal: int, max_length: int) -> list[Link] | None:
        """The edges of a shortest walk from ``start`` to ``goal``, or None past ``max_length``.

        Searches from both ends at once, always widening the smaller frontier by one
        level; among walks of the least length the one through the meeting node first in
        IRI order wins, so the answer is deterministic. ``start == goal`` is ``[]``.
        """
        if start == goal:
            return []
        forward: dict[int, tuple[int, Link, int] | None] = {start: None}
        backward: dict[int, tuple[int, Link, int] | None] = {goal: None}
        ahead, behind = [start], [goal]
        depth_ahead = depth_behind = 0
        while ahead and behind and depth_ahead + depth_behind < max_length:
            if len(ahead) <= len(behind):
                depth_ahead += 1
                ahead, meetings = self._widen(ahead, forward, backward, depth_ahead)
            else:
                depth_behind += 1
                behind, meetings = self._widen(behind, backward, forward, depth_behind)
            if meetings:
                rank_of = self._taxonomy.rank_of
                meet = min(
                    meetings,
                    key=lambda n: (_depth(forward, n) + _depth(backward, n), rank_of(n)),
                )
                return _walk_back(forward, meet)[::-1] + _walk_back(backward, meet)
        return None

    def _widen(
        self,
        frontier: list[int],
        seen: dict[int, tuple[int, Link, int] | None],
        other_side: Mapping[int, object],
        depth: int,
    ) -> tuple[list[int], list[int]]:
        """One level of breadth-first search; the new frontier and the nodes the other side
        holds."""
        reached: list[int] = []
        meetings: list[int] = []
        for node in frontier:
            for neighbour, link in self.incident(node):
                if neighbour not in seen:
                    seen[neighbour] = (node, link, depth)
                    reached.append(neighbour)
                    if neighbour in other_side:
                        meetings.append(neighbour)
        return reached, meetings

    def neighbourhood(self, node: int, depth: int, first: int) -> Neighbourhood:
        """Concepts within ``depth`` edges of ``node``, nearest first, and the edges among the
        first ones.

        ``total`` counts every concept within reach (``node`` included); ``nodes`` holds
        the first ``first`` of them in breadth-first order, ``node`` always first.
        """
        order = [node]
        seen = {node}
        frontier = [node]
        for _ in range(depth):
            reached = []
            for current in frontier:
                for neighbour, _link in self.incident(current):
                    if neighbour not in seen:
                        seen.add(neighbour)
                        reached.append(neighbour)
            order += reached
            frontier = reached
        chosen = order[:first]
        kept = set(chosen)
        links: dict[Link, None] = {}
        for current in chosen:
            for neighbour, link in self.incident(current):
                if neighbour in kept:
                    links.setdefault(link)
        return Neighbourhood(tuple(chosen), tuple(links), len(order))


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Nodes around a concept, the edges among them, and how many nodes were within reach."""

    nodes: tuple[int, ...]
    links: tuple[Link, ...]
    total: int


def _left(limit: int | None, found: list[tuple[int, Link]]) -> int | None:
    """How many more edges ``incident`` may read (None: all)."""
    return None if limit is None else max(limit - len(found), 0)


def _depth(seen: Mapping[int, tuple[int, Link, int] | None], node: int) -> int:
    entry = seen[node]
    return 0 if entry is None else entry[2]


def _walk_back(seen: Mapping[int, tuple[int, Link, int] | None], node: int) -> list[Link]:
    """The links from ``node`` back to the side's starting node, nearest to ``node`` first."""
    links = []
    entry = seen[node]
    while entry is not None:
        previous, link, _ = entry
        links.append(link)
        entry = seen[previous]
    return links
