"""Running the SHACL shapes (pyshacl) over a graph, all of it or some focus nodes.

The shapes file is parsed once, at the first run (pyshacl and the parse are slow to
start, and only validation and edits need them). A full run over the bundled graph takes
about 4 s; a run limited to the nodes an edit touches about 0.04 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import rdflib

from graph import vocabulary as V
from graph.quality.checks import Problem

__all__ = ["Shapes"]


class Shapes:
    """The SHACL shapes of one file, run on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._graph: rdflib.Graph | None = None

    def problems(self, data: rdflib.Graph, focus: Sequence[str] | None = None) -> list[Problem]:
        """Each violation as a :class:`Problem`; with ``focus``, only about those nodes.

        With ``focus`` the data graph is validated in place (no copy): the caller lends it.
        """
        import pyshacl  # imported here: slow to import, and only validation and edits need it

        if self._graph is None:
            self._graph = rdflib.Graph().parse(self.path, format="turtle")
        nodes: list[rdflib.URIRef | str] | None = None
        if focus is not None:
            nodes = [rdflib.URIRef(i) for i in focus if (rdflib.URIRef(i), None, None) in data]
            if not nodes:
                return []
        conforms, report, _ = pyshacl.validate(
            data,
            shacl_graph=self._graph,
            inference="none",
            focus_nodes=nodes,
            inplace=focus is not None,
        )
        if conforms:
            return []
        sh = rdflib.Namespace(V.SH)
        found = []
        for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
            node = str(report.value(result, sh.focusNode))
            path = report.value(result, sh.resultPath)
            message = str(report.value(result, sh.resultMessage) or "violates a shape")
            where = f" ({path.n3(report.namespace_manager)})" if path is not None else ""
            found.append(Problem("shacl", node, message + where))
        return found
