"""One typed settings object for the service, built by the CLI or by tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from api.schema import Limits


@dataclass(frozen=True)
class Settings:
    """How to run the service; nothing here is read from the environment at import."""

    host: str = "127.0.0.1"
    port: int = 8000
    data: tuple[Path, ...] = ()
    store: Path | None = None
    graphiql: bool = True
    limits: Limits = field(default_factory=Limits)
