"""One schema extension for every request: cached parsing and validation, limits, masking.

Strawberry's ``ParserCache``, ``ValidationCache``, ``MaxTokensLimiter``,
``QueryDepthLimiter``, ``MaxAliasesLimiter`` and ``MaskErrors`` do this as six
extensions, each with its own hooks per request. Folding them into one halves the
per-request overhead, and keying the validation cache by the query text (a string
hash) instead of by the parsed document (a recursive AST hash) makes a hit cheap.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Iterator
from threading import Lock
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from api.errors import is_unexpected
from api.graphql.cost import cost_error, query_cost

UNEXPECTED = "Unexpected error."
LOG = logging.getLogger("aikg")


class _LRU(OrderedDict[str, object]):
    """A small bounded mapping, least recently used first out."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.lock = Lock()

    def remember(self, key: str, value: object) -> None:
        with self.lock:
            self[key] = value
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)


class QueryCache:
    """Parsed documents and validation errors per query text, shared by every request."""

    def __init__(
        self,
        rules: tuple[type[ASTValidationRule], ...],
        max_tokens: int,
        size: int = 512,
        max_cost: int = 50_000,
    ) -> None:
        self.rules = rules
        self.max_tokens = max_tokens
        self.max_cost = max_cost
        self._documents = _LRU(size)
        self._errors = _LRU(size)
        self._costs = _LRU(size)
        self.hits = 0
        self.misses = 0

    def parse(self, query: str) -> DocumentNode:
        """The document for a query text; syntax and token-limit errors raise GraphQLError."""
        document = self._documents.get(query)
        if document is None:
            document = parse(query, max_tokens=self.max_tokens)
            self._documents.remember(query, document)
        return document  # type: ignore[return-value]

    def validate(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        base_rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        """Validation errors for a query text (the standard rules plus the limits), cached."""
        errors = self._errors.get(query)
        if errors is None:
            self.misses += 1
            errors = validate_document(schema, document, (*base_rules, *self.rules))
            self._errors.remember(query, errors)
        else:
            self.hits += 1
        return errors  # type: ignore[return-value]

    def cost(
        self,
        schema: GraphQLSchema,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> int | None:
        """The static cost of a request (api/graphql/cost.py), cached per text, variables, name.

        None when the request will not run (a syntax error, no such operation, bad variables).
        """
        try:
            document = self.parse(query or "")
        except GraphQLError:
            return None
        operation = get_operation_ast(
            document, operation_name
        )  # the key names it even when the request did not
        if operation is None:
            return None
        name = operation.name.value if operation.name else None
        key = json.dumps([query, name, variables], sort_keys=True, default=str)
        if key in self._costs:
            return self._costs[key]  # type: ignore[return-value]
        try:
            cost = query_cost(
                schema, document, variables if isinstance(variables, dict) else None, name
            )
        except GraphQLError:  # an argument of the wrong type: validation or execution says so
            cost = None
        self._costs.remember(key, cost)
        return cost


class GuardedExecution(SchemaExtension):
    """Per request: cached parse and validation with the limits, and masking of crashes."""

    def __init__(self, cache: QueryCache) -> None:
        self.cache = cache
        self.cost: int | None = None

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            request_id = getattr(self.execution_context.context, "request_id", "-")
            result.errors = [_masked(e, request_id) if is_unexpected(e) else e for e in errors]  # type: ignore[union-attr]
            for error in errors:  # (logged by now)
                _drop_tracebacks(error)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            try:
                context.graphql_document = self.cache.parse(context.query)
            except GraphQLError:
                context.parse_options["max_tokens"] = (
                    self.cache.max_tokens
                )  # strawberry re-raises it readably
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is not None:
            context.pre_execution_errors = self.cache.validate(
                context.schema._schema,
                context.query,
                context.graphql_document,
                tuple(context.validation_rules),
            )
            if (
                not context.pre_execution_errors
            ):  # the cost limit: refused before execution, readably
                cost = self.cache.cost(
                    context.schema._schema, context.query, context.variables, context.operation_name
                )
                if cost is not None and cost > self.cache.max_cost:
                    context.pre_execution_errors = [cost_error(cost, self.cache.max_cost)]
                else:
                    self.cost = cost
        yield

    def get_results(self) -> dict[str, Any]:
        """The accepted query's cost, in the response's ``extensions.cost``."""
        return {} if self.cost is None else {"cost": self.cost}


def _drop_tracebacks(error: BaseException) -> None:
    """Drop the tracebacks of an error and of the errors behind it. Their frames hold the graph
    the request read (a resolver's locals; a refused edit's trial graph), and graphql-core keeps
    each error in its execution context, a reference cycle: with a traceback, the graph waits
    for the cycle collector (:meth:`Context.release` says why that matters)."""
    behind: list[BaseException | None] = [error]
    seen: set[int] = set()
    while behind:
        found = behind.pop()
        if found is None or id(found) in seen:
            continue
        seen.add(id(found))
        found.__traceback__ = None
        behind += [getattr(found, "original_error", None), found.__cause__, found.__context__]


def _masked(error: GraphQLError, request_id: str) -> GraphQLError:
    """A generic error for the client; the traceback goes to the log under the same request id."""
    original = error.original_error
    LOG.error("request %s: unexpected error at %s", request_id, error.path, exc_info=original)
    return GraphQLError(
        f"{UNEXPECTED} Request id: {request_id}.",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )
