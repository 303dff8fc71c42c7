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
from functools import cache
from pathlib import Path

import pytest

from graph import KnowledgeGraph
from graph.edits.live import LiveGraph
from graph.edits.operations import SetDefinition
from graph.loading import load_files
from graph.quality.checks import Problem, modelling_problems
from graph.quality.edit_checks import EditChecker
from graph.quality.shacl import Shapes
from graph.quality.validate import validate
from graph.store.change_log import Change
from graph.store.rdf_files import parse_triples
from ontology import data_files, shapes_file

INVALID = sorted((Path(__file__).parent / "invalid").glob("*.ttl"))
VALID = sorted((Path(__file__).parent / "valid").glob("*.ttl"))
RULES = {f"R{n}" for n in range(1, 9)}
#: The bundled shapes, read once (at their first use) for every validation in this file.
SHAPES = Shapes(shapes_file())


def expectation(example: Path) -> list[str]:
    """The check and, optionally, the word an invalid example must raise."""
    return example.read_text().splitlines()[0].removeprefix("# expect: ").split()


@pytest.fixture(scope="module")
def bundled_report(bundled: KnowledgeGraph) -> list[Problem]:
    """What ``aikg validate`` says of the bundled ontology, worked out once for this file."""
    return validate(bundled.store, bundled.index, SHAPES)


@pytest.fixture(scope="module")
def bundled_problems(bundled_report: list[Problem]) -> set[Problem]:
    """The bundled ontology's problems (none: what an invalid example must add to)."""
    return set(bundled_report)


@cache
def with_example(example: Path) -> tuple[KnowledgeGraph, frozenset[Problem]]:
    """The bundled ontology plus one invalid example, and what ``aikg validate`` says of it."""
    graph = load_files([*data_files(), example])
    return graph, frozenset(validate(graph.store, graph.index, SHAPES))


def test_the_bundled_ontology_has_no_problems(bundled_report: list[Problem]) -> None:
    assert bundled_report == []


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
    problems = set(with_example(example)[1]) - bundled_problems
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
    problems = set(validate(graph.store, graph.index, SHAPES)) - bundled_problems
    assert not problems, sorted(problems)


@pytest.fixture(scope="module")
def checker() -> EditChecker:
    """One checker for every example, as a server keeps one: its shapes are built once."""
    return EditChecker(shapes_file())


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_an_invalid_example_added_by_one_edit_is_refused_for_what_validate_reports(
    bundled: KnowledgeGraph, bundled_problems: set[Problem], checker: EditChecker, example: Path
) -> None:
    """The edit checks on the touched nodes only (the path of a large graph) find the same
    SHACL and structural problems as ``aikg validate`` over the whole graph; the modelling
    rules are ``aikg validate``'s alone."""
    trial, reported = with_example(example)
    added = tuple(parse_triples([example]))
    change = Change(added=added, touched=frozenset(Change(added=added).subjects_and_objects()))
    refused = checker.new_problems(bundled, trial, change, whole=False)
    modelling = modelling_problems(trial.index, trial.store)
    expected = {str(p) for p in reported - bundled_problems - modelling}
    assert sorted(refused) == sorted(expected)


def test_a_second_edit_of_the_same_concept_reads_its_shacl_problems_from_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A concept that already breaks a shape can still be edited; the second edit of it runs
    SHACL once (after the change), reading the problems before it from the first edit's check."""
    example = Path(__file__).parent / "invalid" / "identifier-format.ttl"
    graph = load_files([*data_files(), example])
    paper = "attention-is-all-you-need"
    live = LiveGraph(graph.store, graph, shapes=shapes_file(), whole_check_triples=0)
    runs = []
    real = Shapes.problems
    monkeypatch.setattr(Shapes, "problems", lambda *a, **k: runs.append(1) or real(*a, **k))
    live.edit([SetDefinition(paper, "The paper that introduced the Transformer.")], "test")
    assert len(runs) == 2  # after the change (the old problem is there), then before it
    live.edit([SetDefinition(paper, "The 2017 paper that introduced the Transformer.")], "test")
    assert len(runs) == 3
