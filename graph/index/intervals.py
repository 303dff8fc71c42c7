"""Pre-order intervals: sorted, coalesced half-open runs of positions, and the merged runs of
every kind joined by extra parents as a mapping that follows positions taken out and put in.

A taxonomy covers a kind's descendants with runs of pre-order positions
(:mod:`graph.index.taxonomy`). When an edit moves a leaf, every position after its old and new
places shifts by one, and so does every run of the thousands of kinds joined by extra parents
(ten thousand runs under the root of a million kinds). :class:`ShiftedRuns` records the shifts
as steps and applies them to a kind's runs when they are first read, instead of rewriting
every kind's runs on every edit; past :attr:`ShiftedRuns.FOLD_AT` steps one pass folds them in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence

import numpy as np

__all__ = ["Runs", "ShiftedRuns", "merge_runs", "minus", "split_at", "union", "without"]

#: Sorted, coalesced half-open intervals of pre-order positions.
Runs = tuple[tuple[int, int], ...]
#: A change of positions: (+1, at) a position made at ``at``, (-1, at) position ``at`` removed.
Step = tuple[int, int]


def merge_runs(intervals: list[tuple[int, int]]) -> Runs:
    """Sort and coalesce half-open intervals.

    >>> merge_runs([(5, 7), (0, 2), (1, 3), (3, 4)])
    ((0, 4), (5, 7))
    """
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return tuple(merged)


def union(runs: Runs, more: Iterable[tuple[int, int]]) -> Runs:
    """Sorted, coalesced intervals with more intervals merged in, without sorting them again.

    >>> union(((0, 2), (5, 7)), [(2, 3), (9, 10)])
    ((0, 3), (5, 7), (9, 10))
    """
    merged = list(runs)
    for start, stop in more:
        first = bisect_left(merged, (start,))
        if first and merged[first - 1][1] >= start:
            first -= 1
        last = first
        while last < len(merged) and merged[last][0] <= stop:
            last += 1
        if first < last:
            start, stop = min(start, merged[first][0]), max(stop, merged[last - 1][1])
        merged[first:last] = [(start, stop)]
    return tuple(merged)


def minus(runs: Runs, positions: list[int]) -> Runs:
    """Sorted, coalesced intervals without the given positions (each inside one of them).

    >>> minus(((0, 4), (6, 8)), [0, 2, 7])
    ((1, 2), (3, 4), (6, 7))
    """
    merged = list(runs)
    for position in positions:
        at = bisect_right(merged, (position, float("inf"))) - 1
        start, stop = merged[at]
        merged[at : at + 1] = [r for r in ((start, position), (position + 1, stop)) if r[0] < r[1]]
    return tuple(merged)


def without(runs: Runs, at: int) -> Runs:
    """Intervals with position ``at`` taken out and the positions after it shifted down.

    >>> without(((0, 2), (3, 4), (5, 9)), 3)
    ((0, 2), (4, 8))
    """
    shifted = []
    for start, stop in runs:
        if stop <= at:
            shifted.append((start, stop))
        elif start > at:
            shifted.append((start - 1, stop - 1))
        elif stop - start > 1:
            shifted.append((start, stop - 1))
    return merge_runs(shifted)


def split_at(runs: Runs, at: int) -> Runs:
    """Intervals with a new position ``at`` made (outside them), the positions from it on
    shifted up.

    >>> split_at(((0, 2), (3, 6)), 4)
    ((0, 2), (3, 4), (5, 7))
    """
    shifted = []
    for start, stop in runs:
        if stop <= at:
            shifted.append((start, stop))
        elif start >= at:
            shifted.append((start + 1, stop + 1))
        else:
            shifted += [(start, at), (at + 1, stop + 1)]
    return tuple(shifted)


#: From this many runs on, a kind's replay runs in numpy (one conversion each way).
_IN_NUMPY = 64


def replayed(runs: Runs, steps: Sequence[Step]) -> Runs:
    """``runs`` after each step in turn (in numpy for the thousands of runs of a kind near the
    root: one conversion each way).

    >>> replayed(((0, 2), (3, 6)), [(1, 4), (-1, 0)])
    ((0, 1), (2, 3), (4, 6))
    >>> many, steps = tuple((n, n + 1) for n in range(0, 2000, 2)), [(1, 5), (-1, 0), (-1, 3)]
    >>> replayed(many, steps) == replayed(many[:3], steps) + tuple(
    ...     (n - 1, n) for n in range(6, 2000, 2)
    ... )
    True
    """
    if len(runs) < _IN_NUMPY:
        for change, at in steps:
            runs = split_at(runs, at) if change > 0 else without(runs, at)
        return runs
    starts, stops = np.array(runs, dtype=np.int64).reshape(-1, 2).T.copy()
    for change, at in steps:
        if change > 0:
            inside = np.flatnonzero((starts < at) & (stops > at))
            starts += starts >= at
            stops += stops > at
            if inside.size:  # the one run the new position falls in is cut in two
                i = int(inside[0])
                starts = np.insert(starts, i + 1, at + 1)
                stops = np.insert(stops, i, at)
        else:
            starts -= starts > at
            stops -= stops > at
            kept = starts < stops
            starts, stops = starts[kept], stops[kept]
            touching = np.flatnonzero(starts[1:] == stops[:-1])  # (at most one pair)
            if touching.size:
                i = int(touching[0])
                starts, stops = np.delete(starts, i + 1), np.delete(stops, i)
    return tuple(zip(starts.tolist(), stops.tolist(), strict=True))


_ABSENT: object = object()


class ShiftedRuns(Mapping[int, Runs]):
    """Each kind's merged runs: a base mapping (a dict built with the taxonomy, or a column of
    a saved index) read through the position steps taken since, and the runs edits wrote
    (each with the number of steps it has seen; None where a kind's entry was dropped).

    A kind's runs are replayed through the steps it has not seen when first read, then
    remembered by this mapping (not by the ones made from it), so a step costs nothing until
    a kind is read. Writing is for a mapping just made with :meth:`over` or :meth:`stepped`,
    before anyone reads it.

    >>> runs = ShiftedRuns.over({7: ((0, 2), (5, 6))}).stepped(1, 1)
    >>> runs[7], 7 in runs, runs.get(8)
    (((0, 1), (2, 3), (6, 7)), True, None)
    >>> runs[8] = ((1, 2),)
    >>> sorted(runs.stepped(-1, 0).items())
    [(7, ((1, 2), (5, 6))), (8, ((0, 1),))]
    """

    __slots__ = ("_all", "_base", "_read", "_steps", "_written")
    #: Steps past which one pass over every kind folds them into a new base.
    FOLD_AT = 256
    #: Written kinds past which they are folded in too.
    WRITTEN_AT = 2_000

    def __init__(
        self,
        base: Mapping[int, Runs],
        steps: tuple[Step, ...] = (),
        written: dict[int, tuple[Runs | None, int]] | None = None,
    ) -> None:
        self._base = base
        self._steps = steps
        self._written: dict[int, tuple[Runs | None, int]] = written or {}
        self._read: dict[int, Runs | None] = {}
        self._all: dict[int, Runs] | None = None  # every kind's, once asked for

    @classmethod
    def over(cls, runs: Mapping[int, Runs]) -> ShiftedRuns:
        """A writable copy of ``runs``, which stay as they are."""
        if not isinstance(runs, ShiftedRuns):
            return cls(runs)
        if len(runs._steps) >= cls.FOLD_AT or len(runs._written) >= cls.WRITTEN_AT:
            return cls(runs.folded())
        return cls(runs._base, runs._steps, dict(runs._written))

    def stepped(self, change: int, at: int) -> ShiftedRuns:
        """A writable copy with one more step (see :data:`Step`)."""
        copy = ShiftedRuns.over(self)
        return ShiftedRuns(copy._base, (*copy._steps, (change, at)), copy._written)

    def get(self, kind: int, default: object = None) -> Runs | None:  # type: ignore[override]
        found = self._read.get(kind, _ABSENT)
        if found is _ABSENT:
            written = self._written.get(kind)
            if written is None:
                base, seen = self._base.get(kind), 0
            else:
                base, seen = written
            steps = self._steps[seen:]
            found = base if base is None or not steps else replayed(base, steps) or None
            self._read[kind] = found  # type: ignore[assignment]
        return default if found is None else found  # type: ignore[return-value]

    def __getitem__(self, kind: int) -> Runs:
        found = self.get(kind)
        if found is None:
            raise KeyError(kind)
        return found

    def __setitem__(self, kind: int, runs: Runs) -> None:
        self._written[kind] = (runs, len(self._steps))
        self._read.pop(kind, None)
        self._all = None

    def pop(self, kind: int, default: object = None) -> object:
        """Drop ``kind``'s entry (its tree interval covers it all)."""
        found = self.get(kind)
        self._written[kind] = (None, len(self._steps))
        self._read.pop(kind, None)
        self._all = None
        return default if found is None else found

    def __contains__(self, kind: object) -> bool:
        return isinstance(kind, int) and self.get(kind) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(self.folded())

    def __len__(self) -> int:
        return len(self.folded())

    def items(self) -> ItemsView[int, Runs]:  # type: ignore[override]
        """Every kind's runs, replayed all at once (:meth:`folded`)."""
        return self.folded().items()

    def folded(self) -> dict[int, Runs]:
        """Every kind's runs as a dict: the base's replayed together, each step one pass in
        numpy over all their boundaries (a kind at a time costs a Python call per kind and
        step: minutes at a million kinds), the written ones one by one."""
        if self._all is not None:
            return self._all
        written = self._written
        base = [(kind, runs) for kind, runs in self._base.items() if kind not in written]
        found = _replayed_together(base, self._steps)
        for kind in written:
            runs = self.get(kind)
            if runs is not None:
                found[kind] = runs
        self._all = found
        return found


def _replayed_together(kinds: list[tuple[int, Runs]], steps: Sequence[Step]) -> dict[int, Runs]:
    """Many kinds' runs after the steps, as :func:`replayed` gives each.

    >>> kinds, steps = [(1, ((0, 2), (3, 6))), (2, ((4, 5),))], [(1, 4), (-1, 0)]
    >>> _replayed_together(kinds, steps) == {k: replayed(r, steps) for k, r in kinds}
    True
    """
    if not steps:
        return dict(kinds)
    counts = np.fromiter((len(runs) for _, runs in kinds), dtype=np.int64, count=len(kinds))
    owners = np.repeat(np.arange(len(kinds), dtype=np.int64), counts)
    flat = np.fromiter(
        (b for _, runs in kinds for run in runs for b in run),
        dtype=np.int64,
        count=2 * int(counts.sum()),
    )
    starts, stops = flat[0::2].copy(), flat[1::2].copy()
    for change, at in steps:
        if change > 0:
            inside = np.flatnonzero((starts < at) & (stops > at))
            starts += starts >= at
            stops += stops > at
            if inside.size:  # each run the new position falls in is cut in two
                starts = np.insert(starts, inside + 1, at + 1)
                tails = stops[inside]
                stops[inside] = at
                stops = np.insert(stops, inside + 1, tails)
                owners = np.insert(owners, inside + 1, owners[inside])
        else:
            starts -= starts > at
            stops -= stops > at
            kept = starts < stops
            starts, stops, owners = starts[kept], stops[kept], owners[kept]
    if len(starts) > 1:  # runs of one kind that now touch become one
        joined = (owners[1:] == owners[:-1]) & (starts[1:] == stops[:-1])
        if joined.any():
            first = np.concatenate([[True], ~joined])
            last = np.concatenate([~joined, [True]])
            starts, stops, owners = starts[first], stops[last], owners[first]
    found: dict[int, Runs] = {}
    bounds = np.searchsorted(owners, np.arange(len(kinds) + 1))
    starts_list, stops_list = starts.tolist(), stops.tolist()
    for index, (kind, _) in enumerate(kinds):
        low, high = bounds[index], bounds[index + 1]
        if low < high:
            found[kind] = tuple(zip(starts_list[low:high], stops_list[low:high], strict=True))
    return found
