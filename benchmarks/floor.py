"""The floor: a bare strawberry schema with a constant resolver, on the same FastAPI/uvicorn
stack."""

from __future__ import annotations

import strawberry
from fastapi import FastAPI
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def create_app() -> FastAPI:
    schema = strawberry.Schema(Query, extensions=[lambda: ParserCache(), lambda: ValidationCache()])
    app = FastAPI()
    graphql = GraphQL(schema, graphql_ide=None)
    app.add_route("/graphql", graphql, methods=["GET", "POST"])
    app.add_api_route("/health", lambda: {"status": "ok"})
    return app
