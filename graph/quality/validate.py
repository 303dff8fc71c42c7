"""``aikg validate``: a graph's structural problems, modelling rules and SHACL violations."""

from __future__ import annotations

from pathlib import Path

from graph.index.build import GraphIndex
from graph.quality.checks import Problem, modelling_problems, structural_problems
from graph.quality.shacl import Shapes
from graph.store.protocol import GraphStore

__all__ = ["validate"]


def validate(store: GraphStore, index: GraphIndex, shapes: Path | Shapes | None) -> list[Problem]:
    """Every problem found, sorted; an empty list means the graph is valid.

    ``shapes`` is a SHACL file, or :class:`Shapes` already read (a caller that validates
    many graphs against one file reads it once).
    """
    problems = structural_problems(index, store) | modelling_problems(index, store)
    if shapes is not None:
        runner = shapes if isinstance(shapes, Shapes) else Shapes(shapes)
        problems.update(runner.problems(store.to_rdflib()))
    return sorted(problems)
