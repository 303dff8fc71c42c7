"""The reasoning index: strict transitive is-a and example-of, with shortest proofs."""

from __future__ import annotations

from graph.index.taxonomy import Taxonomy

# 0 thing <- 1 model <- 2 llm <- 4 chat-llm ; 3 multimodal <- 4 (multiple inheritance)
# 5 gpt is an example of 4.
DIAMOND = Taxonomy(
    6,
    kinds=[0, 1, 2, 3, 4],
    subclass_edges=[(1, 0), (2, 1), (3, 1), (4, 2), (4, 3)],
    type_edges=[(5, 4)],
)


def test_ancestors_follow_every_parent_nearest_first() -> None:
    assert DIAMOND.ancestors(4) == [2, 3, 1, 0]


def test_descendants_come_in_pre_order_of_a_spanning_tree() -> None:
    assert DIAMOND.descendants(1) == [2, 4, 3]  # pre-order: each sub-kind before its own


def test_a_kind_is_not_its_own_ancestor_or_descendant() -> None:
    assert 2 not in DIAMOND.ancestors(2)
    assert 2 not in DIAMOND.descendants(2)
    assert DIAMOND.is_a_proof(2, 2) is None


def test_all_types_climb_from_the_direct_types() -> None:
    assert DIAMOND.all_types(5) == [4, 2, 3, 1, 0]


def test_transitive_examples_include_examples_of_sub_kinds() -> None:
    assert DIAMOND.examples(0) == [5]
    assert DIAMOND.examples(0, transitive=False) == []


def test_is_a_proof_is_a_shortest_chain_of_asserted_edges() -> None:
    assert DIAMOND.is_a_proof(5, 1) == [(5, "type", 4), (4, "subclass", 2), (2, "subclass", 1)]


def test_is_a_does_not_hold_downwards() -> None:
    assert DIAMOND.is_a_proof(1, 4) is None


def test_example_of_holds_only_for_named_examples() -> None:
    assert DIAMOND.example_of_proof(5, 0) is not None
    assert DIAMOND.example_of_proof(4, 0) is None


def test_questions_terminate_on_cycles_and_cycles_are_reported() -> None:
    cyclic = Taxonomy(3, kinds=[0, 1, 2], subclass_edges=[(0, 1), (1, 2), (2, 0)], type_edges=[])
    assert cyclic.ancestors(0) == [1, 2]
    assert cyclic.is_a_proof(0, 0) is None
    assert cyclic.is_a_proof(0, 2) == [(0, "subclass", 1), (1, "subclass", 2)]
    assert cyclic.cycles() == [[0, 1, 2]]


def test_a_self_loop_is_a_cycle() -> None:
    loop = Taxonomy(1, kinds=[0], subclass_edges=[(0, 0)], type_edges=[])
    assert loop.cycles() == [[0]]
    assert loop.ancestors(0) == []


def _brute_ancestors(size: int, edges: list[tuple[int, int]], node: int) -> set[int]:
    found, frontier = set(), [p for c, p in edges if c == node]
    while frontier:
        nxt = frontier.pop()
        if nxt not in found:
            found.add(nxt)
            frontier += [p for c, p in edges if c == nxt]
    return found - {node}


def test_random_graphs_with_cycles_agree_with_a_brute_force_closure() -> None:
    import random

    rng = random.Random(7)
    for _ in range(200):
        size = rng.randrange(1, 14)
        edges = list(
            {(rng.randrange(size), rng.randrange(size)) for _ in range(rng.randrange(0, 3 * size))}
        )
        types = [(e, rng.randrange(size)) for e in range(size) if rng.random() < 0.3]
        t = Taxonomy(size, kinds=range(size), subclass_edges=edges, type_edges=types)
        for node in range(size):
            expected = _brute_ancestors(size, edges, node)
            assert set(t.ancestors(node)) == expected
            below = {n for n in range(size) if node in _brute_ancestors(size, edges, n)}
            assert set(t.descendants(node)) == below and t.descendant_count(node) == len(below)
            examples = {e for e, k in types if k == node or k in below}
            assert set(t.examples(node)) == examples and t.example_count(node) == len(examples)
            for other in range(size):
                proof = t.is_a_proof(node, other)
                holds = (other != node and other in expected) or (
                    other != node
                    and any(
                        e == node and (k == other or other in _brute_ancestors(size, edges, k))
                        for e, k in types
                    )
                )
                assert (proof is not None) == holds == t.is_a(node, other)
