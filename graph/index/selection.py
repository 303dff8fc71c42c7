"""What a filtered list keeps, as numpy masks over every node, combined with ``&``.

Each filter is one vectorised pass: slices of the pre-order columns for ``under``, rows
of a per-predicate index for relations, a column of release days for dates. None walks RDF
or loops over the graph in Python; the cost is linear in the nodes at worst (numpy, about
10 ns a node), and is charged as such (api/graphql/cost.py).

>>> from graph.index.taxonomy import Taxonomy
>>> from graph.index.build import GraphIndex, Relation
>>> iris = ["company", "lab", "llm", "model"]
>>> made = Relation("model", "dev", "lab")
>>> index = GraphIndex(iris=iris, node_of={iri: n for n, iri in enumerate(iris)},
...     labels=iris, alt_labels={}, definitions={}, sources={},
...     taxonomy=Taxonomy(4, [2], [], [(3, 2)]),
...     relations_out={1: (Relation("lab", V.PART_OF, "company"),), 3: (made,)},
...     relations_in={0: (Relation("lab", V.PART_OF, "company"),), 1: (made,)},
...     predicate_labels={}, prefixes={})
>>> selector = Selector(index)
>>> selector.related_to("dev", 0).nonzero()[0].tolist()  # made by a part of the company
[3]
>>> selector.under(2).nonzero()[0].tolist()  # an example of the llm kind
[3]
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

import numpy as np

from graph import vocabulary as V
from graph.dates import period_end
from graph.find.lookup import LayeredList, normalise
from graph.index.build import FactRow, GraphIndex
from graph.index.numbers import model_numbers
from graph.index.packed_rows import Rows

__all__ = ["MAX_CARRIED", "Selector", "next_carry"]

T = TypeVar("T")

_UNDATED = -1
#: The most nodes the edits since a selector's columns were built may touch for them to be
#: patched rather than built again.
MAX_CARRIED = 2_000
#: The columns a selector builds on first use (see :meth:`Selector.carry_over`).
_COLUMNS = (
    "_is_kind",
    "_objects_to_subjects",
    "release_days",
    "_release_days",
    "parameter_counts",
    "labels",
)


def next_carry(
    previous: T, built: bool, pending: tuple[T, frozenset[int]] | None, touched: Collection[int]
) -> tuple[T, frozenset[int]] | None:
    """What the graph an edit made carries over from ``previous`` (a selector, a graph's
    orders): ``previous`` itself when it has built something (``built``), with the edit's
    ``touched`` nodes; else the base ``previous`` carries (``pending``), the touched nodes
    added up; None when there is none, or past :data:`MAX_CARRIED` nodes."""
    if built:
        base, nodes = previous, frozenset(touched)
    elif pending is not None:
        base, earlier = pending
        nodes = earlier | frozenset(touched)
    else:
        return None
    return (base, nodes) if len(nodes) <= MAX_CARRIED else None


class Selector:
    """Builds the mask of one filter at a time over one index (read-only, built lazily)."""

    def __init__(self, index: GraphIndex) -> None:
        self._index = index
        self._size = len(index.iris)
        self._carried: tuple[Selector, frozenset[int]] | None = None

    def carry_over(self, previous: Selector, touched: Collection[int]) -> None:
        """Take ``previous``'s columns, where built, for this selector's first use, patched
        for the ``touched`` nodes (an edit's subjects and objects, and the nodes it appended
        or renumbered; the same numbering in both) instead of built again from every node
        (seconds at a million kinds).

        When ``previous`` has built none but carries another's, that one stays the base and
        the touched nodes add up (past :data:`MAX_CARRIED`, nothing is carried). A
        ``previous`` with columns becomes the base and lets go of its own: a column it has
        not patched yet is built whole if it is ever asked, so no chain of graphs is kept."""
        built = previous._has_built()
        self._carried = next_carry(previous, built, previous._carried, touched)
        if built:
            previous._carried = None

    def in_use(self) -> bool:
        """Whether some column is built or taken, or carried over to be patched."""
        return self._carried is not None or self._has_built()

    def _has_built(self) -> bool:
        """Whether some column is built (or taken) in this selector itself."""
        return any(name in self.__dict__ for name in _COLUMNS)

    def _derived(self, name: str) -> tuple[Any, frozenset[int], Selector] | None:
        """The carried base's built column ``name``, the nodes touched since and the base; or
        None (build it from every node). Read once per column: another thread may let the
        carried base go meanwhile (:meth:`warm`, :meth:`carry_over`)."""
        carried = self._carried
        built = None if carried is None else carried[0].__dict__.get(name)
        return None if carried is None or built is None else (built, carried[1], carried[0])

    def everything(self) -> np.ndarray:
        return np.ones(self._size, dtype=bool)

    def kinds(self, wanted: bool) -> np.ndarray:
        """The kinds (``wanted`` True) or the named examples."""
        return self._is_kind.copy() if wanted else ~self._is_kind

    def under(self, node: int) -> np.ndarray:
        """Sub-kinds of ``node`` and the named examples of it or of them; never ``node``."""
        return self._mask(*self._index.taxonomy.below(node))

    def related_to(self, predicate: str, node: int) -> np.ndarray:
        """Subjects of a ``predicate`` edge to ``node`` or to anything part of it, transitively;
        of a member-of-family edge, to ``node`` or any series in it, at any depth (a model of
        Llama 3 is in the Llama family)."""
        rows = self._objects_to_subjects.get(predicate)
        if rows is None:
            return np.zeros(self._size, dtype=bool)
        below = (V.PART_OF, V.MEMBER_OF_FAMILY) if predicate == V.MEMBER_OF_FAMILY else (V.PART_OF,)
        subjects = [np.frombuffer(rows[t], dtype=np.int32) for t in self.parts(node, below)]
        return self._mask(*subjects)

    def parts(self, node: int, predicates: Sequence[str] = (V.PART_OF,)) -> list[int]:
        """``node`` and everything joined to it by one of ``predicates`` (``aikgs:partOf``
        unless told), transitively, nearest first."""
        walked = [r for p in predicates if (r := self._objects_to_subjects.get(p)) is not None]
        found = [node]
        seen = {node}
        for whole in found:  # grows while we walk it
            for rows in walked:
                for part in rows[whole]:
                    if part not in seen:
                        seen.add(part)
                        found.append(part)
        return found

    def released(self, after: date | None, before: date | None) -> np.ndarray:
        """Dated nodes whose release (counted at its period's end) is after ``after`` and
        before ``before`` (both exclusive; None: no bound)."""
        days = self._release_days
        keep = days != _UNDATED
        if after is not None:
            keep &= days > after.toordinal()
        if before is not None:
            keep &= days < before.toordinal()
        return keep

    def released_among(self, nodes: np.ndarray, by: date) -> np.ndarray:
        """Those of ``nodes`` released by the day ``by`` (inclusive, as "as of" reads)."""
        days = self._release_days[nodes]
        return nodes[(days != _UNDATED) & (days <= by.toordinal())]

    # --- built once, on first use ------------------------------------------------------

    def warm(self) -> None:
        """Build now every column otherwise built on the first filter."""
        for name in _COLUMNS:
            getattr(self, name)
        self._carried = None  # every column is derived: the base can go

    def built(self) -> dict[str, Any]:
        """Every column :meth:`warm` builds, by name, to be saved (see :meth:`take_built`)."""
        self.warm()
        return {name: self.__dict__[name] for name in _COLUMNS}

    def take_built(self, built: Mapping[str, Any]) -> None:
        """Take the columns :meth:`built` gave, of a selector over the same index, instead of
        building them."""
        self.__dict__.update({name: built[name] for name in _COLUMNS})
        self._carried = None

    @cached_property
    def _is_kind(self) -> np.ndarray:
        taxonomy = self._index.taxonomy
        found = self._derived("_is_kind")
        if found is not None:
            built, touched, _ = found
            is_kind = _grown(built, self._size, False)
            for node in touched:
                if node < self._size:  # (a node past it was removed)
                    is_kind[node] = taxonomy.is_kind(node)
            return is_kind  # type: ignore[no-any-return]
        return np.fromiter(map(taxonomy.is_kind, range(self._size)), dtype=bool, count=self._size)

    @cached_property
    def _objects_to_subjects(self) -> dict[str, Rows]:
        """Per predicate, each object's subjects: one pass over the relations."""
        found = self._derived("_objects_to_subjects")
        if found is not None:
            return self._patched_objects_to_subjects(*found)
        # raw integer arrays, not lists of Python ints (16 bytes a pair); the relations are
        # read without being remembered (NodeColumn.items), which is what held 575 MB at a
        # million relations
        pairs: dict[str, array] = defaultdict(lambda: array("q"))
        node_of = self._index.node_of
        for subject, edges in self._index.relations_out.items():
            for edge in edges:
                pairs[edge.predicate].extend((node_of[edge.object], subject))
        return {
            predicate: Rows.from_arrays(self._size, flat[0::2], flat[1::2])
            for predicate, flat in ((p, np.frombuffer(f, dtype=np.int64)) for p, f in pairs.items())
        }

    @cached_property
    def release_days(self) -> dict[int, int]:
        """Each dated node's release as a day number, counted at the end of its period, as
        "as of" does (an unreadable date counts as none)."""
        return self._values("release_days", self._index.released, lambda _, found: _day(found))

    @cached_property
    def parameter_counts(self) -> dict[int, int]:
        """Each model's published parameter count, read as its ``parameters`` field is (a
        count that is not an integer raises :class:`~graph.errors.InvalidData`)."""
        iris = self._index.iris

        def count_of(node: int, rows: tuple[FactRow, ...] | None) -> int | None:
            return None if rows is None else model_numbers(iris[node], rows).parameters

        return self._values("parameter_counts", self._index.field_literals, count_of)

    def _values(
        self,
        name: str,
        column: Mapping[int, T],
        value_of: Callable[[int, T | None], int | None],
    ) -> dict[int, int]:
        """Column ``name``: each node's value read from its entry of the index's ``column``,
        for the nodes that have one; the carried base's column with the touched nodes read
        again, when there is one. The whole column is read in one pass (a mapped column
        does not keep what it read)."""
        found = self._derived(name)
        if found is None:
            values = {}
            for node, entry in column.items():
                value = value_of(node, entry)
                if value is not None:
                    values[node] = value
            return values
        built, touched, _ = found
        values = dict(built)
        for node in touched:
            value = value_of(node, column.get(node))
            if value is None:
                values.pop(node, None)
            else:
                values[node] = value
        return values

    @cached_property
    def labels(self) -> Sequence[str]:
        """Every node's preferred label, case- and space-folded (its IRI when it has none)."""
        labels, iris = self._index.labels, self._index.iris
        found = self._derived("labels")
        if found is not None:
            built, touched, _ = found
            size = self._size
            folded = {n: normalise(labels[n] or iris[n]) for n in touched if n < size}
            return LayeredList.over(built, folded, size)
        return [normalise(label or iri) for label, iri in zip(labels, iris, strict=True)]

    @cached_property
    def _release_days(self) -> np.ndarray:
        derived = self._derived("_release_days")
        if derived is not None:
            built, touched, _ = derived
            days = _grown(built, self._size, _UNDATED)
            released = self.release_days
            for node in touched:
                if node < self._size:
                    days[node] = released.get(node, _UNDATED)
            return days  # type: ignore[no-any-return]
        days = np.full(self._size, _UNDATED, dtype=np.int64)
        found = self.release_days
        days[list(found)] = list(found.values())
        return days

    def _patched_objects_to_subjects(
        self, built: dict[str, Rows], touched: frozenset[int], base: Selector
    ) -> dict[str, Rows]:
        """The base's relation rows with the touched subjects' edges as they are now.

        A touched number may name another concept now (the last node takes a removed
        concept's number): its row moves with it, and as a subject it leaves the rows of the
        objects it had and joins those of the objects the new holder has."""
        before, after = base._index, self._index
        renamed = {}  # old number -> new number (None: removed) of the concepts renumbered
        for node in touched:
            if node < len(before.iris):
                moved_to = after.node_of.get(before.iris[node])
                if moved_to != node:
                    renamed[node] = moved_to
        held = {new: old for old, new in renamed.items() if new is not None}

        def new_number(old: int) -> int | None:
            return renamed.get(old, old)

        changed: dict[str, dict[int, set[int]]] = defaultdict(dict)

        def row(predicate: str, obj: int) -> set[int]:
            """Object ``obj``'s subjects (its number now) as being patched."""
            rows = changed[predicate]
            if obj not in rows:
                found = built.get(predicate)
                old = held.get(obj, obj if obj not in renamed else None)
                subjects: list[int] = [] if found is None or old is None else found[old].tolist()
                rows[obj] = {n for s in subjects if (n := new_number(s)) is not None}
            return rows[obj]

        size = self._size
        for predicate in built:  # the rows of renumbered objects follow them
            for number in {*held, *(old for old in renamed if old < size)}:
                row(predicate, number)
        edges: list[tuple[int, set[tuple[str, int]], set[tuple[str, int]]]] = []
        for subject in touched:  # (the concept it named, where it went, the one it names)
            was: set[tuple[str, int]] = set()
            if subject < len(before.iris):
                for e in before.relations_out.get(subject, ()):
                    target = new_number(before.node_of[e.object])
                    if target is not None:
                        was.add((e.predicate, target))
            now: set[tuple[str, int]] = set()
            if subject < size:
                now = {
                    (e.predicate, after.node_of[e.object])
                    for e in after.relations_out.get(subject, ())
                }
            edges.append((subject, was, now))
        for subject, was, _ in edges:  # every old edge out first, then every new one in
            holder = new_number(subject) if subject < len(before.iris) else None
            for predicate, obj in was:  # (a removed subject leaves as its row is read)
                row(predicate, obj).discard(holder)  # type: ignore[arg-type]
        for subject, _, now in edges:
            for predicate, obj in now:
                row(predicate, obj).add(subject)
        patched = {
            p: rows.grown(size - len(rows)) if size >= len(rows) else rows.truncated(size)
            for p, rows in built.items()
        }
        for predicate, rows in changed.items():
            found = patched.get(predicate)
            if found is None:
                empty = np.zeros(0, dtype=np.int64)
                found = Rows.from_arrays(size, empty, empty)
            patched[predicate] = found.replaced({o: r for o, r in rows.items() if o < size})
        return patched

    def _mask(self, *members: np.ndarray) -> np.ndarray:
        mask = np.zeros(self._size, dtype=bool)
        for found in members:
            mask[found] = True
        return mask


def _grown(column: np.ndarray, size: int, fill: Any) -> np.ndarray:
    """A copy of a per-node column, ``fill`` for the nodes appended since it was built, cut
    where nodes were removed."""
    grown = np.full(size, fill, dtype=column.dtype)
    kept = min(size, len(column))
    grown[:kept] = column[:kept]
    return grown


def _day(released: tuple[str, str] | None) -> int | None:
    """A release (lexical form, datatype) as the day number its period ends on, or None."""
    end = None if released is None else period_end(released[0])
    return None if end is None else end.toordinal()
