"""`aikg validate`: the bundled ontology is clean, and each invalid example is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import KnowledgeGraph
from graph.quality.validate import validate
from ontology import data_files, shapes_file

INVALID = sorted((Path(__file__).parent / "invalid").glob("*.ttl"))


def test_the_bundled_ontology_has_no_problems(bundled: KnowledgeGraph) -> None:
    assert validate(bundled.store, bundled.index, shapes_file()) == []


def test_there_are_invalid_examples() -> None:
    assert len(INVALID) >= 5


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_each_invalid_example_is_reported(example: Path) -> None:
    expected = example.read_text().splitlines()[0].removeprefix("# expect: ").split()
    graph = KnowledgeGraph.from_files([*data_files(), example])
    problems = validate(graph.store, graph.index, shapes_file())
    found = {p.check for p in problems}
    assert found, f"{example.name} raised no problem"
    assert expected[0] in found, (expected, problems)
    if expected[1:]:
        assert any(expected[1] in p.message.lower() for p in problems), problems
