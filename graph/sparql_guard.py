"""What a SPARQL query's text asks for, read without running it: the endpoint's read-only policy.

The public endpoint runs any SPARQL 1.1 *query* over the served graph, and nothing else:

* an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…) is refused, with a message that
  says so (Oxigraph's query parser would only say "expected CONSTRUCT");
* ``SERVICE`` is refused: Oxigraph runs federated queries itself, so a query could make the
  server send HTTP requests anywhere it can reach;
* ``FROM`` and ``FROM NAMED`` are refused: the endpoint answers over the default graph (the
  triples ``/ontology`` serves), and a dataset clause would reach the named graphs beside it
  (the change log).

Keywords are found by a scanner that follows the SPARQL grammar's terminals: comments,
strings, IRIs, variables and prefixed names are skipped whole, so ``ex:service``,
``"FROM"`` or ``<http://e.org/service>`` are never taken for keywords. In SPARQL every
bare word outside those is a keyword, a function name, ``a``, ``true`` or ``false``.

>>> check_read_only("SELECT ?s WHERE { ?s ex:service 'SERVICE' } # FROM")
>>> check_read_only("PREFIX ex: <http://e.org/> INSERT DATA { ex:a ex:b ex:c }")
Traceback (most recent call last):
...
graph.errors.QueryRefused: This endpoint is read-only: SPARQL Update (INSERT) is not accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.errors import QueryRefused

__all__ = ["check_read_only", "keywords"]

_PN_CHARS = r"\w\u00B7\u0300-\u036F\u203F-\u2040"
_PN_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    rf"""
      (?P<comment>\#[^\r\n]*)
    | (?P<long_string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<variable>[?$][{_PN_CHARS}]+)
    | (?P<prefixed>(?:[{_PN_CHARS}][{_PN_CHARS}.\-]*)?:
                   (?:[{_PN_CHARS}.\-:]|%[0-9A-Fa-f]{{2}}|{_PN_LOCAL_ESCAPE})*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATES = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_PROLOGUE = frozenset({"BASE", "PREFIX"})


def keywords(query: str) -> Iterator[str]:
    """The bare words of a query (keywords and function names), upper-cased, in order.

    >>> list(keywords('SELECT ?x WHERE { ?x rdfs:label "a SERVICE" } LIMIT 1'))
    ['SELECT', 'WHERE', 'LIMIT']
    """
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "word":
            yield match.group().upper()


def check_read_only(query: str) -> None:
    """Raise :class:`QueryRefused` for an update, ``SERVICE``, ``FROM`` or ``FROM NAMED``.

    Syntax is not checked here: the store's parser reports syntax errors with their place.

    >>> check_read_only("SELECT * FROM <http://e.org/g> WHERE { ?s ?p ?o }")
    ... # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: FROM and FROM NAMED are not accepted:
    this endpoint answers over its one default graph.
    """
    words = list(keywords(query))
    first = next((word for word in words if word not in _PROLOGUE), None)
    if first in _UPDATES:
        raise QueryRefused(f"This endpoint is read-only: SPARQL Update ({first}) is not accepted.")
    if "SERVICE" in words:
        raise QueryRefused(
            "SERVICE (federated query) is not accepted: this endpoint queries only its own graph."
        )
    if "FROM" in words:
        raise QueryRefused(
            "FROM and FROM NAMED are not accepted: "
            "this endpoint answers over its one default graph."
        )
