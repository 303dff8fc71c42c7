"""The index saved beside an on-disk store, reopened through memory maps.

Reopened, the index answers every question as the index built from the same files; an edit
after the restart copies what it changes (the map is read-only) and leaves the index a build
would make; a stale or older-format file is rebuilt, saying why; reopening holds no file open
beyond the one map per index.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import pickle
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from api.settings import Settings
from api.wiring import live_graph
from graph import KnowledgeGraph
from graph import vocabulary as V
from graph.edits.live import LiveGraph
from graph.edits.operations import (
    AddConcept,
    AddEdge,
    AddLabel,
    RemoveEdge,
    SetDefinition,
    SetLabel,
)
from graph.find.lookup import LayeredKeys, LayeredList
from graph.find.search import Searcher
from graph.index.build import GraphIndex, build_index
from graph.index.mapped import KeyRows, KeyTable, NodeColumn, NodeNumbers, StringColumn
from graph.index.orders import Ordering
from graph.index.persistence import (
    FORMAT,
    INDEX_FILE,
    PICKLED_INDEX_FILE,
    WARM_FILE,
    WARM_FORMAT,
    WarmKey,
    load_index,
    load_warm,
    save_index,
    save_warm,
    saved_at,
    saved_index_id,
    warm_key,
    warm_saved_over,
)
from graph.index.selection import Selector
from graph.loading import (
    load_files,
    open_store,
    save_warm_in_use,
    take_saved_warm,
    warm_from_store,
)
from graph.model import ConceptFilter, ConceptKind, ConceptOrder, Direction
from graph.store.oxigraph import Store
from ontology import data_files


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the whole bundled ontology, loaded once, with its index saved beside it."""
    store = tmp_path_factory.mktemp("saved") / "store"
    load_files(data_files(), store).store.close()
    return store


def generation_of(store: Path) -> str | None:
    """The generation an on-disk store is at (read through a read-only handle)."""
    opened = Store(store, read_only=True)
    try:
        return opened.generation()
    finally:
        opened.close()


@pytest.fixture(scope="module")
def built() -> KnowledgeGraph:
    return load_files(data_files())


@pytest.fixture
def reopened(saved: Path) -> Iterator[KnowledgeGraph]:
    graph = open_store(saved)
    yield graph
    graph.store.close()


def plain(value: Any) -> Any:
    """A column as built-in values, to compare a mapped column with a built one."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, StringColumn | LayeredList | list):
        return [plain(v) for v in value]
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    return value


def test_the_saved_file_is_one_file_of_the_current_format(saved: Path) -> None:
    assert (saved / INDEX_FILE).exists() and not (saved / PICKLED_INDEX_FILE).exists()
    assert FORMAT >= 12


def test_every_column_reads_back_as_built(saved: Path, built: KnowledgeGraph) -> None:
    reopened = load_index(saved, generation_of(saved))
    assert reopened is not None
    assert isinstance(reopened.iris, StringColumn) and isinstance(reopened.node_of, NodeNumbers)
    assert isinstance(reopened.relations_out, NodeColumn)
    assert isinstance(reopened.label_keys[0], KeyTable)
    for field in dataclasses.fields(GraphIndex):
        if field.compare and field.name != "taxonomy":  # saved_id is not content
            mine, theirs = getattr(reopened, field.name), getattr(built.index, field.name)
            assert plain(mine) == plain(theirs), field.name
    assert len(reopened.node_of) == len(built.index.iris)
    assert dict(reopened.node_of.items()) == built.index.node_of


def test_the_reopened_taxonomy_answers_for_every_node_as_built(
    saved: Path, built: KnowledgeGraph
) -> None:
    reopened = load_index(saved, generation_of(saved))
    assert reopened is not None
    mine, theirs = reopened.taxonomy, built.index.taxonomy
    for node in range(len(built.index.iris)):
        assert mine.ancestors(node) == theirs.ancestors(node)
        assert mine.types(node) == theirs.types(node)
        assert mine.all_types(node) == theirs.all_types(node)
        assert mine.parents(node) == theirs.parents(node)
        assert mine.children(node) == theirs.children(node)
        assert mine.descendants(node) == theirs.descendants(node)
        assert mine.descendant_count(node) == theirs.descendant_count(node)
        assert mine.examples(node) == theirs.examples(node)
        assert mine.example_count(node) == theirs.example_count(node)
        assert [a.tolist() for a in mine.below(node)] == [a.tolist() for a in theirs.below(node)]


#: Every question of the public API that takes one concept, with its arguments.
PER_CONCEPT: list[tuple[str, Callable[[KnowledgeGraph, str], Any]]] = [
    ("get", lambda g, iri: g.get(iri)),
    ("find label", lambda g, iri: g.find(g.get(iri).label or iri)),
    ("parents", lambda g, iri: g.parents(iri)),
    ("children", lambda g, iri: g.children(iri)),
    ("ancestors", lambda g, iri: g.ancestors(iri)),
    ("descendants", lambda g, iri: g.descendants(iri)),
    ("types", lambda g, iri: g.all_types(iri)),
    ("examples", lambda g, iri: (g.examples(iri, limit=20), g.example_count(iri))),
    ("entailed", lambda g, iri: sorted(g.entailed(iri))),
    ("labels", lambda g, iri: (g.labels(iri), g.label_in(iri, "de"), g.definition_in(iri, "fr"))),
    ("mappings", lambda g, iri: (g.mappings(iri), g.identifiers(iri), g.model_numbers(iri))),
    ("facts", lambda g, iri: g.facts(iri)),
    ("relations", lambda g, iri: (g.relations(iri), g.relations(iri, direction=Direction.IN))),
    ("related", lambda g, iri: g.related(iri, 10)),
    ("neighbourhood", lambda g, iri: g.neighbourhood(iri, 1, 30)),
]


def test_the_reopened_graph_answers_every_question_as_the_built_one(
    reopened: KnowledgeGraph, built: KnowledgeGraph
) -> None:
    iris = list(built.index.iris)
    assert len(iris) > 500
    for iri in iris:
        for name, question in PER_CONCEPT:
            assert question(reopened, iri) == question(built, iri), (name, iri)
    gpt4, model = "https://w3id.org/aikg/concept/gpt-4", "foundation model"
    for graph_question in (
        lambda g: g.is_a("GPT-4", model),
        lambda g: g.prove_is_a("GPT-4", model),
        lambda g: g.prove_example_of("GPT-4", model),
        lambda g: g.example_of("GPT-4", model),
        lambda g: g.path(gpt4, "https://w3id.org/aikg/concept/openai"),
        lambda g: (g.search("language model", 20), g.search_count("language")),
        lambda g: g.search("gpt", 10, kind=ConceptKind.EXAMPLE, under=model),
        lambda g: g.concepts(first=100, order=ConceptOrder.LABEL),
        lambda g: g.concepts(first=100, order=ConceptOrder.RELEASED_DESC),
        lambda g: g.concepts(first=50, filters=ConceptFilter(under=model)),
        lambda g: [(c.iri, m) for c, m in g.all_mappings()],
        lambda g: g.unlabelled(),
        lambda g: g.relation_predicate("developed by"),
        lambda g: g.resolve("gtp-4") if g.find("gtp-4") else None,
    ):
        assert graph_question(reopened) == graph_question(built)


def test_an_unknown_reference_is_still_unknown_after_a_restart(reopened: KnowledgeGraph) -> None:
    assert reopened.find("https://w3id.org/aikg/concept/no-such-thing") is None
    assert reopened.find_iri("https://w3id.org/aikg/concept/no-such-thing") is None
    assert "https://w3id.org/aikg/concept/no-such-thing" not in reopened.index.node_of


def test_an_edit_after_a_mapped_restart_leaves_the_index_a_build_makes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_files(data_files(), store).store.close()
    saved = (store / INDEX_FILE).read_bytes()
    graph = open_store(store, read_only=False)
    assert isinstance(graph.index.iris, StringColumn)  # reopened through the map
    live = LiveGraph(graph.store, graph)
    live.edit(
        [
            AddLabel("gpt-4", "Generative Pre-trained Transformer 4", "en"),
            SetLabel("claude-3", "Claude Three", "en"),
            SetDefinition("gpt-4", "A model the tests define again."),
            AddEdge("gpt-4", "aikgs:developedBy", "meta"),
            RemoveEdge("gpt-4", "aikgs:developedBy", "openai"),
            AddEdge("gpt-4", "EXAMPLE_OF", "vision-language-model"),
            AddEdge("chat-model", "IS_A", "multimodal-foundation-model"),
        ],
        "tests",
    )
    after = live.current
    rebuilt = KnowledgeGraph(after.store, build_index(after.store.triples(), after.store.prefixes))
    for field in dataclasses.fields(GraphIndex):
        if field.compare and field.name not in ("taxonomy", "prefixes"):
            mine, theirs = getattr(after.index, field.name), getattr(rebuilt.index, field.name)
            assert plain(mine) == plain(theirs), field.name
    for iri in rebuilt.index.iris:
        for name, question in PER_CONCEPT:
            assert question(after, iri) == question(rebuilt, iri), (name, iri)
    assert after.find("Generative Pre-trained Transformer 4") == after.find("GPT-4")
    assert after.get(V.CONCEPT_NS + "claude-3").label == "Claude Three"
    assert isinstance(after.index.labels, StringColumn)  # the mapped labels, one item beside them
    assert after.is_a("GPT-4", V.CONCEPT_NS + "vision-language-model")
    developers = {
        r.object.iri
        for r in after.relations(V.CONCEPT_NS + "gpt-4")
        if r.predicate_label == "developed by"
    }
    assert developers == {V.CONCEPT_NS + "meta-platforms"}  # "meta" is its id
    assert generation_of(store) != load_index_generation(store)  # the saved file is stale now
    assert saved  # the mapped bytes were read, never written: the map is read-only
    graph.store.close()


def load_index_generation(store: Path) -> str | None:
    """The store generation a saved index file records."""
    from graph.index.persistence import _open

    return _open(store / INDEX_FILE)[1].get("generation")


def test_an_index_edited_in_memory_saves_and_reopens_as_a_build_makes(
    built: KnowledgeGraph, tmp_path: Path
) -> None:
    store = load_files(data_files()).store  # a copy of its own: the edit changes it
    live = LiveGraph(store, KnowledgeGraph(store, built.index), whole_check_triples=0)
    live.edit(
        [
            SetLabel("claude-3", "Claude Three", "en"),
            AddEdge("chat-model", "IS_A", "multimodal-foundation-model"),
            AddEdge("gpt-4", "EXAMPLE_OF", "vision-language-model"),
        ],
        "tests",
    )
    after = live.current
    assert isinstance(after.index.labels, LayeredList)  # the built labels, one item beside them
    save_index(after.index, tmp_path, "edited")
    reopened = load_index(tmp_path, "edited")
    rebuilt = build_index(store.triples(), store.prefixes)
    assert reopened is not None
    for field in dataclasses.fields(GraphIndex):
        if field.compare and field.name != "taxonomy":  # saved_id is not content
            mine, theirs = getattr(reopened, field.name), getattr(rebuilt, field.name)
            assert plain(mine) == plain(theirs), field.name
    for node in range(len(rebuilt.iris)):
        for question in ("ancestors", "types", "parents", "children", "examples"):
            mine = getattr(reopened.taxonomy, question)(node)
            assert mine == getattr(rebuilt.taxonomy, question)(node), (question, node)


def test_an_index_of_an_older_format_is_rebuilt_saying_why(
    saved: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / PICKLED_INDEX_FILE).write_bytes(b"an index of format 11")
    with caplog.at_level(logging.WARNING):
        assert load_index(tmp_path, "g") is None
    assert f"an index format before {FORMAT}: rebuilding" in caplog.text


def test_a_saved_index_of_another_format_or_generation_is_rebuilt_saying_why(
    built: KnowledgeGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    save_index(built.index, tmp_path, "g1")
    with caplog.at_level(logging.WARNING):
        assert load_index(tmp_path, "g2") is None
    assert "built at store generation g1, the store is at g2 (written since): rebuilding" in (
        caplog.text
    )
    with caplog.at_level(logging.WARNING):
        assert load_index(tmp_path, None) is None
    assert "the store is at none (no generation marker" in caplog.text
    monkeypatch.setattr("graph.index.persistence.FORMAT", FORMAT + 1)
    with caplog.at_level(logging.WARNING):
        assert load_index(tmp_path, "g1") is None
    assert f"holds index format {FORMAT}, this version reads {FORMAT + 1}" in caplog.text


def test_a_file_that_is_not_an_index_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / INDEX_FILE).write_bytes(b"not an index at all, but long enough")
    assert load_index(tmp_path, "g") is None
    (tmp_path / INDEX_FILE).write_bytes(b"")
    assert load_index(tmp_path, "g") is None


def test_saving_replaces_the_file_whole_and_leaves_no_partial_one(
    built: KnowledgeGraph, tmp_path: Path
) -> None:
    (tmp_path / PICKLED_INDEX_FILE).write_bytes(b"old")
    save_index(built.index, tmp_path, "g7")
    save_index(built.index, tmp_path, "g8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [INDEX_FILE]
    assert load_index(tmp_path, "g8") is not None


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_reopening_again_and_again_leaves_no_file_open(saved: Path, built: KnowledgeGraph) -> None:
    generation = generation_of(saved)
    gc.collect()
    before = open_files()
    for _ in range(20):
        index = load_index(saved, generation)
        assert index is not None and index.taxonomy.ancestors(0) == built.index.taxonomy.ancestors(
            0
        )
        del index
    gc.collect()
    assert open_files() <= before + 1


@pytest.mark.parametrize(
    "column",
    [[], ["a"], ["é", None, "", "x" * 1000], [None, None]],
)
def test_a_string_column_holds_any_strings_and_none(column: Sequence[str | None]) -> None:
    packed = StringColumn.packed(column)
    assert list(packed) == list(column) and len(packed) == len(column)
    assert packed[:2] == list(column)[:2]


def test_a_key_table_finds_every_key_and_no_other() -> None:
    keys = {f"label {n}": n if n % 3 else (n, n + 1) for n in range(2000)}
    table = KeyTable.packed(keys)
    assert {k: table[k] for k in keys} == keys
    assert table.get("label 2000") is None and "label" not in table
    with pytest.raises(KeyError, match="nothing"):
        table["nothing"]


def test_a_node_column_read_whole_keeps_none_of_what_it_read() -> None:
    # a filter's column or an export reads a whole column once: at a million kinds the values
    # a mapped column remembered held 300-600 MB in every worker that had read it
    values = {n: (f"row {n}",) for n in range(0, 3000, 3)}
    column = NodeColumn.packed(values)
    assert column.get(9) == ("row 9",)  # one value asked for: remembered
    assert dict(column.items()) == values and list(column.values()) == list(values.values())
    assert column._read == {9: ("row 9",)}


def test_a_layer_over_a_node_column_reads_its_items_as_the_column_does() -> None:
    column = NodeColumn.packed({n: str(n) for n in range(10)})
    layered = LayeredKeys.over(column)
    layered[3], layered[12] = "three", "twelve"
    del layered[5]
    expected = {**{n: str(n) for n in range(10) if n != 5}, 3: "three", 12: "twelve"}
    assert dict(layered.items()) == expected and list(layered) == list(dict(layered.items()))
    assert column._read == {5: "5"}  # the deleted key, looked up once to be refused if absent


@pytest.fixture
def store_copy(saved: Path, tmp_path: Path) -> Path:
    """A copy of the saved store, for a test that writes beside it."""
    copy = tmp_path / "store"
    shutil.copytree(saved, copy)
    return copy


WARM_TEXTS = ("large language model", "llm", "transformr", "mixture of experts", "gpt")


def warm_answers(graph: KnowledgeGraph, texts: Sequence[str] = ()) -> dict[str, Any]:
    """What the structures of a warm state answer: search, every order, a filter, counts."""
    found: dict[str, Any] = {
        t: [(c.iri, c.label) for c in graph.search(t, 10)] for t in (*WARM_TEXTS, *texts)
    }
    for order in ConceptOrder:
        page = graph.concepts(first=20, order=order)
        found[order.value] = ([c.iri for c in page.items], page.total_count)
    under = ConceptFilter(under="large language model", released_after="2023")
    found["filter"] = [c.iri for c in graph.concepts(first=50, filters=under).items]
    found["count"] = graph.triple_count
    return found


class Refused:
    """Stands for a structure built on first use: reading it (unless taken) fails the test."""

    def __get__(self, owner: object, kind: type | None = None) -> Any:
        raise AssertionError("built again: the saved state was not taken")


def test_the_state_a_parent_builds_before_forking_is_saved_and_taken_by_the_next_start(
    store_copy: Path, built: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = warm_answers(built)
    first = open_store(store_copy)
    warm_from_store(first, store_copy)  # builds, then saves beside the store
    first.store.close()
    assert (store_copy / WARM_FILE).exists()

    monkeypatch.setattr(Searcher, "_word_pass", Refused())  # built on first use, else taken
    monkeypatch.setattr(Selector, "labels", Refused())
    monkeypatch.setattr(Ordering, "build", Refused())
    second = open_store(store_copy)
    warm_from_store(second, store_copy)
    assert warm_answers(second) == expected
    second.store.close()


def test_a_taken_state_is_mapped_and_edits_over_it_answer_as_a_rebuild(store_copy: Path) -> None:
    first = open_store(store_copy)
    warm_from_store(first, store_copy)
    first.store.close()
    graph = open_store(store_copy, read_only=False)
    warm_from_store(graph, store_copy)  # taken: the sorted keys and labels are mapped columns
    searcher, selector = graph._searcher, graph._selector
    assert isinstance(searcher._keys.folded(), StringColumn)
    assert isinstance(searcher.__dict__["_keys_by_word"], KeyRows)
    assert isinstance(selector.labels, StringColumn)
    live = LiveGraph(graph.store, graph)
    live.edit(
        [
            SetLabel("claude-3", "Claude Three Opus-like", "en"),
            AddLabel("gpt-4", "Generative Pre-trained Transformer 4", "en"),
            SetLabel("mixtral", "Mixtral of many experts", "en"),
        ],
        "tests",
    )
    after = live.current
    rebuilt = KnowledgeGraph(after.store)
    texts = ("claude three", "generative pre", "transformer 4", "many expert", "mixtral", "opus")
    mine, theirs = warm_answers(after, texts), warm_answers(rebuilt, texts)
    del mine["count"], theirs["count"]  # a rebuild counts the change log's quads too
    assert mine == theirs
    assert [c.id for c in after.search("claude three", 1)] == ["claude-3"]
    graph.store.close()


def test_one_server_over_the_store_takes_the_saved_state_instead_of_building_it(
    store_copy: Path, built: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = open_store(store_copy)
    warm_from_store(first, store_copy)  # as a `--workers 2` parent did
    first.store.close()
    monkeypatch.setattr(Searcher, "_word_pass", Refused())
    monkeypatch.setattr(Selector, "labels", Refused())
    monkeypatch.setattr(Ordering, "build", Refused())
    live = live_graph(Settings(store=store_copy))  # `aikg serve --store PATH`, one process
    assert warm_answers(live.current) == warm_answers(built)
    live.current.store.close()


def test_a_graph_saves_at_shutdown_only_a_state_it_used_and_the_file_does_not_hold(
    store_copy: Path,
) -> None:
    unused = open_store(store_copy)
    save_warm_in_use(unused, store_copy)  # nothing searched or filtered: nothing to keep
    assert not (store_copy / WARM_FILE).exists()
    warm_from_store(unused, store_copy)
    unused.store.close()
    saved = (store_copy / WARM_FILE).stat()
    taken = open_store(store_copy)
    assert take_saved_warm(taken, store_copy)
    save_warm_in_use(taken, store_copy)  # the state the file holds already: not written again
    assert (store_copy / WARM_FILE).stat().st_mtime_ns == saved.st_mtime_ns
    taken.store.close()


def used(graph: KnowledgeGraph) -> KnowledgeGraph:
    """``graph`` once it has searched and filtered (so a shutdown would keep what it built)."""
    graph.search("language model", 5)
    graph.concepts(first=5, filters=ConceptFilter(released_after="2023"))
    return graph


def test_a_damaged_saved_state_is_replaced_at_shutdown_by_the_one_in_use(
    store_copy: Path,
) -> None:
    truncated(store_copy)  # saved over this very index and generation, then cut
    graph = used(open_store(store_copy))
    built_over = warm_key(graph.index, graph.store.generation())
    assert warm_saved_over(store_copy) is None  # not whole: as good as none
    save_warm_in_use(graph, store_copy)
    assert warm_saved_over(store_copy) == built_over
    graph.store.close()


def test_a_read_only_server_never_replaces_a_whole_state_a_writer_may_have_saved_since(
    store_copy: Path,
) -> None:
    writers = WarmKey(saved_index_id(store_copy) or "", "a later generation")
    save_warm({}, store_copy, writers)  # over the index on disk: perhaps newer than the reader's
    reader = used(open_store(store_copy))
    save_warm_in_use(reader, store_copy)
    assert warm_saved_over(store_copy) == writers
    reader.store.close()


def test_a_read_only_server_replaces_a_state_tied_to_an_index_file_no_longer_on_disk(
    store_copy: Path,
) -> None:
    save_warm({}, store_copy, WarmKey("an index saved before this one", "a generation"))
    reader = used(open_store(store_copy))  # that state can never be taken again
    save_warm_in_use(reader, store_copy)
    assert warm_saved_over(store_copy) == warm_key(reader.index, reader.store.generation())
    reader.store.close()


def test_a_concept_added_since_the_save_is_brought_forward_once_and_saved(
    store_copy: Path,
) -> None:
    writer = open_store(store_copy, read_only=False)
    live = LiveGraph(writer.store, writer)
    added = AddConcept(
        "new-kind-9",
        "new kind nine",
        "A kind the test adds.",
        ConceptKind.CLASS,
        ("foundation-model",),
        "foundation-model-lesson",
    )
    live.edit([added], "tests")
    assert not live.current.index.saved_id  # numbered as the edit came: no saved file is it
    generation = writer.store.generation()
    writer.store.close()
    reopened = open_store(store_copy)  # the edit replayed on the saved index, which is saved
    assert reopened.index.saved_id and saved_at(store_copy) == (generation, 1)
    assert reopened.find("new kind nine") is not None
    reopened.store.close()
    again = open_store(store_copy)
    assert isinstance(again.index.iris, StringColumn)  # mapped: nothing replayed or built
    assert again.index.taxonomy.rank is not None  # the new concept numbered last, saved so
    built = KnowledgeGraph(again.store)
    kind = V.CONCEPT_NS + "foundation-model"
    assert [c.iri for c in again] == [c.iri for c in built]  # IRI order, read from the ranks
    assert [c.iri for c in again.children(kind)] == [c.iri for c in built.children(kind)]
    assert [c.iri for c in again.descendants(kind)] == [c.iri for c in built.descendants(kind)]
    again.store.close()


def saved_state_header(path: Path, header: dict[str, Any]) -> None:
    """A whole warm state file whose header is ``header`` (no columns before it)."""
    magic, encoded = b"AIKGWARM", pickle.dumps(header)
    trailer = struct.pack("<QI", len(magic), zlib.crc32(encoded))  # the header's place, the CRC
    (path / WARM_FILE).write_bytes(magic + encoded + trailer)


def damaged(
    path: Path,
    where: Callable[[int], range] = lambda size: range(size * 3 // 4, size * 3 // 4 + 64),
) -> None:
    """A whole warm state saved beside the store, then the bytes ``where`` gives (of its size)
    flipped: 64 at 3/4 of it, among the columns, unless told otherwise."""
    graph = open_store(path)
    warm_from_store(graph, path)
    graph.store.close()
    data = bytearray((path / WARM_FILE).read_bytes())
    for at in where(len(data)):
        data[at] ^= 0x01
    (path / WARM_FILE).write_bytes(bytes(data))


def truncated(path: Path) -> None:
    """A whole warm state saved beside the store, then cut to half its length."""
    damaged(path, lambda size: range(0))
    data = (path / WARM_FILE).read_bytes()
    (path / WARM_FILE).write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    "written",
    [
        lambda path: save_warm({}, path, WarmKey("0123", "a generation it never had")),
        lambda path: (path / WARM_FILE).write_bytes(b"not a pickle"),
        lambda path: (path / WARM_FILE).write_bytes(b"\x80\x63garbage"),
        lambda path: saved_state_header(path, {"format": (1, 0)}),
        lambda path: saved_state_header(
            path, {"format": (FORMAT, WARM_FORMAT, "code since changed")}
        ),
        damaged,
        lambda path: damaged(path, lambda size: range(size - 200, size - 199)),  # the header
        lambda path: damaged(path, lambda size: range(size - 12, size - 11)),  # where it is
        truncated,
    ],
    ids=[
        "another index",
        "not a pickle",
        "an unknown pickle protocol",
        "another format",
        "built by other code",
        "damaged bytes",
        "a bit of its header flipped",
        "a bit of its trailer flipped",
        "truncated",
    ],
)
def test_a_saved_state_of_another_index_format_or_code_or_damaged_is_built_again_saying_why(
    store_copy: Path,
    built: KnowledgeGraph,
    written: Callable[[Path], Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    written(store_copy)
    graph = open_store(store_copy)
    with caplog.at_level(logging.WARNING):
        warm_from_store(graph, store_copy)
    assert (
        f"{store_copy / WARM_FILE}" in caplog.text
        and "search and the lists are built again" in caplog.text
    )
    assert warm_answers(graph) == warm_answers(built)
    built_over = warm_key(graph.index, graph.store.generation())
    assert load_warm(store_copy, built_over) is not None  # replaced by the build
    graph.store.close()


def test_a_saved_state_is_never_taken_by_an_index_rebuilt_from_the_triples(
    store_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # a write that bypasses aikg leaves the store's generation as it was; the README says to
    # delete the saved index after one, and the index rebuilt then must not meet the old state
    graph = open_store(store_copy)
    warm_from_store(graph, store_copy)
    graph.store.close()
    handmade = pyoxigraph.Store(str(store_copy / "oxigraph"))
    concept = pyoxigraph.NamedNode(V.CONCEPT_NS + "aaa-handmade-model")
    handmade.extend(
        [
            pyoxigraph.Quad(
                concept, pyoxigraph.NamedNode(V.TYPE), pyoxigraph.NamedNode(V.OWL_CLASS)
            ),
            pyoxigraph.Quad(
                concept,
                pyoxigraph.NamedNode(V.SKOS + "prefLabel"),
                pyoxigraph.Literal("aaa handmade model", language="en"),
            ),
        ]
    )
    handmade.flush()
    del handmade
    (store_copy / INDEX_FILE).unlink()
    reopened = open_store(store_copy)  # rebuilt from the triples, and saved as a new file
    warm_from_store(reopened, store_copy)
    assert warm_answers(reopened) == warm_answers(KnowledgeGraph(reopened.store))
    assert [c.iri for c in reopened.search("aaa handmade model", 1)] == [concept.value]
    reopened.store.close()


def test_a_read_only_open_saves_the_index_it_had_to_rebuild(store_copy: Path) -> None:
    (store_copy / INDEX_FILE).unlink()
    rebuilt = open_store(store_copy)  # read-only, as `aikg serve --workers N` opens it
    assert saved_at(store_copy) == (rebuilt.store.generation(), 0)
    rebuilt.store.close()
    reopened = open_store(store_copy)
    assert isinstance(reopened.index.iris, StringColumn)  # mapped from the file, not rebuilt
    reopened.store.close()


def test_a_state_that_cannot_be_saved_is_served_anyway_and_leaves_no_partial_file(
    store_copy: Path, built: KnowledgeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    (store_copy / WARM_FILE).mkdir()  # the rename onto it fails
    graph = open_store(store_copy)
    with caplog.at_level(logging.WARNING):
        warm_from_store(graph, store_copy)
    assert f"the built search and lists were not saved in {WARM_FILE}" in caplog.text
    assert warm_answers(graph) == warm_answers(built)
    assert not (store_copy / "warm.partial").exists()
    graph.store.close()
