"""The GraphQL schema: queries over the knowledge graph, with limits built once."""

from __future__ import annotations

from dataclasses import dataclass
import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from api.context import Info
from api.limits import Limits
from api.errors import answering, page_size
from api.extensions import GuardedExecution, QueryCache
from api.types import Answer, Concept, ConceptConnection, ConceptKind, ConceptRef, wrap


@strawberry.type
class Query:
    @strawberry.field(description="The concept a reference names, or null when none does.")
    def concept(self, info: Info, id: ConceptRef) -> Concept | None:
        found = answering(lambda: info.context.graph.find(id))
        return None if found is None else Concept.from_domain(found)

    @strawberry.field(description="Concepts in a stable (IRI) order, a page at a time.")
    def concepts(
        self,
        info: Info,
        kind: ConceptKind | None = None,  # type: ignore[valid-type]
        first: int | None = 50,
        after: str | None = None,
    ) -> ConceptConnection:
        size = page_size(info, first, 50)
        page = answering(lambda: info.context.graph.concepts(kind, size, after))
        return ConceptConnection.from_domain(page)

    @strawberry.field(description="Concepts whose labels match the text: exact, prefix, then fuzzy.")
    def search(self, info: Info, text: str, first: int | None = 10) -> list[Concept]:
        size = page_size(info, first, 10)
        return wrap(answering(lambda: info.context.graph.search(text, size)))

    @strawberry.field(
        name="isA",
        description="Whether subject is a sub-kind of object, or an example of it or of a sub-kind.",
    )
    def is_a(self, info: Info, subject: ConceptRef, object: ConceptRef) -> Answer:
        graph = info.context.graph
        holds = answering(lambda: graph.holds_is_a(subject, object))
        return Answer(holds=holds, proof=lambda: graph.is_a(subject, object), graph=graph)

    @strawberry.field(description="Strictly: whether subject is a named example of object or of a sub-kind.")
    def example_of(self, info: Info, subject: ConceptRef, object: ConceptRef) -> Answer:
        graph = info.context.graph
        holds = answering(lambda: graph.holds_example_of(subject, object))
        return Answer(holds=holds, proof=lambda: graph.example_of(subject, object), graph=graph)


def build_schema(limits: Limits = Limits()) -> strawberry.Schema:
    """The schema with cached parsing and validation, the limits, and masked crashes.

    The limit rules are built once here and the cache is shared by every request: a
    factory that built them per request would never hit the validation cache.
    """
    rules = (
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    )
    cache = QueryCache(tuple(rules), limits.max_tokens)
    return _Schema(query=Query, extensions=[lambda: GuardedExecution(cache)])


class _Schema(strawberry.Schema):
    """Strawberry logs every GraphQL error with a traceback, an unknown concept included.

    Client errors (validation, limits, unknown concepts) are answers, not incidents;
    crashes are logged once, with the request id, where they are masked.
    """

    def process_errors(self, errors: list[GraphQLError], execution_context: object = None) -> None:
        return None
