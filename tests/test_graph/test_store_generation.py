"""An on-disk store's generation: every writer moves it, so a restart knows its saved index is
current by reading one quad, never by counting the triples.

Each test saves the index, changes the store through one writer, puts the index saved before
the write back in place (as if the writer had not told it), and restarts: the index is rebuilt,
with a warning saying why, and answers with the change. Edits are the exception: each edit's
update makes its id the new generation and records the one it replaced, so a restart after
edits only replays their net change onto the saved index — and rebuilds as soon as any other
write broke that chain.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import parse_tokens
from api.cli import main
from api.settings import Settings
from graph import KnowledgeGraph
from graph import vocabulary as V
from graph.index.build import GraphIndex, build_index
from graph.index.mapped import StringColumn
from graph.index.persistence import INDEX_FILE
from graph.loading import open_store
from graph.store.oxigraph import Store
from ontology import data_files
from tests.test_graph.test_saved_index import plain

TOKEN = "generation-test-token-0123456789"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
GPT_4 = V.CONCEPT_NS + "gpt-4"
NEW = V.CONCEPT_NS + "generation-test-model"
NEW_TURTLE = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{NEW}> a <{V.CONCEPT_NS}large-language-model> ; skos:prefLabel "Generation Test Model"@en .
"""


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled ontology in a store, its index saved (copied for each test)."""
    store = tmp_path_factory.mktemp("generation") / "store"
    assert main(["load", "--store", str(store), *map(str, data_files())]) == 0
    return store


@pytest.fixture
def store(bundled_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(bundled_store, copy)
    return copy


def label_of_gpt_4(store: Path) -> str:
    graph = open_store(store)
    try:
        return graph.get(GPT_4).label
    finally:
        graph.store.close()


def edit_over_http(store: Path, tmp_path: Path) -> None:
    settings = Settings(store=store, write_tokens=parse_tokens(f"tester:{TOKEN}"))
    app = create_app(settings)
    mutation = (
        'mutation { edit(operations: [{setLabel: {id: "gpt-4", text: "GPT Four"}}]) { revision } }'
    )
    response = TestClient(app).post(
        "/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.json()
    app.state.live.current.store.close()


def aikg_load(store: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(NEW_TURTLE)
    assert main(["load", "--store", str(store), str(extra)]) == 0


def edits_then(write: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    """An edit over HTTP, then another writer (which breaks the chain of edits)."""

    def both(store: Path, tmp_path: Path) -> None:
        edit_over_http(store, tmp_path)
        write(store, tmp_path)

    return both


def then_an_edit(write: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    """Another writer, then an edit over HTTP (whose record names the writer's generation)."""

    def both(store: Path, tmp_path: Path) -> None:
        write(store, tmp_path)
        edit_over_http(store, tmp_path)

    return both


def quads_added(store: Path, tmp_path: Path) -> None:
    opened = Store(store)
    label = ox.Literal("Generation Test Model", language="en")
    kind = ox.NamedNode(V.CONCEPT_NS + "large-language-model")
    opened.add_quads(
        [
            ox.Quad(ox.NamedNode(NEW), ox.NamedNode(PREF_LABEL), label),
            ox.Quad(ox.NamedNode(NEW), ox.NamedNode(V.TYPE), kind),
        ]
    )
    opened.close()


def quads_removed(store: Path, tmp_path: Path) -> None:
    opened = Store(store)
    label = ox.Literal("GPT-4", language="en")
    opened.remove_quads([ox.Quad(ox.NamedNode(GPT_4), ox.NamedNode(PREF_LABEL), label)])
    opened.close()


def sparql_update(store: Path, tmp_path: Path) -> None:
    opened = Store(store)
    opened.update(
        f"INSERT DATA {{ <{NEW}> a <{V.CONCEPT_NS}large-language-model> ; "
        f'<{PREF_LABEL}> "Generation Test Model"@en }}'
    )
    opened.close()


def loaded_again_from_other_files(store: Path, tmp_path: Path) -> None:
    """The database replaced by a new one (``aikg load`` into an empty store)."""
    shutil.rmtree(store / "oxigraph")
    extra = tmp_path / "extra.ttl"
    extra.write_text(NEW_TURTLE)
    opened = Store(store)
    opened.load([*data_files(), extra])
    opened.close()


def has_new(graph: KnowledgeGraph) -> bool:
    return graph.find_iri(NEW) is not None


WRITERS: dict[str, tuple[Callable[[Path, Path], None], Callable[[KnowledgeGraph], bool]]] = {
    "aikg load into the store": (aikg_load, has_new),
    "quads added": (quads_added, has_new),
    "quads removed": (quads_removed, lambda g: g.get(GPT_4).label != "GPT-4"),
    "a SPARQL update": (sparql_update, has_new),
    "a new database loaded in its place": (loaded_again_from_other_files, has_new),
    "an edit, then a SPARQL update": (edits_then(sparql_update), has_new),
    "a SPARQL update, then an edit": (
        then_an_edit(sparql_update),
        lambda g: has_new(g) and g.get(GPT_4).label == "GPT Four",
    ),
}


@pytest.mark.parametrize("writer", WRITERS, ids=list(WRITERS))
def test_a_write_behind_the_saved_index_is_noticed_at_restart(
    writer: str, store: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write, shows_the_change = WRITERS[writer]
    saved_before = (store / INDEX_FILE).read_bytes()
    write(store, tmp_path)
    (store / INDEX_FILE).write_bytes(saved_before)  # the index saved before the write
    with caplog.at_level(logging.WARNING):
        graph = open_store(store, read_only=False)
    assert "was built at store generation" in caplog.text and "rebuilding the index" in caplog.text
    assert shows_the_change(graph)
    graph.store.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = open_store(store)  # the rebuilt index was saved at the new generation
    assert caplog.text == ""
    assert isinstance(again.index.iris, StringColumn) and shows_the_change(again)
    again.store.close()


def test_a_restart_of_an_unchanged_store_maps_its_index_without_counting_the_triples(
    store: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_counting(self: Store) -> int:
        raise AssertionError("a restart counted the store's triples")

    monkeypatch.setattr(Store, "__len__", no_counting)
    with caplog.at_level(logging.WARNING):
        graph = open_store(store)
    assert caplog.text == ""
    assert isinstance(graph.index.iris, StringColumn)  # mapped, not rebuilt
    assert graph.get(GPT_4).label == "GPT-4"
    graph.store.close()


def test_every_write_moves_the_generation_and_reading_does_not(store: Path) -> None:
    opened = Store(store)
    seen = [opened.generation()]
    opened.update(f'INSERT DATA {{ <{NEW}> <{PREF_LABEL}> "x" }} # ends in a comment')
    seen.append(opened.generation())
    opened.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    opened.describe(GPT_4)
    seen.append(opened.generation())
    opened.update(f'DELETE DATA {{ <{NEW}> <{PREF_LABEL}> "x" }}')
    seen.append(opened.generation())
    assert None not in seen and seen[1] == seen[2]
    assert len({seen[0], seen[1], seen[3]}) == 3
    opened.close()


def test_the_marker_is_outside_the_served_graph(store: Path) -> None:
    opened = Store(store, read_only=True)
    generation = opened.generation()
    assert generation is not None
    assert not any(generation in str(o) for _, _, o in opened.triples())
    opened.close()


def test_a_store_without_a_marker_gets_one_when_opened_for_writing(
    store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store written by a version before the marker: rebuilt once, then current."""
    opened = Store(store)
    opened._store.remove_graph(ox.NamedNode("https://w3id.org/aikg/store/"))  # as an old store
    opened.close()
    assert Store(store, read_only=True).generation() is None
    with caplog.at_level(logging.WARNING):
        open_store(store, read_only=False).store.close()
    assert "no generation marker" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert label_of_gpt_4(store) == "GPT-4"
    assert caplog.text == ""


def test_a_restart_after_edits_replays_them_onto_the_saved_index(
    store: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_before = (store / INDEX_FILE).read_bytes()
    edit_over_http(store, tmp_path)
    settings = Settings(store=store, write_tokens=parse_tokens(f"tester:{TOKEN}"))
    app = create_app(settings)  # a second server: it replays the first edit, then edits again
    mutation = (
        "mutation { edit(operations: ["
        '{addEdge: {subject: "gpt-4", predicate: "aikgs:developedBy", object: "meta"}}, '
        '{setDefinition: {id: "claude-3", text: "A family the tests define again."}}'
        "]) { revision } }"
    )
    response = TestClient(app).post(
        "/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.json()
    app.state.live.current.store.close()
    assert (store / INDEX_FILE).read_bytes() == saved_before  # never saved again: replayed

    def no_build(*args: object) -> None:
        raise AssertionError("the restart rebuilt the index")

    with monkeypatch.context() as patched:
        patched.setattr("graph.loading.build_index", no_build)
        with caplog.at_level(logging.WARNING):
            graph = open_store(store)
    assert caplog.text == ""
    rebuilt = KnowledgeGraph(graph.store, build_index(graph.store.triples(), graph.store.prefixes))
    for field in dataclasses.fields(GraphIndex):
        if field.compare and field.name not in ("taxonomy", "prefixes"):
            mine, theirs = getattr(graph.index, field.name), getattr(rebuilt.index, field.name)
            assert plain(mine) == plain(theirs), field.name
    assert graph.get(GPT_4).label == "GPT Four"
    assert V.CONCEPT_NS + "meta-platforms" in {  # "meta" is its id
        r.object.iri for r in graph.relations(GPT_4) if r.predicate_label == "developed by"
    }
    assert graph.get(V.CONCEPT_NS + "claude-3").definition == "A family the tests define again."
    graph.store.close()


def test_an_edit_that_lost_its_compare_and_swap_moves_the_generation_to_no_edit(
    store: Path,
) -> None:
    """An edit's update that did not commit (its revision moved) leaves a random generation
    and no record naming it: the chain of edits is broken, so the next restart rebuilds."""
    opened = Store(store)
    before = opened.generation()
    change_id = "0123456789abcdef0123456789abcdef"
    opened.update(f'INSERT {{ <{NEW}> <{PREF_LABEL}> "x" }} WHERE {{ FILTER(false) }}', change_id)
    after = opened.generation()
    assert after not in (before, change_id)
    assert not opened.ask(
        "ASK { GRAPH ?g { ?record <https://w3id.org/aikg/changes/terms#generationBefore> ?g2 } }"
    )
    opened.close()


def test_a_change_id_that_is_not_hexadecimal_is_refused(store: Path) -> None:
    opened = Store(store)
    before = opened.generation()
    with pytest.raises(ValueError, match="hexadecimal"):
        opened.update(f'INSERT DATA {{ <{NEW}> <{PREF_LABEL}> "x" }}', '" } ; DROP ALL ; #')
    assert not opened.ask(f"ASK {{ <{NEW}> ?p ?o }}") and opened.generation() == before
    assert len(opened) > 10_000  # nothing dropped
    opened.close()
