"""GraphQL mutations: authenticated, validated, atomic edits of the graph.

Every mutation is a thin call into :meth:`graph.live.LiveGraph.edit`: the operations
become one change, checked on the would-be graph (SHACL on the touched nodes, cycles and
the other structural checks) and committed whole, or refused whole with every reason
(``INVALID_EDIT``). ``edit`` takes any list of operations as one change; the other fields
are one-operation shorthands. The result is read from the graph the edit produced.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import strawberry
from graphql import GraphQLError

from api.auth import writer
from api.errors import AuthError, Forbidden, graphql_error
from api.graphql.context import Info
from api.graphql.types import Concept, ConceptKind, ConceptRef
from graph.edits import operations as E
from graph.errors import AikgError, QueryLimitExceeded
from graph.model import ConceptKind as DomainKind

__all__ = ["Mutation"]


@strawberry.input(
    description="A new kind (CLASS, a sub-kind of its parents) or named example "
    "(EXAMPLE, of its parents)."
)
class NewConcept:
    id: str = strawberry.field(
        description="Its id, the local name of its IRI: lower-case letters, digits, '-' and '.'."
    )
    label: str
    definition: str
    kind: ConceptKind  # type: ignore[valid-type]
    parents: list[ConceptRef] = strawberry.field(
        description="The kinds it is a sub-kind of (CLASS) or an example of (EXAMPLE)."
    )  # type: ignore[valid-type]
    source: ConceptRef = strawberry.field(
        description="The publication it comes from (dcterms:source)."
    )  # type: ignore[valid-type]
    language: str = "en"


@strawberry.input(description="A label or definition of a concept, in a language.")
class TextInput:
    id: ConceptRef  # type: ignore[valid-type]
    text: str
    language: str = "en"


@strawberry.input(
    description="An edge: predicate IS_A (rdfs:subClassOf), EXAMPLE_OF (rdf:type), "
    "or a relation the schema declares, as a CURIE (aikgs:developedBy) or IRI."
)
class EdgeInput:
    subject: ConceptRef  # type: ignore[valid-type]
    predicate: str
    object: ConceptRef  # type: ignore[valid-type]


@strawberry.input(one_of=True, description="One operation of an edit: set exactly one field.")
class EditOperation:
    add_concept: NewConcept | None = strawberry.UNSET
    remove_concept: ConceptRef | None = strawberry.UNSET  # type: ignore[valid-type]
    set_label: TextInput | None = strawberry.UNSET
    add_alt_label: TextInput | None = strawberry.UNSET
    remove_alt_label: TextInput | None = strawberry.UNSET
    set_definition: TextInput | None = strawberry.UNSET
    add_edge: EdgeInput | None = strawberry.UNSET
    remove_edge: EdgeInput | None = strawberry.UNSET


@strawberry.type(description="A committed edit.")
class EditResult:
    revision: int = strawberry.field(
        description="The revision of the graph this edit made (one more than before)."
    )
    added: int = strawberry.field(description="How many triples it added.")
    removed: int = strawberry.field(description="How many triples it removed.")
    concepts: list[Concept] = strawberry.field(
        description="The concepts it named that still exist, as they are now."
    )


def _operation(op: EditOperation) -> E.Operation:
    if op.add_concept:
        c = op.add_concept
        kind = DomainKind(c.kind.value)  # type: ignore[attr-defined]  # a strawberry enum, made at import
        return E.AddConcept(
            c.id, c.label, c.definition, kind, tuple(c.parents), c.source, c.language
        )
    if op.remove_concept:
        return E.RemoveConcept(op.remove_concept)
    for text, made in (
        (op.set_label, E.SetLabel),
        (op.add_alt_label, E.AddLabel),
        (op.remove_alt_label, E.RemoveLabel),
        (op.set_definition, E.SetDefinition),
    ):
        if text:
            return made(text.id, text.text, text.language)  # type: ignore[operator]
    for edge, made_edge in ((op.add_edge, E.AddEdge), (op.remove_edge, E.RemoveEdge)):
        if edge:
            return made_edge(edge.subject, edge.predicate, edge.object)  # type: ignore[operator]
    raise GraphQLError(
        "An operation must set exactly one field.", extensions={"code": "BAD_USER_INPUT"}
    )


async def _edit(info: Info, operations: Sequence[E.Operation]) -> EditResult:
    """Authenticate, then commit the operations off the event loop; errors say why."""
    context = info.context
    try:
        agent = writer(context.authorization, context.write_tokens)
        if context.live is None:
            raise Forbidden("This server cannot write: it serves a fixed graph.")
        edited = await asyncio.to_thread(context.live.edit, operations, agent, context.deadline)
    except QueryLimitExceeded as error:  # not committed: the request's time limit, a 503
        raise context.over_time(str(error)) from None
    except (AuthError, AikgError) as error:  # codes and statuses: api/errors.py
        raise graphql_error(error) from None
    context.advance(edited.graph)  # this request's later fields read the graph the edit made
    named = {iri for iri in edited.change.subjects_and_objects()}
    concepts = [c for iri in sorted(named) if (c := edited.graph.find_iri(iri)) is not None]
    return EditResult(
        revision=edited.revision,
        added=len(edited.change.added),
        removed=len(edited.change.removed),
        concepts=[Concept.from_domain(c) for c in concepts],
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Apply every operation as one change, validated and committed whole, or none."
    )
    async def edit(self, info: Info, operations: list[EditOperation]) -> EditResult:
        return await _edit(info, [_operation(op) for op in operations])

    @strawberry.mutation(
        description="Add a kind or a named example, with its label, definition and source."
    )
    async def add_concept(self, info: Info, concept: NewConcept) -> EditResult:
        return await _edit(info, [_operation(EditOperation(add_concept=concept))])

    @strawberry.mutation(description="Remove a concept and every triple that names it.")
    async def remove_concept(self, info: Info, id: ConceptRef) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.RemoveConcept(id)])

    @strawberry.mutation(
        description="Set the preferred label in a language (replacing the one there was)."
    )
    async def set_label(
        self, info: Info, id: ConceptRef, label: str, language: str = "en"
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.SetLabel(id, label, language)])

    @strawberry.mutation(description="Add an alternative label.")
    async def add_alt_label(
        self, info: Info, id: ConceptRef, label: str, language: str = "en"
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.AddLabel(id, label, language)])

    @strawberry.mutation(description="Remove an alternative label.")
    async def remove_alt_label(
        self, info: Info, id: ConceptRef, label: str, language: str = "en"
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.RemoveLabel(id, label, language)])

    @strawberry.mutation(
        description="Set the definition in a language (replacing the one there was)."
    )
    async def set_definition(
        self, info: Info, id: ConceptRef, definition: str, language: str = "en"
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.SetDefinition(id, definition, language)])

    @strawberry.mutation(description="Make subject a sub-kind of object (rdfs:subClassOf).")
    async def add_is_a(self, info: Info, subject: ConceptRef, object: ConceptRef) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.AddEdge(subject, "IS_A", object)])

    @strawberry.mutation(description="Remove an asserted is-a edge.")
    async def remove_is_a(self, info: Info, subject: ConceptRef, object: ConceptRef) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.RemoveEdge(subject, "IS_A", object)])

    @strawberry.mutation(description="Make subject a named example of the kind object (rdf:type).")
    async def add_example_of(
        self, info: Info, subject: ConceptRef, object: ConceptRef
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.AddEdge(subject, "EXAMPLE_OF", object)])

    @strawberry.mutation(description="Remove an asserted example-of edge.")
    async def remove_example_of(
        self, info: Info, subject: ConceptRef, object: ConceptRef
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.RemoveEdge(subject, "EXAMPLE_OF", object)])

    @strawberry.mutation(
        description="Add a typed relation (a property the schema declares, as CURIE or IRI)."
    )
    async def add_relation(
        self, info: Info, subject: ConceptRef, predicate: str, object: ConceptRef
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.AddEdge(subject, predicate, object)])

    @strawberry.mutation(description="Remove an asserted typed relation.")
    async def remove_relation(
        self, info: Info, subject: ConceptRef, predicate: str, object: ConceptRef
    ) -> EditResult:  # type: ignore[valid-type]
        return await _edit(info, [E.RemoveEdge(subject, predicate, object)])
