"""Admission of GraphQL requests to the view: their cost, the client's budget, and a lane.

Before a request runs, its static cost (api/graphql/cost.py, cached with the parsed document)
decides three things:

* **the budget**: the client (bearer token, else address) is charged the cost; when its
  budget is spent, a 429 with ``Retry-After``. Loopback clients are not charged unless
  ``charge_loopback``: uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1 by default, so the
  clients of a reverse proxy on the same host are charged by their own address, and what
  remains on loopback is the operator, the tests and the benchmarks;
* **the lane**: a query costing at most ``inline_cost`` runs at once on the event loop (about
  15 ms at the most: a few hundred objects); a costlier one waits for one of the process's
  :class:`~api.scheduling.Slots` and runs in its thread, so it never holds the event loop;
  when the slots and their queue are full, a 503 with ``Retry-After``. Mutations run on the
  event loop (their resolvers are async, and they need a write token anyway);
* nothing for a document that will not run (syntax, validation, over the cost limit): the
  schema extension answers those at once, with the error naming the cost and the limit.

The remaining budget is added to the response's ``extensions.budget``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from graphql import ExecutionResult
from graphql.utilities import get_operation_ast
from strawberry.types.graphql import OperationType

from api.budget import Budget, Charge, client_key, is_loopback
from api.scheduling import Busy, OverTime, Slots
from api.settings import Settings

__all__ = ["Admission", "AdmittedView", "Refused"]


@dataclass(frozen=True)
class Admission:
    """How requests are admitted: the slots, the budget (None: none) and the inline lane."""

    slots: Slots
    budget: Budget | None = None
    inline_cost: int = 100
    charge_loopback: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Admission:
        """The slots and budget the settings name (one of each per worker process)."""
        budget = (
            Budget(settings.budget_points, settings.budget_window_s)
            if settings.budget_points > 0
            else None
        )
        return cls(
            Slots(settings.slots, settings.queue),
            budget,
            settings.inline_cost,
            settings.budget_loopback,
        )

    def charge(self, authorization: str | None, address: str | None, cost: int) -> Charge | None:
        """Charge the client, or None when it is not charged; raise :class:`Refused` when spent."""
        if self.budget is None or (is_loopback(address) and not self.charge_loopback):
            return None
        charge = self.budget.charge(client_key(authorization, address), cost)
        if not charge.allowed:
            raise Refused(
                429, "RATE_LIMITED", charge.retry_after_s,
                f"This query costs {cost:,} points and {charge.remaining:,} of the budget of "
                f"{self.budget.points:,} points per {self.budget.window_s:g} s are left.",
            )  # fmt: skip
        return charge


class Refused(Exception):
    """A request refused before it ran, answered as a JSON GraphQL error with ``Retry-After``."""

    def __init__(self, status: int, code: str, retry_after_s: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after_s = retry_after_s
        self.message = message

    async def respond(self, send: Any) -> None:
        """Send the refusal as an ASGI response."""
        extensions = {"code": self.code, "retryAfter": self.retry_after_s}
        body = json.dumps(
            {"errors": [{"message": self.message, "extensions": extensions}]}
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(self.retry_after_s).encode()),
        ]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class AdmittedView:
    """A mixin for strawberry's ASGI view (put it first): admission before each operation."""

    admission: Admission | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)  # type: ignore[misc]
        except Refused as refusal:
            await refusal.respond(send)

    def encode_json(self, data: object) -> str | bytes:
        """Strawberry's JSON, with ``data`` encoded already in a slot's thread put in as it is."""
        if isinstance(data, dict) and isinstance(data.get("data"), _Encoded):
            rest = super().encode_json({key: value for key, value in data.items() if key != "data"})  # type: ignore[misc]
            rest = rest.decode() if isinstance(rest, bytes) else rest
            return '{"data":' + data["data"] + ("}" if rest == "{}" else "," + rest[1:])
        return super().encode_json(data)  # type: ignore[misc, no-any-return]

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        """Admit and run (:meth:`_admitted`). Once answered, failed or cancelled, the request's
        graph is released (:meth:`Context.release`): on the event loop here, in a slot by its
        thread when the work ends (which may be after the request's time limit)."""
        base = super().execute_single  # type: ignore[misc]
        arguments = (request, request_adapter, sub_response, context, root_value, request_data)
        schema = self.schema  # type: ignore[attr-defined]
        cache = schema.query_cache
        cost = cache.cost(
            schema._schema, request_data.query, request_data.variables, request_data.operation_name
        )
        if self.admission is None or cost is None or cost > cache.max_cost:
            # refused, or failing, at once by the schema extension
            return await _released_after(base, arguments)
        return await self._admitted(base, arguments, cost)

    async def _admitted(self, base: Any, arguments: tuple[Any, ...], cost: int) -> ExecutionResult:
        """Charge the budget, then run on the event loop (cheap, or a mutation) or in a slot."""
        assert self.admission is not None
        request, request_adapter, _, context, root_value, request_data = arguments
        cache = self.schema.query_cache  # type: ignore[attr-defined]
        client = request.client.host if request.client else None
        charge = self.admission.charge(request.headers.get("authorization"), client, cost)
        if cost <= self.admission.inline_cost or _operation(cache, request_data) != "query":
            result = await _released_after(base, arguments)
        else:
            result = await self._in_slot(request_adapter, context, root_value, request_data, cost)
        if charge is not None and self.admission.budget is not None:
            budget = self.admission.budget
            result.extensions = {
                **(result.extensions or {}),
                "budget": {
                    "remaining": charge.remaining,
                    "limit": budget.points,
                    "windowSeconds": budget.window_s,
                },
            }
        return result

    async def _in_slot(
        self, request_adapter: Any, context: Any, root_value: Any, request_data: Any, cost: int
    ) -> ExecutionResult:
        assert self.admission is not None
        allowed = OperationType.from_http(request_adapter.method)
        if not self.allow_queries_via_get and request_adapter.method == "GET":  # type: ignore[attr-defined]
            allowed = allowed - {OperationType.QUERY}
        schema = self.schema  # type: ignore[attr-defined]

        def work() -> ExecutionResult:
            try:
                result: ExecutionResult = schema.execute_sync(
                    request_data.query,
                    root_value=root_value,
                    variable_values=request_data.variables,
                    context_value=context,
                    operation_name=request_data.operation_name,
                    allowed_operation_types=allowed,
                    operation_extensions=request_data.extensions,
                )
            finally:
                context.release()
            if (
                result.data is not None
            ):  # encoded here too: 12 MB of JSON is 0.3 s of the event loop
                result.data = _Encoded(json.dumps(result.data, separators=(",", ":")))  # type: ignore[assignment]
            return result

        try:
            return await self.admission.slots.run(
                work,
                deadline=context.deadline,
                kind="graphql",
                cost=cost,
            )
        except Busy as busy:
            raise Refused(503, "SERVICE_UNAVAILABLE", busy.retry_after_s, str(busy)) from None
        except OverTime:
            message = f"The request took longer than the time limit of {context.timeout_s:g} s."
            raise Refused(503, "LIMIT_EXCEEDED", 1, message) from None


class _Encoded(str):
    """A response's ``data``, encoded as JSON already."""


async def _released_after(base: Any, arguments: tuple[Any, ...]) -> ExecutionResult:
    """Run on the event loop, then release the request's graph, whatever the outcome."""
    try:
        result: ExecutionResult = await base(*arguments)
    finally:
        arguments[3].release()  # the context
    return result


def _operation(cache: Any, request_data: Any) -> str | None:
    """ "query", "mutation" or "subscription": the operation the request names (parsed, cached)."""
    operation = get_operation_ast(cache.parse(request_data.query), request_data.operation_name)
    return None if operation is None else operation.operation.value
