"""Compact IRIs: our short ids, CURIEs by the prefix map, and CURIEs expanded back to IRIs.

A prefix map here is ``{prefix: namespace}``; the longest matching namespace wins, ties by
prefix, so the same map always gives the same CURIE.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph import vocabulary as V

__all__ = ["expand", "short_id", "to_curie"]


def short_id(iri: str, prefixes: Mapping[str, str]) -> str:
    """Our local name for IRIs in our namespace, a CURIE where a prefix fits, else the IRI.

    >>> short_id("https://w3id.org/aikg/concept/gpt-4", {"aikg": "https://w3id.org/aikg/concept/"})
    'gpt-4'
    >>> short_id("https://w3id.org/aio/Model", {"aio": "https://w3id.org/aio/"})
    'aio:Model'
    >>> short_id("https://w3id.org/aio/a b", {"aio": "https://w3id.org/aio/"})
    'https://w3id.org/aio/a b'
    """
    if iri.startswith(V.CONCEPT_NS) and _is_simple_local(iri[len(V.CONCEPT_NS) :]):
        return iri[len(V.CONCEPT_NS) :]
    return to_curie(iri, prefixes, simple=True) or iri


def to_curie(iri: str, prefixes: Mapping[str, str], simple: bool = False) -> str | None:
    """``prefix:local`` for the longest namespace the IRI starts with, or None.

    With ``simple``, only local names of letters, digits, ``-``, ``_`` and ``.`` (not last)
    qualify, so the CURIE is also a readable id.

    >>> to_curie("http://www.w3.org/2004/02/skos/core#exactMatch", {"skos": V.SKOS})
    'skos:exactMatch'
    >>> to_curie("https://example.org/x", {"skos": V.SKOS}) is None
    True
    """
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0])):
        local = iri[len(namespace) :]
        if (
            prefix
            and iri.startswith(namespace)
            and local
            and (not simple or _is_simple_local(local))
        ):
            return f"{prefix}:{local}"
    return None


def expand(reference: str, prefixes: Mapping[str, str]) -> str | None:
    """The IRI a CURIE names by the prefix map, or None when it is not one (``http://…`` is not).

    >>> expand("aikgs:developedBy", {"aikgs": V.SCHEMA_NS})
    'https://w3id.org/aikg/schema/developedBy'
    >>> expand("https://w3id.org/aikg/", {"https": "x"}) is None
    True
    """
    prefix, colon, local = reference.partition(":")
    namespace = prefixes.get(prefix) if colon else None
    if namespace is None or local.startswith("//"):
        return None
    return namespace + local


def _is_simple_local(local: str) -> bool:
    return bool(local) and all(ch.isalnum() or ch in "-_." for ch in local) and local[-1] != "."
