"""A deterministic, streaming Turtle writer: the same triples always give the same bytes.

Layout, so that a diff of the ontology reads like a diff of code:

* the prefix block, sorted by prefix;
* one block per named subject, in IRI order (the ontology header first);
* predicates in a fixed order (``a``, ``rdfs:subClassOf``, labels, definition,
  notes, then the rest alphabetically, ``dcterms:source`` last), objects sorted;
* a blank node used once as an object is written inline as ``[ … ]``; the others
  (shared, cyclic or unreferenced) get labels numbered in order of their content.

Subjects are described one at a time through :class:`TripleSource`, so memory stays
bounded by the largest subject block (plus the list of subject IRIs), not by the graph.
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

__all__ = ["TripleSource", "export_turtle", "turtle_chunks", "write_turtle", "write_turtle_file"]

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


def write_turtle(source: TripleSource, prefixes: Mapping[str, str]) -> Iterator[str]:
    """Yield the Turtle document in chunks: the prefix block, then one chunk per subject."""
    yield from _Writer(source, prefixes).chunks()


class _Writer:
    def __init__(self, source: TripleSource, prefixes: Mapping[str, str]) -> None:
        self.source = source
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.declared = dict(sorted(prefixes.items()))
        blanks = source.blank_subjects()
        references = source.blank_references()
        self.inline = {b for b in blanks if references.get(b, 0) == 1}
        self._drop_inline_cycles()
        self.labels: dict[str, str] = {}
        self.labels = self._label_other_blank_nodes(blanks)

    def chunks(self) -> Iterator[str]:
        for prefix, namespace in self.declared.items():
            yield f"@prefix {prefix}: <{namespace}> .\n"
        named = sorted(self.source.named_subjects(), key=lambda s: (s != V.ONTOLOGY_IRI, s))
        for subject in named:
            yield "\n" + self._block(self._iri(subject), subject)
        for subject in sorted(self.labels, key=self.labels.__getitem__):
            yield "\n" + self._block(self.labels[subject], subject)

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
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL_NAME.match(iri, len(namespace)):
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
