"""Is-a and example-of over integer node ids: the reasoning index.

Nodes are the integers ``0 .. size-1``. Two kinds of asserted edge are kept:
``subclass`` edges (child → parent, ``rdfs:subClassOf``) and ``type`` edges
(example → kind, ``rdf:type``). Everything is built once, at load:

* the **ancestor closure** of every node as a tuple (parents first), so is-a is a
  membership test and ``ancestors`` a lookup;
* **interval labels**: a pre-order numbering of a spanning forest of the is-a DAG,
  and for every kind the merged intervals of pre-order numbers that cover its
  descendants (one interval for a tree, a few more where extra parents join), so
  descendants and transitive examples are slices, never a walk of the whole subtree;
* the (kind, example) pairs sorted by the kind's pre-order number, so the
  transitive examples of a kind are contiguous runs of that list.

Parents, children and direct examples are packed rows (:class:`graph.rows.Rows`, two
flat arrays); the closure and each example's types stay tuples, because is-a and
example-of read them on every question.

Edge cases, in words:

* A node is never its own ancestor or descendant, even on a cycle.
* Cycles never hang a question: nodes on or under a cycle fall back to
  breadth-first search with a visited set.
* With multiple inheritance every parent is followed; proofs are shortest chains,
  ties broken by IRI order, so answers are deterministic.

Every order the taxonomy gives (rows, roots of the forest, examples within a kind, proofs'
ties) is IRI order: node numbers follow it in a built index, and an index that edits grew
by appending nodes keeps each node's place in IRI order in a ``rank`` column
(:mod:`graph.index.update`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import copy
from itertools import chain, islice, repeat
from typing import Literal, NamedTuple

import numpy as np

from graph.index.intervals import ShiftedRuns, merge_runs, minus, union
from graph.index.packed_rows import IntColumn, Rows, copied_column, shift_in_place

__all__ = ["EdgeChange", "Edited", "Step", "Taxonomy"]

#: One asserted edge of a proof: (subject, "subclass" | "type", object).
Step = tuple[int, Literal["subclass", "type"], int]
#: Edges as (from, to) pairs, or as two parallel numpy arrays of from and to nodes.
Edges = Iterable[tuple[int, int]] | tuple[np.ndarray, np.ndarray]
_EMPTY: tuple[int, ...] = ()
Pairs = frozenset[tuple[int, int]]
#: A kind with at least this many type edges below it has its counts saved with the index:
#: counting its examples (near the root of a million kinds, a million of them) takes too long
#: for a first question after a restart.
SAVED_COUNT_PAIRS = 2048
#: Above this many type edges, examples are counted in numpy rather than in a Python set.
_COUNT_IN_NUMPY = 256


class EdgeChange(NamedTuple):
    """Subclass and type edges to add and remove, as (from, to) node pairs."""

    added_subclass: Pairs = frozenset()
    removed_subclass: Pairs = frozenset()
    added_type: Pairs = frozenset()
    removed_type: Pairs = frozenset()


class Taxonomy:
    """The reasoning index over subclass and type edges.

    >>> t = Taxonomy(4, kinds=[0, 1, 2], subclass_edges=[(1, 0), (2, 1)], type_edges=[(3, 2)])
    >>> t.ancestors(2)
    [1, 0]
    >>> t.is_a(3, 0), t.is_a(0, 3)
    (True, False)
    >>> t.is_a_proof(3, 0)
    [(3, 'type', 2), (2, 'subclass', 1), (1, 'subclass', 0)]
    >>> t.example_of_proof(2, 0) is None  # a kind is not an example
    True
    """

    def __init__(
        self,
        size: int,
        kinds: Iterable[int],
        subclass_edges: Edges,
        type_edges: Edges,
        rank: IntColumn | None = None,
        by_rank: IntColumn | None = None,
    ) -> None:
        self.size = size
        #: Each node's place in IRI order, and the node at each place, where node numbers do
        #: not follow IRI order (nodes an edit appended); None where they do.
        self._rank, self._by_rank = rank, by_rank
        self._is_kind = bytearray(size)
        for kind in kinds:
            self._is_kind[kind] = 1
        self._parents = _rows(size, subclass_edges, rank)
        self._children = self._parents.inverted(rank)
        type_rows = _rows(size, type_edges, rank)
        self._instances = type_rows.inverted(rank)
        # Types stay tuples: example-of reads them on every question (a slice of packed rows
        # costs twice the whole answer); a million examples' tuples are about 80 MB.
        self._types: list[tuple[int, ...] | None] | Edited = list(type_rows.tuples())
        #: Packed rows behind ``_types`` and ``_ancestors`` in a reopened index, where a ``None``
        #: entry is read from them on first use (see :meth:`from_saved_state`); None when built.
        #: A taxonomy an edit made reads both from :class:`Edited` dicts instead.
        self._type_rows: Rows | None = None
        self._ancestor_rows: Rows | None = None
        order = _topological_order(self._parents, self._children, self.in_iri_order())
        self._acyclic = len(order) == size
        self._ancestors: list[tuple[int, ...] | None] | Edited = list(self._closure(order))
        pre, end, node_at = self._number_spanning_forest(order)
        # Lists while building (the interval passes below index them); arrays from then on.
        self._pre: list[int] | IntColumn = pre
        self._end: list[int] | IntColumn = end
        self._node_at: list[int] | IntColumn = node_at
        self._merged: Mapping[int, tuple[tuple[int, int], ...]] = self._merged_intervals(
            self._extra_intervals(order)
        )
        # Flat integer columns as arrays: a quarter of the memory of lists, and they
        # pickle as raw bytes, so a saved index reopens quickly.
        self._pre, self._end, self._node_at = array("q", pre), array("q", end), array("q", node_at)
        self._pair_keys, self._pair_examples = self._example_pairs(type_rows)
        self._example_counts: dict[int, int] = {}
        self._descendant_counts: dict[int, int] = {}
        #: Nodes :meth:`grown` appended, not in the spanning forest until :meth:`changed`.
        self._unplaced: tuple[int, ...] = ()

    # --- direct edges ----------------------------------------------------------------

    def parents(self, node: int, limit: int | None = None) -> list[int]:
        """Direct super-kinds of ``node`` (the first ``limit``)."""
        return self._parents.first(node, limit).tolist()

    def children(self, node: int, limit: int | None = None) -> list[int]:
        """Direct sub-kinds of ``node`` (the first ``limit``): a root may have 100,000."""
        return self._children.first(node, limit).tolist()

    def child_count(self, node: int) -> int:
        """How many direct sub-kinds ``node`` has."""
        return self._children.count(node)

    def degree(self, node: int) -> int:
        """How many subclass and type edges touch ``node``, either way."""
        return (
            self._parents.count(node)
            + self._children.count(node)
            + len(self._types_of(node))
            + self._instances.count(node)
        )

    def types(self, node: int) -> list[int]:
        """Kinds that ``node`` is directly an example of."""
        return list(self._types_of(node))

    def instances(self, node: int, limit: int | None = None) -> list[int]:
        """Named examples typed directly by ``node`` (the first ``limit``)."""
        return self._instances.first(node, limit).tolist()

    def is_kind(self, node: int) -> bool:
        """Whether ``node`` is a kind (a class) rather than only a named example."""
        return bool(self._is_kind[node])

    def has_own_positions(self, before: Taxonomy) -> bool:
        """Whether this taxonomy's pre-order columns are its own, not ``before``'s (it was made
        from ``before`` by a :meth:`changed` that moved or placed nodes)."""
        columns = ("_pre", "_end", "_node_at", "_pair_keys", "_pair_examples")
        return all(getattr(self, c) is not getattr(before, c) for c in columns)

    # --- IRI order ---------------------------------------------------------------------

    @property
    def rank(self) -> IntColumn | None:
        """Each node's place in IRI order, where node numbers do not follow it (an edit
        appended nodes); None where they do."""
        return self._rank

    def rank_of(self, node: int) -> int:
        """The node's place in IRI order (comparable with any other node's)."""
        rank = self._rank
        return node if rank is None else rank[node]

    @property
    def by_rank(self) -> IntColumn | None:
        """The node at each place in IRI order, where node numbers do not follow it."""
        return self._by_rank

    def iri_order_columns(self) -> tuple[array, array]:
        """Writable copies of ``rank`` and ``by_rank`` (node → place, place → node), made from
        the node numbers where they follow IRI order."""
        every = np.arange(self.size, dtype=np.int64)
        rank, by_rank = self._rank, self._by_rank
        return (
            copied_column(every if rank is None else rank),
            copied_column(every if by_rank is None else by_rank),
        )

    def in_iri_order(self) -> Sequence[int]:
        """Every node, in IRI order."""
        return range(self.size) if self._by_rank is None else self._by_rank

    # --- transitive questions --------------------------------------------------------

    def ancestors(self, node: int) -> list[int]:
        """Every super-kind of ``node``, parents first; never ``node`` itself."""
        return list(self._ancestors_of(node))

    def is_a(self, subject: int, obj: int) -> bool:
        """Whether ``subject`` is a strict sub-kind of ``obj``, or an example of it or of a
        sub-kind.

        Never of itself, even where a cycle or a type edge leads back to it.
        """
        if subject == obj:
            return False
        ancestors = self._ancestors[subject]
        if ancestors is None:
            ancestors = self._ancestors_of(subject)
        if obj in ancestors:
            return True
        return self.is_example_of(subject, obj) if self._types_of(subject) else False

    def is_example_of(self, subject: int, obj: int) -> bool:
        """Whether ``subject``'s types include ``obj`` or one of its sub-kinds
        (type/subClassOf*)."""
        types = self._types[subject]
        for kind in self._types_of(subject) if types is None else types:
            if kind == obj:
                return True
            above = self._ancestors[kind]
            if obj in (self._ancestors_of(kind) if above is None else above):
                return True
        return False

    def all_types(self, node: int) -> list[int]:
        """Every kind ``node`` is an example of, directly or through super-kinds."""
        types, above = self._types_of(node), self._ancestors_of
        if len(types) == 1:
            return [types[0], *above(types[0])]
        return list(dict.fromkeys(chain.from_iterable((t, *above(t)) for t in types)))

    def descendants(self, node: int, offset: int = 0, limit: int | None = None) -> list[int]:
        """Sub-kinds of ``node`` in pre-order (each before its own sub-kinds); never ``node``."""
        nodes = (n for n in self._covered(node) if n != node)
        return list(islice(nodes, offset, None if limit is None else offset + limit))

    def descendant_count(self, node: int) -> int:
        """How many sub-kinds ``node`` has, transitively.

        A tree's count is one subtraction; a kind joined by extra parents sums its merged
        intervals (thousands under the root of a million kinds), once, then remembered.
        """
        found = self._descendant_counts.get(node)
        if found is not None:
            return found
        merged = self._merged.get(node)
        if merged is None:
            return self._end[node] - self._pre[node] - 1
        found = self._descendant_counts[node] = sum(end - start for start, end in merged) - 1
        return found

    def examples(
        self, node: int, transitive: bool = True, offset: int = 0, limit: int | None = None
    ) -> list[int]:
        """Named examples of ``node`` (with ``transitive``, of sub-kinds too), stably ordered."""
        stop = None if limit is None else offset + limit
        if not transitive:
            return self._instances.first(node, stop)[offset:].tolist()
        return list(islice(self._transitive_examples(node), offset, stop))

    def example_count(self, node: int, transitive: bool = True) -> int:
        """How many named examples :meth:`examples` lists; computed once per kind, then
        remembered."""
        if not transitive:
            return self._instances.count(node)
        found = self._example_counts.get(node)
        if found is None:
            found = self._example_counts[node] = self._count_examples(node)
        return found

    def _count_examples(self, node: int) -> int:
        """How many distinct examples the type edges below ``node`` name.

        Found as :meth:`below` finds them, all intervals at once (thousands under the root of
        a million kinds): nothing is allocated per interval. A few are counted in a set, many
        marked in a flag per node.
        """
        named = self._examples_in(self._bounds(node))
        if len(named) < _COUNT_IN_NUMPY:
            return len(set(named.tolist()))
        seen = np.zeros(self.size, dtype=np.bool_)  # one pass, where a sort took 0.3 s at 1M
        seen[named] = True
        return int(np.count_nonzero(seen))

    def below(self, node: int, transitive: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Sub-kinds of ``node`` and named examples of it (with ``transitive``, of its sub-kinds
        too), as two numpy arrays of nodes, for filters that work on whole sets at once.

        Slices of the pre-order columns, copied in C: no walk in Python. The examples may
        repeat (an example typed by two kinds below ``node``); never ``node`` itself.

        >>> t = Taxonomy(4, kinds=[0, 1, 2], subclass_edges=[(1, 0), (2, 1)], type_edges=[(3, 2)])
        >>> [a.tolist() for a in t.below(0)], [a.tolist() for a in t.below(0, transitive=False)]
        ([[1, 2], [3]], [[1], []])
        """
        if not transitive:
            children = np.frombuffer(self._children[node], dtype=np.int32)
            instances = np.frombuffer(self._instances[node], dtype=np.int32)
            return children.astype(np.int64), instances.astype(np.int64)
        assert not isinstance(self._node_at, list)  # a list while built, then a flat column
        node_at = np.frombuffer(self._node_at, dtype=np.int64)
        bounds = self._bounds(node)
        sub_kinds = node_at[_ranges(bounds[:, 0], bounds[:, 1])]
        return sub_kinds[sub_kinds != node], self._examples_in(bounds)

    def _bounds(self, node: int) -> np.ndarray:
        """The pre-order intervals of :meth:`_intervals` as an (n, 2) array (thousands under a
        root)."""
        intervals = self._intervals(node)
        bounds = np.fromiter(chain.from_iterable(intervals), np.int64, 2 * len(intervals))
        return bounds.reshape(-1, 2)

    def _examples_in(self, bounds: np.ndarray) -> np.ndarray:
        """The examples of the type edges whose kinds lie in the pre-order intervals ``bounds``
        (repeated when an example has two such kinds), sliced from the sorted pair columns."""
        keys = np.frombuffer(self._pair_keys, dtype=np.int64)
        examples = np.frombuffer(self._pair_examples, dtype=np.int64)
        return examples[
            _ranges(np.searchsorted(keys, bounds[:, 0]), np.searchsorted(keys, bounds[:, 1]))
        ]

    # --- proofs ------------------------------------------------------------------------

    def is_a_proof(self, subject: int, obj: int) -> list[Step] | None:
        """Shortest chain proving ``subject`` is a sub-kind or an example of ``obj``, or None.

        The first step may be a type edge; every later step is a subclass edge.
        """
        if not self.is_a(subject, obj):
            return None
        first: list[Step] = [(subject, "type", t) for t in self._types_of(subject)]
        first += [(subject, "subclass", p) for p in self._parents[subject]]
        rank = self._rank
        if rank is None:  # node numbers are IRI order
            return self._climb(subject, sorted(first, key=lambda s: s[2]), obj)
        return self._climb(subject, sorted(first, key=lambda s: rank[s[2]]), obj)

    def example_of_proof(self, subject: int, obj: int) -> list[Step] | None:
        """Shortest chain proving ``subject`` is a named example of ``obj`` or of a sub-kind."""
        if self._is_kind[subject] or not self.is_example_of(subject, obj):
            return None
        return self._climb(subject, [(subject, "type", t) for t in self._types_of(subject)], obj)

    def cycles(self) -> list[list[int]]:
        """Each is-a cycle once, as the nodes of a strongly connected component (or a self-loop)."""
        import networkx as nx  # only here: importing it costs a restart 0.1-0.4 s

        graph = nx.DiGraph()
        graph.add_edges_from(
            zip(self._parents.sources().tolist(), self._parents.values.tolist(), strict=True)
        )
        rank_of = self.rank_of
        found = [
            sorted(c, key=rank_of) for c in nx.strongly_connected_components(graph) if len(c) > 1
        ]
        found += [[n] for n in nx.nodes_with_selfloops(graph)]
        return sorted(found, key=lambda cycle: [rank_of(n) for n in cycle])

    def cycle_closed_by(self, added: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
        """The first added subclass edge (child, parent) that closes an is-a cycle, or None.

        A reachability walk up from each new parent (through this taxonomy's edges and the
        added ones), never over the whole graph.
        """
        added = sorted(added)
        extra: dict[int, list[int]] = {}
        for child, parent in added:
            extra.setdefault(child, []).append(parent)
        for child, parent in added:
            seen, frontier = {parent}, [parent]
            while frontier:
                node = frontier.pop()
                if node == child:
                    return child, parent
                for above in chain(self._parents[node], extra.get(node, ())):
                    if above not in seen:
                        seen.add(above)
                        frontier.append(above)
        return None

    def changed(self, change: EdgeChange) -> Taxonomy:
        """This taxonomy with edges added and removed (the set of kinds stays the same).

        While the graph stays acyclic and every node keeps its first parent (so the spanning
        tree and its pre-order numbers hold), only what the edges reach is recomputed: the
        changed rows, the closure of the sub-kinds below each changed edge, the merged
        intervals of the kinds above it, the example pairs of changed type edges. Otherwise
        the taxonomy is rebuilt from its own edge columns (no triples are read).
        """
        parents = self._parents
        added_sub = {p for p in change.added_subclass if p[1] not in parents[p[0]]}
        removed_sub = {p for p in change.removed_subclass if p[1] in parents[p[0]]}
        added_type = {p for p in change.added_type if p[1] not in self._types_of(p[0])}
        removed_type = {p for p in change.removed_type if p[1] in self._types_of(p[0])}
        rank = self._rank
        new_parents = _changed_rows(parents, added_sub, removed_sub, rank)
        new_children = _changed_rows(
            self._children, _swapped(added_sub), _swapped(removed_sub), rank
        )
        acyclic = self._acyclic and self.cycle_closed_by(added_sub) is None
        children = {c for c, _ in (*added_sub, *removed_sub)}
        movers = {c for c in children if _first(parents[c]) != _first(new_parents[c])}
        if not acyclic or (movers and (movers != children or any(map(new_children.count, movers)))):
            return self._rebuilt(new_parents, added_type, removed_type)
        new = copy(self)
        new._parents, new._children = new_parents, new_children
        self._recompute_closure(children, new)
        if not movers:  # the spanning tree holds: pre-order numbers stay
            self._recompute_intervals(new, added_sub, removed_sub)
        unplaced = [n for n in self._unplaced if n not in movers]  # roots appended
        if movers or unplaced:  # each leaf whose tree parent changed moves to its place
            positions = _Positions(new)
            taken = {leaf: positions.take_out(leaf) for leaf in movers}
            for leaf in sorted((*movers, *unplaced), key=self.rank_of):
                at = positions.place(leaf, new)
                above = new._ancestors_of(leaf)
                positions.put_in(leaf, at, new, above, taken.get(leaf))
            positions.store(new)
        new._unplaced = ()
        self._change_examples(new, added_type, removed_type)
        stale = {k for _, k in (*added_sub, *removed_sub, *added_type, *removed_type)}
        stale.update(chain.from_iterable(new._ancestors_of(k) for k in list(stale)))
        stale.update(chain.from_iterable(self._ancestors_of(k) for k in list(stale)))
        new._example_counts = {k: v for k, v in self._example_counts.items() if k not in stale}
        new._descendant_counts = {
            k: v for k, v in self._descendant_counts.items() if k not in stale
        }
        return new

    def grown(self, kinds: Sequence[bool], rank: array, by_rank: array) -> Taxonomy | None:
        """This taxonomy with ``len(kinds)`` nodes appended (numbered from :attr:`size` on),
        each a kind or not, and without edges or a place in the spanning forest yet: the
        :meth:`changed` that follows places them (one must follow). ``rank`` and ``by_rank``
        place every node, the new ones too, in IRI order (node → place, place → node). None
        where the is-a graph has a cycle (its forest is numbered by walking, where a local
        change is not worked out)."""
        if not self._acyclic:
            return None
        count = len(kinds)
        new = copy(self)
        new.size = self.size + count
        new._rank, new._by_rank = rank, by_rank
        new._is_kind = self._is_kind + bytearray(kinds)
        new._parents, new._children = self._parents.grown(count), self._children.grown(count)
        new._instances = self._instances.grown(count)
        appended = dict.fromkeys(range(self.size, new.size), _EMPTY)
        new._types = Edited.over(self._types, self._type_rows, dict(appended))
        new._ancestors = Edited.over(self._ancestors, self._ancestor_rows, dict(appended))
        new._type_rows = new._ancestor_rows = None
        new._example_counts = dict(self._example_counts)
        new._descendant_counts = dict(self._descendant_counts)
        new._unplaced = tuple(range(self.size, new.size))  # pre-order columns as they were
        return new

    def without(self, node: int, owned: bool = False) -> Taxonomy:
        """This taxonomy without ``node``, which has no edges left: the last node takes its
        number (in every row, closure, column and order), so the nodes stay ``0 .. size-2``.
        Costs what the last node reaches (its rows' neighbours, the closures below it), and a
        pass in C over the per-node columns. ``owned``: this taxonomy was just made by
        :meth:`changed` with pre-order columns of its own (:meth:`has_own_positions`), never
        served: they are changed in place rather than copied, and this one is not used again."""
        assert not (
            self._parents.count(node)
            or self._children.count(node)
            or self._types_of(node)
            or self._instances.count(node)
        ), "only a node without edges is taken out"
        last = self.size - 1
        # read before the positions change (in place, when owned)
        below_last = [n for n in self._covered(last) if n != last] if node != last else []
        rank, by_rank = self.iri_order_columns()
        gone = rank[node]
        del by_rank[gone]
        shift_in_place(rank, -1, above=gone)
        positions = _Positions(self, copied=not owned)
        positions.take_out(node)
        new = copy(self)
        new.size = last
        counts = (dict(self._example_counts), dict(self._descendant_counts))
        for column in counts:
            column.pop(node, None)
        parents, children, instances = {}, {}, {}
        types: dict[int, tuple[int, ...]] = {}
        ancestors: dict[int, tuple[int, ...]] = {}
        if node != last:
            rank[node] = rank[last]
            by_rank[rank[last]] = node

            def renamed(row: Iterable[int]) -> list[int]:
                return [node if n == last else n for n in row]

            parents[node], children[node] = list(self._parents[last]), list(self._children[last])
            instances[node] = list(self._instances[last])
            types[node], ancestors[node] = self._types_of(last), self._ancestors_of(last)
            for parent in self._parents[last]:
                children[parent] = renamed(self._children[parent])
            for child in self._children[last]:
                parents[child] = renamed(self._parents[child])
            for kind in self._types_of(last):
                instances[kind] = renamed(self._instances[kind])
            for example in self._instances[last]:
                types[example] = tuple(renamed(self._types_of(example)))
            for below in below_last:
                ancestors[below] = tuple(renamed(self._ancestors_of(below)))
            at = positions.pre[last]
            positions.node_at[at] = node
            positions.pre[node], positions.end[node] = at, positions.end[last]
            examples = np.frombuffer(positions.examples, dtype=np.int64)
            examples[examples == last] = node
            del examples
            runs = positions.merged.get(last)
            positions.merged.pop(last)
            if runs is not None:
                positions.merged[node] = runs
            for column in counts:
                if last in column:
                    column[node] = column.pop(last)
            new._is_kind = bytearray(self._is_kind[:last])
            new._is_kind[node] = self._is_kind[last]
        else:
            new._is_kind = bytearray(self._is_kind[:last])
        del rank[last]
        new._rank, new._by_rank = rank, by_rank
        new._parents = self._parents.replaced(parents, rank).truncated(last)
        new._children = self._children.replaced(children, rank).truncated(last)
        new._instances = self._instances.replaced(instances, rank).truncated(last)
        new._types = Edited.over(self._types, self._type_rows, types)
        new._ancestors = Edited.over(self._ancestors, self._ancestor_rows, ancestors)
        new._type_rows = new._ancestor_rows = None
        del positions.pre[last:], positions.end[last:]
        positions.store(new)
        new._example_counts, new._descendant_counts = counts
        return new

    def _rebuilt(
        self, parents: Rows, added_type: set[tuple[int, int]], removed_type: set[tuple[int, int]]
    ) -> Taxonomy:
        changed = self._changed_types(added_type, removed_type)
        return Taxonomy(
            self.size,
            kinds=np.flatnonzero(np.frombuffer(bytes(self._is_kind), dtype=np.uint8)).tolist(),
            subclass_edges=(parents.sources(), np.frombuffer(parents.values, dtype=np.int32)),
            type_edges=[
                (e, k)
                for e in range(self.size)
                for k in (changed[e] if e in changed else self._types_of(e))
            ],
            rank=self._rank,
            by_rank=self._by_rank,
        )

    def _changed_types(
        self, added: set[tuple[int, int]], removed: set[tuple[int, int]]
    ) -> dict[int, tuple[int, ...]]:
        """The direct kinds of each example whose type edges are added or removed."""
        types = {}
        key = None if self._rank is None else self._rank.__getitem__
        for example in {e for e, _ in (*added, *removed)}:
            kinds = set(self._types_of(example)) - {k for e, k in removed if e == example}
            types[example] = tuple(sorted(kinds | {k for e, k in added if e == example}, key=key))
        return types

    def _recompute_closure(self, children: set[int], new: Taxonomy) -> None:
        """Recompute the ancestors of ``children`` and everything below them, parents first."""
        if not children:
            return
        below = _reach(new._children, sorted(children), None)
        inside = set(below)
        waiting = {n: sum(1 for p in new._parents[n] if p in inside) for n in below}
        order = [n for n in below if waiting[n] == 0]
        for node in order:  # grows while we walk it
            for child in new._children[node]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    order.append(child)
        ancestors: dict[int, tuple[int, ...]] = {}

        def above(node: int) -> tuple[int, ...]:
            found = ancestors.get(node)
            return self._ancestors_of(node) if found is None else found

        for node in order:  # a node's parents come before it, or are not below the change
            parents = new._parents[node]
            if not parents:
                ancestors[node] = _EMPTY
            elif len(parents) == 1:
                ancestors[node] = (parents[0], *above(parents[0]))
            else:
                merged = chain(parents, *(above(p) for p in parents))
                ancestors[node] = tuple(dict.fromkeys(merged))
        new._ancestors = Edited.over(self._ancestors, self._ancestor_rows, ancestors)
        new._ancestor_rows = None

    def _recompute_intervals(
        self, new: Taxonomy, added: set[tuple[int, int]], removed: set[tuple[int, int]]
    ) -> None:
        """The merged descendant intervals of the kinds at or above each changed edge's parent.

        Pre-order numbers stay, so each such kind gains the intervals of an added edge's child
        and loses, of a removed edge's child's positions, those no longer below it.
        """
        if not added and not removed:
            return
        gains: dict[int, list[int]] = {}
        for child, parent in added:
            for kind in (parent, *new._ancestors_of(parent)):
                gains.setdefault(kind, []).append(child)
        losses: dict[int, set[int]] = {}
        for child, parent in removed:
            positions = [p for start, stop in self._intervals(child) for p in range(start, stop)]
            for kind in (parent, *self._ancestors_of(parent)):
                losses.setdefault(kind, set()).update(positions)
        merged = new._merged = ShiftedRuns.over(self._merged)
        pre, end, node_at, ancestors = self._pre, self._end, self._node_at, new._ancestors_of
        # sub-kinds first (a sub-kind has more ancestors): a gained child's intervals are final
        for kind in sorted(gains.keys() | losses.keys(), key=lambda k: -len(ancestors(k))):
            runs = self._intervals(kind)
            gone = sorted(
                p
                for p in losses.get(kind, ())
                if node_at[p] != kind and kind not in ancestors(node_at[p])
            )
            more = [i for child in gains.get(kind, ()) for i in new._intervals(child)]
            runs = union(minus(runs, gone), more)
            if runs == ((pre[kind], end[kind]),):
                merged.pop(kind, None)
            else:
                merged[kind] = runs

    def _change_examples(
        self, new: Taxonomy, added: set[tuple[int, int]], removed: set[tuple[int, int]]
    ) -> None:
        """Type edges: the examples' type tuples, the kinds' instance rows, the example pairs."""
        if not added and not removed:
            return
        rank = self._rank
        new._instances = _changed_rows(self._instances, _swapped(added), _swapped(removed), rank)
        new._types = Edited.over(self._types, self._type_rows, self._changed_types(added, removed))
        new._type_rows = None
        keys, examples = copied_column(new._pair_keys), copied_column(new._pair_examples)
        _move_pairs(keys, examples, new._pre, rank, added, removed)
        new._pair_keys, new._pair_examples = keys, examples

    # --- saving and reopening ---------------------------------------------------------

    def saved_state(self) -> dict[str, object]:
        """The attributes to save: closure and types as packed rows, and the counts of the kinds
        with many examples below them (:data:`SAVED_COUNT_PAIRS`), the rest left to be counted."""
        assert not self._unplaced, "a grown taxonomy is saved only once changed() placed its nodes"
        state = {
            k: v
            for k, v in vars(self).items()
            if not k.endswith(("_counts", "_rows")) and k != "_unplaced"
        }
        state["_ancestors"] = Rows.packed(
            _every_row(self._ancestors, self._ancestors_of, self.size)
        )
        state["_types"] = Rows.packed(_every_row(self._types, self._types_of, self.size))
        heavy = self._kinds_with_many_examples()
        state["_counted"] = array("q", heavy)
        state["_counted_examples"] = array("q", map(self.example_count, heavy))
        state["_counted_descendants"] = array("q", map(self.descendant_count, heavy))
        return state

    def _kinds_with_many_examples(self) -> list[int]:
        """The kinds with at least :data:`SAVED_COUNT_PAIRS` type edges below them."""
        keys = np.asarray(self._pair_keys, dtype=np.int64)
        pre, end = np.asarray(self._pre, dtype=np.int64), np.asarray(self._end, dtype=np.int64)
        below = np.searchsorted(keys, end) - np.searchsorted(keys, pre)
        heavy = set(np.flatnonzero(below >= SAVED_COUNT_PAIRS).tolist())
        for node, intervals in self._merged.items():  # kinds joined by extra parents
            bounds = np.searchsorted(keys, np.asarray(intervals, dtype=np.int64).ravel())
            if int((bounds[1::2] - bounds[::2]).sum()) >= SAVED_COUNT_PAIRS:
                heavy.add(node)
        return sorted(node for node in heavy if self._is_kind[node])

    @classmethod
    def from_saved_state(cls, state: dict[str, object]) -> Taxonomy:
        """A taxonomy over saved attributes (columns mapped or not): the closure and types are
        read from their packed rows node by node, when first asked for, then remembered."""
        taxonomy = cls.__new__(cls)
        taxonomy._rank = taxonomy._by_rank = None  # an index saved before nodes were appended
        taxonomy._unplaced = ()
        saved = dict(state)
        counted: Iterable[int] = saved.pop("_counted", ())  # type: ignore[assignment]
        examples: Iterable[int] = saved.pop("_counted_examples", ())  # type: ignore[assignment]
        descendants: Iterable[int] = saved.pop("_counted_descendants", ())  # type: ignore[assignment]
        # One attribute at a time, never through ``vars()``: a materialised instance dict would
        # cost every attribute read on the hot paths 10-20 ns (CPython specialises reads of
        # attributes kept inline, as ``__init__`` keeps them).
        for name, value in saved.items():
            setattr(taxonomy, name, value)
        taxonomy._ancestor_rows = saved["_ancestors"]  # type: ignore[assignment]
        taxonomy._type_rows = saved["_types"]  # type: ignore[assignment]
        taxonomy._ancestors = [None] * taxonomy.size
        taxonomy._types = [None] * taxonomy.size
        # A bytearray, not a view of the map: indexing a memoryview costs 30 ns more.
        taxonomy._is_kind = bytearray(taxonomy._is_kind)
        taxonomy._example_counts = dict(zip(counted, examples, strict=True))
        taxonomy._descendant_counts = dict(zip(counted, descendants, strict=True))
        return taxonomy

    def _ancestors_of(self, node: int) -> tuple[int, ...]:
        found = self._ancestors[node]
        if found is None:
            found = self._ancestors[node] = tuple(self._ancestor_rows[node])  # type: ignore[index]
        return found

    def _types_of(self, node: int) -> tuple[int, ...]:
        """The node's direct kinds (an entry still ``None`` is read from ``_type_rows``)."""
        found = self._types[node]
        if found is None:
            found = self._types[node] = tuple(self._type_rows[node])  # type: ignore[index]
        return found

    # --- building -----------------------------------------------------------------------

    def _closure(self, order: list[int]) -> list[tuple[int, ...]]:
        """Ancestors of every node: merged from the parents' in topological order."""
        ancestors: list[tuple[int, ...]] = [_EMPTY] * self.size
        merged_yet = bytearray(self.size)  # 1 for the nodes of ``order``, done parents first
        values, starts = self._parents.as_lists()
        for node in order:
            merged_yet[node] = 1
            start, stop = starts[node], starts[node + 1]
            if start == stop:
                ancestors[node] = _EMPTY
            elif stop - start == 1:
                parent = values[start]
                ancestors[node] = (parent, *ancestors[parent])
            else:
                parents = values[start:stop]
                merged = chain(parents, *(ancestors[p] for p in parents))
                ancestors[node] = tuple(dict.fromkeys(merged))
        for node, done in enumerate(merged_yet):
            if not done:  # on or under a cycle: walk, never counting the node itself
                ancestors[node] = tuple(_reach(self._parents, self._parents[node], exclude=node))
        return ancestors

    def _number_spanning_forest(self, order: list[int]) -> tuple[list[int], list[int], list[int]]:
        """Pre-order numbers and subtree ends over a spanning forest of the child edges.

        Where the is-a graph is acyclic, the tree parent of a node is its first parent:
        subtree sizes are summed children-first, then numbers handed out parents-first,
        two linear passes. With cycles, a depth-first walk numbers every node instead.
        """
        if len(order) < self.size:
            return self._number_by_walking()
        first_parent = self._parents.firsts()
        below, starts = self._children.as_lists()
        sizes = [1] * self.size
        for node in reversed(order):
            if first_parent[node] >= 0:
                sizes[first_parent[node]] += sizes[node]
        pre, end, node_at = [0] * self.size, [0] * self.size, [0] * self.size
        free = 0
        for node in order:
            if first_parent[node] < 0:
                pre[node] = free
                free += sizes[node]
            cursor = pre[node] + 1
            for child in below[starts[node] : starts[node + 1]]:
                if first_parent[child] == node:
                    pre[child] = cursor
                    cursor += sizes[child]
            end[node] = pre[node] + sizes[node]
            node_at[pre[node]] = node
        return pre, end, node_at

    def _number_by_walking(self) -> tuple[list[int], list[int], list[int]]:
        """Pre-order numbers by depth-first walks, for graphs with is-a cycles."""
        pre, end = [-1] * self.size, [0] * self.size
        node_at: list[int] = []
        children = self._children
        in_order = self.in_iri_order()
        roots = chain((n for n in in_order if not self._parents[n]), in_order)
        for root in roots:
            if pre[root] >= 0:
                continue
            pre[root] = len(node_at)
            node_at.append(root)
            stack = [(root, 0)]
            while stack:
                node, position = stack[-1]
                below = children[node]
                while position < len(below) and pre[below[position]] >= 0:
                    position += 1
                if position == len(below):
                    end[node] = len(node_at)
                    stack.pop()
                else:
                    child = below[position]
                    stack[-1] = (node, position + 1)
                    pre[child] = len(node_at)
                    node_at.append(child)
                    stack.append((child, 0))
        return pre, end, node_at

    def _extra_intervals(self, order: list[int]) -> dict[int, tuple[tuple[int, int], ...]]:
        """Descendant intervals of each kind beyond its own subtree, children before parents."""
        extra: dict[int, tuple[tuple[int, int], ...]] = {}
        in_order = bytearray(self.size)
        for node in order:
            in_order[node] = 1
        pre, end = self._pre, self._end
        below, starts = self._children.as_lists()
        for node in range(self.size):
            if not in_order[node]:  # on or above a cycle: intervals from an explicit walk
                covered = sorted(pre[n] for n in _reach(self._children, self._children[node], None))
                runs = merge_runs([(p, p + 1) for p in covered if not pre[node] <= p < end[node]])
                if runs:
                    extra[node] = runs
        for node in reversed(order):
            start, stop = pre[node], end[node]
            pieces = []
            for child in below[starts[node] : starts[node + 1]]:
                if not start <= pre[child] < stop:  # joined through an extra parent
                    pieces.append((pre[child], end[child]))
                pieces.extend(extra.get(child, _EMPTY))  # type: ignore[arg-type]
            outside = [p for p in pieces if not (start <= p[0] and p[1] <= stop)]
            if outside:
                extra[node] = merge_runs(outside)
        return extra

    def _merged_intervals(
        self, extra: dict[int, tuple[tuple[int, int], ...]]
    ) -> dict[int, tuple[tuple[int, int], ...]]:
        """For kinds with extra intervals, all of them merged with their own subtree, once."""
        return {
            node: merge_runs([(self._pre[node], self._end[node]), *more])
            for node, more in extra.items()
        }

    def _example_pairs(self, types: Rows) -> tuple[array, array]:
        """(kind's pre-order number, example) for every type edge, sorted, as two columns."""
        assert not isinstance(self._pre, list)  # a list while built, then a flat column
        examples = types.sources()
        keys = np.frombuffer(self._pre, dtype=np.int64)[np.frombuffer(types.values, dtype=np.int32)]
        rank = self._rank
        order = np.lexsort(
            (examples if rank is None else np.frombuffer(rank, dtype=np.int64)[examples], keys)
        )
        return array("q", keys[order].tobytes()), array("q", examples[order].tobytes())

    # --- walking ------------------------------------------------------------------------

    def _intervals(self, node: int) -> tuple[tuple[int, int], ...]:
        """Pre-order intervals covering ``node`` and all its descendants, merged at build time."""
        merged = self._merged.get(node)
        return merged if merged is not None else ((self._pre[node], self._end[node]),)

    def _covered(self, node: int) -> Iterator[int]:
        node_at = self._node_at
        for start, stop in self._intervals(node):
            yield from node_at[start:stop]

    def _transitive_examples(self, node: int) -> Iterator[int]:
        keys, examples = self._pair_keys, self._pair_examples
        seen: set[int] = set()
        for start, stop in self._intervals(node):
            for index in range(bisect_left(keys, start), bisect_left(keys, stop)):
                example = examples[index]
                if example not in seen:
                    seen.add(example)
                    yield example

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


class Edited(dict[int, tuple[int, ...]]):
    """Each node's tuple (ancestors or direct kinds) after edits, without a column of its own:
    the nodes the edits changed, and the column the first of them started from (its ``None``
    entries read from its packed rows, as its own taxonomy reads them), each remembered here
    on first read.

    A taxonomy an edit made reads this dict where a built one reads a list: it starts empty,
    where a copy of the list (or a new one of two million slots) costs tens of milliseconds
    and every full sweep of the garbage collector walks it. Past :attr:`FOLD_AT` changed nodes,
    one copy of the column folds them in.

    >>> edited = Edited.over([(1,), ()], None, {0: (1, 2)})
    >>> edited[0], edited[1], len(edited)
    ((1, 2), (), 2)
    """

    __slots__ = ("_base", "_changed", "_rows")
    FOLD_AT = 2_000

    def __init__(
        self,
        base: list[tuple[int, ...] | None],
        rows: Rows | None,
        changed: dict[int, tuple[int, ...]],
    ) -> None:
        super().__init__()
        self._base, self._rows, self._changed = base, rows, changed

    @classmethod
    def over(
        cls,
        column: list[tuple[int, ...] | None] | Edited,
        rows: Rows | None,
        changed: dict[int, tuple[int, ...]],
    ) -> Edited:
        """``column`` (its ``None`` entries read from ``rows``) with the ``changed`` nodes'
        tuples replaced; ``column`` stays as it is."""
        if isinstance(column, Edited):  # one layer over the first column, never a chain
            layer = column
            column, rows, changed = layer._base, layer._rows, {**layer._changed, **changed}
        if len(changed) > cls.FOLD_AT:
            column = list(column)
            column.extend([None] * (max(changed) + 1 - len(column)))  # nodes appended
            for node, found in changed.items():
                column[node] = found
            changed = {}
        return cls(column, rows, changed)

    def __missing__(self, node: int) -> tuple[int, ...]:
        found = self._changed.get(node)
        if found is None:
            found = self._base[node]
            if found is None:  # the first column's own entry, read as its taxonomy reads it
                found = self._base[node] = tuple(self._rows[node])  # type: ignore[index]
        self[node] = found
        return found


def _changed_rows(
    rows: Rows,
    added: Iterable[tuple[int, int]],
    removed: Iterable[tuple[int, int]],
    rank: IntColumn | None,
) -> Rows:
    """``rows`` with (node, value) pairs added and removed (rows sorted by ``rank``)."""
    changed: dict[int, set[int]] = {}
    for node, value in removed:
        changed.setdefault(node, set(rows[node])).discard(value)
    for node, value in added:
        changed.setdefault(node, set(rows[node])).add(value)
    return rows.replaced(changed, rank)  # type: ignore[arg-type]


def _move_pairs(
    keys: array,
    examples: array,
    pre: IntColumn | list[int],
    rank: IntColumn | None,
    added: Iterable[tuple[int, int]],
    removed: Iterable[tuple[int, int]],
) -> None:
    """The (kind's pre-order number, example) pair columns with type edges (example, kind)
    removed and added, in place; within a kind, examples stay in IRI order."""
    key = None if rank is None else rank.__getitem__

    def place(example: int, kind: int) -> int:
        start, stop = bisect_left(keys, pre[kind]), bisect_right(keys, pre[kind])
        return bisect_left(examples, example if key is None else key(example), start, stop, key=key)

    for example, kind in removed:
        at = place(example, kind)
        del keys[at], examples[at]
    for example, kind in added:
        at = place(example, kind)
        keys.insert(at, pre[kind])
        examples.insert(at, example)


class _Positions:
    """The pre-order columns of a taxonomy being changed, as arrays changed in place, with
    leaves taken out of the spanning forest and put in elsewhere: every position after the
    place shifts by one (in C), and the merged runs with them (as steps, :class:`ShiftedRuns`).

    A leaf (a node without sub-kinds) moves alone; the pairs of the examples it types move with
    it. Its place is the one a build gives it: among its tree parent's children in IRI order,
    or among the roots in IRI order. A node not placed yet (appended by
    :meth:`Taxonomy.grown`) has position -1.
    """

    def __init__(self, taxonomy: Taxonomy, copied: bool = True) -> None:
        """``copied``: False takes the taxonomy's own columns to change in place (it must
        have them: :meth:`Taxonomy.has_own_positions`)."""
        # One copy of each column, changed in place from then on: lengths by the array's own
        # insert and delete (a move in C), shifts by numpy over the same memory (shift_in_place).
        own = copied_column if copied else _own
        self.pre, self.end = own(taxonomy._pre), own(taxonomy._end)
        for column in (self.pre, self.end):
            column.extend(repeat(-1, taxonomy.size - len(column)))
        self.node_at = own(taxonomy._node_at)
        self.keys, self.examples = own(taxonomy._pair_keys), own(taxonomy._pair_examples)
        self.merged = ShiftedRuns.over(taxonomy._merged)

    def take_out(self, leaf: int) -> array:
        """Remove ``leaf``'s position (if it has one); the examples of its type pairs, to put
        back with it."""
        at = self.pre[leaf]
        if at < 0:
            return array("q")
        del self.node_at[at]
        shift_in_place(self.pre, -1, above=at)
        shift_in_place(self.end, -1, above=at)
        self.pre[leaf] = self.end[leaf] = -1
        first, stop = bisect_left(self.keys, at), bisect_left(self.keys, at + 1)
        examples = self.examples[first:stop]
        del self.keys[first:stop], self.examples[first:stop]
        shift_in_place(self.keys, -1, start=first)
        self.merged.pop(leaf)
        self.merged = self.merged.stepped(-1, at)
        return examples

    def place(self, node: int, new: Taxonomy) -> int:
        """Where a build puts ``node`` (not placed): before its next sibling in IRI order under
        its tree parent (the first of its parents), else at the end of that parent's subtree;
        a root before the next root in IRI order, else last."""
        rank_of, parents = new.rank_of, new._parents
        mine = rank_of(node)
        tree_parent = _first(parents[node])
        if tree_parent >= 0:
            row = new._children[tree_parent]
            for child in row[bisect_right(row, mine, key=rank_of) :]:
                placed = self.pre[child] >= 0  # a leaf taken out is put back later
                if child != node and placed and _first(parents[child]) == tree_parent:
                    return int(self.pre[child])
            return int(self.end[tree_parent])
        low, high = 0, len(self.node_at)  # roots' blocks lie in IRI order: bisect them
        while low < high:
            middle = (low + high) // 2
            root = int(self.node_at[middle])
            while (above := _first(parents[root])) >= 0:
                root = above
            if rank_of(root) > mine:
                high = middle
            else:
                low = middle + 1
        return low

    def put_in(
        self,
        node: int,
        at: int,
        new: Taxonomy,
        above: Iterable[int] = (),
        pairs: array | None = None,
    ) -> None:
        """Give ``node`` position ``at``: its tree parent's line (in ``new``) takes it into
        their subtrees, the other kinds ``above`` it into their merged runs, and its type
        pairs' examples come back at its position."""
        self.node_at.insert(at, node)
        shift_in_place(self.pre, 1, above=at - 1)
        shift_in_place(self.end, 1, above=at)
        self.pre[node], self.end[node] = at, at + 1
        where = bisect_left(self.keys, at)
        shift_in_place(self.keys, 1, start=where)
        if pairs:
            self.keys[where:where] = array("q", repeat(at, len(pairs)))
            self.examples[where:where] = pairs
        self.merged = self.merged.stepped(1, at)
        line = []
        parent = _first(new._parents[node])
        while parent >= 0:
            line.append(parent)
            if self.end[parent] == at:  # the subtree ended where the node goes: it grows
                self.end[parent] = at + 1
            parent = _first(new._parents[parent])
        for kind in {*line, *above}:
            runs = self.merged.get(kind)
            start, stop = int(self.pre[kind]), int(self.end[kind])
            if runs is None and start <= at < stop:
                continue  # its tree interval covers the node
            runs = union(runs or ((start, stop),), [(at, at + 1)])
            if runs == ((start, stop),):
                self.merged.pop(kind)
            else:
                self.merged[kind] = runs

    def store(self, new: Taxonomy) -> None:
        """Hand the columns to ``new`` (this object is done with)."""
        new._pre, new._end, new._node_at = self.pre, self.end, self.node_at
        new._pair_keys, new._pair_examples = self.keys, self.examples
        new._merged = self.merged


def _own(column: IntColumn | list[int]) -> array:
    """A column of the taxonomy's own, to change in place."""
    assert isinstance(column, array) and column.typecode == "q"
    return column


def _swapped(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    return {(b, a) for a, b in pairs}


def _first(row: IntColumn) -> int:
    return row[0] if len(row) else -1


def _rows(size: int, edges: Edges, rank: IntColumn | None) -> Rows:
    if isinstance(edges, tuple) and len(edges) == 2 and isinstance(edges[0], np.ndarray):
        sources, targets = edges[0].astype(np.int64), edges[1].astype(np.int64)
        return Rows.from_arrays(size, sources, targets, rank)
    return Rows.from_pairs(size, edges, rank)  # type: ignore[arg-type]


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Every position of the half-open ranges ``starts[i]:stops[i]``, in order, in one array.

    >>> _ranges(np.array([5, 0]), np.array([7, 2])).tolist()
    [5, 6, 0, 1]
    """
    lengths = stops - starts
    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return shift + np.arange(int(lengths.sum()), dtype=np.int64)


def _topological_order(parents: Rows, children: Rows, in_iri_order: Iterable[int]) -> list[int]:
    """Kahn's order, parents before children, the roots in IRI order; nodes on or under a
    cycle are left out."""
    waiting = np.diff(np.frombuffer(parents.starts, dtype=np.int64)).tolist()
    order = [n for n in in_iri_order if waiting[n] == 0]
    below, starts = children.as_lists()
    for node in order:  # grows while we walk it
        for child in below[starts[node] : starts[node + 1]]:
            waiting[child] -= 1
            if waiting[child] == 0:
                order.append(child)
    return order


def _reach(neighbours: Rows, start: Iterable[int], exclude: int | None) -> list[int]:
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


def _every_row(
    rows: Sequence[tuple[int, ...] | None] | Edited,
    row_of: Callable[[int], tuple[int, ...]],
    size: int,
) -> Sequence[tuple[int, ...]]:
    """Every node's row: ``rows`` itself when it is a full list (none left to read from packed
    rows), else each node's row read one by one (an edited taxonomy's :class:`Edited` dict)."""
    if isinstance(rows, list) and len(rows) == size and None not in rows:
        return rows
    return list(map(row_of, range(size)))
