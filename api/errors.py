"""Every error the API answers with on purpose: one table from exception to GraphQL code and
HTTP status.

``graph`` raises the exceptions of :mod:`graph.errors`; the API adds its own below (a refused
write, a body over the limit, a request it turns down itself). Every place that answers for
an exception looks it up in :data:`ERRORS`: GraphQL resolvers and mutations through
:func:`graphql_error` (or :func:`answering`), the Linked Data and SPARQL routes through
:func:`http_response`, the request guard through :func:`json_error`. Any other exception is a
crash, masked where it surfaces (:mod:`api.graphql.extensions`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from fastapi.responses import Response
from graphql import GraphQLError

from graph.errors import (
    AikgError,
    AmbiguousConcept,
    ConceptNotFound,
    EditConflict,
    EditRefused,
    EndpointError,
    InvalidArgument,
    InvalidData,
    InvalidQuery,
    NotAcceptable,
    PredicateNotFound,
    QueryLimitExceeded,
    QueryRefused,
    WriteBusy,
)

__all__ = [
    "ERRORS", "AuthError", "BodyTooLarge", "Forbidden", "Outcome", "Refused", "Unauthenticated",
    "answering", "graphql_error", "http_response", "is_unexpected", "json_error", "outcome",
]  # fmt: skip

T = TypeVar("T")


class AuthError(Exception):
    """A refused write (api/auth.py): ``status`` is 401 or 403, ``reason`` says why."""

    status: ClassVar[int] = 403

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Unauthenticated(AuthError):
    """No usable credentials: a missing or malformed ``Authorization`` header."""

    status = 401


class Forbidden(AuthError):
    """Credentials that may not write, or a server that does not write at all."""

    status = 403


class BodyTooLarge(Exception):
    """The request body is (or grew, while being read) past the limit."""


class Refused(Exception):
    """A request the API turns down itself (not a domain error): its own status, message and
    headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.headers = headers or {}
        super().__init__(message)


@dataclass(frozen=True)
class Outcome:
    """How an exception is answered: the GraphQL ``extensions.code`` and the HTTP status."""

    code: str
    status: int


#: Exception class -> how it is answered; a subclass not listed takes its nearest listed base.
ERRORS: dict[type[BaseException], Outcome] = {
    ConceptNotFound: Outcome("CONCEPT_NOT_FOUND", 404),
    AmbiguousConcept: Outcome("AMBIGUOUS_CONCEPT", 300),
    PredicateNotFound: Outcome("PREDICATE_NOT_FOUND", 400),
    InvalidArgument: Outcome("BAD_USER_INPUT", 400),
    InvalidData: Outcome("INVALID_DATA", 400),
    InvalidQuery: Outcome("INVALID_QUERY", 400),
    QueryRefused: Outcome("FORBIDDEN", 403),
    NotAcceptable: Outcome("NOT_ACCEPTABLE", 406),
    QueryLimitExceeded: Outcome("LIMIT_EXCEEDED", 503),  # but "size": 400, see LIMIT_STATUS
    EndpointError: Outcome("STORE_UNAVAILABLE", 503),
    EditRefused: Outcome("INVALID_EDIT", 422),
    EditConflict: Outcome("CONFLICT", 409),
    WriteBusy: Outcome("CONFLICT", 409),
    AikgError: Outcome("INTERNAL_SERVER_ERROR", 500),
    Unauthenticated: Outcome("UNAUTHENTICATED", 401),
    Forbidden: Outcome("FORBIDDEN", 403),
    BodyTooLarge: Outcome("LIMIT_EXCEEDED", 413),
    TimeoutError: Outcome("LIMIT_EXCEEDED", 503),  # the request guard's time limit
    Refused: Outcome("BAD_REQUEST", 400),  # the status the instance carries wins
}
#: A query stopped at its result size is the client's to narrow (add a LIMIT), not to retry.
LIMIT_STATUS = {"size": 400}


def outcome(error: BaseException) -> Outcome:
    """The table's entry for an exception's class (or nearest listed base), refined by the instance.

    >>> outcome(ConceptNotFound("x")), outcome(QueryLimitExceeded("size", "too big")).status
    (Outcome(code='CONCEPT_NOT_FOUND', status=404), 400)
    >>> outcome(Refused(415, "not a form")).status
    415
    """
    found = next(ERRORS[cls] for cls in type(error).__mro__ if cls in ERRORS)
    if isinstance(error, Refused):
        return Outcome(found.code, error.status)
    if isinstance(error, QueryLimitExceeded) and error.limit in LIMIT_STATUS:
        return Outcome(found.code, LIMIT_STATUS[error.limit])
    return found


# --- GraphQL -------------------------------------------------------------------------


def graphql_error(error: AikgError | AuthError) -> GraphQLError:
    """A GraphQL error with a readable message, the table's code and what a client can act on."""
    message = (
        f"The store did not answer: {error}" if isinstance(error, EndpointError) else str(error)
    )
    extensions: dict[str, object] = {"code": outcome(error).code}
    if isinstance(error, ConceptNotFound):
        extensions.update(reference=error.reference, suggestions=list(error.suggestions))
    elif isinstance(error, PredicateNotFound):
        extensions.update(
            reference=error.reference, suggestions=list(error.suggestions), known=list(error.known)
        )
    elif isinstance(error, AmbiguousConcept):
        extensions.update(reference=error.reference, candidates=list(error.candidates))
    elif isinstance(error, EditRefused):
        extensions.update(reasons=list(error.reasons))
    elif isinstance(error, AuthError):
        extensions.update(status=error.status)  # the HTTP status of the response (api/app.py)
    return GraphQLError(message, extensions=extensions)


def answering(question: Callable[[], T]) -> T:
    """Run a domain call, re-raising domain errors as GraphQL errors."""
    try:
        return question()
    except AikgError as error:
        raise graphql_error(error) from None


def is_unexpected(error: GraphQLError) -> bool:
    """Mask only crashes: validation, limit and domain errors must stay readable."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


# --- HTTP ----------------------------------------------------------------------------

PLAIN_TEXT = "text/plain; charset=utf-8"


def http_response(
    error: BaseException,
    body: str | None = None,
    headers: dict[str, str] | None = None,
    media_type: str = PLAIN_TEXT,
) -> Response:
    """The HTTP answer to an exception: its status from the table, and ``body`` (by default
    the error's message and a newline) as plain text or ``media_type``."""
    all_headers = {**(headers or {}), **(error.headers if isinstance(error, Refused) else {})}
    text = f"{error}\n" if body is None else body
    return Response(text, outcome(error).status, media_type=media_type, headers=all_headers)


def json_error(error: BaseException) -> tuple[int, bytes]:
    """The status and a GraphQL-shaped JSON body, for answers given before GraphQL runs."""
    found = outcome(error)
    return found.status, json.dumps(
        {"errors": [{"message": str(error), "extensions": {"code": found.code}}]}
    ).encode()
