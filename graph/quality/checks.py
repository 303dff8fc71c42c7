"""The structural checks of a graph: over all of it, or over the nodes an edit touches.

Each problem is one readable line about one resource. Beyond SHACL, a graph must have:

* no is-a cycle;
* no resource used both as a kind and as a named example, unless it is marked
  ``aikgs:allowPunning true``;
* no dangling reference: an IRI in our namespaces used as an object or predicate is
  described somewhere;
* a label on every concept;
* relation objects inside the range the schema declares for the property.

The same code serves ``aikg validate`` (``focus=None``: every subject) and an edit's
checks (``focus``: the nodes it touches, read through ``describe`` as they will be once
the edit is committed), so both report a problem in the same words. Cycles are always
checked everywhere: one pass over the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from graph import vocabulary as V
from graph.curies import short_id
from graph.index.build import GraphIndex
from graph.store.protocol import GraphStore
from graph.store.terms import LiteralValue, Term

__all__ = ["Describe", "Problem", "cycle_problems", "structural_problems", "unlabelled_problems"]

#: The (predicate, object) pairs of one subject, as a store's ``describe`` answers.
Describe = Callable[[str], list[tuple[str, Term]]]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the graph, about one resource."""

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.focus}: {self.message}"


def structural_problems(
    index: GraphIndex,
    store: GraphStore,
    focus: Iterable[str] | None = None,
    describe: Describe | None = None,
) -> set[Problem]:
    """The problems of the whole graph (``focus`` None), or those about the ``focus`` nodes.

    ``describe`` reads a subject's pairs (default: the store's); an edit passes the store
    with its change laid over it, so the would-be graph is checked without being written.
    """
    describe = describe or store.describe
    problems = set(cycle_problems(index))
    if focus is None:
        subjects = [*store.named_subjects(), *store.blank_subjects()]
        described: Callable[[str], bool] = set(subjects).__contains__
        problems.update(unlabelled_problems(index, range(len(index.iris))))
    else:
        subjects = sorted(set(focus))
        described = lambda term: bool(describe(term))  # noqa: E731 - a one-line closure
        focus_nodes = (index.node_of[s] for s in subjects if s in index.node_of)
        problems.update(unlabelled_problems(index, focus_nodes))
    ranges = {s: o for s, _, o in store.triples(V.RDFS + "range") if isinstance(o, str)}
    for subject in subjects:
        problems.update(_about(index, subject, describe(subject), described, ranges))
    return problems


def cycle_problems(index: GraphIndex) -> Iterator[Problem]:
    """One problem per is-a cycle, named by the concepts on it."""
    for cycle in index.taxonomy.cycles():
        names = " → ".join(_id(index, n) for n in cycle)
        yield Problem("cycle", _id(index, cycle[0]), f"is-a cycle through {names}")


def unlabelled_problems(index: GraphIndex, nodes: Iterable[int]) -> Iterator[Problem]:
    """One problem per concept among ``nodes`` with no label."""
    for node in nodes:
        if index.labels[node] is None:
            yield Problem("label", _id(index, node), "has no label (skos:prefLabel or rdfs:label)")


def _about(
    index: GraphIndex,
    subject: str,
    pairs: list[tuple[str, Term]],
    described: Callable[[str], bool],
    ranges: dict[str, str],
) -> Iterator[Problem]:
    """The dangling references, kind-and-example typings and out-of-range objects of one subject."""
    node_of, taxonomy = index.node_of, index.taxonomy
    node = node_of.get(subject)
    is_kind = node is not None and taxonomy.is_kind(node)
    punning_allowed = any(p == V.ALLOW_PUNNING and _is_true(o) for p, o in pairs)
    for predicate, obj in pairs:
        for term in (predicate, obj):
            if (
                isinstance(term, str)
                and term.startswith((V.CONCEPT_NS, V.SCHEMA_NS))
                and not described(term)
            ):
                yield Problem("dangling", term, f"used by {subject} but never described")
        target = node_of.get(obj) if isinstance(obj, str) else None
        if target is None:
            continue
        if predicate == V.TYPE and is_kind and not punning_allowed:
            assert node is not None
            yield Problem(
                "kind-and-example",
                _id(index, node),
                f"is a kind and also typed as an example of {_id(index, target)};"
                " mark it aikgs:allowPunning true if intended",
            )
        expected = node_of.get(ranges.get(predicate, ""))
        if expected is not None and target != expected and not taxonomy.is_a(target, expected):
            label = index.labels[expected] or _id(index, expected)
            yield Problem(
                "range",
                _id(index, target),
                f"is the object of {predicate} from {subject}, but is not a {label}",
            )


def _id(index: GraphIndex, node: int) -> str:
    return short_id(index.iris[node], index.prefixes)


def _is_true(term: Term) -> bool:
    return isinstance(term, LiteralValue) and term.value.lower() in ("true", "1")
