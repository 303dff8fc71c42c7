"""A deterministic Turtle writer: the same triples always give the same bytes.

Layout, so that a diff of the ontology reads like a diff of code:

* the prefix block, sorted by prefix, only prefixes that are used;
* one block per subject, subjects in IRI order (the ontology header first);
* predicates in a fixed order (``a``, ``rdfs:subClassOf``, labels, definition,
  notes, then the rest alphabetically, ``dcterms:source`` last), objects sorted;
* blank nodes used once are written inline as ``[ … ]``; others get labels
  numbered in order of their content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from graph import vocabulary as V
from graph.store import LiteralValue, Term, Triple

__all__ = ["write_turtle"]

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
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_PLAIN_DATATYPES = {V.XSD + "string"}


def write_turtle(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> Iterator[str]:
    """Yield the Turtle document for ``triples`` in chunks (one subject block each)."""
    writer = _Writer(list(triples), prefixes)
    yield from writer.chunks()


class _Writer:
    def __init__(self, triples: list[Triple], prefixes: Mapping[str, str]) -> None:
        self.by_subject: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        references: dict[str, int] = defaultdict(int)
        for subject, predicate, obj in triples:
            self.by_subject[subject].append((predicate, obj))
            if isinstance(obj, str) and obj.startswith("_:"):
                references[obj] += 1
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.used_prefixes: dict[str, str] = {}
        self.inline = {b for b, count in references.items() if count == 1 and b in self.by_subject}
        self._drop_inline_cycles()
        self.labels = self._label_shared_blank_nodes()

    def chunks(self) -> Iterator[str]:
        named = sorted(s for s in self.by_subject if not s.startswith("_:"))
        named.sort(key=lambda s: (s != V.ONTOLOGY_IRI, s))
        blocks = [self._block(self._term(s), s) for s in named]
        shared = sorted(
            (s for s in self.by_subject if s.startswith("_:") and s not in self.inline),
            key=lambda s: self.labels[s],
        )
        blocks += [self._block(self._term(s), s) for s in shared]
        for prefix, namespace in sorted(self.used_prefixes.items()):
            yield f"@prefix {prefix}: <{namespace}> .\n"
        for block in blocks:
            yield "\n" + block

    def _block(self, head: str, subject: str) -> str:
        body = self._predicate_objects(subject, "    ")
        return f"{head}\n    {body} .\n" if head != "[]" else f"[] {body.strip()} .\n"

    def _predicate_objects(self, subject: str, indent: str) -> str:
        grouped: dict[str, list[str]] = defaultdict(list)
        for predicate, obj in self.by_subject[subject]:
            grouped[predicate].append(self._object(obj, indent))
        ordered = sorted(grouped, key=_predicate_rank)
        lines = []
        for predicate in ordered:
            verb = "a" if predicate == V.TYPE else self._iri(predicate)
            objects = sorted(set(grouped[predicate]))
            lines.append(f"{verb} " + f",\n{indent}    ".join(objects))
        return f" ;\n{indent}".join(lines)

    def _object(self, obj: Term, indent: str) -> str:
        if isinstance(obj, str) and obj in self.inline:
            inner = self._predicate_objects(obj, indent + "    ")
            return f"[\n{indent}    {inner}\n{indent}]"
        return self._term(obj)

    def _term(self, term: Term) -> str:
        if isinstance(term, LiteralValue):
            return self._literal(term)
        if term.startswith("_:"):
            return self.labels.get(term, "[]")
        return self._iri(term)

    def _iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
                self.used_prefixes[prefix] = namespace
                return f"{prefix}:{iri[len(namespace):]}"
        return "<" + _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"

    def _literal(self, literal: LiteralValue) -> str:
        text = '"' + "".join(_escape(ch) for ch in literal.value) + '"'
        if literal.language:
            return f"{text}@{literal.language}"
        if literal.datatype in _PLAIN_DATATYPES:
            return text
        return f"{text}^^{self._iri(literal.datatype)}"

    def _drop_inline_cycles(self) -> None:
        """A blank node that reaches itself through inline objects must be labelled instead."""
        for start in sorted(self.inline):
            stack, seen = [start], set()
            while stack:
                node = stack.pop()
                for _, obj in self.by_subject.get(node, []):
                    if obj == start:
                        self.inline.discard(start)
                    elif isinstance(obj, str) and obj in self.inline and obj not in seen:
                        seen.add(obj)
                        stack.append(obj)

    def _label_shared_blank_nodes(self) -> dict[str, str]:
        """Number shared blank nodes by their content, so labels do not depend on parse order."""
        shared = [s for s in self.by_subject if s.startswith("_:") and s not in self.inline]
        placeholder = {s: "_:x" for s in shared}
        self.labels = placeholder
        keyed = sorted(shared, key=lambda s: (self._predicate_objects(s, ""), s))
        return {s: f"_:b{n}" for n, s in enumerate(keyed)}


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
