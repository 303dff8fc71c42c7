"""The GraphQL schema: queries over the knowledge graph, with limits built once."""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from api.errors import answering
from api.graphql.context import Info
from api.graphql.extensions import GuardedExecution, QueryCache
from api.graphql.limits import Limits, page_size
from api.graphql.mutations import Mutation
from api.graphql.types import (
    Answer,
    Concept,
    ConceptConnection,
    ConceptKind,
    ConceptOrder,
    ConceptRef,
    Edge,
    Related,
    RelationFilter,
    Subgraph,
    wrap,
)
from graph import model


@strawberry.type
class Query:
    @strawberry.field(description="The concept a reference names, or null when none does.")
    def concept(self, info: Info, id: ConceptRef) -> Concept | None:
        found = answering(lambda: info.context.graph.find(id))
        return None if found is None else Concept.from_domain(found)

    @strawberry.field(
        description="Concepts a page at a time, in a total order (IRI by default), optionally "
        "filtered; every filter given must hold. A cursor is a place in one order: it stays "
        "valid whatever the filters, and is refused with another orderBy."
    )
    def concepts(
        self,
        info: Info,
        kind: ConceptKind | None = None,  # type: ignore[valid-type]
        under: Annotated[
            str | None,
            strawberry.argument(
                description="Only sub-kinds of this concept and examples of it or of them "
                "(transitively); any reference. With kind: EXAMPLE, the named examples of a kind "
                "through its sub-kinds."
            ),
        ] = None,
        where: Annotated[
            list[RelationFilter] | None,
            strawberry.argument(description="Relation filters, all of which must hold."),
        ] = None,
        released_after: Annotated[
            str | None,
            strawberry.argument(
                description='Only concepts released after this period ("2023", "2023-06" or '
                '"2023-06-30"); a release counts at the end of its own period, as asOf does, '
                'so "2023-06" is not after "2023". Undated concepts never match.'
            ),
        ] = None,
        released_before: Annotated[
            str | None,
            strawberry.argument(
                description="Only concepts released before this period starts (a release "
                'counts at the end of its own period: "2023" is not before "2023-06").'
            ),
        ] = None,
        order_by: ConceptOrder | None = model.ConceptOrder.IRI,  # type: ignore[valid-type]
        first: int | None = 50,
        after: str | None = None,
    ) -> ConceptConnection:
        size = page_size(info, first, 50)
        filters = model.ConceptFilter(
            under=under,
            where=tuple(w.to_domain() for w in where or ()),
            released_after=released_after,
            released_before=released_before,
        )
        graph = info.context.graph
        page = answering(
            lambda: graph.concepts(kind, size, after, filters, order_by or model.ConceptOrder.IRI)
        )
        return ConceptConnection.from_domain(page)

    @strawberry.field(
        description="Concepts matching the text, best first: exact label, other label "
        "(any language), acronym, prefix (autocomplete), word prefix, fuzzy (typos), then "
        "definitions. Optionally only one kind, or only concepts under another (its sub-kinds "
        "and their examples)."
    )
    def search(
        self,
        info: Info,
        text: str,
        first: int | None = 10,
        kind: ConceptKind | None = None,  # type: ignore[valid-type]
        under: ConceptRef | None = None,
    ) -> list[Concept]:
        size = page_size(info, first, 10)
        return wrap(answering(lambda: info.context.graph.search(text, size, kind, under)))

    @strawberry.field(
        description="How many concepts `search` finds in all with the same arguments."
    )
    def search_count(
        self,
        info: Info,
        text: str,
        kind: ConceptKind | None = None,  # type: ignore[valid-type]
        under: ConceptRef | None = None,
    ) -> int:
        return answering(lambda: info.context.graph.search_count(text, kind, under))

    @strawberry.field(
        description="Concepts related to one, best first, each with a score, the reasons in "
        "words and the edges behind them: direct relations, shared neighbours (developer, kind, "
        "modality...) and the most specific kind both fall under. Deterministic for equal scores."
    )
    def related(self, info: Info, id: ConceptRef, first: int | None = 10) -> list[Related]:
        size = page_size(info, first, 10)
        graph = info.context.graph
        found, _total = answering(lambda: graph.related(id, size))
        return [Related.from_domain(r) for r in found]

    @strawberry.field(
        description="How many concepts `related` scores in all (those within two edges)."
    )
    def related_count(self, info: Info, id: ConceptRef) -> int:
        return answering(lambda: info.context.graph.related(id, 0))[1]

    @strawberry.field(
        description="A shortest chain of asserted edges of any relation between two concepts, "
        "each edge walked either way (edges keep their asserted direction); null when none is "
        "within maxLength (at most 12)."
    )
    def path(
        self,
        info: Info,
        from_: Annotated[
            str,
            strawberry.argument(name="from", description="Where the chain starts: any reference."),
        ],
        to: ConceptRef,
        max_length: int | None = 6,
    ) -> list[Edge] | None:
        graph = info.context.graph
        found = answering(lambda: graph.path(from_, to, 6 if max_length is None else max_length))
        return None if found is None else [Edge.from_domain(e) for e in found]

    @strawberry.field(
        description="The concepts within depth edges (at most 3) of one, nearest first, and "
        "every edge among them, for drawing; totalNodes says how many were within reach."
    )
    def neighbourhood(
        self, info: Info, id: ConceptRef, depth: int | None = 1, first: int | None = 100
    ) -> Subgraph:
        size = page_size(info, first, 100)
        graph = info.context.graph
        found = answering(lambda: graph.neighbourhood(id, 1 if depth is None else depth, size))
        return Subgraph.from_domain(found)

    @strawberry.field(
        name="isA",
        description=(
            "Whether subject is a sub-kind of object, or an example of it or of a sub-kind."
        ),
    )
    def is_a(self, info: Info, subject: ConceptRef, object: ConceptRef) -> Answer:
        graph = info.context.graph
        return Answer.asking(graph, subject, object, example=False)

    @strawberry.field(
        description="Strictly: whether subject is a named example of object or of a sub-kind."
    )
    def example_of(self, info: Info, subject: ConceptRef, object: ConceptRef) -> Answer:
        graph = info.context.graph
        return Answer.asking(graph, subject, object, example=True)


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The schema with cached parsing and validation, the limits, and masked crashes.

    The limit rules are built once here and the cache is shared by every request: a
    factory that built them per request would never hit the validation cache.

    Every resolver is a plain strawberry resolver. Hand-written graphql-core resolvers for
    the six hottest fields (past strawberry's per-field wrapper, installed through the
    private ``Schema._schema``) were removed: in process (``schema.execute``, medians of
    7 x 2000) they saved about 8 us of 198 per ``concept(id:)`` and 90 us of 334 per
    isA-with-proof request; over HTTP nothing measurable (``wrk -t2 -c32 -d5s``, one
    uvicorn worker, both variants side by side, medians of 5 runs, direct vs plain:
    concept 1545 vs 1296 req/s, isA 938 vs 1318 req/s, server CPU per request 493 vs
    638 us and 684 vs 659 us, with a run-to-run spread of +-40% on a shared 2-core machine).
    """
    limits = limits or Limits()
    rules = (
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    )
    cache = QueryCache(tuple(rules), limits.max_tokens, max_cost=limits.max_cost)
    schema = _Schema(
        query=Query,
        mutation=Mutation,
        extensions=[lambda: GuardedExecution(cache)],
    )
    schema.query_cache = (
        cache  # the view costs a request before it runs it (api/graphql/admission.py)
    )
    return schema


class _Schema(strawberry.Schema):
    """Strawberry logs every GraphQL error with a traceback, an unknown concept included.

    Client errors (validation, limits, unknown concepts) are answers, not incidents;
    crashes are logged once, with the request id, where they are masked.
    """

    query_cache: QueryCache

    def process_errors(self, errors: list[GraphQLError], execution_context: object = None) -> None:
        return None
