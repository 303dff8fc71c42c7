"""Saving the reasoning index beside an on-disk store, so a restart maps it instead of rebuilding.

The index is one file, ``index.columns``: its big columns as flat bytes (integer arrays, packed
rows, string tables, per-node values pickled one by one, hashed key tables), then a small pickle
that says where each field's columns are and holds the small fields whole, then that pickle's
offset. Reopening maps the file read-only (:mod:`graph.index.mapped`): nothing big is unpickled,
and every worker that maps it shares its pages. Edits copy what they change, never writing into
the map.

The file records the store's generation it was built at (a token every write to the store
replaces, in the same transaction: :meth:`graph.store.oxigraph.Store.generation`) and the format
it was written in; it is used again only while both match, so checking it reads one quad however
large the store. The file is our own, in a directory the operator controls; it is never read from
anywhere else.

Beside it, ``warm.columns`` (:func:`save_warm`) holds what a served graph builds on first use
(search's sorted label keys and word indexes, the filters' columns, the lists' orders):
``aikg serve --workers N`` builds them before forking and saves them, and the next start maps
them instead of building them again (half a minute at a million kinds) when they were built
over the same save of the index file (each save has an id) at the same store generation, by
the same code, and their checksum holds. It is laid out as the index is: the big columns as
flat bytes, mapped (label keys and words as string columns, word → keys as a key table of
positions, orders as integer arrays), the small structures pickled one by one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import logging
import mmap
import pickle
import struct
import uuid
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np

from graph.find.lookup import LayeredList, LayeredSorted
from graph.index.build import GraphIndex
from graph.index.gcpause import collector_paused
from graph.index.mapped import (
    KeyRows,
    KeyTable,
    NodeColumn,
    NodeNumbers,
    PairColumn,
    StringColumn,
)
from graph.index.packed_rows import Rows

__all__ = [
    "FORMAT",
    "INDEX_FILE",
    "WARM_FILE",
    "WarmKey",
    "load_index",
    "load_warm",
    "save_index",
    "save_warm",
    "saved_at",
    "saved_index_id",
    "warm_key",
    "warm_saved_over",
]

FORMAT = 16  # 16: the file has an id (GraphIndex.saved_id), which a warm state is tied to
INDEX_FILE = "index.columns"
#: What a served graph builds on first use, saved by ``aikg serve --workers N`` before forking
#: and taken again by the next start over the same saved index and store generation
#: (:func:`save_warm`, :class:`WarmKey`), in the directory the operator gave.
WARM_FILE = "warm.columns"
#: The file of warm state format 1 (one pickle): removed when a new state is saved.
PICKLED_WARM_FILE = "warm.pickle"
#: The layout of that state (:meth:`graph.KnowledgeGraph.warm_state`); a change of it, of
#: :data:`FORMAT` or of the code that builds it (:data:`WARM_BUILDERS`) makes a saved state
#: unread (built again).
WARM_FORMAT = 2  # 2: columns, mapped
#: The modules whose code builds (and writes and reads) the warm state: their source is
#: fingerprinted with it, so a version that builds search, the filters or the orders otherwise,
#: or lays them out otherwise, never takes an older state.
WARM_BUILDERS = (
    "graph.dates",
    "graph.find.lookup",
    "graph.find.search",
    "graph.index.mapped",
    "graph.index.numbers",
    "graph.index.orders",
    "graph.index.persistence",
    "graph.index.selection",
    "graph.knowledge_graph",
)
#: The file of formats up to 12 (the whole index pickled): removed when a new index is saved.
PICKLED_INDEX_FILE = "index.pickle"
_MAGIC = b"AIKGCOLS"
_WARM_MAGIC = b"AIKGWARM"
_TRAILER = struct.Struct("<Q")
#: A warm state file ends with its header's offset and the CRC-32 of everything between its
#: magic and this trailer (columns and header; a damaged offset fails the header's read).
_WARM_TRAILER = struct.Struct("<QI")
_log = logging.getLogger(__name__)


def save_index(index: GraphIndex, directory: Path, generation: str, revision: int = 0) -> str:
    """Write the index atomically (a temporary file renamed into place, :func:`_replacing`),
    recording the store's ``generation`` and change-log ``revision`` read before the index was
    built from it; the new file's id (see ``GraphIndex.saved_id``)."""
    saved_id = uuid.uuid4().hex
    with _replacing(directory / INDEX_FILE) as stream:
        stream.write(_MAGIC)
        writer = _Writer(stream)
        fields = {
            f.name: writer.encode(getattr(index, f.name))
            for f in dataclasses.fields(index)
            # the IRI column's hash table stands for node_of; the file gets an id of its own
            if f.name not in ("node_of", "saved_id", "numbering")
        }
        # The IRI → node table: hashes over the IRI column already written (its keys).
        hashes, order = KeyTable.hashed(index.iris)
        iris = fields["iris"]
        fields["node_of"] = (
            "table",
            iris[1:],
            writer.bytes_at(hashes, "I"),
            writer.integers(order, "q"),
            None,
        )
        header = stream.tell()
        # No memo of every string: nothing here is cyclic, and the big columns are bytes anyway.
        pickler = pickle.Pickler(stream, protocol=5)
        pickler.fast = True
        pickler.dump(
            {
                "format": FORMAT,
                "generation": generation,
                "revision": revision,
                "id": saved_id,
                "fields": fields,
            }
        )
        stream.write(_TRAILER.pack(header))
    (directory / PICKLED_INDEX_FILE).unlink(missing_ok=True)
    return saved_id


def saved_at(directory: Path) -> tuple[str, int] | None:
    """The store generation and change-log revision the saved index was built at (None: no
    index of this format; a file saved before revisions were recorded says revision -1)."""
    saved = _saved_header(directory)
    if saved is None or not isinstance(saved.get("generation"), str):
        return None
    return saved["generation"], saved.get("revision", -1)


def saved_index_id(directory: Path) -> str | None:
    """The id of the index file saved in ``directory`` now (None: none of this format)."""
    saved = _saved_header(directory)
    return None if saved is None else saved.get("id")


def _saved_header(directory: Path) -> dict[str, Any] | None:
    """The header of the index file saved in ``directory``, when it is of this format."""
    path = directory / INDEX_FILE
    if not path.exists():
        return None
    _, saved = _open(path)
    return saved if saved.get("format") == FORMAT else None


def load_index(directory: Path, generation: str | None) -> GraphIndex | None:
    """The saved index, its columns mapped, when it was built at the store's ``generation``;
    else None (the caller rebuilds it, and the log says why)."""
    path = directory / INDEX_FILE
    if not path.exists():
        if (directory / PICKLED_INDEX_FILE).exists():
            _log.warning("%s is an index format before %d: rebuilding the index", directory, FORMAT)
        return None
    mapped, saved = _open(path)
    refused = _refused(saved, FORMAT, "index format") or _other_generation(saved, generation)
    if refused is not None:
        _log.warning("%s %s: rebuilding the index", path, refused)
        return None
    with collector_paused():
        fields = {name: _decode(mapped, value) for name, value in saved["fields"].items()}
        fields["node_of"] = NodeNumbers(fields["node_of"])
        return GraphIndex(**fields, saved_id=saved.get("id", ""))


def save_warm(state: Mapping[str, Any], directory: Path, built_over: WarmKey) -> Path:
    """Write what a graph built on first use (:meth:`graph.KnowledgeGraph.warm_state`: search's
    word indexes, the filters' columns, the lists' orders) beside the index, atomically: its
    columns, then a header naming the format, ``built_over`` (the saved index and store
    generation it was built over, :func:`warm_key`), the columns' CRC-32 and where each
    structure's columns are. A failed write leaves no partial file behind."""
    target = directory / WARM_FILE
    with collector_paused(), _replacing(target) as stream:
        stream.write(_WARM_MAGIC)
        checksummed = _Checksummed(stream)
        fields = _encode_warm(_Writer(checksummed), state)
        header = stream.tell()
        saved = {"format": _warm_format(), "built_over": tuple(built_over), "fields": fields}
        checksummed.write(pickle.dumps(saved, protocol=5))
        stream.write(_WARM_TRAILER.pack(header, checksummed.crc32))
    (directory / PICKLED_WARM_FILE).unlink(missing_ok=True)
    return target


@contextmanager
def _replacing(target: Path) -> Iterator[BinaryIO]:
    """A stream to a temporary file beside ``target``, renamed onto it once written whole; on
    any failure (the write's or the rename's) the temporary file is removed."""
    partial = target.with_suffix(".partial")
    try:
        with partial.open("wb") as stream:
            yield stream
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


class WarmKey(NamedTuple):
    """What a warm state is tied to: the id of the saved index file it was built over, and the
    store's generation then (edits since the save move it)."""

    saved_index: str
    generation: str

    def differs(self, other: object) -> str | None:
        """How ``other`` (a saved state's key) differs from this one, in words; None if not."""
        if not isinstance(other, tuple) or len(other) != 2:
            return "was saved without the index it was built over"
        saved_index, generation = other
        if saved_index != self.saved_index:
            return f"was built over another save of the index ({str(saved_index)[:12]}…)"
        if generation != self.generation:
            return (
                f"was built at store generation {generation}, the store is at "
                f"{self.generation} (written since)"
            )
        return None


def warm_key(index: GraphIndex, generation: str | None) -> WarmKey | None:
    """The key of a warm state built over ``index`` at the store's ``generation``; None for an
    index built from triples (nothing ties it to a file: its state is neither taken nor saved).
    """
    if not index.saved_id or generation is None:
        return None
    return WarmKey(index.saved_id, generation)


def warm_saved_over(directory: Path) -> WarmKey | None:
    """What the warm state saved in ``directory`` was built over, when this code wrote it and
    it is whole; else None (none saved, another format, damaged, unreadable)."""
    try:
        opened = _open_warm(directory / WARM_FILE)
    except Exception:  # any unreadable file is as good as none
        return None
    if isinstance(opened, str):
        return None
    over = opened[1].get("built_over")
    return WarmKey(*over) if isinstance(over, tuple) and len(over) == 2 else None


def _open_warm(path: Path) -> tuple[memoryview, dict[str, Any]] | str:
    """A warm state file mapped, and its header, when it is whole and of this code's format;
    else why not, in words that follow its path."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        if size < len(_WARM_MAGIC) + _WARM_TRAILER.size:
            return "is not a saved warm state (too short)"
        mapped = memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
    if mapped[: len(_WARM_MAGIC)] != _WARM_MAGIC:
        return "is not a saved warm state (another kind of file)"
    header, crc32 = _WARM_TRAILER.unpack(mapped[-_WARM_TRAILER.size :])
    if zlib.crc32(mapped[len(_WARM_MAGIC) : -_WARM_TRAILER.size]) != crc32:
        return "is damaged (its checksum does not match)"
    saved = pickle.loads(mapped[header : -_WARM_TRAILER.size])
    refused = _refused(saved, _warm_format(), "state format (and code fingerprint)")
    return refused if refused is not None else (mapped, saved)


def load_warm(directory: Path, built_over: WarmKey | None) -> dict[str, Any] | None:
    """The saved warm state, its columns mapped, when it was built by this code over
    ``built_over`` (see :func:`warm_key`) and its bytes are whole; else None (the caller builds
    it, and the log says why)."""
    path = directory / WARM_FILE
    if not path.exists() or built_over is None:
        return None
    try:
        opened = _open_warm(path)
        if isinstance(opened, str):
            refused: str | None = opened
        else:
            mapped, saved = opened
            refused = built_over.differs(saved.get("built_over"))
        if refused is not None:
            _log.warning("%s %s: search and the lists are built again", path, refused)
            return None
        with collector_paused():
            return _decode_warm(mapped, saved["fields"])  # type: ignore[no-any-return]
    except Exception as error:  # any unreadable file: built again, never a failed start
        _log.warning("%s cannot be read (%r): search and the lists are built again", path, error)
        return None


def _refused(saved: Any, wanted: object, what: str) -> str | None:
    """Why a saved file's header rules it out (another format), in words that follow its path;
    None when it fits."""
    if not isinstance(saved, dict) or saved.get("format") != wanted:
        found = saved.get("format") if isinstance(saved, dict) else None
        return f"holds {what} {_short(found)}, this version reads {_short(wanted)}"
    return None


def _other_generation(saved: dict[str, Any], generation: str | None) -> str | None:
    """Why a saved index does not fit the store (built at another generation); None if it does."""
    if generation is None or saved.get("generation") != generation:
        return (
            f"was built at store generation {saved.get('generation')}, the store is at "
            f"{generation or 'none (no generation marker: written by an older version)'} "
            "(written since)"
        )
    return None


def _short(form: object) -> str:
    """A format as a log line shows it: a fingerprint's first 12 digits."""
    if isinstance(form, tuple):
        return "(" + ", ".join(_short(part) for part in form) + ")"
    return f"{form[:12]}…" if isinstance(form, str) and len(form) > 12 else str(form)


@cache
def _warm_format() -> tuple[int, int, str]:
    """The formats, and a fingerprint of the source of :data:`WARM_BUILDERS`."""
    digest = hashlib.sha256()
    for name in WARM_BUILDERS:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        digest.update(Path(spec.origin).read_bytes())
    return FORMAT, WARM_FORMAT, digest.hexdigest()


def _open(path: Path) -> tuple[memoryview, dict[str, Any]]:
    """The file mapped read-only, and its header (the map keeps its own handle on the file)."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        if size < len(_MAGIC) + _TRAILER.size:
            return memoryview(b""), {}
        mapped = memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
    if mapped[: len(_MAGIC)] != _MAGIC:
        return mapped, {}
    (header,) = _TRAILER.unpack(mapped[-_TRAILER.size :])
    return mapped, pickle.loads(mapped[header : -_TRAILER.size])


def _types(values: Iterable[Any]) -> set[type]:
    """The exact types of the values (a loop in C: columns hold millions)."""
    return set(map(type, values))


def _strings(column: Any) -> StringColumn:
    return column if isinstance(column, StringColumn) else StringColumn.packed(column)


class _Writer:
    """Appends columns to the file, 8-byte aligned; ``encode`` answers with how to read a value
    back: a tagged tuple naming byte ranges, or the value itself when it is small."""

    def __init__(self, stream: BinaryIO | _Checksummed) -> None:
        self._stream = stream
        #: The string columns written, by the id of the object written (with the object, so
        #: that a freed one's id, reused, is never taken for it): see :meth:`strings_once`.
        self._strings_written: dict[int, tuple[Any, Any]] = {}

    def bytes_at(self, data: Any, typecode: str = "B") -> tuple[str, int, int]:
        stream = self._stream
        stream.write(b"\0" * (-stream.tell() % 8))
        start = stream.tell()
        view = memoryview(data).cast("B")
        stream.write(view)
        return (typecode, start, len(view))

    def integers(self, column: Any, typecode: str) -> tuple[str, int, int]:
        if not isinstance(column, array | memoryview) or column.itemsize != 8:
            column = array(typecode, column)
        return self.bytes_at(column, typecode)

    def encode(self, value: Any) -> Any:
        if isinstance(value, Rows):
            return ("rows", self.integers(value.starts, "q"), self.bytes_at(value.values, "i"))
        if isinstance(value, array | memoryview):
            typecode = value.format if isinstance(value, memoryview) else value.typecode
            return ("array", self.bytes_at(value, typecode))
        if isinstance(value, bytearray):
            return ("bytearray", self.bytes_at(value))
        if isinstance(value, StringColumn | LayeredList) or (
            isinstance(value, list) and _types(value) <= {str, type(None)}
        ):
            return ("strings", *self._strings(_strings(value)))
        if isinstance(value, KeyTable):
            return self._table(value)
        if isinstance(value, Mapping) and value and _types(value) == {int}:
            column = value if isinstance(value, NodeColumn) else NodeColumn.packed(value)
            keys, starts, values = column.buffers()
            return (
                "nodes",
                self.integers(keys, "q"),
                self.integers(starts, "q"),
                self.bytes_at(values),
                column.row_type,
            )
        if isinstance(value, Mapping) and value and _types(value) == {str}:
            if _types(value.values()) <= {int, tuple}:
                return self._table(KeyTable.packed(value))
        if isinstance(value, tuple) and any(isinstance(v, Mapping) for v in value):
            return ("tuple", [self.encode(v) for v in value])
        if hasattr(value, "saved_state"):
            state = {name: self.encode(v) for name, v in value.saved_state().items()}
            return ("record", type(value), state)
        return ("value", value)

    def strings_once(self, strings: Any) -> Any:
        """A column of strings written once however many structures share it (the sorted
        label keys, and the keys each word's row points into)."""
        found = self._strings_written.get(id(strings))
        if found is None or found[0] is not strings:
            found = self._strings_written[id(strings)] = (strings, self.encode(_strings(strings)))
        return found[1]

    def _strings(self, column: StringColumn) -> tuple[Any, Any]:
        data, starts = column.buffers()
        return self.bytes_at(data), self.integers(starts, "q")

    def _table(self, table: KeyTable) -> Any:
        parts = table.buffers()
        values = parts["values"]
        return (
            "table",
            self._strings(parts["keys"]),
            self.bytes_at(parts["hashes"], "I"),
            self.integers(parts["order"], "q"),
            None if values is None else tuple(self.integers(v, "q") for v in values),
        )


def _column(mapped: memoryview, where: tuple[str, int, int]) -> memoryview:
    typecode, start, length = where
    return mapped[start : start + length].cast(typecode)  # type: ignore[call-overload,no-any-return]


def _decode(mapped: memoryview, saved: Any) -> Any:
    """A value read back from its saved description, its big columns views of the map."""
    tag = saved[0]
    if tag == "value":
        return saved[1]
    if tag == "rows":
        return Rows(_column(mapped, saved[1]), _column(mapped, saved[2]))
    if tag == "array":
        return _column(mapped, saved[1])
    if tag == "bytearray":
        return _column(mapped, saved[1])
    if tag == "strings":
        return StringColumn(_column(mapped, saved[1]), _column(mapped, saved[2]))
    if tag == "nodes":
        keys, starts, values, row_type = saved[1:]
        return NodeColumn(
            _column(mapped, keys), _column(mapped, starts), _column(mapped, values), row_type
        )
    if tag == "table":
        keys, hashes, order, values = saved[1:]
        return KeyTable(
            StringColumn(_column(mapped, keys[0]), _column(mapped, keys[1])),
            _column(mapped, hashes),
            _column(mapped, order),
            None if values is None else (_column(mapped, values[0]), _column(mapped, values[1])),
        )
    if tag == "tuple":
        return tuple(_decode(mapped, v) for v in saved[1])
    if tag == "record":
        return saved[1].from_saved_state({k: _decode(mapped, v) for k, v in saved[2].items()})
    raise ValueError(f"unknown column tag {tag!r} in a saved index")


class _Checksummed:
    """A stream that keeps the CRC-32 of what is written through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.crc32 = 0

    def write(self, data: Any) -> int:
        self.crc32 = zlib.crc32(data, self.crc32)
        return self._stream.write(data)

    def tell(self) -> int:
        return self._stream.tell()


def _encode_warm(writer: _Writer, value: Any, depth: int = 0) -> Any:
    """How to read a warm state's value back (see :func:`_decode_warm`): sorted keys and words
    as string columns, word → keys as a table of positions, arrays as arrays, the state's own
    dicts (two levels: parts, then structures) and tuples as such, anything else pickled into
    the file on its own."""
    if isinstance(value, dict) and depth < 2:
        return ("dict", {name: _encode_warm(writer, v, depth + 1) for name, v in value.items()})
    if isinstance(value, tuple) and depth < 3:
        return ("tuple", [_encode_warm(writer, v, depth + 1) for v in value])
    if isinstance(value, int | str | None):
        return ("value", value)
    if isinstance(value, LayeredSorted):
        items = value.folded()
        if isinstance(items, PairColumn) or (items and isinstance(items[0], tuple)):
            if isinstance(items, PairColumn):
                first, second = items.columns()
            else:
                first, second = [a for a, _ in items], [b for _, b in items]
            return ("sorted pairs", writer.encode(_strings(first)), writer.encode(_strings(second)))
        return ("sorted", writer.strings_once(items))
    if isinstance(value, KeyRows):
        table, strings = value.columns()
        return ("key rows", writer.encode(table), writer.strings_once(strings))
    if isinstance(value, np.ndarray) and value.dtype == np.int64:
        return ("int64", writer.integers(value, "q"))
    if isinstance(value, StringColumn | LayeredList):
        return writer.encode(value)
    if isinstance(value, list) and _types(value) <= {str}:
        return writer.encode(value)
    return ("pickled", writer.bytes_at(pickle.dumps(value, protocol=5)))


def _decode_warm(mapped: memoryview, saved: Any) -> Any:
    """A warm state's value read back from its saved description (:func:`_encode_warm`)."""
    tag = saved[0]
    if tag == "dict":
        return {name: _decode_warm(mapped, v) for name, v in saved[1].items()}
    if tag == "tuple":
        return tuple(_decode_warm(mapped, v) for v in saved[1])
    if tag == "sorted":
        return LayeredSorted(_decode(mapped, saved[1]))
    if tag == "sorted pairs":
        return LayeredSorted(PairColumn(_decode(mapped, saved[1]), _decode(mapped, saved[2])))
    if tag == "key rows":
        return KeyRows(_decode(mapped, saved[1]), _decode(mapped, saved[2]))
    if tag == "int64":
        return np.frombuffer(_column(mapped, saved[1]), dtype=np.int64)
    if tag == "pickled":
        return pickle.loads(_column(mapped, saved[1]))
    return _decode(mapped, saved)
