"""The questions the service answers, over an index built once from a store."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property, lru_cache
from itertools import islice

from graph import vocabulary as V
from graph.curies import short_id
from graph.dates import parse_as_of, period_end
from graph.errors import InvalidArgument
from graph.explore.neighbours import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_LENGTH, Adjacency, Link
from graph.explore.related import RelatedRanker
from graph.find.lookup import ConceptResolver
from graph.find.search import Searcher
from graph.index.build import GraphIndex, build_index
from graph.index.taxonomy import Step, Taxonomy
from graph.model import Answer, Concept, ConceptKind, Edge, Mapping, Page, Related, Subgraph
from graph.pagination import decode_cursor, encode_cursor, page_size
from graph.store.oxigraph import Store

__all__ = ["KnowledgeGraph"]

_PREDICATES = {"subclass": V.SUB_CLASS_OF, "type": V.TYPE}


class KnowledgeGraph:
    """Concepts, is-a and example-of with proofs, relations and lookup, read from one store."""

    def __init__(
        self, store: Store, index: GraphIndex | None = None, triple_count: int | None = None
    ) -> None:
        self.store = store
        if triple_count is not None:  # known already (an edit's count): not counted again
            self.__dict__["triple_count"] = triple_count
        self._index: GraphIndex = index or build_index(store.triples(), store.prefixes)
        self._taxonomy: Taxonomy = self._index.taxonomy
        self._made: list[Concept | None] = [None] * len(self._index.iris)
        index = self._index
        self._resolver = ConceptResolver(
            index.node_of,
            index.labels,
            index.label_keys,
            index.prefixes,
            lambda n: f"{self._concept(n).label} ({self._concept(n).id})",
            mapped=_mapped_iris(index.mappings),
        )
        self._searcher = Searcher(index.label_keys, index.labels, index.definitions, self._resolver)
        self._adjacency = Adjacency(
            self._taxonomy, index.relations_out, index.relations_in, index.node_of
        )
        self._search = lru_cache(maxsize=256)(self._search_uncached)

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
        return self._concepts([node for node, _ in self._search(text, kind, under)[:size]])

    def search_count(
        self, text: str, kind: ConceptKind | None = None, under: str | None = None
    ) -> int:
        """How many concepts :meth:`search` finds in all (fuzzy matches count up to 50)."""
        return len(self._search(text, kind, under))

    def _search_uncached(
        self, text: str, kind: ConceptKind | None, under: str | None
    ) -> list[tuple[int, float]]:
        keep = None
        is_kind, is_a = self._taxonomy.is_kind, self._taxonomy.is_a
        wanted = None if kind is None else kind is ConceptKind.CLASS
        root = None if under is None else self._resolve(under)
        if wanted is not None or root is not None:

            def keep(node: int) -> bool:
                return (wanted is None or is_kind(node) == wanted) and (
                    root is None or is_a(node, root)
                )

        return self._searcher.search(text, keep)

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefix map: the loaded files' prefixes with ours on top."""
        return dict(self._index.prefixes)

    # --- listing ------------------------------------------------------------------

    def concepts(
        self, kind: ConceptKind | None = None, first: int = 50, after: str | None = None
    ) -> Page:
        """One page of concepts in IRI order, optionally of one kind."""
        nodes = self._nodes_of_kind[kind]
        iris = self._index.iris
        start = 0
        if after is not None:
            cursor = decode_cursor(after)
            start = bisect_right(nodes, cursor, key=lambda n: iris[n])
        chosen = nodes[start : start + page_size(first)]
        items = self._concepts(chosen)
        end_cursor = encode_cursor(items[-1].iri) if items else None
        return Page(tuple(items), len(nodes), end_cursor, start + len(chosen) < len(nodes))

    def __len__(self) -> int:
        return len(self._index.iris)

    @cached_property
    def triple_count(self) -> int:
        """How many triples the store held when this graph was indexed (counted once)."""
        return len(self.store)

    def __iter__(self) -> Iterator[Concept]:
        """Every concept, in IRI order."""
        return (self._concept(n) for n in range(len(self)))

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
        for node in range(len(iris)) if iri is None else (self._node(iri),):
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
    ) -> list[Concept]:
        """Named examples; with ``as_of`` only those released by then (see :mod:`graph.dates`)."""
        node = self._node(iri)
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
        ends = self._release_ends
        return (n for n in nodes if n in ends and ends[n] <= day)

    @cached_property
    def _release_ends(self) -> dict[int, date]:
        ends = {node: period_end(lexical) for node, (lexical, _) in self._index.released.items()}
        return {node: end for node, end in ends.items() if end is not None}

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

    def all_mappings(self) -> Iterator[tuple[Concept, Mapping]]:
        """Every mapping of every concept, in IRI order (for SSSOM export)."""
        for node in sorted(self._index.mappings):
            for predicate, obj in self._index.mappings[node]:
                yield self._concept(node), Mapping(predicate, obj)

    # --- exploring ------------------------------------------------------------------

    def related(self, reference: str, first: int = 10) -> tuple[list[Related], int]:
        """The concepts most related to one, ranked (see :mod:`graph.related`), and how many were
        scored."""
        node = self._resolve(reference)
        ranker = RelatedRanker(
            self._adjacency, self._taxonomy, self._label_of, self._readable_predicate, len(self)
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
        return self._concept(node).label

    def _readable_predicate(self, predicate: str) -> str:
        return self.predicate_label(predicate) or short_id(predicate, self._index.prefixes)

    def relation_count(self, iri: str) -> int:
        node = self._node(iri)
        return len(self._index.relations_out.get(node, ())) + len(
            self._index.relations_in.get(node, ())
        )

    def relations(self, iri: str, limit: int | None = None) -> list[Edge]:
        """Every other typed edge with this concept as subject or object, outgoing first."""
        node, node_of = self._node(iri), self._index.node_of
        found = (*self._index.relations_out.get(node, ()), *self._index.relations_in.get(node, ()))
        return [
            self._edge((node_of[r.subject], r.predicate, node_of[r.object])) for r in found[:limit]
        ]

    def predicate_label(self, predicate: str) -> str | None:
        """A readable name for a predicate, when the graph gives one."""
        return self._index.predicate_labels.get(predicate)

    def unlabelled(self) -> list[Concept]:
        """Concepts with no label at all (their label falls back to their id)."""
        return [self._concept(n) for n, label in enumerate(self._index.labels) if label is None]

    # --- internals ------------------------------------------------------------------

    def _resolve(self, reference: str) -> int:
        """A node for a reference; full IRIs skip the label tiers."""
        node = self._index.node_of.get(reference)
        return self._resolver.resolve(reference) if node is None else node

    def _node(self, iri: str) -> int:
        return self._index.node_of[iri]

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

    @cached_property
    def _nodes_of_kind(self) -> dict[ConceptKind | None, list[int]]:
        nodes = range(len(self))
        is_kind = self._taxonomy.is_kind
        return {
            None: list(nodes),
            ConceptKind.CLASS: [n for n in nodes if is_kind(n)],
            ConceptKind.EXAMPLE: [n for n in nodes if not is_kind(n)],
        }


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
    mappings: dict[int, tuple[tuple[str, str], ...]],
) -> tuple[dict[str, tuple[int, ...]], ...]:
    """Other vocabularies' IRIs → our nodes, for exact matches and then for close matches."""
    exact: dict[str, tuple[int, ...]] = {}
    close: dict[str, tuple[int, ...]] = {}
    for node, pairs in sorted(mappings.items()):
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
