"""The `aikg` command: export, validate, and refusing bad data before serving."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph
from rdflib.compare import isomorphic

from api.cli import main
from graph.index.persistence import INDEX_FILE
from graph.loading import open_store
from ontology import data_files

BAD = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n'


def test_export_writes_deterministic_turtle_isomorphic_to_the_sources(tmp_path: Path) -> None:
    first, second, plain = tmp_path / "one.ttl", tmp_path / "two.ttl", tmp_path / "plain.ttl"
    assert main(["export", "--output", str(first)]) == 0
    assert main(["export", "--output", str(second)]) == 0
    assert main(["export", "--no-skos", "--output", str(plain)]) == 0
    assert first.read_bytes() == second.read_bytes()
    sources = Graph()
    for path in data_files():
        sources.parse(path, format="turtle")
    assert isomorphic(Graph().parse(plain, format="turtle"), sources)
    with_skos = Graph().parse(first, format="turtle")
    assert len(sources - with_skos) == 0  # the SKOS view only adds
    added = with_skos - sources
    assert {p for _, p, _ in added} == {
        RDF.type, SKOS.prefLabel, SKOS.inScheme, SKOS.broader, SKOS.narrower,
        SKOS.hasTopConcept, SKOS.topConceptOf,
    }  # fmt: skip


def test_export_goes_to_standard_output_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 0
    assert capsys.readouterr().out.startswith("@prefix aikg: <https://w3id.org/aikg/concept/> .")


def test_validate_passes_on_the_bundled_ontology() -> None:
    assert main(["validate"]) == 0


def test_validate_prints_one_line_per_problem_and_fails(tmp_path: Path, capsys) -> None:
    cyclic = tmp_path / "cyclic.ttl"
    cyclic.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "ex:a rdfs:subClassOf ex:b . ex:b rdfs:subClassOf ex:a .\n"
    )
    assert main(["validate", "--data", str(cyclic)]) == 1
    assert "cycle: ex:a: is-a cycle through ex:a → ex:b" in capsys.readouterr().out


def test_serve_refuses_malformed_turtle_with_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--port", "0", "--data", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 2
    assert f"{bad}:3:11:" in result.stderr
    assert "Uvicorn running" not in result.stderr


def test_load_persists_a_store_that_serves_reopen_with_the_saved_index(tmp_path: Path) -> None:

    store = tmp_path / "store"
    assert main(["load", "--store", str(store), *map(str, data_files())]) == 0
    assert (store / INDEX_FILE).exists()
    reopened = open_store(store)
    assert reopened.is_a("GPT-4", "foundation model")
    exported = tmp_path / "export.ttl"
    assert main(["export", "--store", str(store), "--no-skos", "--output", str(exported)]) == 0
    sources = Graph()
    for path in data_files():
        sources.parse(path, format="turtle")
    assert isomorphic(Graph().parse(exported, format="turtle"), sources)


def test_a_failed_load_into_a_new_store_leaves_it_empty(tmp_path: Path) -> None:
    from graph import Store

    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), *map(str, data_files()), str(bad)]) == 2
    assert len(Store(store, read_only=True)) == 0


CYCLE = """@prefix aikg: <https://w3id.org/aikg/concept/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
aikg:foundation-model rdfs:subClassOf aikg:large-language-model .
"""


@pytest.mark.parametrize(
    ("name", "text", "strict", "expected"),
    [
        ("cycle.ttl", CYCLE, False, "is-a cycle through"),
        (
            "huge.ttl",
            '<http://example.org/a> <http://example.org/p> "' + "x" * 1_000_001 + '" .\n',
            False,
            "a literal of 1,000,001 characters on <http://example.org/a>",
        ),
        (
            "unlabelled.ttl",
            "<http://example.org/a> a <http://www.w3.org/2002/07/owl#Class> .\n",
            True,
            "label: http://example.org/a: has no label",
        ),
        (
            "shared.ttl",
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            '<http://example.org/a> a <http://example.org/K> ; skos:prefLabel "GPT-4"@en .\n',
            True,
            "the label 'gpt-4' is shared by",
        ),
    ],
)
def test_a_refused_import_names_the_problem_and_leaves_the_store_whole(
    tmp_path: Path, capsys, name: str, text: str, strict: bool, expected: str
) -> None:
    from graph import Store

    store = tmp_path / "store"
    assert main(["load", "--store", str(store), *map(str, data_files())]) == 0
    before = sorted(str(t) for t in Store(store, read_only=True).triples())
    bad = tmp_path / name
    bad.write_text(text)
    assert main(["load", "--store", str(store), *(["--strict"] if strict else []), str(bad)]) == 2
    assert expected in capsys.readouterr().err
    assert sorted(str(t) for t in Store(store, read_only=True).triples()) == before
    assert open_store(store).is_a("GPT-4", "foundation model")


def test_load_into_an_unreachable_endpoint_prints_one_line_and_fails(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = tmp_path / "one.ttl"
    data.write_text('<http://example.org/a> <http://example.org/p> "x" .\n')
    url = f"http://127.0.0.1:{port}/sparql"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "load",
            "--sparql",
            url,
            "--sparql-update",
            url,
            str(data),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("aikg: error: ") and "unreachable" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_busy_writer_is_one_line_not_a_traceback(monkeypatch, capsys) -> None:
    import api.cli
    from graph.errors import WriteBusy

    def busy(*_args: object) -> None:
        raise WriteBusy("another writer held the store for more than 60 s")

    monkeypatch.setattr(api.cli, "import_files", busy)
    assert main(["load", "--store", "anywhere", "file.ttl"]) == 2
    assert (
        capsys.readouterr().err == "aikg: error: another writer held the store for more than 60 s\n"
    )
