"""The hottest fields, resolved by graphql-core directly, past strawberry's per-field wrapper.

Strawberry runs every resolver through a wrapper that builds an ``Info``, converts the
arguments and chains field extensions: about 60 µs per field on this machine, more than
the question itself costs. The fields below keep their strawberry declaration (types,
arguments and descriptions: the committed SDL does not change); only the function
graphql-core calls is replaced, by one that makes the same one-line call into the graph.
``tests/test_api/test_direct.py`` runs the same queries with and without them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLResolveInfo

from api.graphql.errors import answering
from api.graphql.types import Answer, Concept, Edge

Resolver = Callable[..., Any]


def _concept(_root: object, info: GraphQLResolveInfo, id: str) -> Concept | None:
    found = answering(lambda: info.context.graph.find(id))
    return None if found is None else Concept.from_domain(found)


def _is_a(_root: object, info: GraphQLResolveInfo, subject: str, object: str) -> Answer:
    graph = info.context.graph
    return Answer.asking(graph, subject, object, graph.is_a, graph.prove_is_a)


def _example_of(_root: object, info: GraphQLResolveInfo, subject: str, object: str) -> Answer:
    graph = info.context.graph
    return Answer.asking(graph, subject, object, graph.example_of, graph.prove_example_of)


def _label(concept: Concept, info: GraphQLResolveInfo, lang: str | None = None) -> str:
    return concept.domain.label if lang is None else info.context.graph.label_in(concept.iri, lang)


def _definition(concept: Concept, info: GraphQLResolveInfo, lang: str | None = None) -> str | None:
    return concept.domain.definition if lang is None else info.context.graph.definition_in(concept.iri, lang)


def _path(answer: Answer, _info: GraphQLResolveInfo) -> list[Edge]:
    if not answer.holds:
        return []
    return [Edge.from_domain(e) for e in answer.proof().path]


DIRECT: dict[tuple[str, str], Resolver] = {
    ("Query", "concept"): _concept,
    ("Query", "isA"): _is_a,
    ("Query", "exampleOf"): _example_of,
    ("Concept", "label"): _label,
    ("Concept", "definition"): _definition,
    ("Answer", "path"): _path,
}


def install(schema: strawberry.Schema) -> None:
    """Point the hot fields of the built schema at the direct resolvers."""
    type_map = schema._schema.type_map  # the graphql-core schema strawberry built
    for (type_name, field_name), resolve in DIRECT.items():
        type_map[type_name].fields[field_name].resolve = resolve  # type: ignore[union-attr]
