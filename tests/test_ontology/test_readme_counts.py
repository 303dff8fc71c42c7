"""The figures the top-level README's "What is in it" section quotes are those of the bundled
data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF

import ontology
from graph import Concept, ConceptKind, KnowledgeGraph
from graph import vocabulary as V

REPO = Path(__file__).resolve().parents[2]
SECTION = (
    (REPO / "README.md")
    .read_text(encoding="utf-8")
    .split("## What is in it\n", 1)[1]
    .split("\n## ", 1)[0]
)
TEXT = " ".join(SECTION.split())  # one line, so that a phrase may wrap anywhere


def examples_of(graph: KnowledgeGraph, kind: str) -> int:
    """How many named examples a kind has, through its sub-kinds."""
    return graph.example_count(V.CONCEPT_NS + kind)


def publications(graph: KnowledgeGraph) -> list[Concept]:
    """Every publication (named examples of the publication kinds)."""
    return graph.examples(V.CONCEPT_NS + "publication", limit=100_000)


def open_weight(graph: KnowledgeGraph) -> list[Concept]:
    """Every named model whose weights are published."""
    return graph.examples(V.CONCEPT_NS + "open-source-foundation-model", limit=100_000)


def ours(graph: KnowledgeGraph) -> list[Concept]:
    """Our concepts (in the aikg: namespace)."""
    return [c for c in graph if c.iri.startswith(V.CONCEPT_NS)]


def relation_properties(data: rdflib.Graph) -> set[rdflib.term.Node]:
    """The aikgs: object properties the schema declares."""
    return {
        p for p in data.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(V.SCHEMA_NS)
    }


#: A figure as the README writes it (9,125), captured.
N = r"\b(\d{1,3}(?:,\d{3})*)\b"

#: Each figure: a pattern around it in the README ({N} stands for the figure), and how to count
#: it in the data.
FIGURES: dict[str, tuple[str, Callable[[KnowledgeGraph, rdflib.Graph], int]]] = {
    "triples": (r"\(`ontology/`, {N} triples\)", lambda g, d: len(g.store)),
    "concepts": (r"holds {N} concepts", lambda g, d: len(ours(g))),
    "kinds": (
        r"concepts: {N} kinds",
        lambda g, d: sum(c.kind is ConceptKind.CLASS for c in ours(g)),
    ),
    "named examples": (
        r"kinds and {N} named examples",
        lambda g, d: sum(c.kind is ConceptKind.EXAMPLE for c in ours(g)),
    ),
    "relation edges": (
        r"by {N} relation edges",
        lambda g, d: sum(1 for p in relation_properties(d) for _ in d.triples((None, p, None))),  # type: ignore[arg-type]
    ),
    "relation properties": (
        r"of {N} relation properties",
        lambda g, d: len(relation_properties(d)),
    ),
    "root kinds": (
        r"descend from {N} root kinds",
        lambda g, d: sum(c.kind is ConceptKind.CLASS and not g.parents(c.iri) for c in ours(g)),
    ),
    "branches": (
        r"into {N} top-level branches with one file each",
        lambda g, d: len(list((ontology.ROOT / "kinds").glob("*.ttl"))),
    ),
    "named AI models": (r"{N} named AI models", lambda g, d: examples_of(g, "ai-model")),
    "model families": (r"in {N} model families", lambda g, d: examples_of(g, "model-family")),
    "organisations": (r"{N} organisations", lambda g, d: examples_of(g, "organisation")),
    "publications": (r"{N} publications", lambda g, d: examples_of(g, "publication")),
    "benchmarks": (r"{N} benchmarks", lambda g, d: examples_of(g, "benchmark")),
    "publications with an identifier": (
        r"{N} of the [\d,]+ papers and announcements carry",
        lambda g, d: sum(1 for p in publications(g) if g.identifiers(p.iri)),
    ),
    "publications in all": (
        r"of the {N} papers and announcements carry",
        lambda g, d: len(publications(g)),
    ),
    "open-weight models with a parameter count": (
        r"{N} of the [\d,]+ open-weight models carry",
        lambda g, d: sum(1 for m in open_weight(g) if g.model_numbers(m.iri).parameters),
    ),
    "open-weight models in all": (
        r"of the {N} open-weight models carry",
        lambda g, d: len(open_weight(g)),
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_readme_quotes_the_figure_of_the_data(
    name: str, bundled: KnowledgeGraph, bundled_by_rdflib: rdflib.Graph
) -> None:
    pattern, count = FIGURES[name]
    quoted = re.findall(pattern.replace("{N}", N), TEXT)
    assert len(quoted) == 1, (
        f"README's 'What is in it' should state the {name} once, as {pattern!r}"
    )
    assert int(quoted[0].replace(",", "")) == count(bundled, bundled_by_rdflib), (
        f"README: {name} is stale"
    )


def test_the_triple_figure_is_that_of_the_files(
    bundled: KnowledgeGraph, bundled_by_rdflib: rdflib.Graph
) -> None:
    assert len(bundled.store) == len(bundled_by_rdflib)  # our store counts the triples rdflib reads


def test_the_readme_lists_the_kinds_the_api_accepts() -> None:
    schema = (REPO / "api" / "schema.graphql").read_text(encoding="utf-8")
    match = re.search(r"enum ConceptKind \{([^}]*)\}", schema)
    assert match is not None
    accepted = set(match.group(1).split())
    assert accepted == {k.value for k in ConceptKind}
    assert set(re.findall(r"`concepts\(kind: (\w+)\)`", TEXT)) == accepted
