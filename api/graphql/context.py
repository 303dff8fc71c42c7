"""What every resolver can reach: the knowledge graph being served."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from graphql import GraphQLError
from strawberry.types import Info as StrawberryInfo

from api.graphql.limits import Limits
from graph import KnowledgeGraph
from graph.edits.live import LiveGraph


@dataclass(frozen=True, slots=True)
class Context:
    """Per-request context: the graph, and the request's id for error reports."""

    graph: KnowledgeGraph
    request_id: str = "-"
    limits: Limits = field(default_factory=Limits)
    deadline: float = float("inf")
    timeout_s: float = float("inf")
    #: Edits (mutations): the live graph to write through, the request's Authorization
    #: header and the (name, SHA-256 digest) pairs of the tokens allowed to write.
    live: LiveGraph | None = None
    authorization: str | None = None
    write_tokens: tuple[tuple[str, str], ...] = ()

    def advance(self, graph: KnowledgeGraph) -> None:
        """After a committed edit, the rest of the request reads the graph it produced."""
        object.__setattr__(self, "graph", graph)

    def release(self) -> None:
        """The request is answered: let go of its graph (read after this, it raises
        AttributeError; released twice, nothing happens). graphql-core's execution context is
        a reference cycle that holds this context until the cycle collector runs, and with it
        a graph an edit may have replaced since: hundreds of MB of columns at a million kinds,
        which the next edit then cannot reuse."""
        if hasattr(self, "graph"):
            object.__delattr__(self, "graph")

    def check_time(self) -> None:
        """Stop a request past its time limit (resolvers run on the event loop; nothing else
        can)."""
        if time.monotonic() > self.deadline:
            raise self.over_time(
                f"The request took longer than the time limit of {self.timeout_s:g} s."
            )

    def over_time(self, message: str) -> GraphQLError:
        """The error of a request stopped at its time limit (answered with a 503)."""
        return GraphQLError(
            message,
            extensions={"code": "LIMIT_EXCEEDED", "limit": "timeout", "value": self.timeout_s},
        )


Info = StrawberryInfo[Context, None]
