"""What every resolver can reach: the knowledge graph being served."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types import Info as StrawberryInfo

from graph import KnowledgeGraph


@dataclass(frozen=True, slots=True)
class Context:
    """Per-request context; today it only carries the graph."""

    graph: KnowledgeGraph


Info = StrawberryInfo[Context, None]
