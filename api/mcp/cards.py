"""A compact card of one concept in Markdown, trimmed to a token budget.

The card is what an LLM needs to talk about a concept and cite it: id, IRI, label,
alternative labels, definition, kind, parents or types, a model's published numbers, a few
examples with the total, the main relations, its facts (notes, licence, title...), identifiers
in other vocabularies, links (arXiv id, DOI, URL, Wikidata id, each with its address), and the
source.

Tokens are *estimated*, not counted: about four characters a token
(:func:`estimate_tokens`), which is close for English text in the tokenizers of current
LLMs and errs long for Markdown punctuation. A card over the budget loses, in this order,
facts past three, relations past three, identifiers and links past two, examples past three,
alternative labels past three, then all facts, identifiers and links, relations, examples (their
total stays), parents
past two, the
alternative labels, parents past one and the source's label, and finally the end of its
definition. Id, IRI, label, kind, one parent or type and the source's IRI always stay, so a
budget under about 100 tokens may still be exceeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from math import ceil

from pydantic import BaseModel, Field

from api.mcp.answers import ConceptSummary, Kind, step_text, summary
from graph import KnowledgeGraph, model
from graph.vocabulary import ISSUED

__all__ = ["ConceptCard", "card_markdown", "concept_card", "estimate_tokens", "trimmed"]

#: How many of each list a card starts with, before any trimming.
CARD_EXAMPLES = 5
CARD_RELATIONS = 8
CARD_IDENTIFIERS = 10
CARD_PARENTS = 10
CHARS_PER_TOKEN = 4


class Relation(BaseModel):
    """One typed edge at the card's concept, in words."""

    text: str = Field(description='"GPT-4 —developed by→ OpenAI"')
    predicate: str
    concept: ConceptSummary = Field(description="The concept at the other end.")


class Fact(BaseModel):
    """A literal statement about the card's concept."""

    predicate: str
    label: str = Field(description='"note", "licence", "title"…')
    value: str
    language: str | None


class Identifier(BaseModel):
    """A mapping to a concept of another vocabulary (SKOS)."""

    relation: str = Field(description='"exactMatch", "closeMatch"…')
    iri: str


class Link(BaseModel):
    """An identifier of the concept in another scheme, with the address it resolves to."""

    scheme: str = Field(description='"arxiv", "doi", "url" or "wikidata"')
    value: str
    url: str | None


class Numbers(BaseModel):
    """A named model's published numbers; null where unknown or undisclosed."""

    parameters: int | None = None
    active_parameters: int | None = None
    context_length: int | None = None
    training_tokens: int | None = None


class ConceptCard(BaseModel):
    """One concept, compactly; lists are cut short when the card is trimmed to its budget."""

    id: str
    iri: str
    label: str
    kind: Kind
    alt_labels: list[str]
    definition: str | None
    released: str | None
    numbers: Numbers = Field(description="A named model's parameters, context and training tokens.")
    parents: list[ConceptSummary] = Field(description="Direct super-kinds (is a).")
    types: list[ConceptSummary] = Field(description="Kinds this concept is directly an example of.")
    example_count: int = Field(
        description="How many named examples it has in all, through sub-kinds too."
    )
    examples: list[ConceptSummary]
    relation_count: int
    relations: list[Relation]
    facts: list[Fact] = Field(
        description="Literal statements but labels and definitions; the release date is above."
    )
    identifiers: list[Identifier]
    links: list[Link] = Field(description="arXiv id, DOI, URL or Wikidata id, with addresses.")
    source: str | None
    source_label: str | None
    trimmed: bool = Field(description="Whether something was left out to keep within max_tokens.")
    estimated_tokens: int = Field(
        description="The Markdown card's length in tokens, estimated at ~4 characters a token."
    )


def estimate_tokens(text: str) -> int:
    """About four characters a token.

    >>> estimate_tokens(""), estimate_tokens("abcd"), estimate_tokens("abcde")
    (0, 1, 2)
    """
    return ceil(len(text) / CHARS_PER_TOKEN)


def concept_card(graph: KnowledgeGraph, concept: model.Concept) -> ConceptCard:
    """The full card of a concept, before any trimming."""
    iri = concept.iri
    source = None if concept.source is None else graph.find_iri(concept.source)
    card = ConceptCard(
        **summary(concept).model_dump(),
        alt_labels=list(concept.alt_labels),
        definition=concept.definition,
        released=concept.released,
        numbers=Numbers(**asdict(graph.model_numbers(iri))),
        parents=[summary(c) for c in graph.parents(iri, CARD_PARENTS)],
        types=[summary(c) for c in graph.types(iri, CARD_PARENTS)],
        example_count=graph.example_count(iri),
        examples=[summary(c) for c in graph.examples(iri, limit=CARD_EXAMPLES)],
        relation_count=graph.relation_count(iri),
        relations=[_relation(concept, e) for e in graph.relations(iri, CARD_RELATIONS)],
        facts=[
            Fact(predicate=f.predicate, label=f.predicate_label, value=f.value, language=f.language)
            for f in graph.facts(iri)
            if not (f.predicate == ISSUED and f.value == concept.released)
        ],
        identifiers=[
            Identifier(relation=_local(m.predicate), iri=m.iri) for m in graph.mappings(iri)
        ][:CARD_IDENTIFIERS],
        links=[Link(scheme=i.scheme, value=i.value, url=i.url) for i in graph.identifiers(iri)][
            :CARD_IDENTIFIERS
        ],
        source=concept.source,
        source_label=None if source is None else source.label,
        trimmed=False,
        estimated_tokens=0,
    )
    return _measured(card)


def _relation(concept: model.Concept, edge: model.ConceptRelation) -> Relation:
    other = edge.object if edge.subject.iri == concept.iri else edge.subject
    return Relation(text=step_text(edge), predicate=edge.predicate, concept=summary(other))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def card_markdown(card: ConceptCard) -> str:
    """The card as Markdown, a few lines per section, empty sections left out."""
    kind = "kind (class)" if card.kind == "CLASS" else "named example"
    lines = [f"# {card.label}", "", f"`{card.id}` · {kind} · <{card.iri}>"]
    if card.alt_labels:
        lines.append(f"Also called: {', '.join(card.alt_labels)}")
    if card.released:
        lines.append(f"Released: {card.released}")
    numbers = _numbers_text(card.numbers)
    if numbers:
        lines.append(f"Numbers: {numbers}")
    if card.definition:
        lines += ["", card.definition]
    lines.append("")
    if card.parents:
        lines.append(f"- **Is a:** {_names(card.parents)}")
    if card.types:
        lines.append(f"- **Example of:** {_names(card.types)}")
    if card.example_count:
        shown = f": {_names(card.examples)}" if card.examples else ""
        more = ", …" if card.examples and len(card.examples) < card.example_count else ""
        lines.append(f"- **Examples ({card.example_count})**{shown}{more}")
    if card.relations:
        lines.append(f"- **Relations ({card.relation_count}):**")
        lines += [f"  - {r.text}" for r in card.relations]
        if len(card.relations) < card.relation_count:
            lines.append("  - …")
    elif card.relation_count:
        lines.append(f"- **Relations:** {card.relation_count} (left out)")
    lines += [f"- **{f.label[:1].upper()}{f.label[1:]}:** {f.value}" for f in card.facts]
    if card.identifiers:
        lines.append(
            f"- **Identifiers:** {', '.join(f'{i.relation} <{i.iri}>' for i in card.identifiers)}"
        )
    if card.links:
        lines.append(f"- **Links:** {', '.join(_link_text(link) for link in card.links)}")
    if card.source:
        named = f"{card.source_label} " if card.source_label else ""
        lines.append(f"- **Source:** {named}<{card.source}>")
    if card.trimmed:
        lines += ["", "_Trimmed to the token budget; ask again with a larger max_tokens for more._"]
    return "\n".join(lines) + "\n"


def _numbers_text(numbers: Numbers) -> str:
    """``46,700,000,000 parameters (12,900,000,000 active) · context 32,768 tokens · …``"""
    parts = []
    if numbers.parameters is not None:
        active = (
            f" ({numbers.active_parameters:,} active)"
            if numbers.active_parameters is not None
            else ""
        )
        parts.append(f"{numbers.parameters:,} parameters{active}")
    elif numbers.active_parameters is not None:
        parts.append(f"{numbers.active_parameters:,} active parameters")
    if numbers.context_length is not None:
        parts.append(f"context {numbers.context_length:,} tokens")
    if numbers.training_tokens is not None:
        parts.append(f"trained on {numbers.training_tokens:,} tokens")
    return " · ".join(parts)


def _link_text(link: Link) -> str:
    return f"{link.scheme} {link.value}" + (f" <{link.url}>" if link.url else "")


def _names(concepts: list[ConceptSummary]) -> str:
    return ", ".join(f"{c.label} (`{c.id}`)" for c in concepts)


def _measured(card: ConceptCard) -> ConceptCard:
    return card.model_copy(update={"estimated_tokens": estimate_tokens(card_markdown(card))})


#: Cuts applied one after another (each keeps the ones before) until the card fits.
_CUTS: tuple[Callable[[ConceptCard], dict[str, object]], ...] = (
    lambda c: {"facts": c.facts[:3]},
    lambda c: {"relations": c.relations[:3]},
    lambda c: {"identifiers": c.identifiers[:2], "links": c.links[:2]},
    lambda c: {"examples": c.examples[:3]},
    lambda c: {"alt_labels": c.alt_labels[:3]},
    lambda c: {"facts": []},
    lambda c: {"identifiers": [], "links": []},
    lambda c: {"relations": []},
    lambda c: {"examples": []},
    lambda c: {"parents": c.parents[:2], "types": c.types[:2]},
    lambda c: {"alt_labels": []},
    lambda c: {"parents": c.parents[:1], "types": c.types[:1], "source_label": None},
)


def trimmed(card: ConceptCard, max_tokens: int) -> ConceptCard:
    """The card cut down (see the module's docstring) until its Markdown fits ``max_tokens``."""
    card = _measured(card)
    for cut in _CUTS:
        if card.estimated_tokens <= max_tokens:
            return card
        card = _measured(card.model_copy(update={**cut(card), "trimmed": True}))
    if card.estimated_tokens > max_tokens and card.definition:
        over = (card.estimated_tokens - max_tokens) * CHARS_PER_TOKEN
        kept = card.definition[: max(len(card.definition) - over - 1, 0)].rstrip()
        card = _measured(
            card.model_copy(update={"definition": f"{kept}…" if kept else None, "trimmed": True})
        )
    return card
