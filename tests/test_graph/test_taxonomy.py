"""The reasoning index: strict transitive is-a and example-of, with shortest proofs."""

from __future__ import annotations

from graph.taxonomy import Taxonomy

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


def test_descendants_are_the_inverse_of_ancestors() -> None:
    assert DIAMOND.descendants(1) == [2, 3, 4]


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
