"""Read-only SPARQL SELECT and ASK for agents, under the ``/sparql`` endpoint's limits and refusals.

The same policy as ``/sparql`` (:mod:`api.web.sparql`): updates, ``SERVICE``, ``FROM`` and
``FROM NAMED`` are refused by :func:`graph.sparql_guard.check_read_only`; the query text is
bounded (``MAX_QUERY_CHARS``), results too (``MAX_RESULT_BYTES``, "add a LIMIT"), and time
(the service's ``timeout_s``); queries run in deep-stack threads, a few at once
(:class:`api.scheduling.Slots`, shared with GraphQL and /sparql when served over HTTP).
Only SELECT and ASK are answered here: their rows fit a structured answer, where CONSTRUCT
and DESCRIBE would be RDF for ``/sparql`` to serve.
"""

from __future__ import annotations

import json
import time
from typing import Any

from api.mcp.answers import SparqlAnswer, SparqlTerm
from api.scheduling import Slots
from api.web.sparql import MAX_CONCURRENT, MAX_QUERY_CHARS, MAX_RESULT_BYTES
from graph import KnowledgeGraph
from graph.errors import InvalidArgument, NotAcceptable, QueryLimitExceeded, QueryRefused
from graph.sparql_guard import check_read_only

__all__ = ["SparqlRunner"]

RESULTS_JSON = "application/sparql-results+json"


class SparqlRunner:
    """Runs agents' queries over the graph being served; one per server (its own query slots)."""

    def __init__(
        self, timeout_s: float, max_result_bytes: int = MAX_RESULT_BYTES, slots: Slots | None = None
    ) -> None:
        self.timeout_s = timeout_s
        self.max_result_bytes = max_result_bytes
        self._slots = slots or Slots(size=MAX_CONCURRENT + 1, queue=8)

    async def select(self, graph: KnowledgeGraph, query: str) -> SparqlAnswer:
        """The rows of a SELECT or the boolean of an ASK; refusals and limits raise
        :class:`AikgError`."""
        deadline = time.monotonic() + self.timeout_s
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidArgument(
                f"The query has {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}."
            )
        check_read_only(query)
        try:
            _, body = await self._slots.run(
                lambda: graph.store.query_results(
                    query,
                    RESULTS_JSON,
                    None,
                    max_bytes=self.max_result_bytes,
                    deadline=deadline,
                    prefixes=graph.prefixes,
                ),
                deadline=deadline,
                kind="mcp",
            )
        except NotAcceptable:
            raise QueryRefused(
                "Only SELECT and ASK queries are answered here; "
                "CONSTRUCT and DESCRIBE are served at /sparql."
            ) from None
        except QueryLimitExceeded as error:
            if error.limit == "size":
                raise QueryLimitExceeded(
                    "size",
                    f"The results exceed the limit of {self.max_result_bytes:,} bytes; "
                    "add a LIMIT.",
                ) from None
            if error.limit == "time":
                raise QueryLimitExceeded(
                    "time", f"The query ran longer than the time limit of {self.timeout_s:g} s."
                ) from None
            raise
        return parse_results(json.loads(body))


def parse_results(results: dict[str, Any]) -> SparqlAnswer:
    """SPARQL 1.1 Query Results JSON as a :class:`SparqlAnswer`.

    >>> parse_results({"head": {}, "boolean": True}).boolean
    True
    >>> answer = parse_results({"head": {"vars": ["x"]}, "results": {"bindings": [
    ...     {"x": {"type": "literal", "value": "GPT-4", "xml:lang": "en"}}]}})
    >>> answer.form, answer.rows[0]["x"].lang
    ('SELECT', 'en')
    """
    head = results.get("head") or {}
    if "boolean" in results:
        return SparqlAnswer(form="ASK", variables=[], rows=[], boolean=bool(results["boolean"]))
    bindings = (results.get("results") or {}).get("bindings", [])
    rows = [
        {
            name: SparqlTerm(
                type=term["type"],
                value=term["value"],
                datatype=term.get("datatype"),
                lang=term.get("xml:lang"),
            )
            for name, term in row.items()
        }
        for row in bindings
    ]
    return SparqlAnswer(
        form="SELECT", variables=list(head.get("vars", [])), rows=rows, boolean=None
    )
