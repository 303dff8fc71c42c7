"""A deterministic, streaming Turtle writer: the same triples always give the same bytes.

Layout, so that a diff of the ontology reads like a diff of code:

* the prefix block, sorted by prefix;
* one block per named subject, in IRI order (the ontology header first);
* predicates in a fixed order (``a``, ``rdfs:subClassOf``, labels, definition,
  notes, then the rest alphabetically, ``dcterms:source`` last), objects sorted;
* a blank node used once as an object is written inline as ``[ … ]``; the others
  (shared, cyclic or unreferenced) get labels numbered in order of their content.

Two ways to read the store, with the same bytes out:

* an :class:`NTriplesSource` (our Oxigraph store) writes its triples as N-Triples, each
  subject's together, and they are read **in one pass** as they come: a subject's block is
  formatted as soon as the subject changes, and the blocks are written in IRI order at the
  end. Memory is about the size of the output. Oxigraph writes from a second thread while
  this one reads (:meth:`graph.store.oxigraph.Store.write_ntriples`), so on two cores the
  export takes about as long as reading the lines (100,000 kinds: 1.2 s of CPU for them
  beside Oxigraph's 0.8 s writing them, against 0.7 s for Oxigraph's own Turtle; reading
  Oxigraph's quad objects in one thread took 2.2 s, a ``describe`` per subject 5.3 s). Every
  term comes already written in N-Triples, so a line splits at its first two spaces and a
  literal is escaped exactly as :meth:`_Writer._literal` escapes it. Subjects with
  blank-node objects, and any subject whose triples come back apart, are described again
  one at a time, as below;
* any other :class:`TripleSource` is described one subject at a time, so memory stays
  bounded by the largest subject block (plus the list of subject IRIs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol, TextIO

from graph import vocabulary as V
from graph.store.protocol import GraphStore
from graph.store.terms import LiteralValue, Term

__all__ = [
    "NTriplesSource",
    "TripleSource",
    "export_turtle",
    "turtle_chunks",
    "write_turtle",
    "write_turtle_file",
]

_PREDICATE_ORDER = {
    iri: rank
    for rank, iri in enumerate(
        [
            V.TYPE,
            V.SUB_CLASS_OF,
            V.SKOS + "prefLabel",
            V.RDFS + "label",
            V.SKOS + "altLabel",
            V.SKOS + "definition",
            V.SKOS + "note",
        ]
    )
}
_LAST = {V.SOURCE}
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_PLAIN_DATATYPES = {V.XSD + "string"}
#: How many subject blocks one chunk of the one-pass writer joins.
_BLOCKS_PER_CHUNK = 512
#: The most entries each formatting cache keeps (the most frequent terms come early).
_CACHE_SIZE = 1 << 16


class TripleSource(Protocol):
    """What the writer needs from a store."""

    def named_subjects(self) -> list[str]:
        """Every named (IRI) subject."""

    def blank_subjects(self) -> list[str]:
        """Every blank-node subject, as ``_:id``."""

    def blank_references(self) -> dict[str, int]:
        """How many triples have each blank node as their object."""

    def describe(self, subject: str) -> list[tuple[str, Term]]:
        """The (predicate, object) pairs of one subject."""


class NTriplesSource(TripleSource, Protocol):
    """A store that can also write its triples as N-Triples in one pass, subject by subject."""

    def write_ntriples(self, output: BinaryWriter) -> None:
        """Write the default graph as N-Triples to ``output``."""


class BinaryWriter(Protocol):
    """Where N-Triples are written: anything with ``write`` and ``flush``."""

    def write(self, data: bytes) -> int: ...

    def flush(self) -> None: ...


def write_turtle(source: TripleSource, prefixes: Mapping[str, str]) -> Iterator[str]:
    """Yield the Turtle document in chunks: the prefix block, then the subject blocks."""
    writer = _Writer(source, prefixes)
    if hasattr(source, "write_ntriples"):
        yield from writer.chunks_in_one_pass(source)  # type: ignore[arg-type]
    else:
        yield from writer.chunks()


class _Writer:
    def __init__(self, source: TripleSource, prefixes: Mapping[str, str]) -> None:
        self.source = source
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.declared = dict(sorted(prefixes.items()))
        self.inline: set[str] = set()
        self.labels: dict[str, str] = {}
        #: The namespaces an IRI may start with, by the IRI's part up to its last ``/`` or ``#``.
        self._namespaces_by_head: dict[str, list[tuple[str, str]]] = {}
        #: Namespaces no other one extends: an IRI under one, with a valid local name, needs no
        #: search.
        self._unextended = {
            ns
            for _, ns in self.prefixes
            if not any(o != ns and o.startswith(ns) for _, o in self.prefixes)
        }
        #: The last such namespace used, and its prefix with the colon (never matches at first).
        self._last_namespace, self._last_prefix = "\x00", ""

    def _name_blank_nodes(self, blanks: list[str], references: Mapping[str, int]) -> None:
        self.inline = {b for b in blanks if references.get(b, 0) == 1}
        self._drop_inline_cycles()
        self.labels = {}
        self.labels = self._label_other_blank_nodes(blanks)

    def _prefix_block(self) -> Iterator[str]:
        for prefix, namespace in self.declared.items():
            yield f"@prefix {prefix}: <{namespace}> .\n"

    def chunks(self) -> Iterator[str]:
        """One subject at a time, through ``describe``."""
        self._name_blank_nodes(self.source.blank_subjects(), self.source.blank_references())
        yield from self._prefix_block()
        named = sorted(self.source.named_subjects(), key=lambda s: (s != V.ONTOLOGY_IRI, s))
        for subject in named:
            yield "\n" + self._block(self._iri(subject), subject)
        yield from self._labelled_blocks()

    def _labelled_blocks(self) -> Iterator[str]:
        for subject in sorted(self.labels, key=self.labels.__getitem__):
            yield "\n" + self._block(self.labels[subject], subject)

    def chunks_in_one_pass(self, source: NTriplesSource) -> Iterator[str]:
        """Every block made in one pass over the store's N-Triples, then written in IRI order."""
        scan = _LineScan(self)
        source.write_ntriples(scan)
        blocks, blanks, references = scan.finish()
        self._name_blank_nodes(blanks, references)
        yield from self._prefix_block()
        named = sorted(blocks)
        if V.ONTOLOGY_IRI in blocks:
            named.remove(V.ONTOLOGY_IRI)
            named.insert(0, V.ONTOLOGY_IRI)
        for start in range(0, len(named), _BLOCKS_PER_CHUNK):
            batch = [
                blocks[subject] or "\n" + self._block(self._iri(subject), subject)
                for subject in named[start : start + _BLOCKS_PER_CHUNK]
            ]
            yield "".join(batch)
        yield from self._labelled_blocks()

    @staticmethod
    def _block_of_pairs(head: str, pairs: list[tuple[tuple[tuple[int, str], str], str]]) -> str:
        """A block from (verb, object text) pairs, laid out exactly as :meth:`_block` does."""
        pairs.sort()
        out = ["\n", head, "\n    "]
        last: object = None
        previous = ""
        for verb, text in pairs:
            if verb is not last:
                if last is not None:
                    out.append(" ;\n    ")
                out += (verb[1], " ", text)
                last = verb
            elif text != previous:
                out += (",\n        ", text)
            previous = text
        out.append(" .\n")
        return "".join(out)

    def _block(self, head: str, subject: str) -> str:
        return f"{head}\n    {self._predicate_objects(subject, '    ')} .\n"

    def _predicate_objects(self, subject: str, indent: str) -> str:
        grouped: dict[str, list[str]] = defaultdict(list)
        for predicate, obj in self.source.describe(subject):
            grouped[predicate].append(self._object(obj, indent))
        lines = []
        for predicate in sorted(grouped, key=_predicate_rank):
            verb = "a" if predicate == V.TYPE else self._iri(predicate)
            objects = sorted(set(grouped[predicate]))
            lines.append(f"{verb} " + f",\n{indent}    ".join(objects))
        return f" ;\n{indent}".join(lines)

    def _object(self, obj: Term, indent: str) -> str:
        if isinstance(obj, LiteralValue):
            return self._literal(obj)
        if obj in self.inline:
            return f"[\n{indent}    {self._predicate_objects(obj, indent + '    ')}\n{indent}]"
        if obj.startswith("_:"):
            return self.labels.get(obj, "_:x")
        return self._iri(obj)

    def _iri(self, iri: str) -> str:
        """A prefixed name under the longest namespace giving a valid local name, else ``<iri>``."""
        namespace = self._last_namespace  # neighbouring IRIs mostly share one
        if iri.startswith(namespace) and _LOCAL_NAME.match(iri, len(namespace)):
            return self._last_prefix + iri[len(namespace) :]
        head = iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]
        candidates = self._namespaces_by_head.get(head)
        if candidates is None:
            # A namespace is a prefix of the IRI only if it is a prefix of ``head`` or extends it.
            candidates = [
                (p, ns) for p, ns in self.prefixes if head.startswith(ns) or ns.startswith(head)
            ]
            if len(self._namespaces_by_head) < _CACHE_SIZE:
                self._namespaces_by_head[head] = candidates
        for prefix, namespace in candidates:
            if iri.startswith(namespace) and _LOCAL_NAME.match(iri, len(namespace)):
                if namespace in self._unextended:
                    self._last_namespace, self._last_prefix = namespace, prefix + ":"
                return f"{prefix}:{iri[len(namespace) :]}"
        return "<" + _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"

    def _literal(self, literal: LiteralValue) -> str:
        value = literal.value
        if _NEEDS_ESCAPE.search(value):
            value = "".join(_escape(ch) for ch in value)
        if literal.language:
            return f'"{value}"@{literal.language}'
        if literal.datatype in _PLAIN_DATATYPES:
            return f'"{value}"'
        return f'"{value}"^^{self._iri(literal.datatype)}'

    def _drop_inline_cycles(self) -> None:
        """A blank node that reaches itself through inline objects must be labelled instead."""
        for start in sorted(self.inline):
            stack, seen = [start], set()
            while stack:
                node = stack.pop()
                for _, obj in self.source.describe(node):
                    if obj == start:
                        self.inline.discard(start)
                    elif isinstance(obj, str) and obj in self.inline and obj not in seen:
                        seen.add(obj)
                        stack.append(obj)

    def _label_other_blank_nodes(self, blanks: Iterable[str]) -> dict[str, str]:
        """Number the blank nodes that are not inlined by their content, not by parse order."""
        others = [b for b in blanks if b not in self.inline]
        keyed = sorted(others, key=lambda b: (self._predicate_objects(b, ""), b))
        return {b: f"_:b{n}" for n, b in enumerate(keyed)}


class _LineScan:
    """Oxigraph's N-Triples, as it writes them (``write``), read line by line into blocks.

    Each named subject's block (None: describe it again), the blank subjects and how often
    each blank node is an object: a block is made when the subject changes; a subject seen
    again later (a store that does not keep a subject's triples together) or with a
    blank-node object gets None. Oxigraph writes every term as N-Triples, so a line splits
    at its first two spaces, and a literal is already escaped as :meth:`_Writer._literal`
    escapes it.
    """

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer
        self._rest = b""
        self.blocks: dict[str, str | None] = {}
        self.blanks: dict[str, None] = {}
        self.references: dict[str, int] = {}
        #: A predicate's N-Triples form → (its rank, its text in the block).
        self._verbs: dict[str, tuple[tuple[int, str], str]] = {}
        #: IRI objects' texts, for those outside the last namespace (the most frequent come early).
        self._objects: dict[str, str] = {}
        #: A literal's datatype as N-Triples writes it ("<iri>") → what follows the lexical form.
        self._datatypes: dict[str, str] = {}
        # The last namespace of the objects, and of the subjects, as in _Writer._iri (kept apart:
        # they alternate): the namespace, its prefix with the colon, and where the local name
        # starts (in "<iri> ." for objects, in the IRI for subjects).
        self._object_namespace: tuple[str, str, int] = ("\x00", "", 2)
        self._subject_namespace: tuple[str, str, int] = ("\x00", "", 1)
        self._current = ""
        self._pairs: list[tuple[tuple[tuple[int, str], str], str]] = []
        self._plain = True

    def write(self, data: bytes) -> int:
        """Take the next bytes; every whole line among them is read at once."""
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            self._rest += data
        else:
            self._lines((self._rest + data[:cut]).decode("utf-8").split("\n"))
            self._rest = data[cut:]
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered that a flush could push on (Oxigraph calls it at the end)."""

    def finish(self) -> tuple[dict[str, str | None], list[str], dict[str, int]]:
        """The blocks, the blank subjects and the blank references, once every line is read."""
        if self._rest.strip():
            self._lines([*self._rest.decode("utf-8").split("\n"), ""])
        self._close()
        return self.blocks, list(self.blanks), self.references

    def _lines(self, lines: list[str]) -> None:
        """Read whole lines (the last item, after the last newline, is empty)."""
        lines.pop()
        verbs, objects, references = self._verbs, self._objects, self.references
        datatypes = self._datatypes
        writer = self._writer
        iri_text, local_name = writer._iri, _LOCAL_NAME.match
        namespace, prefix, start = self._object_namespace
        current, pairs, plain = self._current, self._pairs, self._plain
        for line in lines:
            subject, predicate, obj = line.split(" ", 2)
            if subject != current:
                if current:
                    self._current, self._pairs, self._plain = current, pairs, plain
                    self._close()
                current, pairs, plain = subject, [], True
            verb = verbs.get(predicate)
            if verb is None:
                iri = predicate[1:-1]
                verb = verbs[predicate] = (
                    _predicate_rank(iri),
                    "a" if iri == V.TYPE else iri_text(iri),
                )
            first = obj[0]
            if first == "<":  # "<iri> ."
                if obj.startswith(namespace, 1):  # under the last namespace, as in _iri
                    local = obj[start:-3]
                    if (local.isascii() and local.isalnum()) or local_name(local):
                        pairs.append((verb, prefix + local))
                        continue
                value = obj[1:-3]
                text = objects.get(value)  # type: ignore[assignment]
                if text is None:
                    text = iri_text(value)
                    if len(objects) < _CACHE_SIZE:
                        objects[value] = text
                    namespace, prefix = writer._last_namespace, writer._last_prefix
                    start = len(namespace) + 1
            elif first == '"':
                text = obj[:-2]  # '"lexical"@tag .', '"lexical" .' or '"lexical"^^<iri> .'
                if text[-1] == ">":  # a datatype other than xsd:string, written prefixed
                    end = text.rindex('"^^<') + 1
                    datatype = text[end + 2 :]
                    written = datatypes.get(datatype)
                    if written is None:
                        written = "^^" + iri_text(datatype[1:-1])
                        if len(datatypes) < _CACHE_SIZE:
                            datatypes[datatype] = written
                    text = text[:end] + written
            else:  # a blank node, "_:id ."
                key = obj[:-2]
                references[key] = references.get(key, 0) + 1
                plain = False
                continue
            pairs.append((verb, text))
        self._current, self._pairs, self._plain = current, pairs, plain
        self._object_namespace = (namespace, prefix, start)

    def _close(self) -> None:
        """Make the block of the subject just read (or mark it to be described again)."""
        subject, blocks = self._current, self.blocks
        if not subject:
            return
        if subject[0] != "<":
            self.blanks[subject] = None
            return
        iri = subject[1:-1]
        namespace, prefix, cut = self._subject_namespace
        if not self._plain or iri in blocks:
            blocks[iri] = None
        elif iri.startswith(namespace) and _LOCAL_NAME.match(iri, cut):
            blocks[iri] = _Writer._block_of_pairs(prefix + iri[cut:], self._pairs)
        else:
            writer = self._writer
            blocks[iri] = _Writer._block_of_pairs(writer._iri(iri), self._pairs)
            namespace = writer._last_namespace
            self._subject_namespace = (namespace, writer._last_prefix, len(namespace))


def _predicate_rank(predicate: str) -> tuple[int, str]:
    if predicate in _LAST:
        return (len(_PREDICATE_ORDER) + 1, predicate)
    return (_PREDICATE_ORDER.get(predicate, len(_PREDICATE_ORDER)), predicate)


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"\\u{ord(ch):04X}"
    return ch


def export_turtle(store: GraphStore) -> str:
    """The whole store as Turtle; the same triples always give the same text."""
    return "".join(turtle_chunks(store))


def turtle_chunks(store: GraphStore) -> Iterator[str]:
    """The export as a stream of chunks (one subject block each), for large graphs."""
    return write_turtle(store, {**store.prefixes, **V.PREFIXES})


def write_turtle_file(store: GraphStore, output: TextIO | Path) -> None:
    """Write the export to a path or an open text stream."""
    if isinstance(output, Path):
        with output.open("w", encoding="utf-8") as stream:
            stream.writelines(turtle_chunks(store))
    else:
        output.writelines(turtle_chunks(store))
