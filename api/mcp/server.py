"""The MCP server: eight read-only tools and two resource templates over the graph being served.

Each tool resolves references exactly as GraphQL does (ids, IRIs, CURIEs, labels and
alternative labels, through :meth:`KnowledgeGraph.resolve`) and calls the same
:class:`KnowledgeGraph` method as the GraphQL field that answers the same question. A tool
answers with ``structuredContent`` (its output schema is the model in :mod:`api.mcp.answers`)
and a short text for the model to read. A question it cannot answer is a tool result with
``isError`` whose text says what to do: the did-you-mean candidates of an unknown concept,
the candidates of an ambiguous one, the limit a page size passed, why SPARQL was refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from api.graphql.limits import Limits
from api.mcp.answers import (
    ErrorAnswer,
    ExamplesAnswer,
    PathAnswer,
    ProofAnswer,
    RelatedAnswer,
    RelatedConcept,
    SearchAnswer,
    SparqlAnswer,
    cited,
    example_item,
    hit,
    step,
    summary,
)
from api.mcp.cards import ConceptCard, card_markdown, concept_card, trimmed
from api.mcp.sparql import SparqlRunner
from api.scheduling import Slots
from graph import AmbiguousConcept, ConceptNotFound, KnowledgeGraph, model
from graph.errors import AikgError, InvalidArgument, QueryLimitExceeded, QueryRefused
from graph.explore.describe import TripleSet, describe_concept
from graph.explore.neighbours import MAX_PATH_LENGTH
from graph.explore.why_not import indefinite_article
from graph.store.turtle import write_turtle

__all__ = ["ORDERINGS", "build_server", "serve_stdio"]

INSTRUCTIONS = """\
A knowledge graph of AI concepts (kinds such as "large language model" and named examples \
such as "GPT-4", with developers, modalities, architectures and release dates). Refer to a \
concept by its id (from any answer), IRI, CURIE, label or alternative label. Answers about \
is-a and example-of carry a proof: a chain of asserted edges, each with its source, that you \
can quote. An unknown name comes back as an error listing did-you-mean candidates: retry with \
one of them."""

#: list_examples orders: GraphQL's ConceptOrder values (graph/index/orders.py).
ORDERINGS = ("RELEASED_DESC", "RELEASED", "LABEL", "IRI", "PARAMETERS_DESC", "PARAMETERS")
Ordering = Literal["RELEASED_DESC", "RELEASED", "LABEL", "IRI", "PARAMETERS_DESC", "PARAMETERS"]
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

Ref = Annotated[
    str,
    Field(
        description="A concept: id, IRI, CURIE, label or alternative label (e.g. 'GPT-4', 'LLM')."
    ),
]
Limit = Annotated[
    int,
    Field(ge=0, description="How many to return at most (the service's page size limit applies)."),
]


def build_server(
    current: Callable[[], KnowledgeGraph],
    limits: Limits | None = None,
    timeout_s: float = 10.0,
    slots: Slots | None = None,
) -> MCPServer:
    """An MCP server over the graph ``current()`` returns at each call (edits make a new one);
    ``limits`` (the page size limit) and ``timeout_s`` (SPARQL) as for GraphQL; SPARQL runs in
    ``slots`` (the app's, shared with GraphQL and /sparql, when served over HTTP)."""
    limits = limits or Limits()
    server = MCPServer(
        "aikg", title="AI concepts knowledge graph", instructions=INSTRUCTIONS, log_level="WARNING"
    )
    sparql = SparqlRunner(timeout_s, slots=slots)

    def page(limit: int, name: str = "limit") -> int:
        if not 0 <= limit <= limits.max_page_size:
            raise InvalidArgument(
                f"'{name}' must be between 0 and {limits.max_page_size} "
                f"(the page size limit), got {limit}."
            )
        return limit

    @server.tool(annotations=READ_ONLY)
    def lookup_concept(
        ref: Ref,
        max_tokens: Annotated[
            int,
            Field(
                ge=100,
                le=20_000,
                description="Budget for the card, estimated at ~4 characters a token.",
            ),
        ] = 800,
    ) -> Annotated[CallToolResult, ConceptCard]:
        """A compact card of one concept, in Markdown: id, IRI, label, alternative labels,
        definition, kind, parents (for a kind) or types (for a named example), a few examples with
        their total, the main relations, facts (notes, licence, title), identifiers in other
        vocabularies, and the source.
        Trimmed to max_tokens, estimated at about 4 characters a token; a trimmed card says so.
        Use it before answering anything about a concept; cite its IRI."""

        def answer() -> tuple[BaseModel, str]:
            graph = current()
            card = trimmed(concept_card(graph, graph.resolve(ref)), max_tokens)
            return card, card_markdown(card)

        return _answering(answer)

    @server.tool(annotations=READ_ONLY)
    def is_a(subject: Ref, object: Ref) -> Annotated[CallToolResult, ProofAnswer]:
        """Whether subject is a sub-kind of object, or a named example of it or of one of its
        sub-kinds (e.g. is_a("GPT-4", "foundation model")). A yes comes with its proof: the chain of
        asserted edges from subject to object, each as readable text with its source, to quote."""
        return _answering(lambda: _proof(current(), subject, object, "is_a"))

    @server.tool(annotations=READ_ONLY)
    def example_of(subject: Ref, object: Ref) -> Annotated[CallToolResult, ProofAnswer]:
        """Strictly whether subject is a named example (an instance) of object or of one of its
        sub-kinds; a kind is never an example. A yes comes with its proof, each step with its
        source."""
        return _answering(lambda: _proof(current(), subject, object, "example_of"))

    @server.tool(annotations=READ_ONLY)
    def search_concepts(
        text: Annotated[
            str,
            Field(
                description="Words to look for: a name, an acronym, a prefix, "
                "or words of a definition."
            ),
        ],
        limit: Limit = 10,
        kind: Annotated[
            Literal["CLASS", "EXAMPLE"] | None,
            Field(description="Only kinds (CLASS) or only named examples (EXAMPLE)."),
        ] = None,
        under: Annotated[
            str | None,
            Field(description="Only concepts under this one (its sub-kinds and their examples)."),
        ] = None,
    ) -> Annotated[CallToolResult, SearchAnswer]:
        """Find concepts by name or description, best first: exact label, other label (any
        language), acronym, prefix, word prefix, fuzzy (typos), then definitions. Use it when you
        do not know a concept's exact name; then pass a result's id to the other tools."""

        def answer() -> tuple[BaseModel, str]:
            graph = current()
            chosen = None if kind is None else model.ConceptKind(kind)
            found = graph.search(text, page(limit), chosen, under)
            result = SearchAnswer(
                text=text,
                total=graph.search_count(text, chosen, under),
                results=[hit(c) for c in found],
            )
            lines = [f"{len(found)} of {result.total} concepts matching {text!r}:"]
            lines += [
                f"- {c.label} (`{c.id}`, {_kind(c.kind)})"
                + (f": {c.definition}" if c.definition else "")
                for c in found
            ]
            return result, "\n".join(lines)

        return _answering(answer)

    @server.tool(annotations=READ_ONLY)
    def related_concepts(ref: Ref, limit: Limit = 10) -> Annotated[CallToolResult, RelatedAnswer]:
        """The concepts most related to one, best first, each with a score, the reasons in words
        ("both developed by OpenAI") and the asserted edges behind them."""

        def answer() -> tuple[BaseModel, str]:
            graph = current()
            concept = graph.resolve(ref)
            found, total = graph.related(concept.iri, page(limit))
            related = [
                RelatedConcept(
                    concept=summary(r.concept),
                    score=r.score,
                    reasons=list(r.reasons),
                    via=[step(graph, e) for e in r.via],
                )
                for r in found
            ]
            lines = [f"Concepts related to {concept.label} ({len(found)} of {total} scored):"]
            lines += [
                f"- {r.concept.label} (`{r.concept.id}`, score {r.score:.2f}): "
                f"{'; '.join(r.reasons)}"
                for r in found
            ]
            return RelatedAnswer(
                concept=summary(concept), total_scored=total, related=related
            ), "\n".join(lines)

        return _answering(answer)

    @server.tool(annotations=READ_ONLY)
    def find_path(
        from_ref: Ref,
        to_ref: Ref,
        max_length: Annotated[
            int, Field(description=f"Longest chain to look for, 0 to {MAX_PATH_LENGTH}.")
        ] = 6,
    ) -> Annotated[CallToolResult, PathAnswer]:
        """A shortest chain of asserted edges of any relation between two concepts (developed by,
        is a, example of, succeeds...), each edge walked either way but shown in its asserted
        direction, each with its source. found is false when no chain is within max_length."""

        def answer() -> tuple[BaseModel, str]:
            graph = current()
            start, goal = graph.resolve(from_ref), graph.resolve(to_ref)
            edges = graph.path(start.iri, goal.iri, max_length)
            steps = [step(graph, e) for e in edges or ()]
            result = PathAnswer(
                from_concept=summary(start),
                to_concept=summary(goal),
                found=edges is not None,
                steps=steps,
            )
            if edges is None:
                return (
                    result,
                    f"No chain of at most {max_length} edges links {start.label} and {goal.label}.",
                )
            lines = [f"{start.label} to {goal.label} in {len(steps)} edge(s):"]
            lines += [f"{n}. {cited(s)}" for n, s in enumerate(steps, 1)]
            return result, "\n".join(lines)

        return _answering(answer)

    @server.tool(annotations=READ_ONLY)
    def list_examples(
        ref: Ref,
        order_by: Annotated[
            Ordering,
            Field(
                description="RELEASED_DESC (newest first), RELEASED (oldest first), LABEL, IRI, "
                "PARAMETERS_DESC (largest parameter count first) or PARAMETERS; a year or month "
                "counts at its end; examples without the date or count come last."
            ),
        ] = "RELEASED_DESC",
        limit: Limit = 20,
    ) -> Annotated[CallToolResult, ExamplesAnswer]:
        """Named examples of a kind and of its sub-kinds (e.g. the large language models), with
        release dates (a year, year-month or date, as known), newest first by default."""

        def answer() -> tuple[BaseModel, str]:
            graph = current()
            concept = graph.resolve(ref)
            size = page(limit)
            chosen = graph.examples(concept.iri, limit=size, order=model.ConceptOrder[order_by])
            total = graph.example_count(concept.iri)
            items = [example_item(c, graph.model_numbers(c.iri).parameters) for c in chosen]
            result = ExamplesAnswer(
                concept=summary(concept), order_by=order_by, total=total, examples=items
            )
            lines = [f"{len(chosen)} of {total} named examples of {concept.label}, by {order_by}:"]
            lines += [
                f"- {c.label} (`{c.id}`)"
                + (f", released {c.released}" if c.released else "")
                + (f", {c.parameters:,} parameters" if c.parameters is not None else "")
                for c in items
            ]
            return result, "\n".join(lines)

        return _answering(answer)

    @server.tool(annotations=READ_ONLY)
    async def sparql_select(
        query: Annotated[
            str,
            Field(
                description="A SPARQL 1.1 SELECT or ASK query; prefixes aikg:, aikgs:, skos:, "
                "rdfs:, rdf:, owl:, dcterms: are declared."
            ),
        ],
    ) -> Annotated[CallToolResult, SparqlAnswer]:
        """Run a read-only SPARQL SELECT or ASK over the graph, for questions the other tools do not
        answer (counts, filters, joins). Concepts are under https://w3id.org/aikg/concept/
        (aikg:), relations under https://w3id.org/aikg/schema/ (aikgs:), labels are skos:prefLabel.
        Refused: updates, SERVICE, FROM; results over 16 MiB (add a LIMIT); queries past the time
        limit."""
        try:
            result = await sparql.select(current(), query)
        except AikgError as error:
            return _error(error)
        return _result(result, _sparql_text(result))

    @server.resource(
        "aikg://concept/{id}",
        name="concept",
        title="Concept card",
        mime_type="text/markdown",
        description="A concept's card in Markdown "
        "(id, label, definition, kinds, examples, relations, source).",
    )
    def concept_resource(id: str) -> str:
        graph = current()
        card = concept_card(graph, _resource_concept(graph, id))
        return card_markdown(card)

    @server.resource(
        "aikg://concept/{id}/turtle",
        name="concept-turtle",
        title="Concept as Turtle",
        mime_type="text/turtle",
        description="A concept's description in RDF (Turtle), as /concept/{id} serves it.",
    )
    def concept_turtle(id: str) -> str:
        graph = current()
        concept = _resource_concept(graph, id)
        return "".join(
            write_turtle(TripleSet(describe_concept(graph, concept.iri)), graph.prefixes)
        )

    return server


def serve_stdio(
    current: Callable[[], KnowledgeGraph], limits: Limits | None = None, timeout_s: float = 10.0
) -> None:
    """Answer MCP over standard input and output until the client closes them."""
    build_server(current, limits, timeout_s).run("stdio")


def _proof(graph: KnowledgeGraph, subject: str, obj: str, question: str) -> tuple[BaseModel, str]:
    """Both references resolved once, as GraphQL's ``Answer.asking``; then the proof."""
    s, o = graph.resolve(subject), graph.resolve(obj)
    found = (graph.prove_is_a if question == "is_a" else graph.prove_example_of)(s.iri, o.iri)
    relation = indefinite_article(o.label) if question == "is_a" else "an example of"
    note = None if found.holds else graph.why_not(s.iri, o.iri, question == "example_of")
    answer = ProofAnswer(
        question=f"Is {s.label} {relation} {o.label}?",
        holds=found.holds,
        subject=summary(s),
        object=summary(o),
        proof=[step(graph, e) for e in found.path],
        note=note,
    )
    if not found.holds:
        return (
            answer,
            "No: no chain of asserted is-a / example-of edges makes "
            f"{s.label} {relation} {o.label}." + ("" if note is None else f" {note}"),
        )
    lines = [f"Yes: {s.label} is {relation} {o.label}. Proof ({len(answer.proof)} step(s)):"]
    lines += [f"{n}. {cited(p)}" for n, p in enumerate(answer.proof, 1)]
    return answer, "\n".join(lines)


def _answering(question: Callable[[], tuple[BaseModel, str]]) -> CallToolResult:
    try:
        answer, text = question()
    except AikgError as error:
        return _error(error)
    return _result(answer, text)


def _result(answer: BaseModel, text: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=answer.model_dump(mode="json"),
    )


def _error(error: AikgError) -> CallToolResult:
    """A tool error an agent can act on: the message, and the candidates to retry with."""
    answer = ErrorAnswer(code=_code(error), message=str(error))
    if isinstance(error, ConceptNotFound):
        answer.reference, answer.suggestions = error.reference, list(error.suggestions)
    elif isinstance(error, AmbiguousConcept):
        answer.reference, answer.candidates = error.reference, list(error.candidates)
    return CallToolResult(
        content=[TextContent(type="text", text=str(error))],
        structured_content=answer.model_dump(mode="json"),
        is_error=True,
    )


def _code(error: AikgError) -> str:
    """The same codes as GraphQL's error extensions, and the SPARQL refusals'."""
    codes: tuple[tuple[type[AikgError], str], ...] = (
        (ConceptNotFound, "CONCEPT_NOT_FOUND"),
        (AmbiguousConcept, "AMBIGUOUS_CONCEPT"),
        (InvalidArgument, "BAD_USER_INPUT"),
        (QueryRefused, "QUERY_REFUSED"),
        (QueryLimitExceeded, "LIMIT_EXCEEDED"),
    )
    return next((code for kind, code in codes if isinstance(error, kind)), "BAD_QUERY")


def _resource_concept(graph: KnowledgeGraph, reference: str) -> model.Concept:
    try:
        return graph.resolve(reference)
    except (ConceptNotFound, AmbiguousConcept) as error:
        raise ResourceNotFoundError(str(error)) from None


def _kind(kind: model.ConceptKind) -> str:
    return "kind" if kind is model.ConceptKind.CLASS else "named example"


def _sparql_text(result: SparqlAnswer) -> str:
    """ASK as yes/no; SELECT as a small table (values only; the rows are in structuredContent)."""
    if result.form == "ASK":
        return "Yes (true)." if result.boolean else "No (false)."
    lines = [f"{len(result.rows)} row(s). " + " | ".join(result.variables)]
    for row in result.rows[:50]:
        lines.append(" | ".join(str(row[v].value) if v in row else "" for v in result.variables))
    if len(result.rows) > 50:
        lines.append(f"… {len(result.rows) - 50} more rows in the structured answer.")
    return "\n".join(lines)
