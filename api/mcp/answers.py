"""What the MCP tools answer: typed models (their output schemas) made from domain objects.

Every model is plain data, so the same answer serves as a tool's ``structuredContent`` and,
through :func:`step_text` and friends, as the short text an LLM reads and can cite.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graph import KnowledgeGraph, model

__all__ = [
    "ConceptHit",
    "ConceptSummary",
    "ErrorAnswer",
    "ExampleItem",
    "ExamplesAnswer",
    "PathAnswer",
    "ProofAnswer",
    "RelatedAnswer",
    "RelatedConcept",
    "SearchAnswer",
    "SparqlAnswer",
    "Step",
    "step",
    "step_text",
    "summary",
]

Kind = Literal["CLASS", "EXAMPLE"]


class ConceptSummary(BaseModel):
    """A concept named well enough to cite and to ask about again (by ``id``)."""

    id: str = Field(description="Short id; pass it back to any tool as a reference.")
    iri: str
    label: str
    kind: Kind = Field(description="CLASS: a kind of thing; EXAMPLE: a named example of a kind.")


class Step(BaseModel):
    """One asserted edge of the graph, readable and with where it comes from."""

    text: str = Field(description='The edge in words: "GPT-4 —example of→ large language model".')
    subject: ConceptSummary
    predicate: str = Field(description="The predicate's full IRI.")
    predicate_label: str | None = Field(description='"is a", "example of", "developed by"…')
    object: ConceptSummary
    source: str | None = Field(
        description="The source of the edge's subject (dcterms:source), an IRI."
    )
    source_label: str | None = Field(description="That source's label, when the graph holds it.")


class ProofAnswer(BaseModel):
    """A yes/no question about two concepts, with the chain of asserted edges that proves a yes."""

    question: str
    holds: bool
    subject: ConceptSummary
    object: ConceptSummary
    proof: list[Step] = Field(description="From subject to object; empty when the answer is no.")
    note: str | None = Field(
        default=None,
        description="When the answer is no, what the graph can add: a family or series asked "
        "as a model names its member models of which it holds; a kind asked as an example "
        "says whether it is a sub-kind.",
    )


class ConceptHit(ConceptSummary):
    """A search result: the concept and its definition."""

    definition: str | None


class SearchAnswer(BaseModel):
    """Concepts matching a text, best first."""

    text: str
    total: int = Field(description="How many concepts match in all (fuzzy matches count up to 50).")
    results: list[ConceptHit]


class RelatedConcept(BaseModel):
    """A related concept, how much, why in words, and the edges behind the reasons."""

    concept: ConceptSummary
    score: float = Field(description="Higher is more related; comparable within one answer.")
    reasons: list[str]
    via: list[Step]


class RelatedAnswer(BaseModel):
    """The concepts most related to one, best first."""

    concept: ConceptSummary
    total_scored: int = Field(description="How many concepts were scored (those within two edges).")
    related: list[RelatedConcept]


class PathAnswer(BaseModel):
    """A shortest chain of asserted edges between two concepts, each edge walked either way."""

    from_concept: ConceptSummary
    to_concept: ConceptSummary
    found: bool
    steps: list[Step] = Field(
        description="Edges keep their asserted direction; empty when none was found."
    )


class ExampleItem(ConceptSummary):
    """A named example with its release date (a year, year-month or date, as known) and, for a
    model whose developer published it, its parameter count."""

    released: str | None
    parameters: int | None = None


class ExamplesAnswer(BaseModel):
    """Named examples of a kind (and of its sub-kinds), in the order asked for."""

    concept: ConceptSummary
    order_by: str
    total: int = Field(description="How many named examples there are in all.")
    examples: list[ExampleItem]


class SparqlTerm(BaseModel):
    """One bound value, as in SPARQL 1.1 Query Results JSON."""

    type: str = Field(
        description='"uri", "literal" or "bnode" ("triple" for RDF 1.2 quoted triples).'
    )
    value: str | dict[str, Any] = Field(description="The IRI, lexical form or blank node label.")
    datatype: str | None = None
    lang: str | None = None


class SparqlAnswer(BaseModel):
    """A SELECT's variables and rows, or an ASK's boolean."""

    form: Literal["SELECT", "ASK"]
    variables: list[str]
    rows: list[dict[str, SparqlTerm]] = Field(
        description="One mapping per row; unbound variables are absent."
    )
    boolean: bool | None = Field(description="The answer of an ASK query; null for SELECT.")


class ErrorAnswer(BaseModel):
    """Why a tool call could not be answered, and what to try instead."""

    code: str = Field(
        description="CONCEPT_NOT_FOUND, AMBIGUOUS_CONCEPT, BAD_USER_INPUT, QUERY_REFUSED…"
    )
    message: str
    reference: str | None = None
    suggestions: list[str] = Field(
        default_factory=list, description="Did-you-mean labels with their ids."
    )
    candidates: list[str] = Field(
        default_factory=list, description="The concepts an ambiguous reference names."
    )


def summary(concept: model.Concept) -> ConceptSummary:
    """The citable summary of a domain concept."""
    return ConceptSummary(
        id=concept.id, iri=concept.iri, label=concept.label, kind=concept.kind.value
    )


def hit(concept: model.Concept) -> ConceptHit:
    """A search result for a domain concept."""
    return ConceptHit(**summary(concept).model_dump(), definition=concept.definition)


def example_item(concept: model.Concept, parameters: int | None = None) -> ExampleItem:
    """A named example with its release date and parameter count."""
    return ExampleItem(
        **summary(concept).model_dump(), released=concept.released, parameters=parameters
    )


def step_text(edge: model.Edge) -> str:
    """An edge in words, the way the proofs are cited.

    The predicate's label when the graph gives one, else its IRI's last segment.
    """
    predicate = (
        edge.predicate_label or edge.predicate.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    )
    return f"{edge.subject.label} —{predicate}→ {edge.object.label}"


def step(graph: KnowledgeGraph, edge: model.Edge) -> Step:
    """A domain edge as a proof step; its source is its subject's (as GraphQL's ``Edge.source``)."""
    source = edge.subject.source
    found = None if source is None else graph.find_iri(source)
    return Step(
        text=step_text(edge),
        subject=summary(edge.subject),
        predicate=edge.predicate,
        predicate_label=edge.predicate_label,
        object=summary(edge.object),
        source=source,
        source_label=None if found is None else found.label,
    )


def cited(step: Step) -> str:
    """A step with its source, for text answers: ``GPT-4 —example of→ LLM [source: …]``."""
    if step.source is None:
        return step.text
    name = f"{step.source_label} <{step.source}>" if step.source_label else f"<{step.source}>"
    return f"{step.text} [source: {name}]"
