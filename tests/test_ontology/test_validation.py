"""`aikg validate`: the bundled ontology is clean, each invalid example is caught, and each
valid example passes.

Each file in ``invalid/`` is added to the bundled ontology and must raise a problem the
bundled ontology alone does not have: its first line names the check (``# expect: <check>
[word]``) and, optionally, a word of the message. Each file in ``valid/`` shows one rule of
the modelling guide followed (``r<n>-….ttl``), and added to the bundled ontology it must
raise no new problem. Every rule R1–R8 has both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import KnowledgeGraph
from graph.loading import load_files
from graph.quality.checks import Problem
from graph.quality.validate import validate
from ontology import data_files, shapes_file

INVALID = sorted((Path(__file__).parent / "invalid").glob("*.ttl"))
VALID = sorted((Path(__file__).parent / "valid").glob("*.ttl"))
RULES = {f"R{n}" for n in range(1, 9)}


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
    assert len(INVALID) >= 24


def test_every_rule_has_a_failing_and_a_passing_example() -> None:
    failing = {m for e in INVALID for m in re.findall(r"^# (R[1-8])\b", e.read_text(), re.M)}
    passing = {e.stem.split("-")[0].upper() for e in VALID}
    assert failing == RULES, RULES - failing
    assert passing == RULES, RULES - passing


def test_the_guide_names_every_failing_example_of_a_rule() -> None:
    table = (Path(shapes_file()).parent / "README.md").read_text()
    table = table[table.index("### What `aikg validate` checks") :]
    for example in INVALID:
        if re.search(r"^# R[1-8]\b", example.read_text(), re.M):
            assert f"`{example.name}`" in table, example.name


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


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_each_valid_example_raises_no_new_problem(
    bundled: KnowledgeGraph, bundled_problems: set[Problem], example: Path
) -> None:
    graph = load_files([*data_files(), example])
    assert len(graph.index.iris) > len(bundled.index.iris), "the example adds no concept"
    problems = set(validate(graph.store, graph.index, shapes_file())) - bundled_problems
    assert not problems, sorted(problems)
