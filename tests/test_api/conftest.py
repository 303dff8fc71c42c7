"""GraphQL helpers: run a query against the bundled graph through the real schema."""

from __future__ import annotations

from typing import Any

import pytest

from api.graphql.context import Context
from api.graphql.schema import build_schema
from graph import KnowledgeGraph

SCHEMA = build_schema()


@pytest.fixture
def run(bundled: KnowledgeGraph):
    """Execute a query; return (data, errors) with errors as plain dicts."""

    def execute(query: str, **variables: Any) -> tuple[dict | None, list[dict]]:
        result = SCHEMA.execute_sync(
            query, variable_values=variables, context_value=Context(bundled)
        )
        return result.data, [e.formatted for e in result.errors or []]

    return execute
