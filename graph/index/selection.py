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

from collections import defaultdict
from datetime import date
from functools import cached_property

import numpy as np

from graph import vocabulary as V
from graph.dates import period_end
from graph.find.lookup import normalise
from graph.index.build import GraphIndex
from graph.index.numbers import model_numbers
from graph.index.packed_rows import Rows

__all__ = ["Selector"]

_UNDATED = -1


class Selector:
    """Builds the mask of one filter at a time over one index (read-only, built lazily)."""

    def __init__(self, index: GraphIndex) -> None:
        self._index = index
        self._size = len(index.iris)

    def everything(self) -> np.ndarray:
        return np.ones(self._size, dtype=bool)

    def kinds(self, wanted: bool) -> np.ndarray:
        """The kinds (``wanted`` True) or the named examples."""
        return self._is_kind.copy() if wanted else ~self._is_kind

    def under(self, node: int) -> np.ndarray:
        """Sub-kinds of ``node`` and the named examples of it or of them; never ``node``."""
        return self._mask(*self._index.taxonomy.below(node))

    def related_to(self, predicate: str, node: int) -> np.ndarray:
        """Subjects of a ``predicate`` edge to ``node`` or to anything part of it, transitively."""
        rows = self._objects_to_subjects.get(predicate)
        if rows is None:
            return np.zeros(self._size, dtype=bool)
        subjects = [np.frombuffer(rows[t], dtype=np.int32) for t in self.parts(node)]
        return self._mask(*subjects)

    def parts(self, node: int) -> list[int]:
        """``node`` and everything ``aikgs:partOf`` it, transitively, nearest first."""
        rows = self._objects_to_subjects.get(V.PART_OF)
        found = [node]
        seen = {node}
        for whole in found:  # grows while we walk it
            for part in rows[whole] if rows is not None else ():
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
        _ = (self._is_kind, self._objects_to_subjects, self._release_days, self.labels)
        _ = self.parameter_counts

    @cached_property
    def _is_kind(self) -> np.ndarray:
        taxonomy = self._index.taxonomy
        return np.fromiter(map(taxonomy.is_kind, range(self._size)), dtype=bool, count=self._size)

    @cached_property
    def _objects_to_subjects(self) -> dict[str, Rows]:
        """Per predicate, each object's subjects: one pass over the relations."""
        pairs: dict[str, list[int]] = defaultdict(list)
        node_of = self._index.node_of
        for subject, edges in self._index.relations_out.items():
            for edge in edges:
                pairs[edge.predicate] += (node_of[edge.object], subject)
        return {
            predicate: Rows.from_arrays(self._size, flat[0::2], flat[1::2])
            for predicate, flat in ((p, np.array(f, dtype=np.int64)) for p, f in pairs.items())
        }

    @cached_property
    def release_days(self) -> dict[int, int]:
        """Each dated node's release as a day number, counted at the end of its period, as
        "as of" does (an unreadable date counts as none)."""
        ends = {node: period_end(lexical) for node, (lexical, _) in self._index.released.items()}
        return {node: end.toordinal() for node, end in ends.items() if end is not None}

    @cached_property
    def parameter_counts(self) -> dict[int, int]:
        """Each model's published parameter count, read as its ``parameters`` field is (a
        count that is not an integer raises :class:`~graph.errors.InvalidData`)."""
        iris = self._index.iris
        found: dict[int, int] = {}
        for node, rows in self._index.field_literals.items():
            count = model_numbers(iris[node], rows).parameters
            if count is not None:
                found[node] = count
        return found

    @cached_property
    def labels(self) -> list[str]:
        """Every node's preferred label, case- and space-folded (its IRI when it has none)."""
        pairs = zip(self._index.labels, self._index.iris, strict=True)
        return [normalise(label or iri) for label, iri in pairs]

    @cached_property
    def _release_days(self) -> np.ndarray:
        days = np.full(self._size, _UNDATED, dtype=np.int64)
        found = self.release_days
        days[list(found)] = list(found.values())
        return days

    def _mask(self, *members: np.ndarray) -> np.ndarray:
        mask = np.zeros(self._size, dtype=bool)
        for found in members:
            mask[found] = True
        return mask
