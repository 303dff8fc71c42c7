"""GraphQL types: thin wrappers around the domain objects of `graph.model`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import strawberry
from graphql import GraphQLError

from api.errors import answering
from api.graphql.context import Info
from api.graphql.limits import page_size
from graph import KnowledgeGraph, model

T = TypeVar("T")

ConceptKind = strawberry.enum(model.ConceptKind, description="A kind (class) or a named example.")
ConceptOrder = strawberry.enum(
    model.ConceptOrder,
    description="The order of a list: by IRI, by label (case-insensitively), by release date "
    "oldest or newest first (a year or month counts at its end, as asOf does), or by a model's "
    "published parameter count smallest or largest first; concepts without the value come last "
    "in both directions. Ties go by IRI, so every order is total.",
)


@strawberry.input(
    description="Keep concepts with an edge of this predicate to the object or to any part of it "
    '(aikgs:partOf, transitively: a model developed by Meta AI matches object "Meta"); of '
    '"member of family", to the object or any series in it (a Llama 3 model is in the Llama '
    "family)."
)
class RelationFilter:
    predicate: str = strawberry.field(
        description='A relation\'s IRI, CURIE or readable label: "developed by", '
        '"aikgs:developedBy".'
    )
    object: str = strawberry.field(description="Any concept reference: id, label, IRI, CURIE.")

    def to_domain(self) -> model.RelationFilter:
        return model.RelationFilter(self.predicate, self.object)


Direction = strawberry.enum(
    model.Direction,
    description="Which end of an edge the concept is: its subject (OUT), its object (IN), or "
    "either (BOTH).",
)


@strawberry.type(description="A concept: a kind (class) or a named example of one.")
class Concept:
    id: str = strawberry.field(
        description="Short id: local name in our namespace, else a CURIE or the IRI."
    )
    iri: str
    alt_labels: list[str] = strawberry.field(
        description="Alternative labels: acronyms, plurals, spellings."
    )
    kind: ConceptKind  # type: ignore[valid-type]
    source: str | None = strawberry.field(
        description="Where the concept comes from (dcterms:source)."
    )
    released: str | None = strawberry.field(
        description="Release date of a named example (dcterms:issued): a year, year-month or "
        "date, as known."
    )
    domain: strawberry.Private[model.Concept]

    @classmethod
    def from_domain(cls, concept: model.Concept) -> Concept:
        return cls(
            id=concept.id,
            iri=concept.iri,
            alt_labels=list(concept.alt_labels),
            kind=concept.kind,
            source=concept.source,
            released=concept.released,
            domain=concept,
        )

    @strawberry.field(
        description="Preferred label in the language asked for (a BCP 47 tag), else in English."
    )
    def label(self, info: Info, lang: Lang = None) -> str:
        return self.domain.label if lang is None else info.context.graph.label_in(self.iri, lang)

    @strawberry.field(description="Definition in the language asked for, else in English.")
    def definition(self, info: Info, lang: Lang = None) -> str | None:
        return (
            self.domain.definition
            if lang is None
            else info.context.graph.definition_in(self.iri, lang)
        )

    @strawberry.field(
        description="Preferred labels in every language the graph has, by language tag."
    )
    def labels(self, info: Info) -> list[LocalizedLabel]:
        return [
            LocalizedLabel(lang=tag, value=text)
            for tag, text in info.context.graph.labels(self.iri)
        ]

    @strawberry.field(
        description="Mappings to concepts of other vocabularies (skos:exactMatch, closeMatch...)."
    )
    def mappings(self, info: Info) -> list[Mapping]:
        return [
            Mapping.from_domain(m, info.context.graph)
            for m in info.context.graph.mappings(self.iri)
        ]

    @strawberry.field(
        description="Identifiers in other schemes (arXiv id, DOI, URL, Wikidata id), each with "
        "its address; empty when the graph has none."
    )
    def identifiers(self, info: Info) -> list[Identifier]:
        return [Identifier.from_domain(i) for i in info.context.graph.identifiers(self.iri)]

    @strawberry.field(
        description="A named model's parameter count, all experts included (a Float: counts "
        "pass GraphQL's 32-bit Int); null when unknown or undisclosed."
    )
    def parameters(self, info: Info) -> float | None:
        return _as_float(self._numbers(info).parameters)

    @strawberry.field(
        description="A mixture-of-experts model's parameters active for one token (a Float); "
        "null when unknown."
    )
    def active_parameters(self, info: Info) -> float | None:
        return _as_float(self._numbers(info).active_parameters)

    @strawberry.field(
        description="The most tokens a named model reads at once (its context window); null "
        "when unknown."
    )
    def context_length(self, info: Info) -> int | None:
        return self._numbers(info).context_length

    @strawberry.field(
        description="How many tokens a named model was pre-trained on (a Float); null when "
        "unknown or undisclosed."
    )
    def training_tokens(self, info: Info) -> float | None:
        return _as_float(self._numbers(info).training_tokens)

    def _numbers(self, info: Info) -> model.ModelNumbers:
        graph = info.context.graph
        return answering(lambda: graph.model_numbers(self.iri))

    @strawberry.field(description="Direct super-kinds (is-a).")
    def parents(self, info: Info, first: First = 100) -> list[Concept]:
        return wrap(info.context.graph.parents(self.iri, _size(info, first)))

    @strawberry.field(description="Direct sub-kinds; childCount says how many there are.")
    def children(self, info: Info, first: First = 100) -> list[Concept]:
        return wrap(info.context.graph.children(self.iri, _size(info, first)))

    @strawberry.field(description="How many direct sub-kinds there are.")
    def child_count(self, info: Info) -> int:
        return info.context.graph.child_count(self.iri)

    @strawberry.field(description="Every super-kind, nearest first; never the concept itself.")
    def ancestors(self, info: Info, first: First = 100) -> list[Concept]:
        return wrap(info.context.graph.ancestors(self.iri, _size(info, first)))

    @strawberry.field(
        description=(
            "Sub-kinds in pre-order (each before its own sub-kinds); never the concept itself."
        )
    )
    def descendants(self, info: Info, first: First = 100, offset: int = 0) -> list[Concept]:
        size = _size(info, first)
        return wrap(info.context.graph.descendants(self.iri, _offset(offset), size))

    @strawberry.field(description="How many sub-kinds there are, transitively.")
    def descendant_count(self, info: Info) -> int:
        return info.context.graph.descendant_count(self.iri)

    @strawberry.field(description="Kinds this concept is directly a named example of.")
    def types(self, info: Info, first: First = 100) -> list[Concept]:
        return wrap(info.context.graph.types(self.iri, _size(info, first)))

    @strawberry.field(
        description="Every kind this concept is an example of, through super-kinds too."
    )
    def all_types(self, info: Info, first: First = 100) -> list[Concept]:
        return wrap(info.context.graph.all_types(self.iri, _size(info, first)))

    @strawberry.field(
        description="Named examples of this kind, and by default of its sub-kinds too; with "
        "asOf only those released by that date (a year or month counts from its end; undated "
        "examples are left out)."
    )
    def examples(
        self,
        info: Info,
        transitive: bool | None = True,
        first: First = 100,
        offset: int = 0,
        as_of: AsOf = None,
        order_by: Annotated[
            ConceptOrder | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="The order; by default kinds in pre-order, each with its examples."
            ),
        ] = None,
    ) -> list[Concept]:
        size = _size(info, first)
        graph = info.context.graph
        return wrap(
            answering(
                lambda: graph.examples(
                    self.iri, transitive is not False, _offset(offset), size, as_of, order_by
                )
            )
        )

    @strawberry.field(
        description="How many named examples `examples` lists with the same arguments."
    )
    def example_count(self, info: Info, transitive: bool | None = True, as_of: AsOf = None) -> int:
        graph = info.context.graph
        return answering(lambda: graph.example_count(self.iri, transitive is not False, as_of))

    @strawberry.field(
        description="Every other typed edge (not is-a or example-of) with this concept at "
        "either end, outgoing first; optionally of one predicate, with the concept at one end."
    )
    def relations(
        self,
        info: Info,
        predicate: PredicateRef = None,
        direction: Direction = model.Direction.BOTH,  # type: ignore[valid-type]
        first: First = 100,
    ) -> list[ConceptRelation]:
        size = _size(info, first)
        graph = info.context.graph
        found = answering(lambda: graph.relations(self.iri, size, predicate, direction))
        return [ConceptRelation.from_domain(relation) for relation in found]

    @strawberry.field(description="How many typed edges `relations` lists with the same filters.")
    def relation_count(
        self,
        info: Info,
        predicate: PredicateRef = None,
        direction: Direction = model.Direction.BOTH,  # type: ignore[valid-type]
    ) -> int:
        graph = info.context.graph
        return answering(lambda: graph.relation_count(self.iri, predicate, direction))

    @strawberry.field(
        description="Every literal statement about the concept but its labels and definitions "
        "(notes, licence, title, release date...), by predicate name, then value."
    )
    def facts(self, info: Info) -> list[Fact]:
        return [Fact.from_domain(fact) for fact in info.context.graph.facts(self.iri)]


@strawberry.type(description="One asserted edge between two concepts.")
class Edge:
    subject: Concept
    predicate: str = strawberry.field(description="The predicate's full IRI.")
    predicate_label: str | None = strawberry.field(
        description='A readable name: "is a", "example of", "developed by"...'
    )
    object: Concept
    source: str | None = strawberry.field(
        description="The source of the edge's subject (dcterms:source), if any."
    )

    @classmethod
    def from_domain(cls, edge: model.Edge) -> Edge:
        """Every field a plain attribute (cheap to execute)."""
        return cls(
            subject=Concept.from_domain(edge.subject),
            predicate=edge.predicate,
            predicate_label=edge.predicate_label,
            object=Concept.from_domain(edge.object),
            source=edge.subject.source,
        )


@strawberry.type(
    description="An asserted edge seen from one of its ends (the concept whose relations list it)."
)
class ConceptRelation:
    subject: Concept
    predicate: str = strawberry.field(description="The predicate's full IRI.")
    predicate_label: str = strawberry.field(
        description='Its name, read from the subject: "developed by", "succeeds"...'
    )
    object: Concept
    source: str | None = strawberry.field(
        description="The source of the edge's subject (dcterms:source), if any."
    )
    direction: Direction = strawberry.field(  # type: ignore[valid-type]
        description="OUT when the concept is the subject, IN when it is the object."
    )
    phrase: str = strawberry.field(
        description='The predicate read from the concept\'s side: "succeeds" (OUT), "succeeded '
        'by" (IN).'
    )
    reading: str = strawberry.field(
        description='The edge in words from the concept\'s side: "succeeded by Mixtral 8x22B".'
    )
    domain: strawberry.Private[model.ConceptRelation]

    @strawberry.field(description="The concept at the other end.")
    def other(self) -> Concept:
        return Concept.from_domain(self.domain.other)

    @classmethod
    def from_domain(cls, relation: model.ConceptRelation) -> ConceptRelation:
        """Plain attributes but ``other`` (made only when asked: most queries select the ends)."""
        return cls(
            subject=Concept.from_domain(relation.subject),
            predicate=relation.predicate,
            predicate_label=relation.predicate_label or relation.predicate,
            object=Concept.from_domain(relation.object),
            source=relation.subject.source,
            direction=relation.direction,
            phrase=relation.phrase,
            reading=relation.reading,
            domain=relation,
        )


@strawberry.type(description="A literal statement about a concept: a note, a licence, a date...")
class Fact:
    predicate: str = strawberry.field(description="The predicate's full IRI.")
    predicate_label: str = strawberry.field(description='Its name: "note", "licence", "title"...')
    value: str = strawberry.field(description="The literal's lexical form, as written.")
    datatype: str | None = strawberry.field(
        description="The datatype's IRI (xsd:date, xsd:gYear...); null for a language-tagged text."
    )
    language: str | None = strawberry.field(description="The language tag of a text, if any.")

    @classmethod
    def from_domain(cls, fact: model.Fact) -> Fact:
        return cls(
            predicate=fact.predicate,
            predicate_label=fact.predicate_label,
            value=fact.value,
            datatype=fact.datatype,
            language=fact.language,
        )


@strawberry.type(description="A yes/no answer with the chain of asserted edges that proves it.")
class Answer:
    holds: bool
    proof: strawberry.Private[Callable[[], model.Answer]]
    explain: strawberry.Private[Callable[[], str | None]]

    @strawberry.field(description="From subject to object; empty when the answer is no.")
    def path(self) -> list[Edge]:
        if not self.holds:
            return []
        return [Edge.from_domain(e) for e in self.proof().path]

    @strawberry.field(
        description="When the answer is no, what the graph can add: a family or series asked "
        'as a model names its member models of which it holds ("Llama 3 is a model family or '
        'series, not a model; 2 of its 2 member models are ..."); a kind asked as an example '
        "says whether it is a sub-kind. Null otherwise."
    )
    def note(self) -> str | None:
        return None if self.holds else self.explain()

    @classmethod
    def asking(cls, graph: KnowledgeGraph, subject: str, obj: str, example: bool) -> Answer:
        """Is-a (or, with ``example``, strictly example-of): both references resolved once; the
        proof and the note, built only when asked for, reuse them."""
        s, o = answering(lambda: (graph.resolve(subject).iri, graph.resolve(obj).iri))
        holds, prove = (
            (graph.example_of, graph.prove_example_of)
            if example
            else (graph.is_a, graph.prove_is_a)
        )
        return cls(
            holds=holds(s, o),
            proof=lambda: prove(s, o),
            explain=lambda: graph.why_not(s, o, strictly_example=example),
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ConceptEdge:
    cursor: str
    node: Concept


@strawberry.type(description="One page of concepts in a stable order.")
class ConceptConnection:
    total_count: int
    nodes: list[Concept]
    edges: list[ConceptEdge]
    page_info: PageInfo

    @classmethod
    def from_domain(cls, page: model.Page) -> ConceptConnection:
        nodes = wrap(page.items)
        return cls(
            total_count=page.total_count,
            nodes=nodes,
            edges=[
                ConceptEdge(cursor=cursor, node=n)
                for cursor, n in zip(page.cursors, nodes, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )


@strawberry.type(description="A label with its language tag.")
class LocalizedLabel:
    lang: str
    value: str


@strawberry.type(
    description="A mapping from our concept to a concept of another vocabulary (SKOS)."
)
class Mapping:
    predicate: str = strawberry.field(
        description="The SKOS mapping property's full IRI (skos:exactMatch...)."
    )
    relation: str = strawberry.field(
        description='Its local name: "exactMatch", "closeMatch", "broadMatch"...'
    )
    iri: str = strawberry.field(description="The other vocabulary's concept.")
    concept: Concept | None = strawberry.field(
        description="That concept, when the graph holds it too."
    )

    @classmethod
    def from_domain(cls, mapping: model.Mapping, graph: KnowledgeGraph) -> Mapping:
        target = graph.find_iri(mapping.iri)
        return cls(
            predicate=mapping.predicate,
            relation=mapping.predicate.rsplit("#", 1)[-1],
            iri=mapping.iri,
            concept=None if target is None else Concept.from_domain(target),
        )


@strawberry.type(
    description="An identifier of a concept in another scheme, and the address it resolves to."
)
class Identifier:
    scheme: str = strawberry.field(
        description='The scheme, lower-case: "arxiv", "doi", "url" or "wikidata".'
    )
    value: str = strawberry.field(
        description='The identifier as the scheme writes it ("2001.08361", "10.1038/323533a0").'
    )
    url: str | None = strawberry.field(
        description="The address it resolves to (https://arxiv.org/abs/ID, https://doi.org/DOI, "
        "the URL itself); null when the value is not in the scheme's form."
    )

    @classmethod
    def from_domain(cls, identifier: model.Identifier) -> Identifier:
        return cls(scheme=identifier.scheme, value=identifier.value, url=identifier.url)


@strawberry.type(
    description="A concept related to another: how much, why in words, and through which edges."
)
class Related:
    concept: Concept
    score: float = strawberry.field(
        description="Higher is more related; comparable within one answer."
    )
    reasons: list[str] = strawberry.field(
        description='Why, strongest first: "both developed by OpenAI"...'
    )
    via: list[Edge] = strawberry.field(description="The asserted edges the reasons rest on.")

    @classmethod
    def from_domain(cls, related: model.Related) -> Related:
        return cls(
            concept=Concept.from_domain(related.concept),
            score=related.score,
            reasons=list(related.reasons),
            via=[Edge.from_domain(e) for e in related.via],
        )


@strawberry.type(description="Concepts around one concept and the edges among them, for drawing.")
class Subgraph:
    nodes: list[Concept] = strawberry.field(
        description="Nearest first; the concept asked about comes first."
    )
    edges: list[Edge] = strawberry.field(
        description="Every asserted edge between two of the nodes."
    )
    total_nodes: int = strawberry.field(
        description="How many concepts are within reach (nodes holds the first)."
    )

    @classmethod
    def from_domain(cls, subgraph: model.Subgraph) -> Subgraph:
        return cls(
            nodes=wrap(subgraph.nodes),
            edges=[Edge.from_domain(e) for e in subgraph.edges],
            total_nodes=subgraph.total_nodes,
        )


def _as_float(count: int | None) -> float | None:
    """A count as a GraphQL Float: parameter and token counts pass the 32-bit Int's range."""
    return None if count is None else float(count)


def _size(info: Info, first: int | None) -> int:
    """The page size asked for, checked against the limit, after checking the time limit."""
    info.context.check_time()
    return page_size(info, first, 100)


def _first(info: Info, first: int | None, items: list[T]) -> list[T]:
    return items[: _size(info, first)]


def _offset(offset: int) -> int:
    if offset < 0:
        raise GraphQLError(
            f"'offset' must be 0 or more, got {offset}.", extensions={"code": "BAD_USER_INPUT"}
        )
    return offset


def wrap(concepts: list[model.Concept] | tuple[model.Concept, ...]) -> list[Concept]:
    """Wrap domain concepts for GraphQL."""
    return [Concept.from_domain(c) for c in concepts]


First = Annotated[
    int | None,
    strawberry.argument(description="How many to return at most (the page size limit applies)."),
]
Lang = Annotated[
    str | None, strawberry.argument(description='A language tag: "de", "fr", "es", "zh"...')
]
AsOf = Annotated[
    str | None,
    strawberry.argument(
        description='Only what was released by this date: "2022-12-31", "2022-12" or "2022".'
    ),
]

PredicateRef = Annotated[
    str | None,
    strawberry.argument(
        description="Only edges of this predicate: its IRI, a CURIE (aikgs:developedBy), its name "
        '("developed by") or its name read from the object ("developer of", which swaps OUT and '
        "IN)."
    ),
]

ConceptRef = Annotated[
    str,
    strawberry.argument(description="An id, full IRI, CURIE, or any label or alternative label."),
]
