"""Property tests: the reasoning index against a brute-force closure written here.

Hypothesis draws small taxonomies -- acyclic ones and ones with cycles and self-loops,
multiple inheritance, repeated edges, named examples typed by one or several kinds and
kinds that are also typed (punning) -- and every answer of :class:`graph.taxonomy.Taxonomy`
is compared with :class:`Brute`, a breadth-first search per node that shares no code with
the index. The last property runs the same comparison end to end, through Turtle text,
the store and :class:`graph.KnowledgeGraph`.

The runs are reproducible: ``derandomize=True`` (the examples come from a fixed seed derived
from each test), no example database, and no deadline (a slow machine must not fail a run).
"""

from __future__ import annotations

import random
import tempfile
from collections import deque
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph import Answer, KnowledgeGraph
from graph import vocabulary as V
from graph.index.taxonomy import Taxonomy
from graph.loading import load_files

#: Fixed settings for the index properties (a few seconds each on 2 cores).
PROPERTIES = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: The end-to-end property parses Turtle and fills a store for every example: fewer of them.
END_TO_END = settings(PROPERTIES, max_examples=40)

MAX_NODES = 25


# --- the cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One drawn taxonomy: the constructor's arguments, as given to it."""

    size: int
    kinds: tuple[int, ...]
    subclass_edges: tuple[tuple[int, int], ...]
    type_edges: tuple[tuple[int, int], ...]

    def build(self) -> Taxonomy:
        return Taxonomy(
            self.size,
            kinds=list(self.kinds),
            subclass_edges=list(self.subclass_edges),
            type_edges=list(self.type_edges),
        )


@st.composite
def cases(draw: st.DrawFn, max_nodes: int = MAX_NODES) -> Case:
    """A taxonomy as the index builder would hand it over.

    As in ``graph/build.py``, both ends of a subclass edge and the object of a type edge
    are kinds. Subjects of type edges are named examples, or with punning also kinds.
    Half the cases are acyclic (every edge climbs a random ranking); the others take any
    pair of kinds, so cycles, self-loops and nodes under cycles are common.
    """
    size = draw(st.integers(1, max_nodes))
    flags = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    kinds = [n for n in range(size) if flags[n]] or [0]
    examples = [n for n in range(size) if n not in set(kinds)]
    kind = st.sampled_from(kinds)
    count = draw(st.integers(0, 3 * size))  # an explicit count: lists alone stay short
    pairs = draw(st.lists(st.tuples(kind, kind), min_size=count, max_size=count))
    if draw(st.booleans()):  # acyclic: orient every edge upwards along a random ranking
        rank = draw(st.permutations(range(size)))
        subclass = [(c, p) if rank[c] > rank[p] else (p, c) for c, p in pairs if c != p]
    else:
        subclass = pairs
    subjects = examples + (kinds if draw(st.booleans()) else [])
    typed: list[tuple[int, int]] = []
    if subjects:
        count = draw(st.integers(0, 2 * size))
        typing = st.tuples(st.sampled_from(subjects), kind)
        typed = draw(st.lists(typing, min_size=count, max_size=count))
    return Case(size, tuple(kinds), tuple(subclass), tuple(typed))


# Hand-picked shapes that must always be among the examples.
SELF_LOOP = Case(1, (0,), ((0, 0),), ())
TWO_CYCLE_WITH_EXAMPLE = Case(3, (0, 1), ((0, 1), (1, 0)), ((2, 0),))
DIAMOND_UNDER_A_CYCLE = Case(
    6, (0, 1, 2, 3, 4), ((0, 1), (1, 0), (2, 1), (3, 1), (4, 2), (4, 3)), ((5, 4), (5, 2))
)
PUNNED_SELF_TYPE = Case(3, (0, 1), ((1, 0),), ((1, 1), (0, 1), (2, 1)))
DUPLICATE_EDGES = Case(4, (0, 1, 2), ((1, 0), (1, 0), (2, 1), (2, 0)), ((3, 2), (3, 2), (3, 0)))
EXAMPLES = (
    SELF_LOOP,
    TWO_CYCLE_WITH_EXAMPLE,
    DIAMOND_UNDER_A_CYCLE,
    PUNNED_SELF_TYPE,
    DUPLICATE_EDGES,
)


def with_examples(*extra: object):  # type: ignore[no-untyped-def]
    """Add every hand-picked case as an explicit example (with ``extra`` for further arguments)."""

    def decorate(test):  # type: ignore[no-untyped-def]
        for case in EXAMPLES:
            test = example(case, *extra)(test)
        return test

    return decorate


# --- the brute force ----------------------------------------------------------------------


class Brute:
    """Reachability and distances by one breadth-first search per node (no shared code)."""

    def __init__(self, case: Case) -> None:
        self.size = case.size
        self.kinds = set(case.kinds)
        self.subclass = set(case.subclass_edges)
        self.typed = set(case.type_edges)
        self.up: dict[int, set[int]] = {n: set() for n in range(case.size)}
        for child, parent in self.subclass:
            self.up[child].add(parent)
        self.types_of: dict[int, set[int]] = {n: set() for n in range(case.size)}
        for thing, kind in self.typed:
            self.types_of[thing].add(kind)
        #: dist[a][b]: fewest subclass edges from a to b (0 for a itself); absent when unreachable.
        self.dist = [self._bfs(a) for a in range(case.size)]

    def _bfs(self, start: int) -> dict[int, int]:
        seen = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for parent in self.up[node]:
                if parent not in seen:
                    seen[parent] = seen[node] + 1
                    queue.append(parent)
        return seen

    def ancestors(self, n: int) -> set[int]:
        """Strict: reachable by one or more subclass edges, and never ``n`` itself."""
        return {m for p in self.up[n] for m in self.dist[p]} - {n}

    def descendants(self, n: int) -> set[int]:
        return {m for m in range(self.size) if n in self.ancestors(m)}

    def all_types(self, n: int) -> set[int]:
        """rdf:type/rdfs:subClassOf* from ``n``."""
        return {k for t in self.types_of[n] for k in self.dist[t]}

    def examples(self, k: int, transitive: bool) -> set[int]:
        if not transitive:
            return {e for e, t in self.typed if t == k}
        return {e for e in range(self.size) if k in self.all_types(e)}

    def is_a(self, s: int, o: int) -> bool:
        return s != o and (o in self.ancestors(s) or o in self.all_types(s))

    def is_a_distance(self, s: int, o: int) -> int | None:
        """Fewest edges: one subclass or type edge out of ``s``, then subclass edges."""
        if s == o:
            return None
        firsts = self.up[s] | self.types_of[s]
        lengths = [1 + self.dist[first][o] for first in firsts if o in self.dist[first]]
        return min(lengths, default=None)

    def example_of_distance(self, s: int, o: int) -> int | None:
        """Fewest edges: one type edge out of a named example ``s``, then subclass edges."""
        if s in self.kinds:
            return None
        lengths = [1 + self.dist[t][o] for t in self.types_of[s] if o in self.dist[t]]
        return min(lengths, default=None)


def assert_valid_chain(
    brute: Brute, proof: list, s: int, o: int, length: int, first_is_type: bool
) -> None:
    """A proof is a chain of asserted edges from ``s`` to ``o`` of the shortest length."""
    assert proof, f"empty proof for {s} -> {o}"
    assert proof[0][0] == s and proof[-1][2] == o, proof
    for before, after in pairwise(proof):
        assert before[2] == after[0], f"broken chain {proof}"
    for index, (a, predicate, b) in enumerate(proof):
        if predicate == "type":
            assert index == 0, f"a type edge after the first step: {proof}"
            assert (a, b) in brute.typed, f"type step {(a, b)} is not asserted: {proof}"
        else:
            assert predicate == "subclass", proof
            assert (a, b) in brute.subclass, f"subclass step {(a, b)} is not asserted: {proof}"
    if first_is_type:
        assert proof[0][1] == "type", proof
    assert len(proof) == length, f"proof of length {len(proof)}, shortest is {length}: {proof}"


# --- properties of the index --------------------------------------------------------------


@PROPERTIES
@with_examples()
@given(cases())
def test_ancestors_and_descendants_are_the_strict_closure(case: Case) -> None:
    taxonomy, brute = case.build(), Brute(case)
    for n in range(case.size):
        ancestors, descendants = taxonomy.ancestors(n), taxonomy.descendants(n)
        assert set(ancestors) == brute.ancestors(n), n
        assert len(ancestors) == len(set(ancestors)), f"repeats in ancestors({n}): {ancestors}"
        assert n not in ancestors and n not in descendants
        assert set(descendants) == brute.descendants(n), n
        assert len(descendants) == len(set(descendants)), f"repeats: descendants({n}) {descendants}"
        assert taxonomy.descendant_count(n) == len(brute.descendants(n)), n
        assert set(taxonomy.parents(n)) == brute.up[n]
        assert set(taxonomy.children(n)) == {c for c in range(case.size) if n in brute.up[c]}


@PROPERTIES
@with_examples()
@given(cases())
def test_types_and_examples_are_the_type_subclass_star_closure(case: Case) -> None:
    taxonomy, brute = case.build(), Brute(case)
    for n in range(case.size):
        all_types = taxonomy.all_types(n)
        assert set(all_types) == brute.all_types(n), n
        assert len(all_types) == len(set(all_types)), f"repeats in all_types({n}): {all_types}"
        assert set(taxonomy.types(n)) == brute.types_of[n]
        for transitive in (True, False):
            examples = taxonomy.examples(n, transitive=transitive)
            expected = brute.examples(n, transitive)
            assert set(examples) == expected, (n, transitive)
            assert len(examples) == len(set(examples)), f"repeats: examples({n}) {examples}"
            assert taxonomy.example_count(n, transitive) == len(expected), (n, transitive)
        assert taxonomy.is_kind(n) == (n in brute.kinds)


@PROPERTIES
@with_examples()
@given(cases())
def test_is_a_and_its_proof_agree_with_brute_force(case: Case) -> None:
    taxonomy, brute = case.build(), Brute(case)
    for s in range(case.size):
        for o in range(case.size):
            holds = brute.is_a(s, o)
            assert taxonomy.is_a(s, o) == holds, (s, o)
            proof = taxonomy.is_a_proof(s, o)
            assert (proof is None) == (not holds), (s, o, proof)
            if proof is not None:
                distance = brute.is_a_distance(s, o)
                assert distance is not None
                assert_valid_chain(brute, proof, s, o, distance, first_is_type=False)


@PROPERTIES
@with_examples()
@given(cases())
def test_example_of_and_its_proof_agree_with_brute_force(case: Case) -> None:
    taxonomy, brute = case.build(), Brute(case)
    for s in range(case.size):
        for o in range(case.size):
            distance = brute.example_of_distance(s, o)
            proof = taxonomy.example_of_proof(s, o)
            assert (proof is None) == (distance is None), (s, o, proof)
            if s not in brute.kinds:
                assert taxonomy.is_example_of(s, o) == (distance is not None), (s, o)
            if proof is not None:
                assert distance is not None
                assert_valid_chain(brute, proof, s, o, distance, first_is_type=True)


@PROPERTIES
@with_examples(2)
@given(cases(), st.integers(1, 5))
def test_pages_concatenate_to_the_whole_list_without_repeats(case: Case, size: int) -> None:
    taxonomy = case.build()
    for n in range(case.size):
        for whole, page in (
            (taxonomy.descendants(n), lambda offset, n=n: taxonomy.descendants(n, offset, size)),
            (taxonomy.examples(n), lambda offset, n=n: taxonomy.examples(n, True, offset, size)),
            (
                taxonomy.examples(n, False),
                lambda offset, n=n: taxonomy.examples(n, False, offset, size),
            ),
        ):
            pages, offset = [], 0
            while chunk := page(offset):
                assert len(chunk) <= size
                pages.extend(chunk)
                offset += size
                assert offset <= len(whole) + size, "paging does not stop"
            assert pages == whole, n
            assert len(pages) == len(set(pages)), f"repeats across pages of node {n}: {pages}"
            assert page(len(whole)) == [] and page(len(whole) + 7) == []
        assert taxonomy.descendants(n, 0, 0) == [] and taxonomy.examples(n, True, 0, 0) == []


@PROPERTIES
@with_examples(random.Random(0))
@given(cases(), st.randoms(use_true_random=False))
def test_answers_do_not_depend_on_the_order_of_the_edges(case: Case, rng: random.Random) -> None:
    """Proofs break ties by node id and lists have a fixed order: shuffled input, same answers."""
    shuffled = Case(
        case.size,
        tuple(rng.sample(case.kinds, len(case.kinds))),
        tuple(rng.sample(case.subclass_edges, len(case.subclass_edges))),
        tuple(rng.sample(case.type_edges, len(case.type_edges))),
    )
    one, other = case.build(), shuffled.build()
    for n in range(case.size):
        assert one.ancestors(n) == other.ancestors(n)
        assert one.descendants(n) == other.descendants(n)
        assert one.all_types(n) == other.all_types(n)
        assert one.examples(n) == other.examples(n)
        for o in range(case.size):
            assert one.is_a_proof(n, o) == other.is_a_proof(n, o)
            assert one.example_of_proof(n, o) == other.example_of_proof(n, o)


# --- end to end: Turtle -> store -> KnowledgeGraph ------------------------------------------

EX = "http://example.org/"
STEP = {V.TYPE: "type", V.SUB_CLASS_OF: "subclass"}


def turtle_of(case: Case) -> str:
    """The case as Turtle: kinds declared owl:Class, untyped examples owl:NamedIndividual."""
    lines = [
        f"@prefix ex: <{EX}> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
    ]
    typed = {e for e, _ in case.type_edges}
    for n in range(case.size):
        if n in case.kinds:
            lines.append(f"ex:n{n} a owl:Class .")
        elif n not in typed:
            lines.append(f"ex:n{n} a owl:NamedIndividual .")
    lines += [f"ex:n{c} rdfs:subClassOf ex:n{p} ." for c, p in case.subclass_edges]
    lines += [f"ex:n{e} a ex:n{k} ." for e, k in case.type_edges]
    return "\n".join(lines) + "\n"


def iri(n: int) -> str:
    return f"{EX}n{n}"


def node(value: str) -> int:
    assert value.startswith(EX + "n"), value
    return int(value[len(EX) + 1 :])


def steps(answer: Answer) -> list[tuple[int, str, int]]:
    """A proof from the graph as taxonomy steps over the case's node numbers."""
    return [(node(e.subject.iri), STEP[e.predicate], node(e.object.iri)) for e in answer.path]


@END_TO_END
@with_examples()
@given(cases(max_nodes=15))
def test_knowledge_graph_from_turtle_agrees_with_brute_force(case: Case) -> None:
    with tempfile.TemporaryDirectory() as directory:  # not tmp_path: hypothesis reruns the body
        path = Path(directory) / "case.ttl"
        path.write_text(turtle_of(case), encoding="utf-8")
        graph = load_files([path])
        try:
            assert_graph_agrees(graph, case)
        finally:
            graph.store.close()


def assert_graph_agrees(graph: KnowledgeGraph, case: Case) -> None:
    brute = Brute(case)
    assert len(graph) == case.size
    for n in range(case.size):
        assert {node(c.iri) for c in graph.ancestors(iri(n))} == brute.ancestors(n), n
        assert {node(c.iri) for c in graph.descendants(iri(n))} == brute.descendants(n), n
        assert {node(c.iri) for c in graph.all_types(iri(n))} == brute.all_types(n), n
        assert {node(c.iri) for c in graph.examples(iri(n))} == brute.examples(n, True), n
        for o in range(case.size):
            answer = graph.prove_is_a(iri(n), iri(o))
            assert answer.holds == brute.is_a(n, o) == graph.is_a(iri(n), iri(o)), (n, o)
            if answer.holds:
                assert {e.predicate for e in answer.path} <= {V.TYPE, V.SUB_CLASS_OF}
                distance = brute.is_a_distance(n, o)
                assert_valid_chain(brute, steps(answer), n, o, distance, first_is_type=False)
            expected = brute.example_of_distance(n, o) is not None
            assert graph.prove_example_of(iri(n), iri(o)).holds == expected, (n, o)
            assert graph.example_of(iri(n), iri(o)) == expected, (n, o)
