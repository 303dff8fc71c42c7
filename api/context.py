"""What every resolver can reach: the knowledge graph being served."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.types import Info as StrawberryInfo

from api.limits import Limits
from graph import KnowledgeGraph


@dataclass(frozen=True, slots=True)
class Context:
    """Per-request context: the graph, and the request's id for error reports."""

    graph: KnowledgeGraph
    request_id: str = "-"
    limits: Limits = field(default_factory=Limits)


Info = StrawberryInfo[Context, None]
