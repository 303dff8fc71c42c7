"""A budget of cost points per client, refilled steadily: a leaky bucket, as Shopify charges.

Each client (its bearer token when it sends one, else its address) has ``points`` to spend;
the bucket refills at ``points`` per ``window_s``. A request is charged its static cost
(api/graphql/cost.py), at least 1 and at most the whole budget, before it runs; when the
bucket holds less than that, the request is refused (429) with the seconds until it would
fit. Nothing is refunded: the cost is an upper bound, known before execution, and the point
is to bound what a client can ask.

    >>> budget = Budget(points=100, window_s=10)
    >>> budget.charge("a", 60, now=0.0)
    Charge(allowed=True, remaining=40, retry_after_s=0)
    >>> budget.charge("a", 60, now=1.0)   # 40 + 10 refilled in one second: not enough
    Charge(allowed=False, remaining=50, retry_after_s=1)
    >>> budget.charge("a", 60, now=2.0)
    Charge(allowed=True, remaining=0, retry_after_s=0)
    >>> budget.charge("b", 60, now=2.0)   # every client has its own bucket
    Charge(allowed=True, remaining=40, retry_after_s=0)
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

__all__ = ["Budget", "Charge", "client_key"]


class Charge(NamedTuple):
    """What charging a request gave: whether it may run, what is left, when to retry."""

    allowed: bool
    remaining: int
    retry_after_s: int


class Budget:
    """Cost points per client per window, for at most ``clients`` clients at once.

    The least recently seen client is forgotten first.
    """

    def __init__(self, points: int, window_s: float, clients: int = 100_000) -> None:
        if points < 1 or window_s <= 0:
            raise ValueError(
                f"a budget needs points >= 1 and a window > 0, got {points} and {window_s}"
            )
        self.points = points
        self.window_s = window_s
        self.rate = points / window_s  # points refilled per second
        self.clients = clients
        self._levels: OrderedDict[str, tuple[float, float]] = (
            OrderedDict()
        )  # client -> (level, when)
        self._lock = threading.Lock()

    def charge(self, client: str, cost: int, now: float | None = None) -> Charge:
        """Take ``cost`` points (at least 1) from the client's bucket, or refuse with a wait."""
        now = time.monotonic() if now is None else now
        cost = min(max(cost, 1), self.points)  # over the whole budget: it takes a full bucket
        with self._lock:
            level, when = self._levels.pop(client, (float(self.points), now))
            level = min(self.points, level + (now - when) * self.rate)
            allowed = level >= cost
            if allowed:
                level -= cost
            self._levels[client] = (level, now)  # most recent last
            while len(self._levels) > self.clients:
                self._levels.popitem(last=False)
        retry = 0 if allowed else math.ceil((cost - level) / self.rate)
        return Charge(allowed, int(level), retry)


def client_key(authorization: str | None, address: str | None) -> str:
    """Who pays: a digest of the bearer token when one is sent, else the client's address.

    >>> client_key("Bearer s3cret", "10.0.0.1")[:6], client_key(None, "10.0.0.1")
    ('token:', 'address:10.0.0.1')
    """
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]
    return f"address:{address or '-'}"


def is_loopback(address: str | None) -> bool:
    """Whether a client address is this machine (127.0.0.0/8, ::1).

    >>> [is_loopback(a) for a in ("127.0.0.1", "::1", "10.0.0.1", "testclient")]
    [True, True, False, False]
    """
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False
