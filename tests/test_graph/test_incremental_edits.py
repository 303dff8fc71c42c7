"""Edits update the served index in place of a rebuild: after any sequence of edits, every public
answer equals the answer of an index rebuilt from the resulting triples.

Each case is a seeded random sequence of edits on a small graph -- is-a edges added (cycles
among them, which must be refused) and removed, examples moved between kinds or given a second
kind, concepts added and removed, labels, alternative labels and definitions changed, relations
added and removed -- applied through :class:`LiveGraph` (in place, as a large store is, and on a
trial copy, as a small one is). After every edit, accepted or refused, the served graph is
compared with ``KnowledgeGraph(store)``, which reads every triple again. Answers are compared
as IRIs: node numbers differ once concepts are added (appended) or removed (the last node takes
the number), and no answer may show it.
"""

from __future__ import annotations

import gc
import random
import sys
import weakref
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph import KnowledgeGraph
from graph import vocabulary as V
from graph.edits import heap
from graph.edits.heap import keep_freed_memory
from graph.edits.live import LiveGraph
from graph.edits.operations import (
    AddConcept,
    AddEdge,
    AddLabel,
    Operation,
    RemoveConcept,
    RemoveEdge,
    RemoveLabel,
    SetDefinition,
    SetLabel,
)
from graph.errors import AikgError, EditRefused
from graph.find import search as search_module
from graph.find.lookup import LayeredKeys
from graph.index import intervals
from graph.index import update as update_module
from graph.index.intervals import ShiftedRuns
from graph.index.packed_rows import Rows
from graph.index.taxonomy import EdgeChange, Edited, Taxonomy
from graph.index.update import changed_index
from graph.loading import load_files
from graph.model import ConceptFilter, ConceptKind, ConceptOrder, Direction, RelationFilter
from graph.store.change_log import Change, plain_update
from graph.store.terms import LiteralValue

C = V.CONCEPT_NS
USES = V.SCHEMA_NS + "uses"
PARAMETERS, ARXIV = V.PARAMETER_COUNT, V.IDENTIFIER_PREDICATES["arxiv"]
#: Labels drawn from a small pool, so that edits make labels clash and lookups ambiguous.
WORDS = ("alpha", "beta", "gamma", "delta model", "Alpha", "beta  ", "epsilon", "kind 3")
SEEDS = range(24)
EDITS_PER_SEED = 14


def base_graph(rng: random.Random, path: Path) -> Path:
    """A small random taxonomy: a forest with some extra parents, examples, relations."""
    kinds = [f"k{n}" for n in range(10)]
    lines = [
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        f'<{USES}> a owl:ObjectProperty ; rdfs:label "uses"@en .',
        f'<{C}paper> a owl:NamedIndividual, skos:Concept ; skos:prefLabel "paper"@en .',
    ]
    for n, kind in enumerate(kinds):
        lines.append(f'<{C}{kind}> a owl:Class ; skos:prefLabel "{rng.choice(WORDS)} {n}"@en .')
        if n and rng.random() < 0.85:
            lines.append(f"<{C}{kind}> rdfs:subClassOf <{C}k{rng.randrange(n)}> .")
        if n > 2 and rng.random() < 0.3:
            lines.append(f"<{C}{kind}> rdfs:subClassOf <{C}k{rng.randrange(n)}> .")
        if rng.random() < 0.4:
            lines.append(f'<{C}{kind}> skos:definition "about {kind}"@en .')
    for n in range(8):
        lines.append(
            f"<{C}e{n}> a owl:NamedIndividual, <{C}{rng.choice(kinds)}> ; "
            f'skos:prefLabel "{rng.choice(WORDS)}"@en ; dcterms:source <{C}paper> .'
        )
        if rng.random() < 0.3:
            lines.append(f'<{C}e{n}> skos:altLabel "{rng.choice(WORDS)}"@en .')
        if rng.random() < 0.3:
            lines.append(f"<{C}e{n}> <{USES}> <{C}e{rng.randrange(8)}> .")
        if rng.random() < 0.5:  # numbers tie, so the parameter orders break ties by IRI
            lines.append(f"<{C}e{n}> <{PARAMETERS}> {rng.choice((7, 70, 7000))} .")
        if rng.random() < 0.3:
            lines.append(f'<{C}e{n}> <{ARXIV}> "2001.0{rng.randrange(1000, 9999)}" .')
    path.write_text("\n".join(lines) + "\n")
    return path


def random_edit(
    rng: random.Random, graph: KnowledgeGraph, step: int, concepts_often: bool = False
) -> list[Operation]:
    """One edit of one of the kinds the module names, on concepts the graph holds; with
    ``concepts_often``, half of them a concept added or removed."""
    concepts = [c for c in graph if c.id != "paper"]
    kinds = [c.id for c in concepts if c.kind is ConceptKind.CLASS]
    examples = [c.id for c in concepts if c.kind is ConceptKind.EXAMPLE]
    anyone = [c.id for c in concepts]
    choice = rng.choice((5, 6)) if concepts_often and rng.random() < 0.5 else rng.randrange(11)
    if choice <= 1 and len(kinds) > 1:  # is-a edges: cycles and repeats among them
        return [AddEdge(rng.choice(kinds), "IS_A", rng.choice(kinds))]
    if choice == 2 and kinds:
        child = rng.choice(kinds)
        parents = [p.id for p in graph.parents(C + child)]
        return [RemoveEdge(child, "IS_A", rng.choice(parents))] if parents else []
    if choice == 3 and examples and kinds:  # an example moved to another kind
        example = rng.choice(examples)
        old = [t.id for t in graph.types(C + example)]
        moves: list[Operation] = [RemoveEdge(example, "EXAMPLE_OF", k) for k in old[:1]]
        return [*moves, AddEdge(example, "EXAMPLE_OF", rng.choice(kinds))]
    if choice == 4 and examples and kinds:
        return [AddEdge(rng.choice(examples), "EXAMPLE_OF", rng.choice(kinds))]
    if choice == 5 and kinds:
        kind = rng.choice((ConceptKind.CLASS, ConceptKind.EXAMPLE))
        parents = tuple(rng.sample(kinds, min(len(kinds), rng.choice((1, 2)))))
        return [AddConcept(f"new-{step}", rng.choice(WORDS), "new", kind, parents, "paper")]
    if choice == 6 and anyone:
        return [RemoveConcept(rng.choice(anyone))]
    if choice == 7 and anyone:
        return [SetLabel(rng.choice(anyone), rng.choice(WORDS))]
    if choice == 8 and anyone:
        concept = graph.resolve(C + rng.choice(anyone))
        if concept.alt_labels and rng.random() < 0.5:
            return [RemoveLabel(concept.id, concept.alt_labels[0])]
        return [AddLabel(concept.id, rng.choice(WORDS))]
    if choice == 9 and anyone:
        return [SetDefinition(rng.choice(anyone), f"defined at step {step}")]
    if examples:
        subject, obj = rng.choice(examples), rng.choice(examples)
        edge = AddEdge if rng.random() < 0.6 else RemoveEdge
        return [edge(subject, "aikgs:uses", obj)]
    return []


def answers(graph: KnowledgeGraph) -> dict[str, Any]:
    """Every public answer of the graph about every concept (and pair of concepts)."""
    iris = [c.iri for c in graph]
    found: dict[str, Any] = {"concepts": [graph.get(i) for i in iris]}
    for iri in iris:
        found[iri] = (
            [c.iri for c in graph.parents(iri)],
            [c.iri for c in graph.children(iri)],
            graph.child_count(iri),
            [c.iri for c in graph.ancestors(iri)],
            [c.iri for c in graph.descendants(iri)],
            [c.iri for c in graph.descendants(iri, offset=1, limit=2)],
            graph.descendant_count(iri),
            [c.iri for c in graph.types(iri)],
            [c.iri for c in graph.all_types(iri)],
            [c.iri for c in graph.examples(iri)],
            [c.iri for c in graph.examples(iri, transitive=False)],
            [c.iri for c in graph.examples(iri, offset=1, limit=2)],
            graph.example_count(iri),
            graph.example_count(iri, transitive=False),
            [(r.concept.iri, r.score, r.reasons) for r in graph.related(iri, 10)[0]],
            [
                (e.subject.iri, e.predicate, e.predicate_label, e.object.iri)
                for e in graph.relations(iri)
            ],
            [other for other in iris if graph.is_a(iri, other)],
            [other for other in iris if graph.example_of(iri, other)],
            [graph.prove_is_a(iri, other).path for other in iris[:6]],
            graph.labels(iri),
            [(f.predicate, f.value) for f in graph.facts(iri)],
            graph.identifiers(iri),
            graph.model_numbers(iri),
            [(r.direction, r.phrase, r.reading) for r in graph.relations(iri)],
            _counted(lambda iri=iri: graph.relation_count(iri, "aikgs:uses", Direction.OUT)),
        )
    for text in {*WORDS, *(c.label for c in graph), *(a for c in graph for a in c.alt_labels)}:
        try:
            looked_up: Any = graph.find(text)
            looked_up = None if looked_up is None else looked_up.iri
        except AikgError as error:
            looked_up = str(error)
        found[f"find {text!r}"] = looked_up
        found[f"search {text!r}"] = (
            [c.iri for c in graph.search(text, 10)],
            graph.search_count(text),
        )
    for order in (ConceptOrder.LABEL, ConceptOrder.RELEASED_DESC, ConceptOrder.PARAMETERS_DESC):
        found[f"order {order}"] = [c.iri for c in graph.concepts(first=1000, order=order).items]
    for kind in (None, ConceptKind.CLASS, ConceptKind.EXAMPLE):
        for order in (ConceptOrder.IRI, ConceptOrder.LABEL, ConceptOrder.RELEASED_DESC):
            pages, after = [], None
            while True:
                page = graph.concepts(kind, first=4, after=after, order=order)
                pages.append(([c.iri for c in page.items], page.total_count, page.has_next_page))
                if not page.has_next_page:
                    break
                after = page.end_cursor
            found[f"pages {kind} {order}"] = pages
    for iri in iris:
        found[f"under {iri}"] = listed(graph, ConceptFilter(under=iri))
        found[f"uses {iri}"] = listed(graph, ConceptFilter(where=(RelationFilter(USES, iri),)))
    found["released since 2001"] = listed(graph, ConceptFilter(released_after="2001"))
    return found


def listed(graph: KnowledgeGraph, filters: ConceptFilter) -> list[str] | str:
    """The concepts a filtered list keeps, by label, or the error that refused the filter."""
    try:
        page = graph.concepts(first=1000, filters=filters, order=ConceptOrder.LABEL)
    except AikgError as error:
        return str(error)
    return [c.iri for c in page.items]


def _counted(count: Callable[[], int]) -> int | str:
    """A count, or the error that refused it (a predicate not in the graph yet)."""
    try:
        return count()
    except AikgError as error:
        return str(error)


def assert_same_answers(served: KnowledgeGraph, note: str) -> None:
    rebuilt = KnowledgeGraph(served.store)
    mine, theirs = answers(served), answers(rebuilt)
    assert mine.keys() == theirs.keys(), note
    for key in mine:
        assert mine[key] == theirs[key], f"{note}: {key}"


@pytest.mark.parametrize("in_place", [True, False], ids=["in place", "on a trial copy"])
@pytest.mark.parametrize("seed", SEEDS)
def test_after_random_edits_every_answer_equals_a_rebuilt_index(
    seed: int, in_place: bool, tmp_path: Path
) -> None:
    check_random_edits(seed, in_place, tmp_path)


@pytest.mark.parametrize("seed", SEEDS[:8])
def test_edits_layered_over_the_columns_and_folded_into_them_answer_as_a_rebuild(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # edits keep their changed rows, closures, types and keys beside the shared columns and
    # fold them in past a threshold (thousands): here past one, so both happen within a case
    for layered, threshold in (
        (Rows, "FOLD_AT"),
        (Edited, "FOLD_AT"),
        (LayeredKeys, "COMPACT_AT"),
        (ShiftedRuns, "FOLD_AT"),
        (ShiftedRuns, "WRITTEN_AT"),
    ):
        monkeypatch.setattr(layered, threshold, 1)
    monkeypatch.setattr(intervals, "_IN_NUMPY", 0)  # every replay of a kind's runs in numpy
    check_random_edits(seed, True, tmp_path, concepts_often=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_after_many_concepts_added_and_removed_every_answer_equals_a_rebuilt_index(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a concept added is appended (numbered after every node), a concept removed gives its
    # number to the last node: node numbers leave IRI order, and every order must not notice
    def no_build(*_: object) -> None:
        raise AssertionError("a concept added or removed built the index again")

    monkeypatch.setattr(update_module, "build_index", no_build)
    check_random_edits(seed, True, tmp_path, concepts_often=True, edits=20)


def check_random_edits(
    seed: int, in_place: bool, tmp_path: Path, concepts_often: bool = False, edits: int = 0
) -> None:
    """A seeded sequence of random edits, every answer compared with a rebuild after each."""
    rng = random.Random(seed)
    graph = load_files([base_graph(rng, tmp_path / "base.ttl")])
    live = LiveGraph(graph.store, graph, whole_check_triples=0 if in_place else 10**9)
    done: list[str] = []
    for step in range(edits or EDITS_PER_SEED):
        operations = random_edit(rng, live.current, step, concepts_often)
        if not operations:
            continue
        try:
            live.edit(operations, "tester")
            done.append(f"{operations}")
        except EditRefused as refused:
            done.append(f"refused {operations}: {refused}")
        assert_same_answers(live.current, f"seed {seed}, after {done}")


def test_an_is_a_edge_that_closes_a_cycle_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "chain.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + "".join(
            f'<{C}k{n}> a owl:Class ; skos:prefLabel "k{n}"@en'
            + (f" ; rdfs:subClassOf <{C}k{n - 1}> .\n" if n else " .\n")
            for n in range(4)
        )
    )
    graph = load_files([path])
    live = LiveGraph(graph.store, graph, whole_check_triples=0)
    with pytest.raises(EditRefused, match="cycle"):
        live.edit([AddEdge("k0", "IS_A", "k3")], "tester")
    assert live.revision == 0
    assert_same_answers(live.current, "after the refused cycle")


def test_a_local_update_keeps_the_spanning_tree_and_matches_a_rebuild() -> None:
    # k0 ← k1 ← k3, k0 ← k2; adding k3 → k2 keeps k3's first parent (k1): a local update
    edges = [(1, 0), (2, 0), (3, 1)]
    base = Taxonomy(5, kinds=range(4), subclass_edges=edges, type_edges=[(4, 3)])
    changed = base.changed(EdgeChange(added_subclass=frozenset({(3, 2)})))
    rebuilt = Taxonomy(5, kinds=range(4), subclass_edges=[*edges, (3, 2)], type_edges=[(4, 3)])
    for node in range(5):
        assert changed.ancestors(node) == rebuilt.ancestors(node)
        assert changed.descendants(node) == rebuilt.descendants(node)
        assert changed.examples(node) == rebuilt.examples(node)
        assert changed.descendant_count(node) == rebuilt.descendant_count(node)
    assert changed._pre is base._pre  # the pre-order numbers were kept, not recomputed


def test_a_concept_appended_is_placed_where_a_build_of_its_iri_order_puts_it() -> None:
    # k0 ← k1, k0 ← k2 ← k3; node 4 is new, a kind under k0 whose IRI sorts between k1's and
    # k2's: numbered last, it comes second among k0's children and in k0's pre-order
    edges = [(1, 0), (2, 0), (3, 2)]
    base = Taxonomy(4, kinds=range(4), subclass_edges=edges, type_edges=[])
    rank, by_rank = array("q", [0, 1, 3, 4, 2]), array("q", [0, 1, 4, 2, 3])
    grown = base.grown([True], rank, by_rank)
    assert grown is not None
    changed = grown.changed(EdgeChange(added_subclass=frozenset({(4, 0)})))
    rebuilt = Taxonomy(5, range(5), [*edges, (4, 0)], [], rank=rank, by_rank=by_rank)
    assert changed.children(0) == rebuilt.children(0) == [1, 4, 2]
    assert changed.descendants(0) == rebuilt.descendants(0) == [1, 4, 2, 3]
    for node in range(5):
        assert changed.ancestors(node) == rebuilt.ancestors(node)
        assert changed.descendant_count(node) == rebuilt.descendant_count(node)
    removed = changed.changed(EdgeChange(removed_subclass=frozenset({(4, 0)}))).without(4)
    assert removed.size == 4 and removed.descendants(0) == base.descendants(0) == [1, 2, 3]


def test_a_change_naming_a_predicate_new_to_the_graph_is_indexed_as_a_build_would(
    tmp_path: Path,
) -> None:
    """A change from another writer's log may use a predicate the index has no name for: the
    index is then built again, so its names, inverse names and filters are a build's."""
    path = tmp_path / "two.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<{C}kind> a owl:Class ; skos:prefLabel "kind"@en .\n'
        f'<{C}a> a <{C}kind> ; skos:prefLabel "a"@en .\n'
        f'<{C}b> a <{C}kind> ; skos:prefLabel "b"@en .\n'
    )
    graph = load_files([path])
    uses = V.SCHEMA_NS + "uses"
    change = Change(added=((C + "a", uses, C + "b"),), removed=(), touched=frozenset())
    graph.store.update(plain_update(change))
    index = changed_index(graph.index, change, graph.store.describe, graph.store.triples)
    served, rebuilt = KnowledgeGraph(graph.store, index), KnowledgeGraph(graph.store)
    assert served.relation_count(C + "a", uses, Direction.OUT) == 1
    assert [r.reading for r in served.relations(C + "b")] == [
        r.reading for r in rebuilt.relations(C + "b")
    ]


def test_a_changed_number_or_identifier_is_read_again_as_a_build_would(tmp_path: Path) -> None:
    path = tmp_path / "model.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<{C}kind> a owl:Class ; skos:prefLabel "kind"@en .\n'
        f'<{C}small> a <{C}kind> ; skos:prefLabel "small"@en ; <{PARAMETERS}> 7 .\n'
        f'<{C}large> a <{C}kind> ; skos:prefLabel "large"@en ; <{PARAMETERS}> 70 .\n'
    )
    graph = load_files([path])
    integer = LiteralValue("700", None, V.XSD + "integer")
    change = Change(
        added=(
            (C + "small", PARAMETERS, integer),
            (C + "small", ARXIV, LiteralValue("2001.08361", None, V.XSD + "string")),
        ),
        removed=((C + "small", PARAMETERS, LiteralValue("7", None, V.XSD + "integer")),),
        touched=frozenset(),
    )
    graph.store.update(plain_update(change))
    index = changed_index(graph.index, change, graph.store.describe, graph.store.triples)
    served, rebuilt = KnowledgeGraph(graph.store, index), KnowledgeGraph(graph.store)
    assert served.model_numbers(C + "small").parameters == 700
    assert [i.value for i in served.identifiers(C + "small")] == ["2001.08361"]
    largest = served.concepts(ConceptKind.EXAMPLE, first=2, order=ConceptOrder.PARAMETERS_DESC)
    assert [c.id for c in largest.items] == ["small", "large"]
    assert answers(served) == answers(rebuilt)


def test_a_search_after_an_edit_patches_the_word_indexes_instead_of_reading_every_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at a million kinds, building search's word indexes from every label key takes half a
    # minute: an edit's graph patches the previous graph's for the concepts the edit touched
    data = tmp_path / "kinds.ttl"
    data.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + "".join(
            f'<{C}k{n}> a <http://www.w3.org/2002/07/owl#Class> ; skos:prefLabel "kind {n}"@en ;'
            f' skos:definition "The kind numbered {n}."@en .\n'
            for n in range(500)
        )
    )
    graph = load_files([data])
    live = LiveGraph(graph.store, graph)
    keys_read: list[str] = []
    counted_stems = search_module.stems
    monkeypatch.setattr(search_module, "stems", lambda t: keys_read.append(t) or counted_stems(t))
    live.current.search("kind", 10)
    built_from = len(keys_read)
    live.edit(
        [SetLabel(C + "k3", "Zephyrine Quokka"), SetDefinition(C + "k4", "A mild wind.")], "t"
    )
    keys_read.clear()
    found = [c.iri for c in live.current.search("quokka", 10)]
    assert found == [C + "k3"]
    assert built_from > 1000 and len(keys_read) < 20, keys_read
    assert [c.iri for c in live.current.search("mild wind", 10)][:1] == [C + "k4"]
    assert_same_answers(live.current, "after a label and a definition were edited")


def test_a_graph_an_edit_replaced_is_freed_at_once_without_the_cycle_collector(
    tmp_path: Path,
) -> None:
    # a replaced graph left to the cycle collector (paused during edits) kept its columns
    # alive, so each edit at a million kinds copied into memory fresh from the kernel
    data = tmp_path / "kinds.ttl"
    data.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + "".join(
            f'<{C}k{n}> a <http://www.w3.org/2002/07/owl#Class> ; skos:prefLabel "kind"@en .\n'
            for n in range(3)
        )
    )
    graph = load_files([data])
    live = LiveGraph(graph.store, graph)
    live.edit([SetLabel(C + "k0", "first")], "t")
    replaced = live.current
    assert [c.iri for c in replaced.search("kind", 10)] == [C + "k1", C + "k2"]
    with pytest.raises(AikgError, match="kind"):  # ambiguous: the candidates are named
        replaced.resolve("kind")
    gone = weakref.ref(replaced)
    del replaced
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        live.edit([SetLabel(C + "k1", "second")], "t")
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_an_editing_process_keeps_freed_memory_for_its_next_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    set_thresholds = heap._set_glibc_thresholds
    monkeypatch.setattr(heap, "_kept", None)
    monkeypatch.setattr(
        heap, "_set_glibc_thresholds", lambda: bool(calls.append("set")) or set_thresholds()
    )
    assert keep_freed_memory() is keep_freed_memory() is sys.platform.startswith("linux")
    assert len(calls) == 1  # set once per process (glibc's mallopt took both: Linux, CI)
