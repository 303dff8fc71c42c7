"""What the rest of the code may ask of a store: read its triples, run SPARQL, write updates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import rdflib

from graph.store.terms import Term, Triple

__all__ = ["GraphStore", "WritableStore"]


@runtime_checkable
class GraphStore(Protocol):
    """What the index builder, the Turtle writer and validation read from a store."""

    prefixes: dict[str, str]

    def __len__(self) -> int: ...

    def triples(self, predicate: str | None = None) -> Iterator[Triple]: ...

    def predicates(self) -> list[str]: ...

    def named_subjects(self) -> list[str]: ...

    def blank_subjects(self) -> list[str]: ...

    def blank_references(self) -> dict[str, int]: ...

    def describe(self, subject: str) -> list[tuple[str, Term]]: ...

    def to_rdflib(self) -> rdflib.Graph: ...


@runtime_checkable
class WritableStore(Protocol):
    """Where the truth lives and how it changes: a local :class:`Store` or a remote endpoint."""

    prefixes: dict[str, str]

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update, atomically."""

    def select(self, sparql: str) -> list[tuple[Term | None, ...]]:
        """Rows of a SPARQL SELECT."""

    def ask(self, sparql: str) -> bool:
        """A SPARQL ASK."""
