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
  subject's together, and they are read **in one pass** as they come
  (:mod:`graph.store.turtle_scan`): a subject's block is formatted as soon as the subject
  changes, and the blocks are written in IRI order at the end. Memory is about the size of the
  output. Oxigraph writes from a second thread while this one reads
  (:meth:`graph.store.oxigraph.Store.write_ntriples`), and past the first 8 MiB the lines are
  cut where the subject changes and shared with a helper process, so that formatting, which
  holds the GIL, uses both cores beside Oxigraph's writing. Every term comes already written
  in N-Triples, so a line splits at its first two spaces and a literal is escaped exactly as
  :meth:`_Writer._literal` escapes it. Subjects with blank-node objects, and any subject whose
  triples come back apart, are described again one at a time, as below;
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
from graph.store.turtle_scan import PredicateOrder, PrefixedNames, SpreadScan

__all__ = [
    "NTriplesSource",
    "TripleSource",
    "export_turtle",
    "turtle_chunks",
    "write_turtle",
    "write_turtle_file",
]

_ORDER = PredicateOrder(
    first=[
        V.TYPE,
        V.SUB_CLASS_OF,
        V.SKOS + "prefLabel",
        V.RDFS + "label",
        V.SKOS + "altLabel",
        V.SKOS + "definition",
        V.SKOS + "note",
    ],
    last=[V.SOURCE],
    type_iri=V.TYPE,
)
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
_PLAIN_DATATYPES = {V.XSD + "string"}
#: How many subject blocks one chunk of the one-pass writer joins.
_BLOCKS_PER_CHUNK = 512


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
        self.declared = dict(sorted(prefixes.items()))
        self.names = PrefixedNames(prefixes)
        self._iri = self.names.text
        self.inline: set[str] = set()
        self.labels: dict[str, str] = {}

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
        with SpreadScan(self.declared, _ORDER) as scan:
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

    def _block(self, head: str, subject: str) -> str:
        return f"{head}\n    {self._predicate_objects(subject, '    ')} .\n"

    def _predicate_objects(self, subject: str, indent: str) -> str:
        grouped: dict[str, list[str]] = defaultdict(list)
        for predicate, obj in self.source.describe(subject):
            grouped[predicate].append(self._object(obj, indent))
        lines = []
        for predicate in sorted(grouped, key=_ORDER.rank):
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
