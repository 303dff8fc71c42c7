"""What the graph can add to a "no": the near misses people ask about.

Two questions are answered no for a reason the bare "no chain of edges" hides:

* a **family or series asked as a model** ("is Llama 3 an open-weight model?"): the series
  is not a model, its member models are; the note names those of which the answer holds,
  through series within series (``aikgs:memberOfFamily``, at any depth);
* a **kind asked as a named example** ("is LLM an example of foundation model?"): a kind is
  never an example; the note says whether it is a sub-kind instead (what ``isA`` answers);
* an **architecture asked as a model** ("is the transformer a neural network?"): a model uses
  an architecture, it is not one (R3 of the modelling guide); the note names the kinds of model
  built on it (``aikgs:usesArchitecture``) of which the answer holds.

Anything else gets no note: the answer is no, and the proof's absence says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph import vocabulary as V
from graph.model import Concept, ConceptKind, Direction

if TYPE_CHECKING:  # the graph asks this module; it is typed, not imported, here
    from graph.knowledge_graph import KnowledgeGraph

__all__ = ["indefinite_article", "why_not"]

#: The kind architectures are sub-kinds of (R3).
MODEL_ARCHITECTURE = V.CONCEPT_NS + "model-architecture"
#: Members named in a note; the rest are counted.
NAMED = 5
#: Members examined, through every series of a family: bounded whatever the graph.
MAX_MEMBERS = 10_000


def why_not(
    graph: KnowledgeGraph, subject: str, obj: str, strictly_example: bool = False
) -> str | None:
    """A sentence on why ``subject`` is not a(n example of) ``obj`` (both IRIs), or None.

    Called for answers that are no; ``strictly_example`` for the example-of question.
    """
    s, o = graph.get(subject), graph.get(obj)
    if strictly_example and s.kind is ConceptKind.CLASS:
        verdict = "it is" if graph.is_a(subject, obj) else "it is not"
        return (
            f"{s.label} is a kind, not a named example, so it is an example of nothing; as a "
            f"kind, {verdict} a sub-kind of {o.label} (what isA answers)."
        )
    if _is(graph, subject, MODEL_ARCHITECTURE) and not _is(graph, obj, MODEL_ARCHITECTURE):
        return _architecture(graph, s, o)
    if graph.find_iri(V.MODEL_FAMILY) is None or not graph.is_a(subject, V.MODEL_FAMILY):
        return None
    members = _members(graph, subject)
    holding = [m for m in members if graph.is_a(m.iri, obj)]
    what = "model family or series, not a model"
    if not members:
        return f"{s.label} is a {what}, and no model is recorded as its member."
    if not holding:
        return f"{s.label} is a {what}; none of its {_count(members)} is {_a(o.label)}."
    verb = "is" if len(holding) == 1 else "are each"
    return (
        f"{s.label} is a {what}; ask of its models: {_listed([m.label for m in holding])} "
        f"{verb} {_a(o.label)} ({len(holding)} of its {_count(members)})."
    )


def _is(graph: KnowledgeGraph, iri: str, kind: str) -> bool:
    """``iri`` is ``kind`` or under it (False where the graph has no such kind)."""
    return iri == kind or (graph.find_iri(kind) is not None and graph.is_a(iri, kind))


def _architecture(graph: KnowledgeGraph, s: Concept, o: Concept) -> str:
    """An architecture asked as a model: the kinds of model built on it, and which hold."""
    built = [
        edge.other
        for edge in graph.relations(s.iri, None, V.USES_ARCHITECTURE, Direction.IN)
        if edge.other.kind is ConceptKind.CLASS
    ]
    what = f"{s.label} is a model architecture, not a model: models use it"
    if not built:
        return f"{what}."
    holding = [k.label for k in built if graph.is_a(k.iri, o.iri)]
    if not holding:
        names = _listed([k.label for k in built])
        return f"{what}; none of the kinds of model built on it ({names}) is {_a(o.label)}."
    verb = "is" if len(holding) == 1 else "are each"
    kinds = f"ask of the kinds of model built on it: {_listed(holding)}"
    return f"{what}; {kinds} {verb} {_a(o.label)}."


def _listed(labels: list[str]) -> str:
    """ "A", "A and B", "A, B and C"; past NAMED, "… and N more"."""
    shown = labels[:NAMED] + ([f"{len(labels) - NAMED} more"] if len(labels) > NAMED else [])
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _members(graph: KnowledgeGraph, family: str) -> list[Concept]:
    """The models in a family, through its series at any depth, in the order met; not the
    series themselves."""
    found: list[Concept] = []
    queue, seen = [family], {family}
    while queue and len(seen) < MAX_MEMBERS:
        for edge in graph.relations(queue.pop(0), None, V.MEMBER_OF_FAMILY, Direction.IN):
            member = edge.other
            if member.iri in seen:
                continue
            seen.add(member.iri)
            if graph.is_a(member.iri, V.MODEL_FAMILY):
                queue.append(member.iri)
            else:
                found.append(member)
    return found


def _count(members: list[Concept]) -> str:
    return "one member model" if len(members) == 1 else f"{len(members)} member models"


def indefinite_article(label: str) -> str:
    """ "a" or "an" before a label, by its first sound.

    >>> [indefinite_article(x) for x in ("open-weight model", "LLM", "large language model", "GPT")]
    ['an', 'an', 'a', 'a']
    """
    word = label.split(" ", 1)[0]
    if word[:1].lower() in "aeiou":
        return "an"
    acronym = len(word) > 1 and word.isupper()
    return "an" if acronym and word[0] in "FHLMNRSX" else "a"


def _a(label: str) -> str:
    return f"{indefinite_article(label)} {label}"
