"""Domain objects passed from `graph` to the API: frozen, typed, free of RDF libraries."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ConceptKind(enum.Enum):
    """Whether a concept is a kind (a class) or a named example (an instance)."""

    CLASS = "CLASS"
    EXAMPLE = "EXAMPLE"


class ConceptOrder(enum.Enum):
    """The orders a list of concepts can be read in; every one is total (ties by IRI)."""

    IRI = "IRI"
    LABEL = "LABEL"
    RELEASED = "RELEASED"
    RELEASED_DESC = "RELEASED_DESC"
    PARAMETERS = "PARAMETERS"
    PARAMETERS_DESC = "PARAMETERS_DESC"


@dataclass(frozen=True, slots=True)
class RelationFilter:
    """Keep concepts with a ``predicate`` edge to ``object`` or to any part of it (partOf);
    of member-of-family, to ``object`` or any series in it."""

    predicate: str
    object: str


@dataclass(frozen=True, slots=True)
class ConceptFilter:
    """What a list of concepts keeps; every field given must hold (they are ANDed).

    ``under``: a concept's sub-kinds and the named examples of it or of them (with the kind
    EXAMPLE, the named examples of a kind through its sub-kinds); ``where``: relation filters;
    ``released_after`` / ``released_before``: a year, year-month or date (see
    :mod:`graph.dates`).
    """

    under: str | None = None
    where: tuple[RelationFilter, ...] = ()
    released_after: str | None = None
    released_before: str | None = None

    def __bool__(self) -> bool:
        return any((self.under, self.where, self.released_after, self.released_before))


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


class Direction(enum.Enum):
    """Which end of an edge a concept is: its subject (OUT), its object (IN), or either."""

    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@dataclass(frozen=True, slots=True)
class ConceptRelation(Edge):
    """An edge seen from one of its ends: which end, and how it reads from there.

    From Mixtral 8x7B, the edge *Mixtral 8x22B succeeds Mixtral 8x7B* is ``IN``, its
    ``phrase`` "succeeded by" and its ``reading`` "succeeded by Mixtral 8x22B".
    """

    direction: Direction
    phrase: str
    reading: str

    @property
    def other(self) -> Concept:
        """The concept at the other end."""
        return self.object if self.direction is Direction.OUT else self.subject


@dataclass(frozen=True, slots=True)
class Fact:
    """A literal statement about a concept: a note, a licence, a title, a date..."""

    predicate: str
    predicate_label: str
    value: str
    datatype: str | None
    language: str | None


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
    #: One cursor per item: the position just after it, for ``after``.
    cursors: tuple[str, ...] = ()


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
