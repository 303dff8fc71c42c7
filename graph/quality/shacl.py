"""Running the SHACL shapes (pyshacl) over a graph, all of it or some focus nodes.

The shapes are read once, at the first run, into pyshacl's own shapes graph and shape
objects, which every later run reuses (``pyshacl.validate`` builds them again each call:
about a quarter of an edit's SHACL time). Each run then asks pyshacl to validate only the
shapes that declare targets (the others are reached through them) and, with focus nodes,
only those whose targets can reach one of them (:class:`Reach`); pyshacl finds each
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

__all__ = ["Reach", "Shapes", "Targets"]


@dataclass(frozen=True)
class Targets:
    """What a shape targets, as pyshacl reads it from the shapes graph."""

    nodes: frozenset[rdflib.term.Node]
    classes: frozenset[rdflib.term.Node]  # sh:targetClass and implicit class targets
    objects_of: frozenset[rdflib.term.Node]
    subjects_of: frozenset[rdflib.term.Node]

    def __bool__(self) -> bool:
        return bool(self.nodes or self.classes or self.objects_of or self.subjects_of)


@dataclass(frozen=True)
class Reach:
    """What targets can reach some focus nodes in a data graph: the nodes themselves, their
    classes with every class above them, and the predicates of their triples either way."""

    nodes: frozenset[rdflib.term.Node]
    classes: frozenset[rdflib.term.Node]
    subject_of: frozenset[rdflib.term.Node]
    object_of: frozenset[rdflib.term.Node]

    @classmethod
    def of(cls, data: rdflib.Graph, focus: Sequence[rdflib.URIRef]) -> Reach:
        classes = {k for node in focus for k in data.objects(node, rdflib.RDF.type)}
        frontier = list(classes)
        while frontier:  # every class above, each visited once (many focus nodes share them)
            for above in data.objects(frontier.pop(), rdflib.RDFS.subClassOf):
                if above not in classes:
                    classes.add(above)
                    frontier.append(above)
        return cls(
            frozenset(focus),
            frozenset(classes),
            frozenset(p for node in focus for p in data.predicates(node, None)),
            frozenset(p for node in focus for p in data.predicates(None, node)),
        )

    def targeted_by(self, targets: Targets) -> bool:
        """Whether a shape with these targets has one of the focus nodes among its own
        (SHACL 2.1.3: a target node, an instance of a target class or of one of its
        subclasses, a subject or an object of a target predicate).

        >>> ex = rdflib.Namespace("http://example.org/")
        >>> data = rdflib.Graph()
        >>> _ = data.add((ex.a, rdflib.RDF.type, ex.B)).add((ex.B, rdflib.RDFS.subClassOf, ex.C))
        >>> reach, none = Reach.of(data, [ex.a]), frozenset()
        >>> reach.targeted_by(Targets(none, frozenset([ex.C]), none, none))
        True
        >>> reach.targeted_by(Targets(none, none, none, frozenset([ex.p])))
        False
        """
        return not (
            self.nodes.isdisjoint(targets.nodes)
            and self.classes.isdisjoint(targets.classes)
            and self.subject_of.isdisjoint(targets.subjects_of)
            and self.object_of.isdisjoint(targets.objects_of)
        )


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
        reach = None if nodes is None else Reach.of(data, nodes)
        conforms, results = True, []
        for shape, targets in loaded.targeted:
            if reach is not None and not reach.targeted_by(targets):
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
