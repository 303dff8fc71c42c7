"""Slots, the budget per client and their HTTP answers.

See api/scheduling.py, api/budget.py and api/graphql/admission.py.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.scheduling import Busy, Slots
from api.settings import Settings
from graph import KnowledgeGraph

CHEAP = '{ isA(subject: "GPT-4", object: "foundation model") { holds } }'


def _hold(
    slots: Slots, kind: str, release: threading.Event, cost: int = 0, deadline_s: float = 5
) -> asyncio.Task[None]:
    return asyncio.ensure_future(
        slots.run(release.wait, deadline=time.monotonic() + deadline_s, kind=kind, cost=cost)
    )


def test_no_kind_takes_every_slot_and_a_full_queue_is_refused_at_once() -> None:
    async def scenario() -> None:
        slots = Slots(size=2, queue=1)
        release = threading.Event()
        first = _hold(slots, "sparql", release)
        await asyncio.sleep(0.05)
        second = _hold(slots, "sparql", release)  # SPARQL's share is one slot: it waits
        await asyncio.sleep(0.05)
        assert (slots.running, slots.waiting) == (1, 1)
        assert (
            await slots.run(lambda: "graphql ran", deadline=time.monotonic() + 1) == "graphql ran"
        )
        with pytest.raises(Busy):  # the queue (1) is full
            await slots.run(lambda: None, deadline=time.monotonic() + 1, kind="sparql")
        release.set()
        await asyncio.gather(first, second)
        assert (slots.running, slots.waiting) == (0, 0)

    asyncio.run(scenario())


def test_the_cheapest_waiting_request_gets_the_next_slot() -> None:
    async def scenario() -> None:
        slots = Slots(size=1, queue=4)
        order: list[str] = []
        release = threading.Event()
        holder = _hold(slots, "graphql", release)
        await asyncio.sleep(0.05)
        waiting = [
            asyncio.ensure_future(
                slots.run(lambda n=name: order.append(n), deadline=time.monotonic() + 5, cost=cost)
            )
            for name, cost in (("dear", 900), ("cheap", 10), ("medium", 300))
        ]
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(holder, *waiting)
        assert order == ["cheap", "medium", "dear"]

    asyncio.run(scenario())


def test_a_request_still_waiting_at_its_deadline_is_refused_and_frees_its_place() -> None:
    async def scenario() -> None:
        slots = Slots(size=1, queue=2)
        release = threading.Event()
        holder = _hold(slots, "graphql", release)
        await asyncio.sleep(0.05)
        with pytest.raises(Busy, match="stayed busy"):
            await slots.run(lambda: None, deadline=time.monotonic() + 0.1)
        assert slots.waiting == 0
        release.set()
        await holder

    asyncio.run(scenario())


def test_a_spent_budget_is_a_429_with_retry_after_and_the_rest_is_reported(
    bundled: KnowledgeGraph,
) -> None:
    client = TestClient(create_app(Settings(budget_points=10, budget_window_s=60), graph=bundled))
    query = "{ concepts(first: 4) { nodes { id } } }"  # cost 5
    first = client.post("/graphql", json={"query": query})
    assert first.json()["extensions"]["budget"] == {
        "remaining": 5,
        "limit": 10,
        "windowSeconds": 60.0,
    }
    assert (
        client.post("/graphql", json={"query": query}).json()["extensions"]["budget"]["remaining"]
        == 0
    )
    spent = client.post("/graphql", json={"query": query})
    assert (
        spent.status_code == 429 and spent.headers["retry-after"] == "30"
    )  # 5 points at 1/6 a second
    assert spent.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    other = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": "Bearer someone-else"}
    )
    assert other.status_code == 200  # a token is a client of its own


def test_loopback_clients_are_not_charged_unless_asked(bundled: KnowledgeGraph) -> None:
    for charge_loopback, has_budget in ((False, False), (True, True)):
        settings = Settings(budget_points=10, budget_loopback=charge_loopback)
        client = TestClient(create_app(settings, graph=bundled), client=("127.0.0.1", 50000))
        body = client.post("/graphql", json={"query": CHEAP}).json()
        assert ("budget" in body["extensions"]) is has_budget


def test_without_a_budget_nothing_is_charged(bundled: KnowledgeGraph) -> None:
    client = TestClient(create_app(Settings(budget_points=0), graph=bundled))
    assert "budget" not in client.post("/graphql", json={"query": CHEAP}).json()["extensions"]
