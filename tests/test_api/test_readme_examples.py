"""The figures the README's examples quote "as they come back today" are what the bundled
graph answers: the explorer's counts and the exploration queries' scores and counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())


def quoted(pattern: str) -> tuple[str, ...]:
    """The groups of the README's one match of ``pattern`` (spaces match any line wrapping)."""
    found = re.findall(pattern, README)
    assert len(found) == 1, f"the README should quote {pattern!r} once, found {len(found)}"
    return found[0] if isinstance(found[0], tuple) else (found[0],)


@pytest.fixture
def answer(run):
    def ask(query: str) -> dict:
        data, errors = run(query)
        assert not errors and data is not None, errors
        return data

    return ask


def test_the_explorer_figures_are_those_of_the_bundled_graph(answer) -> None:
    data = answer(
        """{ llm: concept(id: "large-language-model") { direct: exampleCount(transitive: false)
                                                         all: exampleCount(transitive: true) }
             publication: concept(id: "publication") { exampleCount(transitive: true)
                                                        descendantCount }
             anthropic: concept(id: "anthropic") {
               author: relationCount(predicate: "authored by", direction: IN)
               developer: relationCount(predicate: "developed by", direction: IN) } }"""
    )
    llm, publication, anthropic = data["llm"], data["publication"], data["anthropic"]
    assert quoted(r'\("\d+ of (\d+) × example of" on the large language model page') == (
        str(llm["direct"]),
    )
    assert quoted(r"\(publication: (\d+) and (\d+)\)") == (
        str(publication["exampleCount"]),
        str(publication["descendantCount"]),
    )
    assert quoted(r'Anthropic: "author of \((\d+)\)", "developer of \((\d+)\)"') == (
        str(anthropic["author"]),
        str(anthropic["developer"]),
    )
    assert quoted(r'"Named examples \((\d+) directly, (\d+) with its sub-kinds\)"') == (
        str(llm["direct"]),
        str(llm["all"]),
    )


def test_the_exploration_examples_are_what_the_queries_answer(answer) -> None:
    related = answer('{ related(id: "GPT-4", first: 2) { concept { id } score } }')["related"]
    for item in related:
        (score,) = quoted(rf"# {re.escape(item['concept']['id'])} +(\d\.\d\d) \[")
        assert score == f"{item['score']:.2f}"
    anthropic = answer(
        """{ concept(id: "Anthropic") { relationCount
               developed: relationCount(predicate: "developed by", direction: IN) } }"""
    )["concept"]
    assert quoted(r"(\d+) in all \(of its (\d+) edges\)") == (
        str(anthropic["developed"]),
        str(anthropic["relationCount"]),
    )
