"""Slots: a bounded number of heavy requests running at once, off the event loop, fairly.

GraphQL, ``/sparql`` (and MCP) hand their expensive work to one :class:`Slots` per process
instead of running it on the event loop, where a 3 s query used to hold every other request
(``/health`` included) for 3 s. The rules:

* at most ``size`` pieces of work run at once, each in its own daemon thread (with a deep stack:
  Oxigraph's parser recurses); a piece of work holds its slot until its thread ends, even past
  its client's time limit, since neither a resolver nor Oxigraph can be stopped from outside;
* no kind of work (``"graphql"``, ``"sparql"``, ``"mcp"``) holds more than ``size - 1`` slots,
  so a long SPARQL query cannot starve GraphQL, nor the reverse;
* at most ``queue`` requests wait; the cheapest waiting one (by the cost its caller gives) gets
  the next free slot, so a medium query does not wait behind a queue of heavy ones;
* beyond that, :class:`Busy` at once (a 503 with ``Retry-After``), never an unbounded queue;
  a request still waiting at its deadline gets :class:`Busy` too, and one whose work runs past
  its deadline :class:`OverTime` (a 503 as well).

Use from any async handler::

    result = await slots.run(lambda: work(), deadline=time.monotonic() + 10, kind="mcp", cost=cost)

Threads, not processes: the graph is in memory once per worker. Python's GIL still interleaves
them with the event loop every few milliseconds (``sys.getswitchinterval()``), which is what
keeps cheap requests (answered on the event loop) quick while slots are busy.
"""

from __future__ import annotations

import asyncio
import gc
import heapq
import itertools
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from graph.errors import QueryLimitExceeded

__all__ = ["Busy", "OverTime", "Slots", "tune_interpreter"]

T = TypeVar("T")

#: The stack of a work thread: Oxigraph's parser recurses once per nesting level
#: (api/web/sparql.py).
STACK_BYTES = 256 << 20
_STACK_SIZE_LOCK = threading.Lock()


class Busy(QueryLimitExceeded):
    """Every slot is taken and the queue is full: answer 503 with ``Retry-After``."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__("busy", message)
        self.retry_after_s = retry_after_s


class OverTime(QueryLimitExceeded):
    """The request reached its deadline waiting for a slot or for its work."""

    def __init__(self, message: str) -> None:
        super().__init__("time", message)


@dataclass(order=True)
class _Waiter:
    cost: int
    order: int
    kind: str = field(compare=False)
    granted: asyncio.Future[None] = field(compare=False)
    loop: asyncio.AbstractEventLoop = field(compare=False)


class Slots:
    """At most ``size`` pieces of work at once (each kind at most ``size - 1``), ``queue`` wait."""

    def __init__(self, size: int = 2, queue: int = 8) -> None:
        if size < 1 or queue < 0:
            raise ValueError(f"slots need size >= 1 and queue >= 0, got {size} and {queue}")
        self.size = size
        self.queue = queue
        self.share = max(1, size - 1)
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._waiting: list[_Waiter] = []
        self._order = itertools.count()

    @property
    def running(self) -> int:
        """How many slots are taken now."""
        return sum(self._running.values())

    @property
    def waiting(self) -> int:
        """How many requests wait for a slot now."""
        return len(self._waiting)

    async def run(
        self, work: Callable[[], T], *, deadline: float, kind: str = "graphql", cost: int = 0
    ) -> T:
        """Run ``work`` in a slot's thread and return its result (or raise its exception).

        Raises :class:`Busy` at once when the queue is full or at ``deadline`` (a
        :func:`time.monotonic` time) still waiting; :class:`OverTime` at ``deadline`` running.
        """
        await self._acquire(kind, cost, deadline)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def settle(result: T | None, error: BaseException | None) -> None:
            if future.done():  # the client was already answered at its deadline
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)  # type: ignore[arg-type]

        def job() -> None:
            result, error = None, None
            try:
                result = work()
            except BaseException as raised:
                error = raised
            finally:
                self._release(kind)
            try:
                loop.call_soon_threadsafe(settle, result, error)
            except RuntimeError:  # the event loop is gone (shutdown)
                pass

        _start_with_deep_stack(threading.Thread(target=job, name=f"{kind}-slot", daemon=True))
        try:
            return await asyncio.wait_for(future, max(deadline - time.monotonic(), 0.0))
        except TimeoutError:
            raise OverTime("the work ran past its time limit") from None

    async def _acquire(self, kind: str, cost: int, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free_for(kind):  # waiters left waiting are of kinds at their share
                self._running[kind] = self._running.get(kind, 0) + 1
                return
            if len(self._waiting) >= self.queue:
                raise Busy(
                    f"All {self.size} slots are busy and {self.queue} requests are waiting; "
                    "try again shortly.",
                    retry_after_s=1,
                )
            waiter = _Waiter(cost, next(self._order), kind, loop.create_future(), loop)
            heapq.heappush(self._waiting, waiter)
        try:
            await asyncio.wait_for(
                asyncio.shield(waiter.granted), max(deadline - time.monotonic(), 0.0)
            )
        except (TimeoutError, asyncio.CancelledError) as stopped:
            with self._lock:
                if waiter in self._waiting:
                    self._waiting.remove(waiter)
                    heapq.heapify(self._waiting)
                    granted = False
                else:
                    granted = True  # handed a slot as the wait ended: give it back
            if granted:
                self._release(kind)
            if isinstance(stopped, asyncio.CancelledError):
                raise
            raise Busy(
                f"The query slots stayed busy for the whole time limit ({self.running} running, "
                f"{self.waiting} waiting); try again later.",
                retry_after_s=1,
            ) from None

    def _free_for(self, kind: str) -> bool:
        return self.running < self.size and self._running.get(kind, 0) < self.share

    def _release(self, kind: str) -> None:
        """Free a slot (from any thread) and hand it to the cheapest waiter that may take it."""
        with self._lock:
            self._running[kind] -= 1
            for waiter in sorted(self._waiting):
                if self._free_for(waiter.kind):
                    self._waiting.remove(waiter)
                    heapq.heapify(self._waiting)
                    self._running[waiter.kind] = self._running.get(waiter.kind, 0) + 1
                    waiter.loop.call_soon_threadsafe(_grant, waiter.granted)
                    return


_tuned = False


def tune_interpreter(switch_interval_s: float = 0.001) -> None:
    """Let the event loop in often while slots run Python (once per process, after the load).

    Measured with one thread running the costliest admitted query (cost 30,030, 3.4 s): the
    event loop waited up to 1.3 s for the interpreter, from two causes. The garbage collector's
    full passes over the loaded graph (147 ms each): frozen here (``gc.freeze``), they take
    15 ms. And the GIL's switch interval, 5 ms by default, paid on every wake-up of the loop:
    at 1 ms the loop's p99 wait is 12 ms instead of 26 ms. Objects alive now are never
    collected as cycles afterwards (they are still freed by reference counting).
    """
    global _tuned
    if not _tuned:
        _tuned = True
        sys.setswitchinterval(switch_interval_s)
        gc.freeze()


def _grant(granted: asyncio.Future[None]) -> None:
    if not granted.done():
        granted.set_result(None)


def _start_with_deep_stack(thread: threading.Thread) -> None:
    """Start a thread with a :data:`STACK_BYTES` stack (process-wide: set for this one start)."""
    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(STACK_BYTES)
        try:
            thread.start()
        finally:
            threading.stack_size(previous)
