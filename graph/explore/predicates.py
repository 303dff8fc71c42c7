"""Predicates in plain English: their names, how an edge reads from either end, and which
predicate a user's reference names.

Every predicate the graph uses has a name (see :func:`graph.index.build.words_of` for the
fallbacks). An edge reads from its subject by that name ("succeeds Mixtral 8x7B") and from
its object by the inverse name ("succeeded by Mixtral 8x22B", ``aikgs:inverseLabel`` in
schema.ttl); where a predicate has no inverse name, the edge reads from its object as a whole
sentence ("Mixtral 8x22B succeeds Mixtral 8x7B"), never backwards.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process

from graph import vocabulary as V
from graph.curies import expand
from graph.errors import InvalidArgument, PredicateNotFound
from graph.index.build import words_of
from graph.model import Direction

__all__ = ["PredicateWords", "both_phrase"]

#: is-a and example-of, read from either end (they are never among a concept's relations).
_TAXONOMY_PHRASES = {
    V.SUB_CLASS_OF: ("is a kind of", "has sub-kind"),
    V.TYPE: ("is an example of", "has example"),
}
_PREPOSITIONS = frozenset({"by", "on", "in", "with", "via", "of", "to", "from", "for", "at"})


class PredicateWords:
    """Names and readings of one graph's predicates, and references to them resolved."""

    def __init__(
        self,
        labels: Mapping[str, str],
        inverse_labels: Mapping[str, str],
        relation_predicates: frozenset[str],
        prefixes: Mapping[str, str],
    ) -> None:
        self._labels = labels
        self._inverse = inverse_labels
        self._relations = relation_predicates
        self._prefixes = prefixes
        self._by_label: dict[str, list[str]] = {}
        self._by_inverse: dict[str, list[str]] = {}
        self._memo: dict[str, tuple[str, str | None]] = {}
        for predicate in sorted(relation_predicates):
            self._by_label.setdefault(_key(self.label(predicate)), []).append(predicate)
            inverse = inverse_labels.get(predicate)
            if inverse is not None:
                self._by_inverse.setdefault(_key(inverse), []).append(predicate)

    def label(self, predicate: str) -> str:
        """The predicate's name as read from the subject: "developed by"."""
        return self._labels.get(predicate) or words_of(predicate)

    def phrase(self, predicate: str, direction: Direction) -> str | None:
        """The name as read from one end: "succeeds" (OUT), "succeeded by" (IN); None for IN
        when the predicate has no inverse name."""
        return self.phrases(predicate)[direction is Direction.IN]

    def phrases(self, predicate: str) -> tuple[str, str | None]:
        """The predicate read from its subject and from its object, worked out once."""
        found = self._memo.get(predicate)
        if found is None:
            if predicate in _TAXONOMY_PHRASES:
                found = _TAXONOMY_PHRASES[predicate]
            else:
                found = (self.label(predicate), self._inverse.get(predicate))
            self._memo[predicate] = found
        return found

    def reading(self, subject: str, predicate: str, obj: str, direction: Direction) -> str:
        """The edge in words from one end, without naming that end where the words allow.

        >>> words = PredicateWords({"urn:s": "succeeds"}, {"urn:s": "succeeded by"},
        ...                        frozenset({"urn:s"}), {})
        >>> words.reading("Mixtral 8x22B", "urn:s", "Mixtral 8x7B", Direction.OUT)
        'succeeds Mixtral 8x7B'
        >>> words.reading("Mixtral 8x22B", "urn:s", "Mixtral 8x7B", Direction.IN)
        'succeeded by Mixtral 8x22B'
        >>> words.reading("A", "http://example.org/inspires", "B", Direction.IN)  # no inverse name
        'A inspires B'
        """
        return self.words(subject, predicate, obj, direction)[2]

    def words(
        self, subject: str, predicate: str, obj: str, direction: Direction
    ) -> tuple[str, str, str]:
        """The predicate's name, its phrase from one end and the edge's reading from there, at
        once (``phrase`` says "(inverse)" after the name when there is no inverse name)."""
        label, inverse = self.phrases(predicate)
        if direction is not Direction.IN:
            return label, label, f"{label} {obj}"
        if inverse is not None:
            return label, inverse, f"{inverse} {subject}"
        return label, f"{label} (inverse)", f"{subject} {label} {obj}"

    def shared(self, predicate: str, name: str) -> str:
        """Why two concepts with the same edge to ``name`` are alike: "both developed by
        OpenAI"."""
        if predicate == V.SUB_CLASS_OF:
            return f"both are kinds of {name}"
        if predicate == V.TYPE:
            return f"both are examples of {name}"
        return both_phrase(self.label(predicate), name)

    def known(self) -> list[str]:
        """The names of every relation predicate, sorted."""
        return sorted({self.label(p) for p in self._relations})

    def resolve(self, reference: str, forward_only: bool = False) -> tuple[str, bool]:
        """The relation predicate a reference names, and whether it named its inverse.

        A reference is the predicate's IRI, a CURIE, its name ("developed by") or its inverse
        name ("developer of"), case and spacing aside. is-a and example-of are not relations
        (``parents``, ``types``… list them); anything else unknown raises
        :class:`PredicateNotFound` with the closest names (with ``forward_only``, where only a
        name read from the subject will do, the closest of those).
        """
        if reference in self._relations:
            return reference, False
        expanded = expand(reference.strip(), self._prefixes)
        if expanded in self._relations:
            return expanded, False
        key = _key(reference)
        for names, inverted in ((self._by_label, False), (self._by_inverse, True)):
            found = names.get(key)
            if found:
                if len(found) > 1:
                    raise InvalidArgument(
                        f"The predicate {reference!r} is ambiguous: it names "
                        f"{', '.join(found)}. Use one of these IRIs instead."
                    )
                return found[0], inverted
        if (expanded or reference) in V.PREDICATE_LABELS or key in ("is a", "example of"):
            raise InvalidArgument(
                f"{reference!r} is is-a or example-of, not a typed relation: ask for parents, "
                "children, types or examples instead."
            )
        raise PredicateNotFound(reference, self._suggest(reference, forward_only), self.known())

    def _suggest(self, reference: str, forward_only: bool = False) -> list[str]:
        """The closest names, the reference read as words ("aikgs:memberOf" as "member of")."""
        names = [*self._by_label] if forward_only else [*self._by_label, *self._by_inverse]
        words = words_of(reference[:200]) if ":" in reference else _key(reference[:200])
        found = process.extract(words, names, scorer=fuzz.ratio, limit=3, score_cutoff=65)
        return [name for name, _, _ in found]


def both_phrase(label: str, name: str) -> str:
    """Words for two concepts that share an edge of one predicate to ``name``.

    >>> both_phrase("member of family", "GPT"), both_phrase("has modality", "text")
    ('both in the GPT family', 'both have the text modality')
    >>> both_phrase("uses architecture", "transformer"), both_phrase("developed by", "OpenAI")
    ('both use the transformer architecture', 'both developed by OpenAI')
    >>> both_phrase("part of", "Google"), both_phrase("exhibits", "in-context learning")
    ('both are part of Google', 'both exhibit in-context learning')
    """
    words = label.split()
    if len(words) == 3 and words[0] == "member" and words[1] == "of":
        return f"both in the {name} {words[2]}"
    if len(words) == 2 and words[1] not in _PREPOSITIONS and _is_verb(words[0]):
        return f"both {_plural(words[0])} the {name} {words[1]}"
    if len(words) == 2 and words[1] == "of" and not words[0].endswith("ed"):
        return f"both are {label} {name}"
    return f"both {' '.join([_plural(words[0]), *words[1:]]) if words else label} {name}"


def _is_verb(word: str) -> bool:
    """A present-tense verb of the third person ("has", "uses", "involves")."""
    return word == "has" or (word.endswith("s") and not word.endswith("ss"))


def _plural(verb: str) -> str:
    """The verb agreeing with a plural subject: "has" → "have", "uses" → "use", "is" → "are"."""
    if verb == "has":
        return "have"
    if verb == "is":
        return "are"
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
