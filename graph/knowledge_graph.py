"""The questions the service answers, over an index built once from a store."""

from __future__ import annotations

import collections.abc
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property, lru_cache, partial
from itertools import islice
from typing import Any

import numpy as np

from graph import vocabulary as V
from graph.curies import short_id
from graph.dates import parse_as_of, parse_period
from graph.errors import InvalidArgument
from graph.explore.identifiers import identifiers
from graph.explore.neighbours import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_LENGTH, Adjacency, Link
from graph.explore.predicates import PredicateWords
from graph.explore.related import RelatedRanker
from graph.explore.why_not import why_not
from graph.find.lookup import ConceptResolver
from graph.find.search import Searcher
from graph.index.build import GraphIndex, Relation, build_index
from graph.index.numbers import model_numbers
from graph.index.orders import SORT_KEYS, Ordering
from graph.index.selection import Selector, next_carry
from graph.index.taxonomy import Step, Taxonomy
from graph.model import (
    Answer,
    Concept,
    ConceptFilter,
    ConceptKind,
    ConceptOrder,
    ConceptRelation,
    Direction,
    Edge,
    Fact,
    Identifier,
    Mapping,
    ModelNumbers,
    Page,
    Related,
    Subgraph,
)
from graph.pagination import (
    decode_position,
    encode_position,
    page_size,
)
from graph.store.oxigraph import Store

__all__ = ["KnowledgeGraph"]

NO_FILTER = ConceptFilter()

_PREDICATES = {"subclass": V.SUB_CLASS_OF, "type": V.TYPE}
#: From this many edges on one side of a concept, its edges there are grouped by predicate on
#: the first filtered request and the groups kept (only hubs have that many).
GROUPED_FROM = 256


class KnowledgeGraph:
    """Concepts, is-a and example-of with proofs, relations and lookup, read from one store."""

    def __init__(
        self,
        store: Store,
        index: GraphIndex | None = None,
        triple_count: int | None = None,
        *,
        edited: bool = False,
        previous: KnowledgeGraph | None = None,
        touched: Iterable[str] = (),
    ) -> None:
        """``edited``: the graph an edit made, which remembers the concepts it makes in a dict
        (a list of a slot per node, 16 MB at two million nodes, cost an edit 20-50 ms to
        allocate on this machine; reading a dict costs a page of 50 concepts a few µs more).
        ``previous`` and ``touched``: the graph the edit changed and the resources its triples
        name; where node numbers stayed, what ``previous`` built on first use (search's word
        indexes, the filters' columns, the lists' orders) is patched for those nodes on first
        use here instead of built again (:meth:`Searcher.carry_over`,
        :meth:`Selector.carry_over`, :meth:`Ordering.patched`).
        """
        self.store = store
        if triple_count is not None:  # known already (an edit's count): not counted again
            self.__dict__["triple_count"] = triple_count
        self._index: GraphIndex = index or build_index(store.triples(), store.prefixes)
        self._taxonomy: Taxonomy = self._index.taxonomy
        self._made: list[Concept | None] | _NoneIfUnmade = (
            _NoneIfUnmade() if edited else [None] * len(self._index.iris)
        )
        index = self._index
        node_of = index.node_of
        self._iri_nodes: dict[str, int] = node_of if type(node_of) is dict else {}
        self._resolver = ConceptResolver(
            index.node_of,
            index.labels,
            index.label_keys,
            index.prefixes,
            partial(_label_and_id, index),
            mapped=_mapped_iris(index.mappings, self._taxonomy.rank_of),
            replaced=index.replaced,
        )
        self._adjacency = Adjacency(
            self._taxonomy, index.relations_out, index.relations_in, index.node_of
        )
        self._searcher = Searcher(
            index.label_keys,
            index.labels,
            index.alt_labels,
            index.definitions,
            self._resolver,
            self._adjacency.incoming,
            index.label_translations,
            self._taxonomy.rank_of,
        )
        self._selector = Selector(index)
        self._orderings: dict[ConceptOrder, Ordering] = {}
        #: A graph whose orderings are built, and the nodes touched since (see carry-over).
        self._orderings_from: tuple[KnowledgeGraph, frozenset[int]] | None = None
        if previous is not None and previous.index.numbering is index.numbering:
            found = {node_of.get(iri) for iri in touched}
            before = previous.index.iris
            for number in range(len(index.iris), len(before)):  # the last nodes, renumbered
                found |= {number, node_of.get(before[number])}  # (or removed) by the edit
            nodes = frozenset(n for n in found if n is not None)
            self._searcher.carry_over(previous._searcher, nodes)
            self._selector.carry_over(previous._selector, nodes)
            self._carry_orderings(previous, nodes)
        # the cache and the resolver hold no reference back to this graph: a graph an edit
        # replaced is freed at once, not by the cycle collector (whose pauses during edits
        # kept several versions' columns alive, so each edit wrote to memory fresh from the
        # kernel: 100-200 ms more to add a concept at a million kinds)
        self._search = lru_cache(maxsize=256)(partial(_searched, self._searcher, self._taxonomy))
        self._ordered_kinds: dict[tuple[ConceptOrder, ConceptKind | None], np.ndarray] = {}
        self._grouped: dict[tuple[int, Direction], dict[str, tuple[Relation, ...]]] = {}
        self._words = PredicateWords(
            index.predicate_labels, index.inverse_labels, index.relation_predicates, index.prefixes
        )

    @property
    def index(self) -> GraphIndex:
        """The reasoning index this graph answers from (read it, never change it)."""
        return self._index

    # --- lookup ---------------------------------------------------------------------

    def find(self, reference: str) -> Concept | None:
        """The concept a reference names, or None; ambiguous references raise."""
        node = self._resolver.find(reference)
        return None if node is None else self._concept(node)

    def resolve(self, reference: str) -> Concept:
        """The concept a reference names; unknown ones raise with suggestions."""
        return self._concept(self._resolver.resolve(reference))

    def find_iri(self, iri: str) -> Concept | None:
        """The concept with exactly this IRI, or None when the IRI is not a concept."""
        node = self._index.node_of.get(iri)
        return None if node is None else self._concept(node)

    def get(self, iri: str) -> Concept:
        """The concept with exactly this IRI (for IRIs this graph handed out)."""
        return self._concept(self._index.node_of[iri])

    def search(
        self, text: str, first: int = 10, kind: ConceptKind | None = None, under: str | None = None
    ) -> list[Concept]:
        """Concepts matching ``text`` (see :mod:`graph.search`), best first; optionally only
        of one kind, or only those that are a ``under`` (its sub-kinds and their examples)."""
        size = page_size(first)
        found = self._search(text, kind, self._search_root(under))
        return self._concepts([node for node, _ in found[:size]])

    def search_count(
        self, text: str, kind: ConceptKind | None = None, under: str | None = None
    ) -> int:
        """How many concepts :meth:`search` finds in all (fuzzy matches count up to 50)."""
        return len(self._search(text, kind, self._search_root(under)))

    def _search_root(self, under: str | None) -> int | None:
        """The kind a search's ``under`` names (its node: what the cache is keyed by)."""
        return None if under is None else self._kind(under)

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefix map: the loaded files' prefixes with ours on top."""
        return dict(self._index.prefixes)

    # --- listing ------------------------------------------------------------------

    def concepts(
        self,
        kind: ConceptKind | None = None,
        first: int = 50,
        after: str | None = None,
        filters: ConceptFilter = NO_FILTER,
        order: ConceptOrder = ConceptOrder.IRI,
    ) -> Page:
        """One page of concepts, optionally of one kind and filtered, in ``order``.

        Without filters a page is a slice of the order, found by bisection; with filters,
        the filters' masks over every node are combined and the page is a partial sort of
        the members' ranks (linear in the nodes, in numpy). ``after`` is a cursor of the
        same order (see :mod:`graph.pagination`).
        """
        size = page_size(first)
        ordering = self._ordering(order)
        mask = self._mask(kind, filters) if filters else None
        start = 0 if after is None else self._start(ordering, after, order)
        if mask is None:
            nodes = self._in_order(order, kind)
            rank = ordering.rank
            start = bisect_left(nodes, start, key=lambda n: rank[n]) if start else 0
            chosen, total = nodes[start : start + size].tolist(), len(nodes)
            remaining = total - start
        else:
            members = np.flatnonzero(mask)
            chosen, remaining = ordering.first(members, start, size)
            total = len(members)
        items = self._concepts(chosen)
        cursors = tuple(encode_position(order.value, ordering.position(n)) for n in chosen)
        return Page(
            tuple(items), total, cursors[-1] if cursors else None, remaining > len(chosen), cursors
        )

    def _mask(self, kind: ConceptKind | None, filters: ConceptFilter) -> np.ndarray:
        """Every filter's mask, ANDed (each reference resolved, each date read, first)."""
        selector = self._selector
        masks = [] if kind is None else [selector.kinds(kind is ConceptKind.CLASS)]
        if filters.under is not None:
            masks.append(selector.under(self._kind(filters.under)))
        for where in filters.where:
            predicate, inverted = self.relation_predicate(where.predicate, forward_only=True)
            if inverted:
                raise InvalidArgument(
                    f"A relation filter reads from the concept listed: name the predicate "
                    f"{self._words.label(predicate)!r}, not its inverse {where.predicate!r}."
                )
            masks.append(selector.related_to(predicate, self._resolve(where.object)))
        if filters.released_after is not None or filters.released_before is not None:
            after = filters.released_after
            before = filters.released_before
            masks.append(
                selector.released(
                    None if after is None else parse_period(after, "releasedAfter")[1],
                    None if before is None else parse_period(before, "releasedBefore")[0],
                )
            )
        found = masks[0]
        for mask in masks[1:]:
            found &= mask
        return found

    def _start(self, ordering: Ordering, after: str, order: ConceptOrder) -> int:
        """The rank just after a cursor's place in the order."""
        try:
            return ordering.after(decode_position(after, order.value))
        except TypeError:  # a forged cursor whose value is of the wrong type for this order
            raise InvalidArgument(
                f"'after' is not a cursor this service issued: {after!r}."
            ) from None

    def _ordering(self, order: ConceptOrder) -> Ordering:
        found = self._orderings.get(order)
        if found is None:
            key = SORT_KEYS[order]
            values, iris = key.values(self._selector), self._index.iris
            carried = self._orderings_from
            built = None if carried is None else carried[0]._orderings.get(order)
            if built is not None and carried is not None:
                found = built.patched(values, iris, carried[1])
            else:
                found = Ordering.build(iris, values, key.descending, self._taxonomy.rank)
            self._orderings[order] = found
        return found

    def _carry_orderings(self, previous: KnowledgeGraph, touched: frozenset[int]) -> None:
        """Take ``previous``'s built orders for the first lists asked of this graph, patched
        for the ``touched`` nodes (:meth:`Ordering.patched`) instead of sorted again (seconds
        at a million kinds); as the selector carries its columns (:meth:`Selector.carry_over`).
        """
        built = bool(previous._orderings)
        self._orderings_from = next_carry(previous, built, previous._orderings_from, touched)
        if built:
            previous._orderings_from = None

    def _in_order(self, order: ConceptOrder, kind: ConceptKind | None) -> np.ndarray:
        """Every node of one kind in one order, kept once asked for."""
        found = self._ordered_kinds.get((order, kind))
        if found is None:
            nodes = self._ordering(order).nodes
            if kind is not None:
                nodes = nodes[self._selector.kinds(kind is ConceptKind.CLASS)[nodes]]
            found = self._ordered_kinds[(order, kind)] = nodes
        return found

    def __len__(self) -> int:
        return len(self._index.iris)

    def warm(self) -> None:
        """Build now what is otherwise built on first use: the triple count, search's word
        indexes, the filters' columns and every order of the lists.
        ``aikg serve --workers N`` calls it before forking, so the workers share these instead
        of each building its own (and counting an in-memory Oxigraph store writes to every
        page of it)."""
        _ = self.triple_count
        self._searcher.warm()
        self._selector.warm()
        for order in ConceptOrder:
            self._ordering(order)

    def warmed_by_use(self) -> bool:
        """Whether questions (or a state taken, or edits carrying one over) have built search's
        word indexes and the filters' columns: then :meth:`warm_state` patches and sorts, and
        builds nothing from every key (half a minute at a million kinds)."""
        return self._searcher.in_use() and self._selector.in_use()

    def warm_state(self) -> dict[str, Any]:
        """Everything :meth:`warm` builds, to be saved beside an on-disk store's index and
        taken by a graph over the same index (:meth:`take_warm_state`) instead of built again:
        half a minute at a million kinds, a few seconds to read."""
        self.warm()
        return {
            "triple_count": self.triple_count,
            "search": self._searcher.built(),
            "filters": self._selector.built(),
            "orders": {order.value: (o.nodes, o.rank) for order, o in self._orderings.items()},
        }

    def take_warm_state(self, state: collections.abc.Mapping[str, Any]) -> None:
        """Take what :meth:`warm_state` gave, of a graph over the same index (the caller
        checks that: :func:`graph.index.persistence.load_warm`)."""
        count, search, filters, orders = (
            state[part] for part in ("triple_count", "search", "filters", "orders")
        )  # every part found before any is taken
        self.__dict__["triple_count"] = count
        self._searcher.take_built(search)
        self._selector.take_built(filters)
        for value, (nodes, rank) in orders.items():
            order = ConceptOrder(value)
            key = SORT_KEYS[order]
            values = key.values(self._selector)
            self._orderings[order] = Ordering(nodes, rank, values, key.descending, self._index.iris)
        self._orderings_from = None

    @cached_property
    def triple_count(self) -> int:
        """How many triples the store held when this graph was indexed (counted once)."""
        return len(self.store)

    @property
    def known_triple_count(self) -> int | None:
        """The triple count if it was counted (or given) already; None rather than count."""
        return self.__dict__.get("triple_count")

    def __iter__(self) -> Iterator[Concept]:
        """Every concept, in IRI order."""
        return (self._concept(n) for n in self._taxonomy.in_iri_order())

    # --- is-a and example-of --------------------------------------------------------

    def is_a(self, subject: str, obj: str) -> bool:
        """Whether ``subject`` is a sub-kind of ``obj``, or an example of it or of a sub-kind."""
        return self._taxonomy.is_a(self._resolve(subject), self._resolve(obj))

    def example_of(self, subject: str, obj: str) -> bool:
        """Whether ``subject`` is a named example of ``obj`` or of one of its sub-kinds."""
        s, o = self._resolve(subject), self._resolve(obj)
        return not self._taxonomy.is_kind(s) and self._taxonomy.is_example_of(s, o)

    def prove_is_a(self, subject: str, obj: str) -> Answer:
        """:meth:`is_a` with the chain of asserted edges that proves it."""
        s, o = self._resolve(subject), self._resolve(obj)
        return self._answer(self._taxonomy.is_a_proof(s, o))

    def prove_example_of(self, subject: str, obj: str) -> Answer:
        """:meth:`example_of` with the chain of asserted edges that proves it."""
        s, o = self._resolve(subject), self._resolve(obj)
        return self._answer(self._taxonomy.example_of_proof(s, o))

    def why_not(self, subject: str, obj: str, strictly_example: bool = False) -> str | None:
        """For an answer that is no: what the graph can add (a family asked as a model, a
        kind asked as an example; see :mod:`graph.explore.why_not`), else None."""
        s, o = self._resolve(subject), self._resolve(obj)
        iris = self._index.iris
        return why_not(self, iris[s], iris[o], strictly_example)

    # Lists take a ``limit``: only the concepts returned are made (a root may have 100,000
    # children).

    def parents(self, iri: str, limit: int | None = None) -> list[Concept]:
        return self._concepts(self._taxonomy.parents(self._node(iri), limit))

    def children(self, iri: str, limit: int | None = None) -> list[Concept]:
        return self._concepts(self._taxonomy.children(self._node(iri), limit))

    def child_count(self, iri: str) -> int:
        return self._taxonomy.child_count(self._node(iri))

    def ancestors(self, iri: str, limit: int | None = None) -> list[Concept]:
        return self._concepts(self._taxonomy.ancestors(self._node(iri))[:limit])

    def descendants(self, iri: str, offset: int = 0, limit: int | None = None) -> list[Concept]:
        return self._concepts(self._taxonomy.descendants(self._node(iri), offset, limit))

    def descendant_count(self, iri: str) -> int:
        return self._taxonomy.descendant_count(self._node(iri))

    def types(self, iri: str, limit: int | None = None) -> list[Concept]:
        return self._concepts(self._taxonomy.types(self._node(iri))[:limit])

    def all_types(self, iri: str, limit: int | None = None) -> list[Concept]:
        return self._concepts(self._taxonomy.all_types(self._node(iri))[:limit])

    def entailed(self, iri: str | None = None) -> Iterator[tuple[str, str, str]]:
        """The is-a and example-of triples the index entails but the graph does not assert.

        ``rdfs:subClassOf`` to every ancestor that is not a parent, ``rdf:type`` to every
        kind above a direct type; strict, as everywhere here (never a concept to itself).
        Of one concept, or of every concept in IRI order, yielded one at a time.
        """
        iris, taxonomy = self._index.iris, self._taxonomy
        for node in taxonomy.in_iri_order() if iri is None else (self._node(iri),):
            parents = taxonomy.parents(node)
            for ancestor in taxonomy.ancestors(node):
                if ancestor not in parents:
                    yield iris[node], V.SUB_CLASS_OF, iris[ancestor]
            types = taxonomy.types(node)
            if types:
                for kind in taxonomy.all_types(node):
                    if kind not in types:
                        yield iris[node], V.TYPE, iris[kind]

    def examples(
        self,
        iri: str,
        transitive: bool = True,
        offset: int = 0,
        limit: int | None = None,
        as_of: str | None = None,
        order: ConceptOrder | None = None,
    ) -> list[Concept]:
        """Named examples; with ``as_of`` only those released by then (see :mod:`graph.dates`).

        Without ``order``, kinds in pre-order with their examples; with one, in that order.
        """
        node = self._node(iri)
        if order is not None:  # linear in the examples, not in the graph
            members = np.unique(self._taxonomy.below(node, transitive)[1])
            if as_of is not None:
                members = self._selector.released_among(members, parse_as_of(as_of))
            stop = len(self) if limit is None else offset + limit
            chosen, _ = self._ordering(order).first(members, 0, stop)
            return self._concepts(chosen[offset:])
        if as_of is None:
            return self._concepts(self._taxonomy.examples(node, transitive, offset, limit))
        released = self._released_by(parse_as_of(as_of), self._taxonomy.examples(node, transitive))
        return self._concepts(
            list(islice(released, offset, None if limit is None else offset + limit))
        )

    def example_count(self, iri: str, transitive: bool = True, as_of: str | None = None) -> int:
        node = self._node(iri)
        if as_of is None:
            return self._taxonomy.example_count(node, transitive)
        return sum(
            1
            for _ in self._released_by(
                parse_as_of(as_of), self._taxonomy.examples(node, transitive)
            )
        )

    def _released_by(self, day: date, nodes: Iterable[int]) -> Iterator[int]:
        days, last = self._selector.release_days, day.toordinal()
        return (n for n in nodes if n in days and days[n] <= last)

    # --- languages and mappings -----------------------------------------------------

    def label_in(self, iri: str, language: str | None) -> str:
        """The preferred label in a language (``de``, ``zh``…), falling back to the usual label."""
        node = self._node(iri)
        found = _in_language(self._index.languages_of_label(node), language)
        return found if found is not None else self._concept(node).label

    def definition_in(self, iri: str, language: str | None) -> str | None:
        """The definition in a language, falling back to the usual (English) definition."""
        node = self._node(iri)
        found = _in_language(self._index.definition_translations.get(node, ()), language)
        return found if found is not None else self._concept(node).definition

    def labels(self, iri: str) -> list[tuple[str, str]]:
        """Every language-tagged preferred label, as sorted (language tag, label) pairs."""
        return list(self._index.languages_of_label(self._node(iri)))

    def mappings(self, iri: str) -> list[Mapping]:
        """The concept's SKOS mappings to other vocabularies, by predicate then IRI."""
        return [Mapping(p, o) for p, o in self._index.mappings.get(self._node(iri), ())]

    def identifiers(self, iri: str) -> list[Identifier]:
        """The concept's identifiers (arXiv id, DOI, URL, Wikidata id) with their addresses."""
        return identifiers(self._index.field_literals.get(self._node(iri), ()))

    def model_numbers(self, iri: str) -> ModelNumbers:
        """A named model's parameters, active parameters, context length and training tokens."""
        return model_numbers(iri, self._index.field_literals.get(self._node(iri), ()))

    def all_mappings(self) -> Iterator[tuple[Concept, Mapping]]:
        """Every mapping of every concept, in IRI order (for SSSOM export)."""
        for node in sorted(self._index.mappings, key=self._taxonomy.rank_of):
            for predicate, obj in self._index.mappings[node]:
                yield self._concept(node), Mapping(predicate, obj)

    # --- exploring ------------------------------------------------------------------

    def related(self, reference: str, first: int = 10) -> tuple[list[Related], int]:
        """The concepts most related to one, ranked (see :mod:`graph.related`), and how many were
        scored."""
        node = self._resolve(reference)
        ranker = RelatedRanker(
            self._adjacency, self._taxonomy, self._label_of, self._words, len(self)
        )
        found, total = ranker.rank(node, page_size(first))
        return [
            Related(
                self._concept(r.node), r.score, r.reasons, tuple(self._edge(link) for link in r.via)
            )
            for r in found
        ], total

    def path(self, start: str, goal: str, max_length: int = 6) -> list[Edge] | None:
        """A shortest chain of asserted edges of any relation, walked either way; None when none."""
        if not 0 <= max_length <= MAX_PATH_LENGTH:
            raise InvalidArgument(
                f"'maxLength' must be between 0 and {MAX_PATH_LENGTH}, got {max_length}."
            )
        links = self._adjacency.shortest_path(self._resolve(start), self._resolve(goal), max_length)
        return None if links is None else [self._edge(link) for link in links]

    def neighbourhood(self, reference: str, depth: int = 1, first: int = 100) -> Subgraph:
        """The concepts within ``depth`` edges, nearest first, and the edges among them."""
        if not 0 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
            raise InvalidArgument(
                f"'depth' must be between 0 and {MAX_NEIGHBOURHOOD_DEPTH}, got {depth}."
            )
        found = self._adjacency.neighbourhood(self._resolve(reference), depth, page_size(first))
        return Subgraph(
            tuple(self._concepts(found.nodes)),
            tuple(self._edge(link) for link in found.links),
            found.total,
        )

    def _edge(self, link: Link) -> Edge:
        subject, predicate, obj = link
        return Edge(
            self._concept(subject), predicate, self.predicate_label(predicate), self._concept(obj)
        )

    def _label_of(self, node: int) -> str:
        """A node's label as its concept has it, without making the concept (ranking related
        concepts reads the labels of a hundred candidates and answers with ten)."""
        made = self._made[node]
        if made is not None:
            return made.label
        index = self._index
        return index.labels[node] or short_id(index.iris[node], index.prefixes)

    # --- relations and facts --------------------------------------------------------

    def relations(
        self,
        iri: str,
        limit: int | None = None,
        predicate: str | None = None,
        direction: Direction = Direction.BOTH,
    ) -> list[ConceptRelation]:
        """The typed edges (not is-a or example-of) at a concept, outgoing then incoming, each
        in its asserted order; optionally of one predicate (see :meth:`relation_predicate`) and
        with the concept at one end only."""
        found = (
            (side, edge)
            for side, edges in self._relations_at(self._node(iri), predicate, direction)
            for edge in edges
        )
        return [self._relation(side, edge) for side, edge in islice(found, limit)]

    def relation_count(
        self, iri: str, predicate: str | None = None, direction: Direction = Direction.BOTH
    ) -> int:
        """How many edges :meth:`relations` lists with the same arguments."""
        return sum(
            len(edges) for _, edges in self._relations_at(self._node(iri), predicate, direction)
        )

    def relation_predicate(self, reference: str, forward_only: bool = False) -> tuple[str, bool]:
        """The relation predicate an IRI, CURIE, name or inverse name refers to, and whether it
        was the inverse name; unknown ones raise with the known names (with ``forward_only``,
        suggesting only names read from the subject, as a filter takes)."""
        return self._words.resolve(reference, forward_only)

    def facts(self, iri: str) -> list[Fact]:
        """Every literal statement of a concept but those given as fields (labels, definitions,
        identifiers, a model's numbers), by predicate name, then value."""
        label = self._words.label
        return [
            Fact(row.predicate, label(row.predicate), row.value, row.datatype, row.language)
            for row in self._index.facts.get(self._node(iri), ())
        ]

    def predicate_label(self, predicate: str) -> str:
        """A readable name for a predicate: its label, else a standard term's name, else words
        from its local name."""
        return self._words.label(predicate)

    def _relations_at(
        self, node: int, predicate: str | None, direction: Direction
    ) -> list[tuple[Direction, Sequence[Relation]]]:
        """The node's edges on each side asked for, outgoing first, of one predicate if given
        (resolved here, so an unknown one raises before anything is listed)."""
        wanted = None
        if predicate is not None:
            wanted, inverted = self._words.resolve(predicate)
            if inverted and direction is not Direction.BOTH:
                direction = Direction.IN if direction is Direction.OUT else Direction.OUT
        index = self._index
        found: list[tuple[Direction, Sequence[Relation]]] = []
        for side, edges in (
            (Direction.OUT, index.relations_out.get(node, ())),
            (Direction.IN, index.relations_in.get(node, ())),
        ):
            if direction is Direction.BOTH or direction is side:
                found.append((side, edges if wanted is None else self._of(node, side, wanted)))
        return found

    def _of(self, node: int, side: Direction, predicate: str) -> Sequence[Relation]:
        """A node's edges on one side with one predicate: filtered when few, else grouped by
        predicate once and remembered (a hub with 100,000 edges is read once, not per request)."""
        edges = (
            self._index.relations_out if side is Direction.OUT else self._index.relations_in
        ).get(node, ())
        if len(edges) < GROUPED_FROM:
            return [edge for edge in edges if edge.predicate == predicate]
        grouped = self._grouped.get((node, side))
        if grouped is None:
            groups: dict[str, list[Relation]] = {}
            for edge in edges:
                groups.setdefault(edge.predicate, []).append(edge)
            grouped = self._grouped[(node, side)] = {p: tuple(g) for p, g in groups.items()}
        return grouped.get(predicate, ())

    def _relation(self, side: Direction, edge: Relation) -> ConceptRelation:
        node_of, words = self._index.node_of, self._words
        subject, obj = self._concept(node_of[edge.subject]), self._concept(node_of[edge.object])
        label, phrase, reading = words.words(subject.label, edge.predicate, obj.label, side)
        return ConceptRelation(subject, edge.predicate, label, obj, side, phrase, reading)

    def unlabelled(self) -> list[Concept]:
        """Concepts with no label at all (their label falls back to their id)."""
        return [self._concept(n) for n, label in enumerate(self._index.labels) if label is None]

    # --- internals ------------------------------------------------------------------

    def _kind(self, reference: str) -> int:
        """The kind an ``under`` names; a named example (whose ``under`` would always be
        empty) is refused, saying what to ask instead."""
        node = self._resolve(reference)
        if self._taxonomy.is_kind(node):
            return node
        label = self._label_of(node)
        family = self._index.node_of.get(V.MODEL_FAMILY)
        if family is not None and self._taxonomy.is_a(node, family):
            raise InvalidArgument(
                f"{label!r} is a model family or series, not a kind, so nothing is under it: "
                f'to list its models, ask concepts(where: [{{predicate: "member of family", '
                f'object: "{label}"}}]).'
            )
        kinds = ", ".join(self._label_of(k) for k in self._taxonomy.types(node)) or "none"
        raise InvalidArgument(
            f"{label!r} is a named example, not a kind, so nothing is under it; `under` takes "
            f"a kind (its kinds: {kinds})."
        )

    def _resolve(self, reference: str) -> int:
        """A node for a reference; full IRIs skip the label tiers.

        An IRI is looked up in a plain dict first: the built index's own, or for a reopened
        index (:class:`graph.index.mapped.NodeNumbers`, a dict subclass, which Python's
        subscript does not specialise: 30-40 ns more per look-up) the IRIs found so far.
        """
        try:
            return self._iri_nodes[reference]
        except KeyError:
            pass
        node = self._index.node_of.get(reference)
        if node is None:
            return self._resolver.resolve(reference)
        self._iri_nodes[reference] = node
        return node

    def _node(self, iri: str) -> int:
        """The node of an IRI this graph handed out (KeyError for any other)."""
        try:
            return self._iri_nodes[iri]
        except KeyError:
            node = self._iri_nodes[iri] = self._index.node_of[iri]
            return node

    def _concept(self, node: int) -> Concept:
        made = self._made[node]
        if made is None:
            made = self._made[node] = self._make_concept(node)
        return made

    def _make_concept(self, node: int) -> Concept:
        index = self._index
        iri = index.iris[node]
        identifier = short_id(iri, index.prefixes)
        return Concept(
            iri=iri,
            id=identifier,
            label=index.labels[node] or identifier,
            alt_labels=index.alt_labels.get(node, ()),
            definition=index.definitions.get(node),
            kind=ConceptKind.CLASS if self._taxonomy.is_kind(node) else ConceptKind.EXAMPLE,
            source=index.sources.get(node),
            released=index.released[node][0] if node in index.released else None,
        )

    def _concepts(self, nodes: Sequence[int]) -> list[Concept]:
        made = self._made
        return [made[n] or self._concept(n) for n in nodes]

    def _answer(self, steps: list[Step] | None) -> Answer:
        if steps is None:
            return Answer(False)
        return Answer(True, tuple(self._edge((s, _PREDICATES[p], o)) for s, p, o in steps))


class _NoneIfUnmade(dict[int, Concept]):
    """Concepts by node, read as a list of them is: ``None`` for one not made yet."""

    __slots__ = ()

    def __missing__(self, node: int) -> None:
        return None


def _in_language(texts: Sequence[tuple[str, str]], language: str | None) -> str | None:
    """The text tagged ``language``, else one sharing its primary subtag (``zh`` ↔ ``zh-hans``)."""
    if not language or not texts:
        return None
    wanted = language.lower()
    primary = wanted.split("-")[0]
    exact = [text for tag, text in texts if tag == wanted]
    if exact:
        return exact[0]
    close = [text for tag, text in texts if tag.split("-")[0] == primary]
    return close[0] if close else None


def _mapped_iris(
    mappings: collections.abc.Mapping[int, tuple[tuple[str, str], ...]],
    rank_of: collections.abc.Callable[[int], int],
) -> tuple[dict[str, tuple[int, ...]], ...]:
    """Other vocabularies' IRIs → our nodes (in IRI order), for exact matches and then for
    close matches."""
    exact: dict[str, tuple[int, ...]] = {}
    close: dict[str, tuple[int, ...]] = {}
    for node, pairs in sorted(mappings.items(), key=lambda item: rank_of(item[0])):
        for predicate, iri in pairs:
            target = (
                exact
                if predicate == V.EXACT_MATCH
                else close
                if predicate == V.CLOSE_MATCH
                else None
            )
            if target is not None:
                target[iri] = (*target.get(iri, ()), node)
    return exact, close


def _label_and_id(index: GraphIndex, node: int) -> str:
    """ "label (id)": how an ambiguous reference's candidates are named."""
    identifier = short_id(index.iris[node], index.prefixes)
    return f"{index.labels[node] or identifier} ({identifier})"


def _searched(
    searcher: Searcher,
    taxonomy: Taxonomy,
    text: str,
    kind: ConceptKind | None,
    root: int | None,
) -> list[tuple[int, float]]:
    """Search's (node, score) matches, kept to kinds or examples and below ``root`` where
    given."""
    keep = None
    is_kind, is_a = taxonomy.is_kind, taxonomy.is_a
    wanted = None if kind is None else kind is ConceptKind.CLASS
    if wanted is not None or root is not None:

        def keep(node: int) -> bool:
            return (wanted is None or is_kind(node) == wanted) and (
                root is None or is_a(node, root)
            )

    return searcher.search(text, keep)
