"""The static cost of a GraphQL query: how many objects it could return, known before it runs.

The rule, after GitHub's node limit: every field whose type is an object (or a list of
objects) costs the number of objects it could return along its path, and its children are
multiplied by that number.

* A field with a ``first`` argument multiplies its children by ``first`` as given (literal or
  variable), else by the schema's default. A list field costs that many objects; a field that
  returns one object holding the page (a connection: ``concepts``, ``neighbourhood``) costs one.
* A list field without ``first`` is sized by :data:`LIST_SIZES` (``ConceptConnection.nodes`` is
  the connection's page, so 1; a proof's path at most 12 edges), else :data:`OTHER_LIST_SIZE`.
* Scalar and enum fields cost nothing: they come with their object.
* A filter that reads a whole set of concepts (:data:`FILTER_ARGUMENTS`: ``concepts``'
  ``under``, ``where``, dates; ``examples``' ``orderBy``) adds
  :data:`FILTER_COST` each time the field runs (each item of a list argument counts).
* Aliases add up (each is a field of its own); fragments count where they are spread, once per
  spread; ``@skip`` and ``@include`` are honoured; ``__typename`` is free and ``__schema`` or
  ``__type`` cost :data:`INTROSPECTION_COST` (bounded by the schema, not the data).

Cost is linear in the multiplier, so each fragment is costed once per type and the walk is
linear in the document, however often a fragment is spread: a small "fragment bomb" gets its
astronomic cost computed in microseconds, and refused.

Example, on a schema of the same shape as ours::

    >>> from graphql import build_schema, parse
    >>> schema = build_schema('''
    ...   type Query { concept(id: String!): Concept
    ...                concepts(first: Int = 50): ConceptConnection! }
    ...   type ConceptConnection { totalCount: Int!  nodes: [Concept!]! }
    ...   type Concept { id: String!  children(first: Int = 100): [Concept!]! }
    ... ''')
    >>> query_cost(schema, parse('{ concept(id: "x") { id } }'))
    1
    >>> query_cost(schema, parse('{ concept(id: "x") { children { id } } }'))
    101
    >>> query_cost(schema, parse('{ concepts(first: 10) { nodes { children(first: 5) { id } } } }'))
    61
    >>> query = ('query($n: Int) { a: concept(id: "x") { children(first: $n) { id } } '
    ...          'b: concept(id: "y") { id } }')
    >>> query_cost(schema, parse(query), {"n": 7})
    9
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values, get_directive_values, get_variable_values
from graphql.utilities import get_operation_ast

__all__ = [
    "FILTER_ARGUMENTS", "FILTER_COST", "INTROSPECTION_COST", "LIST_SIZES", "OTHER_LIST_SIZE",
    "cost_error", "query_cost",
]  # fmt: skip

#: Lists without ``first``, by ``Type.field``: how many items each can hold at most (or,
#: inside a connection, 1: the connection's ``first`` already counts them).
LIST_SIZES: dict[str, int] = {
    "ConceptConnection.nodes": 1,
    "ConceptConnection.edges": 1,
    "Subgraph.nodes": 1,  # neighbourhood(first) nodes
    "Subgraph.edges": 4,  # the edges among them: 3.1 per node on the bundled ontology at depth 3
    "Query.path": 12,  # maxLength is at most 12
    "Answer.path": 12,  # a proof: one edge per level of the hierarchy
    "Concept.facts": 10,  # literal statements: at most 6 on a bundled concept, 3 or fewer on most
}
#: Any other list of objects without ``first`` (labels, mappings, a relation's reasons...).
OTHER_LIST_SIZE = 10
#: Arguments that make a field read a whole set of concepts (graph/index/selection.py): a
#: filter is a numpy pass over every concept, or over every example of a kind for an
#: ordered ``examples`` (``kind``, CLASS or EXAMPLE, is precomputed and free).
FILTER_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "Query.concepts": ("under", "where", "releasedAfter", "releasedBefore"),
    "Concept.examples": ("orderBy",),
}
#: One filter's cost, as objects: ``under`` the root took 7 ms at 200,000 concepts (warm,
#: 2026-12-04), so about 70 ms at 2,000,000 (a million kinds), as long as returning some
#: 600 objects takes (the 30,030-object query takes about 3.4 s).
FILTER_COST = 1000
#: ``__schema`` or ``__type``: a flat cost; their size is the schema's, whatever the data.
INTROSPECTION_COST = 50


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> int | None:
    """The cost of the operation the request runs, or None when it will not run at all.

    None when no operation is selected or the variables do not fit their declarations:
    execution then fails before any resolver runs, with graphql-core's own error.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {})
    )
    if isinstance(coerced, list):  # errors
        return None
    root = _root_type(schema, operation)
    if root is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Walk(schema, fragments, coerced).cost(root, operation.selection_set)


def cost_error(cost: int, limit: int) -> GraphQLError:
    """The refusal of a query over the cost limit, naming both (a GraphQL error: never masked)."""
    return GraphQLError(
        f"The query could return {cost:,} objects; the limit is {limit:,} (the cost limit). "
        "Ask for smaller pages (`first`) or fewer nested lists.",
        extensions={"code": "LIMIT_EXCEEDED", "limit": "max_cost", "value": limit, "cost": cost},
    )


def _root_type(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> GraphQLObjectType | None:
    kind = operation.operation.value
    return {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[kind]


class _Walk:
    """One walk over a document: selection sets costed per unit multiplier, fragments memoised."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Any,  # coerced by graphql-core (its VariableValues in newer releases)
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[tuple[str, str], int] = {}
        self.visiting: set[str] = set()

    def cost(self, parent: GraphQLObjectType, selection_set: SelectionSetNode | None) -> int:
        """Objects one ``parent`` object's selections could return."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                total += self._field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(
                    inner if is_object_type(inner) else parent, selection.selection_set
                )  # type: ignore[arg-type]
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread(parent, selection.name.value)
        return total

    def _field(self, parent: GraphQLObjectType, node: FieldNode) -> int:
        name = node.name.value
        if name in ("__schema", "__type"):
            return INTROSPECTION_COST
        field = parent.fields.get(name)
        if field is None:  # __typename, or an unknown field validation refuses
            return 0
        item = get_named_type(field.type)
        if not is_object_type(item):
            return 0  # a scalar or an enum: part of its object
        is_list = is_list_type(get_nullable_type(field.type))  # type: ignore[arg-type]
        size = self._size(parent, name, field, node, is_list)
        objects = (size if is_list else 1) + size * self.cost(item, node.selection_set)  # type: ignore[arg-type]
        return objects + self._filters(f"{parent.name}.{name}", field, node)

    def _filters(self, name: str, field: GraphQLField, node: FieldNode) -> int:
        """:data:`FILTER_COST` for each filter given (each item of a list of them)."""
        names = FILTER_ARGUMENTS.get(name)
        if not names:
            return 0
        given = get_argument_values(field, node, self.variables)
        count = 0
        for argument in names:
            value = given.get(argument)
            if isinstance(value, list):
                count += len(value)
            elif value is not None:
                count += 1
        return count * FILTER_COST

    def _size(
        self,
        parent: GraphQLObjectType,
        name: str,
        field: GraphQLField,
        node: FieldNode,
        is_list: bool,
    ) -> int:
        """How many objects each of the field's results multiplies its children by."""
        if "first" in field.args:
            given = get_argument_values(field, node, self.variables).get("first")
            size = field.args["first"].default_value if given is None else given
            return max(int(size or 0), 0)  # a negative page is refused by the resolver
        if is_list:
            return LIST_SIZES.get(f"{parent.name}.{name}", OTHER_LIST_SIZE)
        return 1

    def _spread(self, parent: GraphQLObjectType, name: str) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:  # unknown or cyclic: validation refuses both
            return 0
        key = (name, parent.name)
        if key not in self.memo:
            inner = self.schema.get_type(fragment.type_condition.name.value)
            self.visiting.add(name)
            self.memo[key] = self.cost(
                inner if is_object_type(inner) else parent, fragment.selection_set
            )  # type: ignore[arg-type]
            self.visiting.discard(name)
        return self.memo[key]

    def _included(self, node: FieldNode | InlineFragmentNode | FragmentSpreadNode | Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip is not None and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include is not None and include.get("if") is False)
