"""Bounds on what one GraphQL request may ask for; each is configurable and named in its error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import GraphQLError

if TYPE_CHECKING:
    from api.graphql.context import Info


@dataclass(frozen=True)
class Limits:
    """Bounds on one GraphQL document and on every page it asks for."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2000
    max_page_size: int = 1000
    #: The most objects a query could return, from its `first` arguments (api/graphql/cost.py):
    #: the explorer's largest query costs 21,612, issue 19's abusive ones 2.5e9 and 2.5e13.
    max_cost: int = 50_000


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
