"""Domain objects passed from `graph` to the API: frozen, typed, free of RDF libraries."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ConceptKind(enum.Enum):
    """Whether a concept is a kind (a class) or a named example (an instance)."""

    CLASS = "CLASS"
    EXAMPLE = "EXAMPLE"


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept as readers see it."""

    iri: str
    id: str
    label: str
    alt_labels: tuple[str, ...]
    definition: str | None
    kind: ConceptKind
    source: str | None
    released: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    """One asserted triple between two concepts, with both concepts and the predicate's name."""

    subject: Concept
    predicate: str
    predicate_label: str | None
    object: Concept


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to a yes/no question, with the chain of edges that proves it."""

    holds: bool
    path: tuple[Edge, ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an ordered list, with what a client needs to ask for the next."""

    items: tuple[Concept, ...]
    total_count: int
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True, slots=True)
class Related:
    """A concept related to another, with its score, the reasons in words, and the edges behind
    them."""

    concept: Concept
    score: float
    reasons: tuple[str, ...]
    via: tuple[Edge, ...]


@dataclass(frozen=True, slots=True)
class Subgraph:
    """Concepts around one concept and the edges among them; ``total_nodes`` counts all within
    reach."""

    nodes: tuple[Concept, ...]
    edges: tuple[Edge, ...]
    total_nodes: int


@dataclass(frozen=True, slots=True)
class Mapping:
    """A SKOS mapping from one of our concepts to a concept of another vocabulary."""

    predicate: str
    iri: str


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier of a concept in a scheme (``arxiv``, ``doi``, ``url``, ``wikidata``), with
    the address it resolves to."""

    scheme: str
    value: str
    url: str | None


@dataclass(frozen=True, slots=True)
class ModelNumbers:
    """A named model's published numbers; ``None`` where the graph has none."""

    parameters: int | None = None
    active_parameters: int | None = None
    context_length: int | None = None
    training_tokens: int | None = None
