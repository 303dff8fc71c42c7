"""A concept's identifiers in other schemes, and the address each resolves to.

The ontology gives each scheme its own property (``aikgs:arxivId``, ``aikgs:doi``,
``aikgs:url``, ``aikgs:wikidataId``; see ``ontology/schema.ttl``), its value in the scheme's
own form. The resolver address is built from the scheme, so a value that is not in that form
(only possible in data that did not pass ``aikg validate``) gets no address rather than a wrong
one.

>>> resolver_url("arxiv", "2001.08361")
'https://arxiv.org/abs/2001.08361'
>>> resolver_url("doi", "10.18653/v1/N19-1423")
'https://doi.org/10.18653/v1/N19-1423'
>>> resolver_url("arxiv", "arXiv:2001.08361") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from graph import vocabulary as V
from graph.index.build import FactRow
from graph.model import Identifier

__all__ = ["SCHEMES", "identifiers", "resolver_url"]

#: The schemes in the order a concept lists them.
SCHEMES = tuple(V.IDENTIFIER_PREDICATES)
_SCHEME_OF = {predicate: scheme for scheme, predicate in V.IDENTIFIER_PREDICATES.items()}

#: The form of a value in each scheme, as ``ontology/shapes.ttl`` checks it.
_FORMS = {
    "arxiv": re.compile(r"[0-9]{4}\.[0-9]{4,5}|[a-z][a-z.-]*/[0-9]{7}"),
    "doi": re.compile(r"10\.[0-9]{4,9}/\S+"),
    "url": re.compile(r"https?://\S+"),
    "wikidata": re.compile(r"Q[1-9][0-9]*"),
}
_RESOLVERS = {
    "arxiv": "https://arxiv.org/abs/{}",
    "doi": "https://doi.org/{}",
    "url": "{}",
    "wikidata": "https://www.wikidata.org/wiki/{}",
}


def resolver_url(scheme: str, value: str) -> str | None:
    """The address a value of a scheme resolves to, or ``None`` when it is not in the scheme's
    form."""
    if not _FORMS[scheme].fullmatch(value):
        return None
    escaped = value if scheme == "url" else quote(value, safe="/:;()._-")
    return _RESOLVERS[scheme].format(escaped)


def identifiers(rows: Iterable[FactRow]) -> list[Identifier]:
    """The identifiers among a concept's literals, by scheme (arXiv, DOI, URL, Wikidata), then
    value."""
    found = [
        Identifier(scheme, row.value, resolver_url(scheme, row.value))
        for row in rows
        if (scheme := _SCHEME_OF.get(row.predicate)) is not None
        and (row.datatype or row.language)  # a literal, not a resource
    ]
    return sorted(found, key=lambda i: (SCHEMES.index(i.scheme), i.value))
