"""Predicates named the way people name them: a full IRI, a CURIE, a local name or a label.

One resolver for every question that takes a predicate (list filters, a concept's relations):

>>> dev = "https://w3id.org/aikg/schema/developedBy"
>>> resolver = PredicateResolver([dev], {dev: "developed by"}, {"aikgs": "https://w3id.org/aikg/schema/"})
>>> {resolver.resolve(r) for r in (dev, "aikgs:developedBy", "developedBy", "Developed  By")}
{'https://w3id.org/aikg/schema/developedBy'}
>>> resolver.resolve("developed bye")
Traceback (most recent call last):
...
graph.errors.UnknownPredicate: Unknown predicate 'developed bye'. Did you mean: developed by?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from graph.curies import expand
from graph.errors import InvalidArgument, UnknownPredicate
from graph.find.lookup import MAX_REFERENCE, normalise

__all__ = ["PredicateResolver"]


class PredicateResolver:
    """Resolves references to the IRIs of a known set of predicates.

    A readable label ("developed by") and a local name ("developedBy") match case- and
    space-insensitively; a label or local name shared by two predicates is refused as
    ambiguous, naming both IRIs.
    """

    def __init__(
        self, predicates: Iterable[str], labels: Mapping[str, str], prefixes: Mapping[str, str]
    ) -> None:
        self._iris = frozenset(predicates)
        self._prefixes = prefixes
        self._names: dict[str, str] = {}  # a readable name for suggestions, per key
        self._keys: dict[str, tuple[str, ...]] = {}
        for iri in sorted(self._iris):
            names = {labels.get(iri), _local_name(iri)} - {None, ""}
            for name in sorted(names):  # type: ignore[type-var]
                key = normalise(name)  # type: ignore[arg-type]
                if iri not in self._keys.get(key, ()):
                    self._keys[key] = (*self._keys.get(key, ()), iri)
                self._names.setdefault(key, labels.get(iri) or name)  # type: ignore[arg-type]

    def __contains__(self, iri: str) -> bool:
        return iri in self._iris

    def resolve(self, reference: str) -> str:
        """The predicate IRI a reference names; unknown ones raise with suggestions."""
        text = reference.strip()
        if text in self._iris:
            return text
        expanded = expand(text, self._prefixes)
        if expanded in self._iris:
            return expanded  # type: ignore[return-value]
        found = self._keys.get(normalise(text[:MAX_REFERENCE]), ())
        if len(found) == 1:
            return found[0]
        if found:
            raise InvalidArgument(
                f"Ambiguous predicate {reference!r}: it names {', '.join(found)}. "
                "Use an IRI or a CURIE instead."
            )
        raise UnknownPredicate(reference, self._suggest(text[:MAX_REFERENCE]))

    def _suggest(self, text: str, limit: int = 5) -> list[str]:
        matches = process.extract(
            normalise(text), list(self._keys), scorer=fuzz.WRatio, limit=limit, score_cutoff=60
        )
        return list(dict.fromkeys(self._names[key] for key, _, _ in matches))


def _local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``: ``developedBy``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
