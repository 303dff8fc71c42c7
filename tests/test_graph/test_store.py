"""Loading RDF files: formats by extension, all-or-nothing, errors with file, line and column."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import InvalidData, KnowledgeGraph, Store
from graph.edits.live import LiveGraph
from graph.edits.operations import AddLabel
from graph.loading import load_files
from graph.store import oxigraph
from graph.store.terms import Triple
from ontology import data_files

GOOD = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"
BAD = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n'


def test_a_syntax_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    with pytest.raises(InvalidData) as raised:
        Store.from_files([bad])
    assert (raised.value.file, raised.value.line, raised.value.column) == (str(bad), 3, 11)
    assert str(raised.value).startswith(f"{bad}:3:11: ")


def test_a_bad_file_leaves_the_store_exactly_as_it_was(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(GOOD)
    bad.write_text(BAD)
    store = Store.from_files([good])
    with pytest.raises(InvalidData):
        store.load([good, bad])
    assert len(store) == 1


def test_on_disk_the_index_is_read_once_the_bulk_load_is_done(tmp_path: Path) -> None:
    """Side by side, the bulk loader's buffers and the index build's memory added up."""
    data = tmp_path / "good.ttl"
    data.write_text(GOOD)
    store = Store(tmp_path / "store")
    held_when_read: list[int] = []

    def reader(triples: Iterator[Triple]) -> list[Triple]:
        held_when_read.append(len(store))
        return list(triples)

    assert store.load([data], reader=reader) == [
        ("http://example.org/a", "http://example.org/b", "http://example.org/c")
    ]
    assert held_when_read == [1]


def test_on_disk_a_bad_file_is_not_read_for_the_index_and_leaves_the_store_empty(
    tmp_path: Path,
) -> None:
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(GOOD)
    bad.write_text(BAD)
    store = Store(tmp_path / "store")
    read: list[Triple] = []
    with pytest.raises(InvalidData) as raised:
        store.load([good, bad], reader=read.extend)
    assert (raised.value.file, raised.value.line, raised.value.column) == (str(bad), 3, 11)
    assert read == []
    assert len(store) == 0


def test_an_unknown_extension_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    odd = tmp_path / "data.xyz"
    odd.write_text(GOOD)
    with pytest.raises(InvalidData, match=r"unknown RDF file extension.*\.ttl"):
        Store.from_files([odd])


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match=r"missing\.ttl"):
        Store.from_files([tmp_path / "missing.ttl"])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("data.nt", "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"),
        (
            "data.rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="http://example.org/a">'
            '<rdf:type rdf:resource="http://example.org/C"/></rdf:Description></rdf:RDF>',
        ),
        ("data.jsonld", '{"@id": "http://example.org/a", "@type": "http://example.org/C"}'),
    ],
)
def test_other_syntaxes_are_read_by_extension(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert len(Store.from_files([path])) == 1


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text("_:x <http://example.org/p> 1 .\n")
    two.write_text("_:x <http://example.org/p> 2 .\n")
    subjects = {s for s, _, _ in Store.from_files([one, two]).triples()}
    assert len(subjects) == 2


def test_malformed_rdf_xml_names_the_file_line_and_column_and_adds_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(GOOD)
    bad = tmp_path / "bad.rdf"
    bad.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://example.org/a">\n'
        "    <unclosed>\n"
        "</rdf:RDF>\n"
    )
    store = Store.from_files([good])
    with pytest.raises(InvalidData) as raised:
        store.load([bad])
    assert raised.value.file == str(bad) and raised.value.line is not None
    assert str(raised.value).startswith(f"{bad}:{raised.value.line}:")
    assert len(store) == 1


def test_loading_a_graph_from_malformed_rdf_xml_names_the_place(tmp_path: Path) -> None:

    bad = tmp_path / "bad.rdf"
    bad.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a">\n'
        "    <ex:p>text</ex:q>\n"
        "  </rdf:Description>\n"
        "</rdf:RDF>\n"
    )
    with pytest.raises(InvalidData) as raised:
        load_files([bad])
    assert (raised.value.line, raised.value.column) == (3, 17)


def test_a_literal_where_a_kind_belongs_is_read_as_no_kind(tmp_path: Path) -> None:
    """Valid RDF, though odd: ``rdf:type "text"`` once crashed the index build."""
    odd = tmp_path / "odd.ttl"
    odd.write_text(
        "@prefix ex: <http://example.org/> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ex:a a ex:K . ex:b a "not a kind" ; rdfs:subClassOf "nor a parent" .\n',
        encoding="utf-8",
    )
    graph = load_files([odd])
    assert graph.is_a("http://example.org/a", "http://example.org/K")
    assert graph.types("http://example.org/b") == []
    assert graph.parents("http://example.org/b") == []


#: A literal long enough for Oxigraph to keep its text whole in the written record.
MARKER = "written-by-the-durability-test-0123456789"
INSERT = f'INSERT DATA {{ <http://example.org/a> <http://example.org/p> "{MARKER}" }}'
ASK = f'ASK {{ <http://example.org/a> <http://example.org/p> "{MARKER}" }}'
KILLED_AFTER_COMMIT = f"""
import os, signal, sys
from pathlib import Path
from graph import Store
Store(Path(sys.argv[1])).update({INSERT!r})
print("committed", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_commit_on_disk_survives_the_process_being_killed_straight_after(
    tmp_path: Path,
) -> None:
    """No flush and no close: the write-ahead log alone brings the commit back on reopening."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_COMMIT, str(tmp_path / "store")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout.strip() == "committed"
    reopened = Store(tmp_path / "store")
    assert reopened.ask(ASK)


def _contents(path: Path) -> bytes:
    """A file's bytes, or none when RocksDB's background compaction removed it after the listing
    (a compaction only merges table files already written, so it adds no record of its own)."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return b""


def test_a_commit_on_disk_is_in_a_log_file_synced_before_update_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The update's record is in a write-ahead log file that was fsynced, and the directory
    too; the memtable is not flushed into table files per commit."""
    store = Store(tmp_path / "store")
    synced: dict[str, bool] = {}
    real_fsync = oxigraph._fsync

    def fsync(path: Path) -> None:
        synced[path.name] = MARKER.encode() in _contents(path)
        real_fsync(path)

    monkeypatch.setattr(oxigraph, "_fsync", fsync)
    store.update(INSERT)
    database = tmp_path / "store" / "oxigraph"
    assert any(name.endswith(".log") and holds for name, holds in synced.items()), synced
    assert database.name in synced
    assert not any(MARKER.encode() in _contents(table) for table in database.glob("*.sst"))
    synced.clear()
    store.update(INSERT.replace(MARKER, MARKER + "-again"))
    assert any(name.endswith(".log") for name in synced), synced
    assert database.name not in synced  # no new log file: its directory entry is synced already
    store._store.flush()  # the memtable into table files: RocksDB writes later commits to a new log
    synced.clear()
    store.update(INSERT.replace(MARKER, MARKER + "-after-a-flush"))
    assert database.name in synced, synced
    store.close()  # a close flushes: the next process opens table files, not only the log
    assert any(MARKER.encode() in _contents(table) for table in database.glob("*.sst"))


def test_a_store_counts_the_graphs_triples_not_its_change_log_or_marker(tmp_path: Path) -> None:
    graph = load_files(data_files(), tmp_path / "store")
    before = len(graph.store)
    live = LiveGraph(graph.store, graph)
    live.edit([AddLabel("gpt-4", "GPT four", "en")], "tests")  # and a record in the change log
    assert len(graph.store) == before + 1 == live.current.triple_count
    assert KnowledgeGraph(graph.store).triple_count == before + 1  # as a restart counts
    graph.store.close()
