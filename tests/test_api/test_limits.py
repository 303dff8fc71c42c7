"""Limits at the HTTP edge: body size, time, page size, request ids, batching."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.graphql.limits import Limits
from api.settings import Settings


@pytest.fixture(scope="module")
def client(bundled) -> TestClient:
    settings = Settings(limits=Limits(max_page_size=100), max_body_bytes=10_000, timeout_s=5)
    return TestClient(create_app(settings, graph=bundled))


def test_a_body_over_the_limit_is_refused_with_413_naming_the_limit(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ __typename }", "pad": "x" * 20_000})
    assert response.status_code == 413
    assert "exceeds the limit of 10,000 bytes" in response.json()["errors"][0]["message"]


def test_a_chunked_body_over_the_limit_is_refused_too(client: TestClient) -> None:
    def chunks():
        for _ in range(20):
            yield b"x" * 1000

    response = client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_page_over_the_configured_limit_names_it(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": "{ concepts(first: 101) { totalCount } }"}).json()
    error = body["errors"][0]
    assert "between 0 and 100 (the page size limit), got 101" in error["message"]
    assert error["extensions"]["limit"] == "max_page_size"


def test_every_response_carries_a_request_id_and_echoes_a_safe_one(client: TestClient) -> None:
    assert len(client.get("/health").headers["x-request-id"]) == 32
    assert (
        client.get("/health", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    assert (
        client.get("/health", headers={"x-request-id": "bad id\n"}).headers["x-request-id"]
        != "bad id\n"
    )


def test_batched_requests_are_refused(client: TestClient) -> None:
    response = client.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 400


def test_a_slow_request_stops_at_the_time_limit(bundled) -> None:
    from api.middleware import GuardMiddleware

    async def slow_app(scope, receive, send):  # type: ignore[no-untyped-def]
        await asyncio.sleep(5)

    sent = []

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    async def receive():  # type: ignore[no-untyped-def]
        return {"type": "http.request", "body": b""}

    guard = GuardMiddleware(slow_app, max_body_bytes=100, timeout_s=0.05, timed_paths=("/graphql",))
    asyncio.run(guard({"type": "http", "path": "/graphql", "headers": []}, receive, send))
    assert sent[0]["status"] == 503
    assert b"time limit of 0.05 s" in sent[1]["body"]
