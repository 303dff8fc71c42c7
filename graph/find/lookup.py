"""Finding a concept from what a person types: id, IRI, CURIE or any label.

A reference is tried against tiers in order, and the first tier with a match
decides: full IRI, CURIE, id, the retired IRI (or id) of a merged concept, preferred
label as written (same case), then id, preferred label and alternative label (and
labels in other languages) with case folded. So "LLaMA" names the concept whose
preferred label is "LLaMA", even when another is labelled "Llama" or has the id
``llama``; "LLAMA" matches both labels only when folded, and the folded id decides.
Where several concepts carry the label as written (ours and an imported ontology's
"GPT-4"), the one whose id it is wins, as the id tier would have decided. Otherwise
two matches within the deciding tier are ambiguous (:class:`AmbiguousConcept` lists
them). Every tier is a dictionary look-up, plus a comparison with the few labels
that share a folded key: no scans.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import (
    Callable,
    Collection,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from functools import cached_property
from heapq import merge
from itertools import filterfalse, islice
from typing import Any

from rapidfuzz import fuzz, process

from graph import vocabulary as V
from graph.curies import expand
from graph.errors import AmbiguousConcept, ConceptNotFound

__all__ = [
    "MAX_REFERENCE",
    "ConceptResolver",
    "LayeredKeys",
    "LayeredList",
    "LayeredSorted",
    "label_keys",
    "nodes_in",
    "normalise",
]

#: References and search texts longer than this are matched only as exact IRIs: no label
#: is that long, and normalising or fuzzy-matching a megabyte would take seconds.
MAX_REFERENCE = 1000

#: A label index: one node, or a tuple of nodes where several share the key.
LabelIndex = Mapping[str, "int | tuple[int, ...]"]
_Nodes = int | tuple[int, ...]
_GONE: Any = object()  # a key an edit removed


class LayeredKeys(MutableMapping[Any, Any]):
    """A column (label keys, a per-node column) as a shared base, never changed, and the keys
    edits changed above it.

    An edit changes a handful of keys: copying 200,000 of them per edit would cost more than
    the edit, and a base read from a mapped saved index cannot be written. Writes go to the
    layer; a layer over a layer shares the same base, until the changed keys pass
    :attr:`COMPACT_AT` and one copy folds them in.
    """

    __slots__ = ("_base", "_changed")
    COMPACT_AT = 2_000

    def __init__(self, base: Mapping[Any, Any], changed: dict[Any, Any] | None = None) -> None:
        self._base = base
        self._changed: dict[Any, Any] = changed or {}

    @classmethod
    def over(cls, keys: Mapping[Any, Any]) -> LayeredKeys:
        """A writable layer over ``keys``, which stays as it is."""
        if not isinstance(keys, LayeredKeys):
            return cls(keys)
        if len(keys._changed) < cls.COMPACT_AT:
            return cls(keys._base, dict(keys._changed))
        return cls(dict(keys.items()))

    def get(self, key: Any, default: Any = None) -> Any:
        found = self._changed.get(key, _ABSENT)
        if found is _ABSENT:
            return self._base.get(key, default)
        return default if found is _GONE else found

    def __getitem__(self, key: Any) -> Any:
        found = self.get(key, _ABSENT)
        if found is _ABSENT:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._changed[key] = value

    def __delitem__(self, key: Any) -> None:
        if self.get(key, _ABSENT) is _ABSENT:
            raise KeyError(key)
        self._changed[key] = _GONE

    def __iter__(self) -> Iterator[Any]:
        changed = self._changed
        yield from (key for key in self._base if key not in changed)
        yield from (key for key, value in changed.items() if value is not _GONE)

    def __len__(self) -> int:
        base, changed = self._base, self._changed
        added = sum(1 for k, v in changed.items() if v is not _GONE and k not in base)
        return len(base) + added - sum(1 for k, v in changed.items() if v is _GONE and k in base)

    def items(self) -> ItemsView[Any, Any]:
        """Every item, the base's read as its own ``items`` reads them (a mapped column's
        without remembering them), the changed ones from the layer."""
        return _LayeredItems(self)


class _LayeredItems(ItemsView[Any, Any]):
    _mapping: LayeredKeys

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        changed = self._mapping._changed
        yield from ((k, v) for k, v in self._mapping._base.items() if k not in changed)
        yield from ((k, v) for k, v in changed.items() if v is not _GONE)


_ABSENT: Any = object()


class LayeredList(Sequence[Any]):
    """A column read by node number (labels built in memory) as a shared base, never changed,
    and the items edits replaced or appended above it: copying two million labels per edit
    costs tens of milliseconds. Past :attr:`LayeredKeys.COMPACT_AT` items, one copy folds
    them in.

    >>> column = LayeredList.over(["a", None, "c"], {1: "b"})
    >>> column[1], list(column), len(column), LayeredList.over(column, {0: None})[:2]
    ('b', ['a', 'b', 'c'], 3, [None, 'b'])
    >>> list(LayeredList.over(column, {3: "d"}))  # appended after the base
    ['a', 'b', 'c', 'd']
    """

    __slots__ = ("_base", "_changed", "_size")

    def __init__(
        self, base: Sequence[Any], changed: dict[int, Any], size: int | None = None
    ) -> None:
        self._base = base
        self._changed = changed
        self._size = max(len(base), max(changed, default=-1) + 1) if size is None else size

    @classmethod
    def over(
        cls, column: Sequence[Any], items: Mapping[int, Any], size: int | None = None
    ) -> LayeredList:
        """``column`` with ``items`` replaced (or appended, numbered on from its end), cut to
        ``size`` items where given (the last nodes removed); ``column`` stays as it is."""
        if size is None:
            size = max(len(column), max(items, default=-1) + 1)
        if isinstance(column, LayeredList):
            layer = column
            column, items = layer._base, {**layer._changed, **items}
        items = {node: value for node, value in items.items() if node < size}
        if len(items) > LayeredKeys.COMPACT_AT:
            column = list(column[:size]) if isinstance(column, list) else list(column)[:size]
            column.extend([None] * (size - len(column)))
            for node, value in items.items():
                column[node] = value
            items = {}
        return cls(column, items, size)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        found = self._changed.get(index, _ABSENT)
        return self._base[index] if found is _ABSENT else found

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        changed, base, size = self._changed, self._base, self._size
        for node, value in zip(range(size), base, strict=False):  # base may be longer
            yield changed.get(node, value)
        for node in range(len(base), size):
            yield changed[node]


class LayeredSorted(Collection[Any]):
    """A sorted collection of distinct items (label keys, words) as a shared base, never
    changed -- a list, or a column mapped from a saved file -- and the items edits added and
    removed beside it. Read in order from a given item on (:meth:`starting_at`): a prefix
    scan never copies the base. Past :attr:`LayeredKeys.COMPACT_AT` changes, one copy folds
    them into a list.

    >>> words = LayeredSorted(["alpha", "beta", "gamma"]).changed(added=["bet"], removed=["beta"])
    >>> list(words.starting_at("b")), len(words), "beta" in words
    (['bet', 'gamma'], 3, False)
    """

    __slots__ = ("_added", "_base", "_removed")

    def __init__(
        self,
        base: Sequence[Any],
        added: list[Any] | None = None,
        removed: frozenset[Any] = frozenset(),
    ) -> None:
        self._base = base
        self._added: list[Any] = added or []  # sorted, none of them in the base
        self._removed = removed  # items of the base

    def changed(self, added: Iterable[Any] = (), removed: Iterable[Any] = ()) -> LayeredSorted:
        """This collection with ``removed`` taken out and then ``added`` put in (an item
        already in, or not in, is left as it is); this one stays as it is."""
        now, gone = list(self._added), set(self._removed)
        for item in removed:
            at = bisect_left(now, item)
            if at < len(now) and now[at] == item:
                del now[at]
            elif self._in_base(item):
                gone.add(item)
        for item in added:
            if item in gone:
                gone.discard(item)
            elif not self._in_base(item):
                at = bisect_left(now, item)
                if at == len(now) or now[at] != item:
                    now.insert(at, item)
        layered = LayeredSorted(self._base, now, frozenset(gone))
        if len(now) + len(gone) > LayeredKeys.COMPACT_AT:
            return LayeredSorted(list(layered))
        return layered

    def starting_at(self, item: Any) -> Iterator[Any]:
        """The items from the first not before ``item`` on, in order."""
        base = self._base
        found: Iterator[Any] = map(base.__getitem__, range(bisect_left(base, item), len(base)))
        if self._removed:
            found = filterfalse(self._removed.__contains__, found)
        if self._added:
            added = self._added
            found = merge(found, islice(added, bisect_left(added, item), None))
        return found

    def folded(self) -> Sequence[Any]:
        """Every item in order: the base itself when nothing is changed, else a list."""
        return self._base if not self._added and not self._removed else list(self)

    def _in_base(self, item: Any) -> bool:
        base = self._base
        at = bisect_left(base, item)
        return at < len(base) and base[at] == item

    def __contains__(self, item: object) -> bool:
        if item in self._removed:
            return False
        at = bisect_left(self._added, item)
        return (at < len(self._added) and self._added[at] == item) or self._in_base(item)

    def __iter__(self) -> Iterator[Any]:
        if not self._added and not self._removed:
            return iter(self._base)
        found = filterfalse(self._removed.__contains__, self._base)
        return merge(found, self._added) if self._added else found

    def __len__(self) -> int:
        return len(self._base) - len(self._removed) + len(self._added)


def normalise(text: str) -> str:
    """Fold case, Unicode compatibility forms and runs of white space.

    >>> normalise("  Large   Language MODELS ")
    'large language models'
    """
    if text.isascii():  # NFKC leaves ASCII alone, and casefold is lower there: the fast path
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


class ConceptResolver:
    """Resolves references to node numbers, and suggests labels for unknown ones."""

    def __init__(
        self,
        node_of: Mapping[str, int],
        labels: Sequence[str | None],
        label_keys: tuple[LabelIndex, LabelIndex],
        prefixes: Mapping[str, str],
        describe: Callable[[int], str],
        mapped: Sequence[Mapping[str, tuple[int, ...]]] = (),
        replaced: Mapping[str, int] | None = None,
    ) -> None:
        self._node_of = node_of
        self._replaced = replaced or {}
        self._mapped = mapped
        self._labels = labels
        self._prefixes = dict(prefixes)
        self._describe = describe
        self._by_label, self._by_alt = label_keys

    def find(self, reference: str) -> int | None:
        """The node a reference names, ``None`` when nothing matches.

        Raises :class:`AmbiguousConcept` when the deciding tier holds several concepts.
        """
        node = self._node_of.get(reference)
        if node is not None or len(reference) > MAX_REFERENCE:
            return node
        if ":" not in reference:  # no IRI or CURIE: the id tier is the first that can match
            node = self._node_of.get(V.CONCEPT_NS + reference)
            if node is not None:
                return node
        folded = normalise(reference)
        id_key = V.CONCEPT_NS + folded.replace(" ", "-")
        tiers: tuple[Callable[[], int | tuple[int, ...] | None], ...] = (
            *(lambda m=m: _single(m.get(reference)) for m in self._mapped),
            lambda: self._curie_match(reference),
            lambda: self._node_of.get(V.CONCEPT_NS + reference),
            lambda: self._replaced_match(reference),
            lambda: self._exact_label(reference, folded, id_key),
            lambda: self._node_of.get(id_key),
            lambda: self._by_label.get(folded),
            lambda: self._by_alt.get(folded),
        )
        for tier in tiers:
            matches = tier()
            if isinstance(matches, int):
                return matches
            if matches:
                raise AmbiguousConcept(reference, [self._describe(n) for n in matches])
        return None

    def resolve(self, reference: str) -> int:
        """Like :meth:`find`, but an unknown reference raises :class:`ConceptNotFound`."""
        node = self.find(reference)
        if node is None:
            raise ConceptNotFound(reference, self.suggest(reference))
        return node

    def suggest(self, reference: str, limit: int = 5) -> list[str]:
        """Labels of the concepts closest in spelling to ``reference``, best first."""
        if len(reference) > MAX_REFERENCE:
            return []
        matches = process.extract(
            normalise(reference), self.keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60
        )
        labels: dict[str, None] = {}
        for key, _score, _position in matches:
            for node in self.nodes_for(key):
                labels.setdefault(self._labels[node] or self._describe(node))
        return list(labels)[:limit]

    @cached_property
    def keys(self) -> LayeredSorted:
        """Every label key, sorted; built on the first search or suggestion, not at load."""
        return LayeredSorted(sorted({*self._by_label, *self._by_alt}))

    def carry_keys(self, keys: LayeredSorted) -> None:
        """Take ``keys`` as :attr:`keys`: another resolver's, patched for an edit (sorted, and
        exactly the keys of this resolver's label indexes)."""
        self.__dict__["keys"] = keys

    def nodes_for(self, key: str) -> tuple[int, ...]:
        """The nodes whose preferred or other label has this normalised key."""
        preferred, other = self._by_label.get(key), self._by_alt.get(key)
        if other is None:  # most keys: one label of one node
            return (preferred,) if isinstance(preferred, int) else preferred or ()
        return (*nodes_in(preferred), *nodes_in(other))

    def _exact_label(
        self, reference: str, folded: str, id_key: str
    ) -> int | tuple[int, ...] | None:
        """The concepts whose preferred label is ``reference`` as written (white space aside).

        Only the concepts sharing the folded key are compared, so this costs one look-up.
        Of several, the one whose id is the folded reference (``id_key``) wins.
        """
        candidates = nodes_in(self._by_label.get(folded))
        if not candidates:
            return None
        written = " ".join(reference.split())
        labels = self._labels
        exact = tuple(n for n in candidates if " ".join((labels[n] or "").split()) == written)
        by_id = self._node_of.get(id_key)
        return by_id if len(exact) > 1 and by_id in exact else _single(exact)

    def _replaced_match(self, reference: str) -> int | None:
        """The concept that replaced a merged one, named by the old IRI, CURIE or id."""
        if not self._replaced:
            return None
        iri = expand(reference, self._prefixes) or reference
        found = self._replaced.get(iri)
        return found if found is not None else self._replaced.get(V.CONCEPT_NS + reference)

    def _curie_match(self, reference: str) -> int | None:
        iri = expand(reference, self._prefixes)
        return None if iri is None else self._node_of.get(iri)


def _single(found: tuple[int, ...] | None) -> int | tuple[int, ...] | None:
    """One node as an int, several as a tuple (ambiguous), none as None."""
    if not found:
        return None
    return found[0] if len(found) == 1 else found


def nodes_in(found: int | tuple[int, ...] | None) -> tuple[int, ...]:
    if found is None:
        return ()
    return (found,) if isinstance(found, int) else found


def label_keys(
    labels: Sequence[str | None],
    alt_labels: Mapping[int, Iterable[str]],
    translations: Mapping[int, Iterable[tuple[str, str]]] | None = None,
) -> tuple[LabelIndex, LabelIndex]:
    """The normalised preferred labels, and the alternative and translated labels, mapped to
    node(s)."""
    by_label = _index((normalise(label), n) for n, label in enumerate(labels) if label)
    translated = (
        (normalise(text), n) for n, pairs in (translations or {}).items() for _, text in pairs
    )
    alternative = ((normalise(a), n) for n, alts in alt_labels.items() for a in alts)
    by_alt = _index(
        pair for pair in (*alternative, *translated) if by_label.get(pair[0]) != pair[1]
    )
    return by_label, by_alt


def _index(pairs: Iterable[tuple[str, int]]) -> dict[str, _Nodes]:
    index: dict[str, _Nodes] = {}
    for key, node in pairs:
        found = index.get(key)
        if found is None:
            index[key] = node
        elif isinstance(found, int):
            if found != node:
                index[key] = (found, node)
        elif node not in found:
            index[key] = (*found, node)
    for key, found in index.items():  # several nodes in node order, whatever the files' order
        if isinstance(found, tuple):
            index[key] = tuple(sorted(found))
    return index
