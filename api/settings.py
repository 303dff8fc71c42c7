"""One typed settings object for the service, built by the CLI or by tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from api.graphql.limits import Limits


@dataclass(frozen=True)
class Settings:
    """How to run the service; nothing here is read from the environment at import."""

    host: str = "127.0.0.1"
    port: int = 8000
    data: tuple[Path, ...] = ()
    store: Path | None = None
    graphiql: bool = True
    limits: Limits = field(default_factory=Limits)
    max_body_bytes: int = 1 << 20
    timeout_s: float = 10.0
    #: A remote SPARQL 1.1 endpoint to serve instead of a local store, and its update URL.
    sparql: str | None = None
    sparql_update: str | None = None
    #: How often (seconds) a worker asks the endpoint whether another worker wrote.
    refresh_s: float = 1.0
    #: (name, SHA-256 of the token) for every bearer token allowed to write (api/auth.py).
    write_tokens: tuple[tuple[str, str], ...] = ()
    #: Heavy work at once (GraphQL over inline_cost, SPARQL, MCP) and requests waiting for it
    #: (api/scheduling.py); GraphQL queries costing at most inline_cost run on the event loop.
    slots: int = 2
    queue: int = 64
    inline_cost: int = 100
    #: Cost points per client per window, 0 for no budget; loopback clients pay only with
    #: budget_loopback (api/graphql/admission.py says why).
    budget_points: int = 500_000
    budget_window_s: float = 60.0
    budget_loopback: bool = False
