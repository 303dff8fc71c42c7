"""Turning domain errors into GraphQL errors that say what was wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from graphql import GraphQLError

from graph import AmbiguousConcept, ConceptNotFound, InvalidArgument
from graph.errors import AikgError

if TYPE_CHECKING:
    from api.graphql.context import Info

T = TypeVar("T")


def to_graphql_error(error: AikgError) -> GraphQLError:
    """A GraphQL error with a readable message and a machine-readable code."""
    extensions: dict[str, object]
    if isinstance(error, ConceptNotFound):
        extensions = {
            "code": "CONCEPT_NOT_FOUND",
            "reference": error.reference,
            "suggestions": list(error.suggestions),
        }
    elif isinstance(error, AmbiguousConcept):
        extensions = {
            "code": "AMBIGUOUS_CONCEPT",
            "reference": error.reference,
            "candidates": list(error.candidates),
        }
    elif isinstance(error, InvalidArgument):
        extensions = {"code": "BAD_USER_INPUT"}
    else:
        extensions = {"code": "INTERNAL_SERVER_ERROR"}
    return GraphQLError(str(error), extensions=extensions)


def is_unexpected(error: GraphQLError) -> bool:
    """Mask only crashes: validation, limit and domain errors must stay readable."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def answering(question: Callable[[], T]) -> T:
    """Run a domain call, re-raising domain errors as GraphQL errors."""
    try:
        return question()
    except AikgError as error:
        raise to_graphql_error(error) from None


def page_size(info: Info, first: int | None, default: int) -> int:
    """The requested page size, or a readable error naming the limit."""
    size = default if first is None else first
    limit = info.context.limits.max_page_size
    if not 0 <= size <= limit:
        raise GraphQLError(
            f"'first' must be between 0 and {limit} (the page size limit), got {size}.",
            extensions={"code": "BAD_USER_INPUT", "limit": "max_page_size", "value": limit},
        )
    return size
