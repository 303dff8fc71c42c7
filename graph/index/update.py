"""An edit applied to a built index, without reading the whole graph again.

:func:`changed_index` answers with the index that :func:`graph.index.build.build_index` would
build from the triples once the change is committed, touching only what the change reaches:

* the taxonomy through :meth:`graph.index.taxonomy.Taxonomy.changed` (rows, closure below the
  changed edges, intervals above them, example pairs);
* each touched concept's labels, definitions, facts, sources, mappings and dates, read again
  from its own triples (``describe``, as it will answer after the change) by the same reader
  as a build;
* the relations of the changed links.

Columns are copied on write, so the index being served never changes under a reader.

A concept the change adds is **appended**: numbered after every node, so no node number moves
and nothing built over the old numbers is renumbered. Node numbers then no longer follow IRI
order, so the taxonomy keeps each node's place in it (``rank``, and ``by_rank`` the other
way), which every order a user sees reads (:meth:`Taxonomy.rank_of`). The new concept is a leaf
of the spanning forest, put where a build would put it (:class:`graph.index.taxonomy._Positions`).

A concept the change removes is left bare by the rest of the update (no edges, texts or
relations); the last node takes its number (:meth:`Taxonomy.without`).

When the change alters which resources are concepts or kinds otherwise (a new concept with
sub-kinds or examples of its own, a kind becoming an example, a concept no longer typed but
still described), the index is built again from ``triples`` (the whole graph after the
change), the one case that costs the whole graph.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import replace
from typing import Any

from graph import vocabulary as V
from graph.find.lookup import LabelIndex, LayeredKeys, LayeredList, nodes_in, normalise
from graph.index.build import (
    _ALT,
    _DECLARED,
    _LABEL_RANK,
    _MARKED,
    FactRow,
    GraphIndex,
    Relation,
    _by_language,
    _choose_labels,
    _fact_key,
    _read,
    build_index,
    field_rows,
)
from graph.index.gcpause import collector_paused
from graph.index.mapped import StringColumn
from graph.index.packed_rows import shift_in_place
from graph.index.taxonomy import EdgeChange, Taxonomy
from graph.store.change_log import Change
from graph.store.terms import LiteralValue, Term, Triple

__all__ = ["changed_index"]

#: A subject's (predicate, object) pairs as they will be after the change.
Describe = Callable[[str], list[tuple[str, Term]]]

_TAXONOMY = frozenset({V.TYPE, V.SUB_CLASS_OF})
_NOT_LINKS = frozenset({V.TYPE, V.SUB_CLASS_OF, V.SOURCE, *V.ANNOTATION_PREDICATES})


def changed_index(
    index: GraphIndex,
    change: Change,
    describe: Describe,
    triples: Callable[[], Iterable[Triple]],
) -> GraphIndex:
    """The index of the graph once ``change`` is applied (see the module's words)."""
    with collector_paused():  # copies of big columns would wake full collections, all live
        return _changed(index, change, describe, triples)


def _changed(
    index: GraphIndex,
    change: Change,
    describe: Describe,
    triples: Callable[[], Iterable[Triple]],
) -> GraphIndex:
    grown = _with_new_concepts(index, change, describe)
    if grown is None:
        return build_index(triples(), index.prefixes)
    index = grown
    edges = _edge_change(index, change)
    if edges is None or not _literals_are_local(index, change) or _renames(index, change):
        return build_index(triples(), index.prefixes)
    taxonomy = index.taxonomy.changed(edges)
    gone = _concepts_gone(index, change, describe, taxonomy)
    if gone is None:
        return build_index(triples(), index.prefixes)
    updated = replace(index, taxonomy=taxonomy)
    updated = _with_relations(updated, change, describe)
    updated = _with_texts(updated, change, describe)
    owned = taxonomy.has_own_positions(index.taxonomy)  # made by this change: changed in place
    for node in sorted(gone, reverse=True):  # the last first: a lower number stays as it is
        found = _without_concept(updated, node, owned)
        if found is None:
            return build_index(triples(), index.prefixes)
        updated, owned = found, True
    return updated


def _with_new_concepts(index: GraphIndex, change: Change, describe: Describe) -> GraphIndex | None:
    """The index with the concepts the change adds appended, without edges or texts yet
    (the rest of the update gives them those); the index itself when it adds none; None when
    one cannot be appended (it would have sub-kinds or examples of its own, or the is-a graph
    has a cycle): a build."""
    node_of = index.node_of
    named = {
        t
        for s, p, o in change.added
        if p in _TAXONOMY
        for t in (s, o)
        if isinstance(t, str) and not t.startswith("_:") and not _vocabulary(t) and t not in node_of
    }
    standing = {iri: _standing_after(iri, None, describe, index.taxonomy) for iri in named}
    new = sorted(iri for iri, found in standing.items() if found is not None)
    if not new:
        return index
    if any(p in _TAXONOMY and o in standing for _, p, o in change.added):
        return None  # a new resource with sub-kinds or examples: a build
    size = len(index.iris)
    numbers = range(size, size + len(new))
    rank, by_rank = _ranks_with(index, new)
    taxonomy = index.taxonomy.grown([standing[iri] == "kind" for iri in new], rank, by_rank)
    if taxonomy is None:
        return None
    node_of = LayeredKeys.over(node_of)
    for node, iri in zip(numbers, new, strict=True):
        node_of[iri] = node
    return replace(
        index,
        iris=LayeredList.over(index.iris, dict(zip(numbers, new, strict=True))),
        node_of=node_of,
        labels=LayeredList.over(index.labels, dict.fromkeys(numbers)),
        english_labels=bytearray(index.english_labels) + bytearray(len(new)),
        taxonomy=taxonomy,
        # numbered as these edits came, which no saved file holds: what was built over the
        # saved index (a warm state) is not taken for this one, and a restart that replays
        # the edits saves its own
        saved_id="",
    )


def _ranks_with(index: GraphIndex, new: list[str]) -> tuple[array, array]:
    """Each node's place in IRI order once the ``new`` IRIs (sorted) are appended as nodes,
    and the node at each place (``rank``, ``by_rank``): copies of the old columns, changed in
    place."""
    iris, size = index.iris, len(index.iris)
    rank, by_rank = index.taxonomy.iri_order_columns()
    places = [bisect_left(by_rank, iri, key=iris.__getitem__) for iri in new]
    for place in reversed(places):  # each old place from ``place`` on moves one along
        shift_in_place(rank, 1, above=place - 1)
    for offset, (place, node) in enumerate(zip(places, range(size, size + len(new)), strict=True)):
        rank.append(place + offset)
        by_rank.insert(place + offset, node)
    return rank, by_rank


def _vocabulary(iri: str) -> bool:
    return iri.startswith(V.VOCABULARY_NAMESPACES)


def _edge_change(index: GraphIndex, change: Change) -> EdgeChange | None:
    """The subclass and type edges the change adds and removes; None when a changed triple
    names a resource that is not yet a concept, or a blank node."""
    node_of = index.node_of
    sides: list[set[tuple[int, int]]] = [set(), set(), set(), set()]
    for added, triples in ((True, change.added), (False, change.removed)):
        for s, p, o in triples:
            if s.startswith("_:"):
                return None
            if p not in _TAXONOMY or _vocabulary(s):
                continue
            if not isinstance(o, str) or o.startswith("_:") or _vocabulary(o):
                continue
            if p == V.TYPE and o in (_DECLARED | _MARKED):
                continue
            if s not in node_of or o not in node_of:
                return None  # a new concept: node numbers move
            pair = (node_of[s], node_of[o])
            sides[(0 if p == V.SUB_CLASS_OF else 2) + (0 if added else 1)].add(pair)
    return EdgeChange(*(frozenset(side) for side in sides))


def _literals_are_local(index: GraphIndex, change: Change) -> bool:
    """Whether every changed literal is about a concept, and none is too large to index."""
    huge = {iri for iri, _ in index.huge_literals}
    for s, p, o in (*change.added, *change.removed):
        if isinstance(o, LiteralValue):
            if s not in index.node_of and (p in _LABEL_RANK or p in _ALT):
                return False  # a predicate's label: predicate_labels would change
            if s in huge or len(o.value) > 1_000_000:
                return False
    return True


def _renames(index: GraphIndex, change: Change) -> bool:
    """Whether the change reaches what only a build works out: a predicate the index has no
    name for yet (a new relation or fact predicate, with its inverse name), a property
    declared or undeclared, or a merge (``dcterms:replaces``, the retired IRIs' table)."""
    for s, p, o in (*change.added, *change.removed):
        if p == V.REPLACES or (p == V.TYPE and o in V.RELATION_DECLARATIONS):
            return True
        if p in _NOT_LINKS or p in V.FIELD_LITERAL_PREDICATES or s not in index.node_of:
            continue
        if isinstance(o, LiteralValue):
            if p not in index.predicate_labels:
                return True  # a new fact predicate: its name is worked out in a build
        elif p not in index.relation_predicates:
            return True  # a new relation predicate: its names both ways
    return False


def _concepts_gone(
    index: GraphIndex, change: Change, describe: Describe, taxonomy: Taxonomy
) -> set[int] | None:
    """The concepts the change removes (no longer a kind or an example); None when a resource
    the change's type and subclass triples name changes its standing otherwise (a kind
    becoming an example, or the reverse): a build."""
    named = {
        t
        for s, p, o in (*change.added, *change.removed)
        if p in _TAXONOMY
        for t in (s, o)
        if isinstance(t, str) and not t.startswith("_:") and not _vocabulary(t)
    }
    gone = set()
    for iri in named:
        node = index.node_of.get(iri)
        before = None if node is None else ("kind" if index.taxonomy.is_kind(node) else "example")
        after = _standing_after(iri, node, describe, taxonomy)
        if node is not None and after is None:
            gone.add(node)
        elif before != after:
            return None
    return gone


def _standing_after(
    iri: str, node: int | None, describe: Describe, taxonomy: Taxonomy
) -> str | None:
    """Kind, example or neither, as a build would read it from the graph after the change
    (a resource newly used as a parent or a type is not in the index: the edge change
    already sent that case to a build)."""
    pairs = describe(iri)
    objects = {o for p, o in pairs if p == V.TYPE}
    if any(p == V.SUB_CLASS_OF for p, _ in pairs) or objects & _DECLARED:
        return "kind"
    if node is not None and (taxonomy.child_count(node) or taxonomy.instances(node, 1)):
        return "kind"
    typed = any(
        isinstance(o, str) and not o.startswith("_:") and not _vocabulary(o) for o in objects
    )
    return "example" if typed or objects & _MARKED else None


def _without_concept(index: GraphIndex, node: int, owned: bool) -> GraphIndex | None:
    """The index without ``node``, a concept the change left bare (no edges, texts or
    relations: the rest of the update took them): the last node takes its number. None when
    it is not bare (still described otherwise, which only a build sorts out). ``owned``: the
    taxonomy's pre-order columns were made by this change (see :meth:`Taxonomy.without`)."""
    taxonomy = index.taxonomy
    if index.labels[node] is not None or any(
        node in getattr(index, name) for name in _NODE_COLUMNS
    ):
        return None
    if taxonomy.parents(node, 1) or taxonomy.children(node, 1) or taxonomy.types(node):
        return None
    if taxonomy.instances(node, 1):
        return None
    last = len(index.iris) - 1
    moved: dict[int, Any] = {}
    columns: dict[str, Any] = {}
    for name in _NODE_COLUMNS:
        column = getattr(index, name)
        if last in column and last != node:
            layered = columns[name] = LayeredKeys.over(column)
            layered[node] = layered.pop(last)
    node_of = LayeredKeys.over(index.node_of)
    del node_of[index.iris[node]]
    english = bytearray(index.english_labels[:last])
    by_label, by_alt = index.label_keys
    if last != node:
        iri = index.iris[last]
        node_of[iri] = node
        moved = {node: iri}
        english[node] = index.english_labels[last]
        by_label, by_alt = _renumbered_keys(index, last, node)
        replaced = {old: node if n == last else n for old, n in index.replaced.items()}
        if replaced != dict(index.replaced.items()):
            columns["replaced"] = replaced
    labels = LayeredList.over(index.labels, {node: index.labels[last]} if moved else {}, last)
    return replace(
        index,
        iris=LayeredList.over(index.iris, moved, last),
        node_of=node_of,
        labels=labels,
        english_labels=english,
        label_keys=(by_label, by_alt),
        taxonomy=taxonomy.without(node, owned),
        saved_id="",
        **columns,
    )


def _renumbered_keys(index: GraphIndex, last: int, node: int) -> tuple[LabelIndex, LabelIndex]:
    """The lookup keys with ``last`` filed as ``node`` (it takes the number, and the place in
    IRI order, of a removed concept)."""
    by_label, by_alt = LayeredKeys.over(index.label_keys[0]), LayeredKeys.over(index.label_keys[1])
    preferred, others = _node_keys(index.labels, index.alt_labels, index.label_translations, last)
    for keys, key in (
        *((by_label, k) for k in ([preferred] if preferred else [])),
        *((by_alt, k) for k in others),
        *((by_label, k) for k in others),
    ):
        found = keys.get(key)
        if found == last:
            keys[key] = node
        elif isinstance(found, tuple) and last in found:
            keys[key] = tuple(node if n == last else n for n in found)
    return by_label, by_alt


def _with_relations(index: GraphIndex, change: Change, describe: Describe) -> GraphIndex:
    """The relations (typed links between concepts) the change adds and removes."""
    node_of = index.node_of
    links = [
        (added, Relation(s, p, o))
        for added, triples in ((False, change.removed), (True, change.added))
        for s, p, o in triples
        if p not in _NOT_LINKS
        and isinstance(o, str)
        and not o.startswith("_:")
        and s in node_of
        and o in node_of
    ]
    if not links:
        return index
    out, into = LayeredKeys.over(index.relations_out), LayeredKeys.over(index.relations_in)
    for added, edge in links:
        for rows, node, key in (
            (out, node_of[edge.subject], lambda e: (e.predicate, e.object)),
            (into, node_of[edge.object], lambda e: (e.subject, e.predicate)),
        ):
            kept = set(rows.get(node, ())) - {edge}
            if added:
                kept.add(edge)
            if kept:
                rows[node] = tuple(sorted(kept, key=key))
            else:
                rows.pop(node, None)
    labels = dict(index.predicate_labels)
    for added, edge in links:
        if added and edge.predicate not in labels:
            reading = _read((edge.predicate, p, o) for p, o in describe(edge.predicate))
            keys = reading.labels.get(edge.predicate)
            if keys and min(keys)[1] < 2:
                labels[edge.predicate] = min(keys)[3]
    return replace(index, relations_out=out, relations_in=into, predicate_labels=labels)


#: The per-concept columns an edit may change, as GraphIndex fields (dicts keyed by node).
_TEXT_COLUMNS = (
    "facts",
    "field_literals",
    "alt_labels",
    "label_translations",
    "definitions",
    "definition_translations",
    "sources",
    "mappings",
    "released",
)
#: Every per-node dict column: a removed concept's entries go, the last node's move to its number.
_NODE_COLUMNS = (*_TEXT_COLUMNS, "relations_out", "relations_in")


def _facts(rows: list[FactRow] | None, names: Mapping[str, str]) -> tuple[FactRow, ...] | None:
    """A concept's facts in the build's order (by predicate name, then value)."""
    if not rows:
        return None
    return tuple(sorted(rows, key=lambda r: (names[r.predicate], _fact_key(r))))


def _with_texts(index: GraphIndex, change: Change, describe: Describe) -> GraphIndex:
    """Labels, definitions, facts, identifiers, numbers, sources, mappings and dates of the
    concepts whose literals or sources or mappings changed, read again from their triples; only
    the columns that differ are copied."""
    subjects = sorted(
        {
            s
            for s, p, o in (*change.added, *change.removed)
            if s in index.node_of
            and (isinstance(o, LiteralValue) or p == V.SOURCE or p in V.MAPPING_PREDICATES)
        }
    )
    if not subjects:
        return index
    read: dict[int, dict[str, Any]] = {}
    for iri in subjects:
        reading = _read((iri, p, o) for p, o in describe(iri))
        one, one_alt, one_translations, one_english = _choose_labels(reading, {iri: 0})
        found = reading.mappings.get(iri)
        read[index.node_of[iri]] = {
            "labels": one[0],
            "english_labels": one_english[0],
            "alt_labels": one_alt.get(0),
            "label_translations": one_translations.get(0),
            "definitions": reading.definitions[iri][1] if iri in reading.definitions else None,
            "definition_translations": _by_language(reading.definition_languages, {iri: 0}).get(0),
            "sources": reading.sources.get(iri),
            "mappings": tuple(sorted(found)) if found else None,
            "released": reading.released.get(iri),
            "facts": _facts(reading.facts.get(iri), index.predicate_labels),
            "field_literals": field_rows(found_fields)
            if (found_fields := reading.field_literals.get(iri))
            else None,
        }
    columns: dict[str, Any] = {}
    for name in _TEXT_COLUMNS:
        old = getattr(index, name)
        if any(old.get(node) != values[name] for node, values in read.items()):
            columns[name] = column = LayeredKeys.over(old)
            for node, values in read.items():
                _put(column, node, values[name])
    labels, english = index.labels, index.english_labels
    if any(labels[n] != v["labels"] or english[n] != v["english_labels"] for n, v in read.items()):
        english = bytearray(english)
        for node, values in read.items():
            english[node] = values["english_labels"]
        labels = _replaced(labels, {node: values["labels"] for node, values in read.items()})
        columns.update(labels=labels, english_labels=english)
    if {"labels", "alt_labels", "label_translations"} & columns.keys():
        columns["label_keys"] = _label_keys(index, read.keys(), columns)
    return replace(index, **columns) if columns else index


def _label_keys(
    index: GraphIndex, nodes: Iterable[int], columns: Mapping[str, Any]
) -> tuple[LabelIndex, LabelIndex]:
    """The lookup keys with the given nodes' labels filed again (see :func:`label_keys`)."""
    labels = columns.get("labels", index.labels)
    alt_labels = columns.get("alt_labels", index.alt_labels)
    translations = columns.get("label_translations", index.label_translations)
    by_label, by_alt = LayeredKeys.over(index.label_keys[0]), LayeredKeys.over(index.label_keys[1])
    refile: set[str] = set()
    for node in nodes:
        refile.update(_unindex_labels(by_label, by_alt, index, node))
    for node in nodes:
        refile.update(
            _index_labels(
                by_label, by_alt, labels, alt_labels, translations, node, index.taxonomy.rank_of
            )
        )
    for key in refile:  # an alternative key is filed only where it is not that node's label
        for node in {*nodes_in(by_label.get(key)), *nodes_in(by_alt.get(key))}:
            _, others = _node_keys(labels, alt_labels, translations, node)
            if key in others and by_label.get(key) != node:
                _add(by_alt, key, node, index.taxonomy.rank_of)
            else:
                _drop(by_alt, key, node)
    return by_label, by_alt


def _replaced(
    labels: Sequence[str | None], items: Mapping[int, str | None]
) -> Sequence[str | None]:
    """A label column with some items replaced, sharing the old one (a mapped one its bytes,
    a list built in memory its items)."""
    if isinstance(labels, StringColumn):
        return labels.replaced(items)
    return LayeredList.over(labels, items)


def _put(column: MutableMapping[int, Any], node: int, value: object) -> None:
    if value is None:
        column.pop(node, None)
    else:
        column[node] = value


def _node_keys(
    labels: Sequence[str | None],
    alt_labels: Mapping[int, tuple[str, ...]],
    translations: Mapping[int, tuple[tuple[str, str], ...]],
    node: int,
) -> tuple[str | None, set[str]]:
    """The node's preferred label key and its other keys, as :func:`label_keys` files them."""
    label = labels[node]
    preferred = normalise(label) if label else None
    others = {normalise(a) for a in alt_labels.get(node, ())}
    others |= {normalise(text) for _, text in translations.get(node, ())}
    return preferred, others


def _unindex_labels(
    by_label: LayeredKeys, by_alt: LayeredKeys, index: GraphIndex, node: int
) -> set[str]:
    """Take the node's keys out; the preferred key, whose other holders may need refiling."""
    preferred, others = _node_keys(index.labels, index.alt_labels, index.label_translations, node)
    for key in others:
        _drop(by_alt, key, node)
    if preferred is None:
        return set()
    _drop(by_label, preferred, node)
    return {preferred}


def _index_labels(
    by_label: LayeredKeys,
    by_alt: LayeredKeys,
    labels: list[str | None],
    alt_labels: Mapping[int, tuple[str, ...]],
    translations: Mapping[int, tuple[tuple[str, str], ...]],
    node: int,
    rank_of: Callable[[int], int],
) -> set[str]:
    """File the node's keys; the preferred key, whose other holders may need refiling."""
    preferred, others = _node_keys(labels, alt_labels, translations, node)
    if preferred is not None:
        _add(by_label, preferred, node, rank_of)
    for key in others:
        if by_label.get(key) != node:
            _add(by_alt, key, node, rank_of)
    return set() if preferred is None else {preferred}


def _drop(keys: LayeredKeys, key: str, node: int) -> None:
    found = keys.get(key)
    if found == node:
        del keys[key]
    elif isinstance(found, tuple) and node in found:
        rest = tuple(n for n in found if n != node)
        keys[key] = rest[0] if len(rest) == 1 else rest


def _add(keys: LayeredKeys, key: str, node: int, rank_of: Callable[[int], int]) -> None:
    """File ``node`` under ``key``; several nodes under one key in IRI order."""
    found = keys.get(key)
    if found is None:
        keys[key] = node
    elif isinstance(found, int):
        if found != node:
            keys[key] = tuple(sorted((found, node), key=rank_of))
    elif node not in found:
        keys[key] = tuple(sorted((*found, node), key=rank_of))
