"""`aikg validate`: the bundled ontology is clean, and each invalid example is caught.

Each file in ``invalid/`` is added to the bundled ontology and must raise a problem the
bundled ontology alone does not have: its first line names the check (``# expect: <check>
[word]``) and, optionally, a word of the message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import KnowledgeGraph
from graph.loading import load_files
from graph.quality.checks import Problem
from graph.quality.validate import validate
from ontology import data_files, shapes_file

INVALID = sorted((Path(__file__).parent / "invalid").glob("*.ttl"))


def expectation(example: Path) -> list[str]:
    """The check and, optionally, the word an invalid example must raise."""
    return example.read_text().splitlines()[0].removeprefix("# expect: ").split()


@pytest.fixture(scope="module")
def bundled_problems(bundled: KnowledgeGraph) -> set[Problem]:
    """The bundled ontology's problems (none: what an invalid example must add to)."""
    return set(validate(bundled.store, bundled.index, shapes_file()))


def test_the_bundled_ontology_has_no_problems(bundled: KnowledgeGraph) -> None:
    assert validate(bundled.store, bundled.index, shapes_file()) == []


def test_there_are_invalid_examples() -> None:
    assert len(INVALID) >= 14


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_each_invalid_example_is_reported(bundled_problems: set[Problem], example: Path) -> None:
    expected = expectation(example)
    graph = load_files([*data_files(), example])
    problems = set(validate(graph.store, graph.index, shapes_file())) - bundled_problems
    found = {p.check for p in problems}
    assert found, f"{example.name} raised no new problem"
    assert expected[0] in found, (expected, problems)
    if expected[1:]:
        assert any(expected[1] in p.message.lower() for p in problems if p.check == expected[0]), (
            problems
        )
