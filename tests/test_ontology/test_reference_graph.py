"""Issue 15's floor for the reference graph: how many concepts, and that each area it names is
covered. The figures themselves are quoted in the README (``test_readme_counts``); these are
the minimums the bundled graph must not fall below."""

from __future__ import annotations

from datetime import date

import pytest

from graph import KnowledgeGraph
from graph import vocabulary as V
from graph.dates import period_end

#: Each area the issue names: the kinds that hold it, and the fewest concepts (sub-kinds and
#: named examples through them) they must hold together.
AREAS: dict[str, tuple[tuple[str, ...], int]] = {
    "datasets and corpora": (("dataset",), 40),
    "benchmarks and leaderboards": (("benchmark", "leaderboard"), 75),
    "software, frameworks, serving engines and hardware": (("software", "ai-accelerator"), 45),
    "governance, policy and safety practice": (
        ("ai-governance-instrument", "safety-practice", "adversarial-attack"),
        35,
    ),
    "agents and tool use": (("ai-agent", "tool-use", "agent-interoperability-protocol"), 12),
}


def covered(graph: KnowledgeGraph, kinds: tuple[str, ...]) -> int:
    """The sub-kinds and named examples under the kinds (a concept under two counted twice)."""
    iris = [V.CONCEPT_NS + k for k in kinds]
    return sum(graph.descendant_count(i) + graph.example_count(i) for i in iris)


def test_the_graph_holds_at_least_1500_concepts(bundled: KnowledgeGraph) -> None:
    assert sum(1 for c in bundled if c.iri.startswith(V.CONCEPT_NS)) >= 1500


@pytest.mark.parametrize("area", sorted(AREAS))
def test_each_area_the_issue_names_is_covered(bundled: KnowledgeGraph, area: str) -> None:
    kinds, fewest = AREAS[area]
    assert covered(bundled, kinds) >= fewest


def test_the_models_released_since_2024_are_there(bundled: KnowledgeGraph) -> None:
    models = bundled.examples(V.CONCEPT_NS + "ai-model", limit=100_000)
    ends = [period_end(m.released) for m in models if m.released]
    assert sum(1 for end in ends if end is not None and end >= date(2024, 1, 1)) >= 120
