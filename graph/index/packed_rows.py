"""Lists of node numbers per node, packed into two flat arrays.

A million nodes' parents as a list of tuples costs a tuple object per node and an
int object per entry (about 100 bytes per node); packed as compressed sparse rows
it is 12 bytes per node and 4 per entry, pickles as raw bytes, and a row is still
one slice away.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, pairwise

import numpy as np

__all__ = ["IntColumn", "Rows", "copied_column", "shift_in_place"]

#: A flat column of integers: an array built in memory, or a view of a mapped saved index.
IntColumn = array | memoryview

_EMPTY: tuple[int, ...] = ()


class Rows:
    """``rows[n]`` is node ``n``'s sorted list of node numbers, as an ``array('i')`` slice.

    Sorted by node number, or by a ``rank`` column where one is given (each node's place in
    IRI order, where edits appended nodes: :mod:`graph.index.update`).

    An edit's few changed rows are kept beside the two arrays (:meth:`replaced`), never copied
    into them, until more than :attr:`FOLD_AT` have changed; whole-column reads (``starts``,
    ``values`` and what is built from them) see the rows folded in. Rows of nodes appended
    after the arrays (:meth:`grown`) are changed rows until folded.

    >>> rows = Rows.from_pairs(3, [(0, 2), (0, 1), (2, 0), (0, 1)])
    >>> list(rows[0]), list(rows[1]), list(rows[2])
    ([1, 2], [], [0])
    >>> rows.inverted()[1].tolist()
    [0]
    >>> edited = rows.replaced({1: [2, 0]})
    >>> edited[1].tolist(), edited.values.tolist(), rows[1].tolist()
    ([0, 2], [1, 2, 0, 2, 0], [])
    """

    __slots__ = ("_changed", "_size", "_starts", "_values")
    #: Changed rows kept beside the arrays: past this many, one copy folds them in (an edit
    #: changes a few rows; copying the arrays of two million nodes costs tens of milliseconds).
    FOLD_AT = 2_000

    def __init__(
        self,
        starts: IntColumn,
        values: IntColumn,
        changed: dict[int, array] | None = None,
        size: int | None = None,
    ) -> None:
        self._starts = starts
        self._values = values
        self._changed = changed or None
        self._size = len(starts) - 1 if size is None else size

    @property
    def starts(self) -> IntColumn:
        """Where each node's row starts in :attr:`values` (``len + 1`` offsets)."""
        return self._folded()._starts

    @property
    def values(self) -> IntColumn:
        """Every row's values, one after the other."""
        return self._folded()._values

    @classmethod
    def packed(cls, rows: Iterable[Sequence[int]]) -> Rows:
        """Rows as given, in their own order (a closure keeps parents first).

        >>> Rows.packed([(2, 1), (), (0,)])[0].tolist()
        [2, 1]
        """
        rows = rows if isinstance(rows, list) else list(rows)
        starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)), out=starts[1:])
        return cls(_packed("q", starts), array("i", chain.from_iterable(rows)))

    @classmethod
    def from_pairs(
        cls, size: int, pairs: Iterable[tuple[int, int]], rank: IntColumn | None = None
    ) -> Rows:
        """Rows from (node, value) pairs: sorted (by ``rank`` where given), duplicates dropped."""
        flat = np.fromiter((n for pair in pairs for n in pair), dtype=np.int64)
        return cls.from_arrays(size, flat[0::2], flat[1::2], rank)

    @classmethod
    def from_arrays(
        cls, size: int, sources: np.ndarray, targets: np.ndarray, rank: IntColumn | None = None
    ) -> Rows:
        """Rows from two parallel numpy arrays of (node, value): sorted (by ``rank`` where
        given), duplicates dropped."""
        keys = targets if rank is None else np.frombuffer(rank, dtype=np.int64)[targets]
        order = np.lexsort((keys, sources))
        sources, targets = sources[order], targets[order]
        if len(sources) > 1:
            keep = np.ones(len(sources), dtype=bool)
            keep[1:] = (sources[1:] != sources[:-1]) | (targets[1:] != targets[:-1])
            sources, targets = sources[keep], targets[keep]
        starts = np.searchsorted(sources, np.arange(size + 1))
        return cls(_packed("q", starts), _packed("i", targets))

    def __getitem__(self, node: int) -> IntColumn:
        changed = self._changed
        if changed is not None and node in changed:
            return changed[node]
        starts = self._starts
        return self._values[starts[node] : starts[node + 1]]

    def first(self, node: int, limit: int | None) -> IntColumn:
        """The first ``limit`` values of node ``n`` (all with None), copying only those."""
        changed = self._changed
        if changed is not None and node in changed:
            return changed[node][:limit]
        start, stop = self._starts[node], self._starts[node + 1]
        return self._values[start : stop if limit is None else min(stop, start + limit)]

    def count(self, node: int) -> int:
        """How many values node ``n`` has, without copying them."""
        changed = self._changed
        if changed is not None and node in changed:
            return len(changed[node])
        return self._starts[node + 1] - self._starts[node]

    def __len__(self) -> int:
        return self._size

    def as_lists(self) -> tuple[list[int], list[int]]:
        """``values`` and ``starts`` as Python lists, for build loops that read every row."""
        folded = self._folded()
        return folded._values.tolist(), folded._starts.tolist()

    def firsts(self) -> list[int]:
        """Each node's first (least) value, or -1 where its row is empty."""
        folded = self._folded()
        starts = np.frombuffer(folded._starts, dtype=np.int64)
        values = np.frombuffer(folded._values, dtype=np.int32)
        found = np.full(len(self), -1, dtype=np.int64)
        filled = starts[1:] > starts[:-1]
        found[filled] = values[starts[:-1][filled]]
        return found.tolist()

    def tuples(self) -> list[tuple[int, ...]]:
        """The rows as a list of tuples (one shared empty tuple), for the hottest lookups."""
        values, starts = self.as_lists()
        return [_EMPTY if a == b else tuple(values[a:b]) for a, b in pairwise(starts)]

    def sources(self) -> np.ndarray:
        """The node of every value, as a numpy array parallel to ``values``."""
        starts = np.frombuffer(self._folded()._starts, dtype=np.int64)
        return np.repeat(np.arange(len(self), dtype=np.int64), starts[1:] - starts[:-1])

    def replaced(self, rows: Mapping[int, Iterable[int]], rank: IntColumn | None = None) -> Rows:
        """These rows with the given nodes' rows replaced (sorted, by ``rank`` where given;
        duplicates dropped), kept beside the shared arrays; the arrays are copied only when
        :attr:`FOLD_AT` is passed."""
        if not rows:
            return self
        changed = dict(self._changed or {})
        key = None if rank is None else rank.__getitem__
        for node, row in rows.items():
            changed[node] = array("i", sorted(set(row), key=key))
        edited = Rows(self._starts, self._values, changed, self._size)
        return edited._folded() if len(changed) > self.FOLD_AT else edited

    def grown(self, count: int) -> Rows:
        """These rows and ``count`` empty rows after them (nodes appended by an edit)."""
        if not count:
            return self
        changed = dict(self._changed or {})
        for node in range(self._size, self._size + count):
            changed[node] = array("i")
        edited = Rows(self._starts, self._values, changed, self._size + count)
        return edited._folded() if len(changed) > self.FOLD_AT else edited

    def truncated(self, size: int) -> Rows:
        """The first ``size`` rows (the last nodes, removed by an edit, cut off)."""
        changed = {node: row for node, row in (self._changed or {}).items() if node < size}
        if size >= len(self._starts) - 1:  # only rows appended after the arrays are cut
            return Rows(self._starts, self._values, changed, size)
        starts = memoryview(self._starts)[: size + 1]  # views: nothing copied
        return Rows(starts, memoryview(self._values)[: starts[size]], changed, size)

    def _folded(self) -> Rows:
        """The same rows with the changed ones copied into the two arrays (in C)."""
        if not self._changed:
            return self
        old = self._starts
        inside = len(old) - 1  # the rows in the arrays; those after them were appended
        starts = np.empty(self._size + 1, dtype=np.int64)
        starts[: inside + 1] = np.frombuffer(old, dtype=np.int64)
        values = np.frombuffer(self._values, dtype=np.int32)
        pieces, previous = [], 0
        for node in sorted(n for n in self._changed if n < inside):
            start, stop = old[node], old[node + 1]
            row = np.frombuffer(self._changed[node], dtype=np.int32)
            pieces += [values[previous:start], row]
            previous = stop
            starts[node + 1 : inside + 1] += len(row) - (stop - start)
        pieces.append(values[previous:])
        for node in range(inside, self._size):
            row = np.frombuffer(self._changed[node], dtype=np.int32)
            pieces.append(row)
            starts[node + 1] = starts[node] + len(row)
        return Rows(_packed("q", starts), _packed("i", np.concatenate(pieces)))

    def inverted(self, rank: IntColumn | None = None) -> Rows:
        """The rows of the reversed pairs: ``m`` in ``inverted()[n]`` iff ``n`` in ``self[m]``
        (sorted by ``rank`` where given)."""
        folded = self._folded()
        targets = np.frombuffer(folded._values, dtype=np.int32).astype(np.int64)
        return Rows.from_arrays(len(self), targets, folded.sources(), rank)


def copied_column(column: IntColumn | list[int] | np.ndarray) -> array:
    """A writable copy of a column of 64-bit integers (a mapped one is read-only)."""
    if isinstance(column, list):
        return array("q", column)
    copied = array("q")
    copied.frombytes(
        (column.data if isinstance(column, np.ndarray) else memoryview(column)).cast("B")
    )
    return copied


def shift_in_place(column: array, by: int, above: int | None = None, start: int = 0) -> None:
    """Add ``by`` in place to the values of ``column`` from ``start`` on that are greater than
    ``above`` (all of them without it), in C over the array's own memory."""
    values = np.frombuffer(column, dtype=np.int64)[start:]
    if above is None:
        values += by
    elif by > 0:
        values += values > above
    else:
        values -= values > above
    del values  # the array may be resized again only once no view of it is left


def _packed(typecode: str, values: np.ndarray) -> array:
    packed = array(typecode)
    packed.frombytes(values.astype(np.int64 if typecode == "q" else np.int32).tobytes())
    return packed
