"""Index columns read in place from a memory-mapped file, shared by every process that maps it.

A saved index (:mod:`graph.index.persistence`) keeps its big columns as flat bytes; reopened,
they are views of the mapped file, so a restart reads no more than the pages it touches and
the workers of one host share those pages through the page cache. These read-only columns
stand in for the Python structures a build makes:

* :class:`StringColumn` for a list of strings (IRIs, labels): UTF-8 bytes and their offsets;
* :class:`NodeColumn` for a dict keyed by node number (definitions, relations, facts): sorted
  keys and each value pickled on its own, unpickled when asked for;
* :class:`KeyTable` for a dict keyed by string (label keys) and :class:`NodeNumbers` for the
  IRI → node table: string keys found by a stable hash (CRC-32) in a sorted column, no dict;
* for search's saved state (``warm.columns``): :class:`PairColumn` for sorted (word, label
  key) pairs, and :class:`KeyRows` for each word's label keys, as positions in the sorted keys.

Edits never write into a map: they copy a column (``list(...)``, ``bytearray(...)``) or layer
their few changes over it (:class:`graph.find.lookup.LayeredKeys`).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from bisect import bisect_left
from collections.abc import (
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    Sized,
    ValuesView,
)
from functools import partial
from itertools import chain, pairwise
from operator import methodcaller
from typing import Any, overload

import numpy as np

__all__ = [
    "KeyRows",
    "KeyTable",
    "NodeColumn",
    "NodeNumbers",
    "PairColumn",
    "StringColumn",
    "stable_hash",
]

#: The bytes standing for ``None`` in a string column (never valid UTF-8).
_NONE = b"\xff"
_ABSENT: Any = object()
_NOT_HERE: Any = object()  # a node a column has no value for, remembered as such


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (``hash`` is salted per process).

    >>> stable_hash("kind 1") == stable_hash("kind 1"), 0 <= stable_hash("kind 1") < 2**32
    (True, True)
    """
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _offsets(pieces: Sequence[Sized]) -> array:
    """Where each piece starts, and where the last ends, when they are laid end to end."""
    starts = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)), out=starts[1:])
    return array("q", starts.tobytes())


def _encoded(texts: Iterable[str | None]) -> list[bytes]:
    """Each text as UTF-8 bytes (lone surrogates kept), ``None`` as :data:`_NONE`."""
    texts = texts if isinstance(texts, list) else list(texts)
    if None in texts:
        return [_NONE if t is None else t.encode("utf-8", "surrogatepass") for t in texts]
    return list(map(_ENCODE, texts))


_ENCODE = methodcaller("encode", "utf-8", "surrogatepass")


def _row_type(values: list[Any]) -> type[tuple[Any, ...]] | None:
    """The named-tuple type of every row of every value, when the values are all tuples of
    one such type."""
    if not values or set(map(type, values)) != {tuple}:
        return None
    kinds = set(map(type, chain.from_iterable(values)))
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    return kind if issubclass(kind, tuple) and hasattr(kind, "_make") else None


def _plain_rows(value: tuple[tuple[Any, ...], ...]) -> tuple[tuple[Any, ...], ...]:
    return tuple(map(tuple, value))


_PICKLE = partial(pickle.dumps, protocol=5)


class StringColumn(Sequence["str | None"]):
    """A list of strings (or ``None``) kept as UTF-8 bytes and offsets; an item decodes on read.

    An edit's few new items are kept beside the bytes (:meth:`replaced`), never written in.

    >>> column = StringColumn.packed(["a", None, "né"])
    >>> column[2], column[1], list(column), len(column)
    ('né', None, ['a', None, 'né'], 3)
    >>> list(column.replaced({1: "b"})), list(column)
    (['a', 'b', 'né'], ['a', None, 'né'])
    """

    __slots__ = ("_bytes", "_changed", "_starts")

    def __init__(
        self,
        data: memoryview | bytes,
        starts: memoryview | array,
        changed: dict[int, str | None] | None = None,
    ) -> None:
        self._bytes = memoryview(data)
        self._starts = starts
        self._changed = changed

    def replaced(self, items: Mapping[int, str | None]) -> StringColumn:
        """This column with some items replaced, sharing its bytes."""
        return StringColumn(self._bytes, self._starts, {**(self._changed or {}), **items})

    @classmethod
    def packed(cls, texts: Iterable[str | None]) -> StringColumn:
        """The column of ``texts``, in memory (as saving writes it)."""
        pieces = _encoded(texts)
        return cls(b"".join(pieces), _offsets(pieces))

    def buffers(self) -> tuple[memoryview, memoryview | array]:
        """The UTF-8 bytes and the offsets (``len + 1`` of them), for saving."""
        if self._changed:
            return StringColumn.packed(self).buffers()
        return self._bytes, self._starts

    @overload
    def __getitem__(self, index: int) -> str | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[str | None]: ...
    def __getitem__(self, index: int | slice) -> str | list[str | None] | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        changed = self._changed
        if changed is not None and index in changed:
            return changed[index]
        starts = self._starts
        piece = self._bytes[starts[index] : starts[index + 1]]
        return None if piece == _NONE else str(piece, "utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __iter__(self) -> Iterator[str | None]:
        if self._changed:
            yield from (self[i] for i in range(len(self)))
            return
        data, starts = self._bytes, self._starts
        for start, stop in pairwise(starts):
            piece = data[start:stop]
            yield None if piece == _NONE else str(piece, "utf-8", "surrogatepass")


class NodeColumn(Mapping[int, Any]):
    """A dict keyed by node number: sorted keys, and each value pickled on its own.

    A value is unpickled when first asked for, then remembered by this process (as is its
    absence): a worker holds the values it has answered from, not the whole column. When every
    value is a tuple of one named-tuple type (``row_type``: relations, facts), the rows are
    pickled as plain tuples, and made that type again when read (pickling a named tuple
    runs Python code for each one, a large part of a million-kind save).

    >>> column = NodeColumn.packed({7: ("a",), 2: "b"})
    >>> column.get(7), column.get(3), sorted(column.items())
    (('a',), None, [(2, 'b'), (7, ('a',))])
    """

    __slots__ = ("_keys", "_read", "_starts", "_values", "row_type")

    def __init__(
        self,
        keys: memoryview | array,
        starts: memoryview | array,
        values: memoryview | bytes,
        row_type: type[tuple[Any, ...]] | None = None,
    ) -> None:
        self._keys, self._starts, self._values = keys, starts, memoryview(values)
        self.row_type = row_type
        self._read: dict[int, Any] = {}

    @classmethod
    def packed(cls, column: Mapping[int, Any]) -> NodeColumn:
        """The column of ``column``'s items, in memory (as saving writes it)."""
        keys = sorted(column)
        values: list[Any] = list(map(column.__getitem__, keys))
        row_type = _row_type(values)
        # Each row made a plain tuple just before it is pickled, never a second column of them.
        pieces = list(map(_PICKLE, values if row_type is None else map(_plain_rows, values)))
        return cls(array("q", keys), _offsets(pieces), b"".join(pieces), row_type)

    def buffers(self) -> tuple[memoryview | array, memoryview | array, memoryview]:
        """The sorted keys, the offsets of the pickled values, and their bytes, for saving."""
        return self._keys, self._starts, self._values

    def get(self, node: int, default: Any = None) -> Any:  # type: ignore[override]
        found = self._read.get(node, _ABSENT)
        if found is _ABSENT:
            keys = self._keys
            at = bisect_left(keys, node)
            if at == len(keys) or keys[at] != node:
                found = _NOT_HERE
            else:
                found = self._value_at(at)
            self._read[node] = found
        return default if found is _NOT_HERE else found

    def __getitem__(self, node: int) -> Any:
        found = self.get(node, _ABSENT)
        if found is _ABSENT:
            raise KeyError(node)
        return found

    def __contains__(self, node: object) -> bool:
        keys = self._keys
        at = bisect_left(keys, node)  # type: ignore[call-overload]
        return at < len(keys) and keys[at] == node

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def items(self) -> ItemsView[int, Any]:
        """Every (node, value) in node order, unpickled as read and not remembered: a
        filter's column or an export reads a whole column once, and at a million kinds the
        remembered values of one column held 300-600 MB in every worker that read it."""
        return _ScannedItems(self)

    def values(self) -> ValuesView[Any]:
        """Every value in node order, not remembered (see :meth:`items`)."""
        return _ScannedValues(self)

    def scan(self) -> Iterator[tuple[int, Any]]:
        """The items of :meth:`items`, one pass over the column."""
        read = self._read
        for at, node in enumerate(self._keys):
            found = read.get(node, _ABSENT)
            yield node, self._value_at(at) if found is _ABSENT else found

    def _value_at(self, at: int) -> Any:
        """The value of the ``at``-th key, unpickled (made rows of ``row_type`` again)."""
        found = pickle.loads(self._values[self._starts[at] : self._starts[at + 1]])
        if self.row_type is not None:
            found = tuple(map(self.row_type._make, found))  # type: ignore[attr-defined]
        return found


class _ScannedItems(ItemsView[int, Any]):
    """A node column's items view that reads its values without remembering them."""

    _mapping: NodeColumn

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return self._mapping.scan()


class _ScannedValues(ValuesView[Any]):
    """A node column's values view that reads them without remembering them."""

    _mapping: NodeColumn

    def __iter__(self) -> Iterator[Any]:
        return (value for _, value in self._mapping.scan())


class KeyTable(Mapping[str, "int | tuple[int, ...]"]):
    """A dict from strings to one node or a tuple of nodes, found by a stable hash.

    The keys are a :class:`StringColumn`; ``hashes`` is sorted, and ``order[i]`` is the position
    of the key whose hash is ``hashes[i]``. The value of key ``p`` is row ``p`` of ``values``
    (one node → an int, several → a tuple); without ``values`` it is ``p`` itself.

    >>> table = KeyTable.packed({"gpt": 3, "llama": (1, 2)})
    >>> table.get("gpt"), table.get("llama"), table.get("bert"), len(table)
    (3, (1, 2), None, 2)
    """

    __slots__ = ("_hashes", "_keys", "_order", "_starts", "_values")

    def __init__(
        self,
        keys: StringColumn,
        hashes: memoryview | array,
        order: memoryview | array,
        values: tuple[memoryview | array, memoryview | array] | None,
    ) -> None:
        self._keys, self._hashes, self._order = keys, hashes, order
        self._starts: memoryview | array | None = None
        self._values: memoryview | array | None = None
        if values is not None:
            self._starts, self._values = values

    @classmethod
    def packed(cls, table: Mapping[str, int | tuple[int, ...]] | Sequence[str]) -> KeyTable:
        """The table of a dict, or of a list of strings (each mapped to its position)."""
        if isinstance(table, Mapping):
            pieces = _encoded(list(table))
            keys = StringColumn(b"".join(pieces), _offsets(pieces))
            rows: list[tuple[int, ...]] = [
                (v,) if isinstance(v, int) else v for v in table.values()
            ]
            values = array("q", chain.from_iterable(rows))
            return cls(keys, *cls.hashed(pieces), (_offsets(rows), values))
        if isinstance(table, StringColumn):
            return cls(table, *cls.hashed(table), None)
        pieces = _encoded(table)
        keys = StringColumn(b"".join(pieces), _offsets(pieces))
        return cls(keys, *cls.hashed(pieces), None)

    @staticmethod
    def hashed(keys: Iterable[str | None] | list[bytes]) -> tuple[array, array]:
        """The sorted hashes of ``keys`` (texts, or their UTF-8 bytes) and the key positions in
        that order."""
        if not isinstance(keys, list) or not keys or not isinstance(keys[0], bytes):
            keys = _encoded(keys)  # type: ignore[arg-type]
        hashes = np.fromiter(map(zlib.crc32, keys), dtype=np.uint32, count=len(keys))
        order = np.argsort(hashes, kind="stable")
        return array("I", hashes[order].tobytes()), array("q", order.astype(np.int64).tobytes())

    def buffers(self) -> dict[str, Any]:
        """The keys (a string column), hashes, order and values, for saving."""
        return {
            "keys": self._keys,
            "hashes": self._hashes,
            "order": self._order,
            "values": None if self._starts is None else (self._starts, self._values),
        }

    def position(self, key: str) -> int:
        """The position of ``key`` in the key column, or -1."""
        hashes = self._hashes
        wanted = stable_hash(key)
        at = bisect_left(hashes, wanted)
        while at < len(hashes) and hashes[at] == wanted:
            position = self._order[at]
            if self._keys[position] == key:
                return position
            at += 1
        return -1

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        position = self.position(key) if isinstance(key, str) else -1
        if position < 0:
            return default
        if self._starts is None:
            return position
        start, stop = self._starts[position], self._starts[position + 1]
        return self._values[start] if stop - start == 1 else tuple(self._values[start:stop])  # type: ignore[index]

    def row(self, key: str) -> Sequence[int] | None:
        """The nodes of ``key`` as a view of the value column (no tuple is made), or None."""
        position = self.position(key)
        if position < 0 or self._starts is None or self._values is None:
            return None
        return self._values[self._starts[position] : self._starts[position + 1]]

    def __getitem__(self, key: str) -> int | tuple[int, ...]:
        found = self.get(key, _ABSENT)
        if found is _ABSENT:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.position(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._keys)


class NodeNumbers(dict[str, int]):
    """IRI → node number over a :class:`KeyTable` of the IRIs, remembering each IRI once found.

    The dict itself holds only the IRIs asked for (a hit costs a dict look-up, as the built
    index's dict did); the first look-up of an IRI searches the table.

    >>> numbers = NodeNumbers(KeyTable.packed(["a", "b"]))
    >>> numbers.get("b"), numbers["a"], "c" in numbers, len(numbers), sorted(numbers)
    (1, 0, False, 2, ['a', 'b'])
    """

    __slots__ = ("_table",)

    def __init__(self, table: KeyTable) -> None:
        super().__init__()
        self._table = table

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        found = dict.get(self, key)
        if found is not None:
            return found
        position = self._table.position(key) if isinstance(key, str) else -1
        if position < 0:
            return default
        self[key] = position
        return position

    def __missing__(self, key: str) -> int:  # ``numbers[iri]``: a hit never calls Python code
        found: int | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self.get(key) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def keys(self) -> Any:
        return list(self._table)

    def items(self) -> Any:
        return list(zip(self._table, range(len(self._table)), strict=True))

    def values(self) -> Any:
        return range(len(self._table))

    def __reduce__(self) -> Any:
        return dict, (dict(self.items()),)


class PairColumn(Sequence[tuple[str, str]]):
    """Pairs of strings as two string columns of one length: item ``i`` is
    ``(first[i], second[i])``. Sorted pairs are searched with ``bisect`` as a list is.

    >>> pairs = PairColumn(StringColumn.packed(["a", "b"]), StringColumn.packed(["x", "y"]))
    >>> pairs[1], list(pairs), len(pairs)
    (('b', 'y'), [('a', 'x'), ('b', 'y')], 2)
    """

    __slots__ = ("_first", "_second")

    def __init__(self, first: Sequence[str | None], second: Sequence[str | None]) -> None:
        self._first, self._second = first, second

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, str]]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, str] | list[tuple[str, str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._first[index], self._second[index]  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._first)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return zip(self._first, self._second, strict=True)  # type: ignore[arg-type]

    def columns(self) -> tuple[Sequence[str | None], Sequence[str | None]]:
        """The two columns, for saving."""
        return self._first, self._second


class KeyRows(Mapping[str, Sequence[str]]):
    """A dict from strings to rows of other strings (each word to the label keys holding it)
    as a :class:`KeyTable` from each string to the positions of its row's strings in one
    column: a row is read as a view, each string decoded when asked for.

    >>> rows = KeyRows(KeyTable.packed({"a": (0, 2), "b": 1}), StringColumn.packed(["p", "q", "r"]))
    >>> list(rows["a"]), len(rows["b"]), rows.get("c"), sorted(rows)
    (['p', 'r'], 1, None, ['a', 'b'])
    """

    __slots__ = ("_strings", "_table")

    def __init__(self, table: KeyTable, strings: Sequence[str | None]) -> None:
        self._table, self._strings = table, strings

    @classmethod
    def packed(cls, rows: Mapping[str, Iterable[str]], strings: Sequence[str]) -> KeyRows:
        """The rows of ``rows`` over ``strings`` (which holds every string of every row)."""
        position = {text: at for at, text in enumerate(strings)}
        table = {key: tuple(map(position.__getitem__, row)) for key, row in rows.items()}
        return cls(KeyTable.packed(table), strings)

    def columns(self) -> tuple[KeyTable, Sequence[str | None]]:
        """The table of positions and the strings, for saving."""
        return self._table, self._strings

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        positions = self._table.row(key) if isinstance(key, str) else None
        return default if positions is None else _StringRow(self._strings, positions)

    def __getitem__(self, key: str) -> Sequence[str]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


class _StringRow(Sequence[str]):
    """Some strings of a column, by their positions."""

    __slots__ = ("_positions", "_strings")

    def __init__(self, strings: Sequence[str | None], positions: Sequence[int]) -> None:
        self._strings, self._positions = strings, positions

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return list(map(self._strings.__getitem__, self._positions[index]))  # type: ignore[arg-type]
        return self._strings[self._positions[index]]  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._positions)

    def __iter__(self) -> Iterator[str]:
        return map(self._strings.__getitem__, self._positions)  # type: ignore[arg-type]
