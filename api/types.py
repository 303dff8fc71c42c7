"""GraphQL types: thin wrappers around the domain objects of `graph.model`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry

from api.context import Info
from graph import KnowledgeGraph, model
from graph.pagination import encode_cursor

ConceptKind = strawberry.enum(model.ConceptKind, description="A kind (class) or a named example.")


@strawberry.type(description="A concept: a kind (class) or a named example of one.")
class Concept:
    id: str = strawberry.field(description="Short id: local name in our namespace, else a CURIE or the IRI.")
    iri: str
    label: str = strawberry.field(description="Preferred label (English where there is one).")
    alt_labels: list[str] = strawberry.field(description="Alternative labels: acronyms, plurals, spellings.")
    definition: str | None
    kind: ConceptKind  # type: ignore[valid-type]
    source: str | None = strawberry.field(description="Where the concept comes from (dcterms:source).")
    domain: strawberry.Private[model.Concept]

    @classmethod
    def from_domain(cls, concept: model.Concept) -> Concept:
        return cls(
            id=concept.id,
            iri=concept.iri,
            label=concept.label,
            alt_labels=list(concept.alt_labels),
            definition=concept.definition,
            kind=concept.kind,
            source=concept.source,
            domain=concept,
        )

    @strawberry.field(description="Direct super-kinds (is-a).")
    def parents(self, info: Info) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.parents(self.iri))

    @strawberry.field(description="Direct sub-kinds.")
    def children(self, info: Info) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.children(self.iri))

    @strawberry.field(description="Every super-kind, nearest first; never the concept itself.")
    def ancestors(self, info: Info) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.ancestors(self.iri))

    @strawberry.field(description="Every sub-kind, nearest first; never the concept itself.")
    def descendants(self, info: Info) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.descendants(self.iri))

    @strawberry.field(description="Kinds this concept is directly a named example of.")
    def types(self, info: Info) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.types(self.iri))

    @strawberry.field(description="Every kind this concept is an example of, through super-kinds too.")
    def all_types(self, info: Info) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.all_types(self.iri))

    @strawberry.field(description="Named examples of this kind, and by default of its sub-kinds too.")
    def examples(self, info: Info, transitive: bool | None = True) -> list[Concept]:
        info.context.check_time()
        return wrap(info.context.graph.examples(self.iri, transitive is not False))

    @strawberry.field(description="Every other typed edge with this concept at either end, outgoing first.")
    def relations(self, info: Info) -> list[Edge]:
        info.context.check_time()
        graph = info.context.graph
        return [Edge.from_domain(edge, graph) for edge in graph.relations(self.iri)]


@strawberry.type(description="One asserted edge between two concepts.")
class Edge:
    subject: Concept
    predicate: str = strawberry.field(description="The predicate's full IRI.")
    predicate_label: str | None = strawberry.field(
        description='A readable name: "is a", "example of", "developed by"...'
    )
    object: Concept
    source: str | None = strawberry.field(description="The source of the edge's subject (dcterms:source), if any.")

    @classmethod
    def from_domain(cls, edge: model.Edge, graph: KnowledgeGraph) -> Edge:
        """Resolve both ends once, so every field is a plain attribute (cheap to execute)."""
        subject = graph.get(edge.subject)
        return cls(
            subject=Concept.from_domain(subject),
            predicate=edge.predicate,
            predicate_label=graph.predicate_label(edge.predicate),
            object=Concept.from_domain(graph.get(edge.object)),
            source=subject.source,
        )


@strawberry.type(description="A yes/no answer with the chain of asserted edges that proves it.")
class Answer:
    holds: bool
    proof: strawberry.Private[Callable[[], model.Answer]]
    graph: strawberry.Private[KnowledgeGraph]

    @strawberry.field(description="From subject to object; empty when the answer is no.")
    def path(self) -> list[Edge]:
        if not self.holds:
            return []
        return [Edge.from_domain(e, self.graph) for e in self.proof().path]


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
            edges=[ConceptEdge(cursor=encode_cursor(n.iri), node=n) for n in nodes],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )


def wrap(concepts: list[model.Concept] | tuple[model.Concept, ...]) -> list[Concept]:
    """Wrap domain concepts for GraphQL."""
    return [Concept.from_domain(c) for c in concepts]


ConceptRef = Annotated[
    str,
    strawberry.argument(description="An id, full IRI, CURIE, or any label or alternative label."),
]
