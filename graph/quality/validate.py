"""``aikg validate``: every structural problem of a graph, the modelling rules, and the SHACL shapes' violations."""

from __future__ import annotations

from pathlib import Path

from graph.index.build import GraphIndex
from graph.quality.checks import PENDING_CHECKS, Problem, modelling_problems, structural_problems
from graph.quality.shacl import Shapes
from graph.store.protocol import GraphStore

__all__ = ["validate"]


def validate(
    store: GraphStore, index: GraphIndex, shapes: Path | None, pending: bool = False
) -> list[Problem]:
    """Every problem found, sorted; an empty list means the graph is valid.

    The checks in :data:`~graph.quality.checks.PENDING_CHECKS` run only with ``pending``.
    """
    problems = structural_problems(index, store)
    problems.update(
        p for p in modelling_problems(index, store) if pending or p.check not in PENDING_CHECKS
    )
    if shapes is not None:
        problems.update(Shapes(shapes).problems(store.to_rdflib()))
    return sorted(problems)
