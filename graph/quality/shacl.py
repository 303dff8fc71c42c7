"""Running the SHACL shapes (pyshacl) over a graph, all of it or some focus nodes.

The shapes are read once, at the first run, into pyshacl's own shapes graph and shape
objects, which every later run reuses (``pyshacl.validate`` builds them again each call:
about a quarter of an edit's SHACL time). Each run then asks pyshacl to validate only the
shapes that declare targets (the others are reached through them) and, with focus nodes,
only those whose targets can reach one of them (:func:`may_target`); pyshacl finds each
shape's focus nodes and evaluates it exactly as ``pyshacl.validate`` does. ``aikg validate``
and the edit checks run this same code, so they report the same problems for the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib

from graph import vocabulary as V
from graph.quality.checks import Problem

__all__ = ["Shapes", "Targets", "may_target"]


@dataclass(frozen=True)
class Targets:
    """What a shape targets, as pyshacl reads it from the shapes graph."""

    nodes: frozenset[rdflib.term.Node]
    classes: frozenset[rdflib.term.Node]  # sh:targetClass and implicit class targets
    objects_of: frozenset[rdflib.term.Node]
    subjects_of: frozenset[rdflib.term.Node]

    def __bool__(self) -> bool:
        return bool(self.nodes or self.classes or self.objects_of or self.subjects_of)


def may_target(targets: Targets, data: rdflib.Graph, focus: Sequence[rdflib.URIRef]) -> bool:
    """Whether a shape with these targets has one of the focus nodes among its focus nodes
    in ``data`` (SHACL 2.1.3: a target node, an instance of a target class or of one of its
    subclasses, a subject or an object of a target predicate).

    >>> ex = rdflib.Namespace("http://example.org/")
    >>> data = rdflib.Graph()
    >>> _ = data.add((ex.a, rdflib.RDF.type, ex.B)).add((ex.B, rdflib.RDFS.subClassOf, ex.C))
    >>> none: frozenset[rdflib.term.Node] = frozenset()
    >>> may_target(Targets(none, frozenset([ex.C]), none, none), data, [ex.a])
    True
    >>> may_target(Targets(none, none, none, frozenset([ex.p])), data, [ex.a])
    False
    """
    for node in focus:
        if node in targets.nodes:
            return True
        if any((node, p, None) in data for p in targets.subjects_of):
            return True
        if any((None, p, node) in data for p in targets.objects_of):
            return True
        if targets.classes:
            for kind in data.objects(node, rdflib.RDF.type):
                above = data.transitive_objects(kind, rdflib.RDFS.subClassOf)
                if any(k in targets.classes for k in above):
                    return True
    return False


@dataclass(frozen=True)
class _Loaded:
    shapes_graph: Any  # pyshacl.shapes_graph.ShapesGraph (pyshacl is imported on first use)
    targeted: list[tuple[Any, Targets]]  # (pyshacl Shape, its targets), in pyshacl's order


class Shapes:
    """The SHACL shapes of one file, read once and run on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._loaded: _Loaded | None = None

    def _load(self) -> _Loaded:
        """Parse the file and let pyshacl build its shapes (once)."""
        if self._loaded is None:
            # imported here: slow to import, and only validation and edits need it
            from pyshacl.monkey import apply_patches
            from pyshacl.shapes_graph import ShapesGraph

            apply_patches()  # what pyshacl.validate does before every run
            shapes_graph = ShapesGraph(rdflib.Graph().parse(self.path, format="turtle"))
            targeted = []
            for shape in shapes_graph.shapes:
                nodes, classes, implicit, objects_of, subjects_of = shape.target()
                targets = Targets(
                    frozenset(nodes),
                    frozenset([*classes, *implicit]),
                    frozenset(objects_of),
                    frozenset(subjects_of),
                )
                if targets:
                    targeted.append((shape, targets))
            self._loaded = _Loaded(shapes_graph, targeted)
        return self._loaded

    def problems(self, data: rdflib.Graph, focus: Sequence[str] | None = None) -> list[Problem]:
        """Each violation as a :class:`Problem`; with ``focus``, only about those nodes.

        The data graph is validated in place (pyshacl neither copies nor changes it when
        no inference is asked for).
        """
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.pytypes import SHACLExecutor
        from pyshacl.validator import Validator

        loaded = self._load()
        nodes: list[rdflib.URIRef] | None = None
        if focus is not None:
            nodes = [rdflib.URIRef(i) for i in focus if (rdflib.URIRef(i), None, None) in data]
            if not nodes:
                return []
        executor = SHACLExecutor(focus_nodes=nodes)
        target = DataGraph.from_rdflib(data)
        conforms, results = True, []
        for shape, targets in loaded.targeted:
            if nodes is not None and not may_target(targets, data, nodes):
                continue
            shape_conforms, found = shape.validate(executor, target)
            conforms = conforms and shape_conforms
            results.extend(found)
        if conforms:
            return []
        report, _ = Validator.create_validation_report(loaded.shapes_graph, False, results)
        sh = rdflib.Namespace(V.SH)
        problems = []
        for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
            node = str(report.value(result, sh.focusNode))
            path = report.value(result, sh.resultPath)
            message = str(report.value(result, sh.resultMessage) or "violates a shape")
            where = f" ({path.n3(report.namespace_manager)})" if path is not None else ""
            problems.append(Problem("shacl", node, message + where))
        return problems
