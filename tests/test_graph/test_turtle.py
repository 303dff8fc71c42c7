"""Deterministic Turtle: same triples, same bytes; parses back isomorphic to the input."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.store.oxigraph import Store
from graph.store.turtle import export_turtle
from tests.conftest import EXTDATA_FILES

# The IRI itself, not rdflib's XSD namespace: pytest probes every module-level name for
# attributes such as `_mock_name`, which rdflib's XSD namespace answers with a UserWarning
# (rdflib issue #1830).
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

AWKWARD = r'''
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:quote "say \"hi\"\\ there" ;
     ex:lines """two
lines	and a tab""" ;
     ex:control "bell\u0007" ;
     ex:unicode "DALL·E 3 — 大型语言模型"@zh ;
     ex:typed "2021"^^xsd:gYear, "3"^^xsd:integer, "plain"^^xsd:string ;
     ex:odd <http://example.org/with%20space?q=1#frag> ;
     <http://example.org/pred.with.dots.> ex:b ;
     ex:nested [ ex:inner [ ex:deeper "x" ] ] ;
     ex:shared _:s .
ex:b ex:shared _:s .
_:s ex:value 1 .
_:loop ex:next _:loop .
'''


@pytest.mark.slow  # rdflib's isomorphism check over aio.ttl's blank nodes alone takes 20-30 s
@pytest.mark.parametrize("path", EXTDATA_FILES, ids=lambda p: p.name)
def test_external_files_round_trip_isomorphic_and_byte_stable(path: Path) -> None:
    store = Store.from_files([path])
    text = export_turtle(store)
    assert export_turtle(Store.from_files([path])) == text
    assert isomorphic(
        Graph().parse(data=text, format="turtle"), Graph().parse(path, format="turtle")
    )


def _as_rdf_1_1(graph: Graph) -> Graph:
    """rdflib tells "x" from "x"^^xsd:string; RDF 1.1 (and Oxigraph) does not."""
    plain = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD_STRING:
            o = Literal(str(o))
        plain.add((s, p, o))
    return plain


def test_awkward_literals_iris_and_blank_nodes_survive_the_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "awkward.ttl"
    source.write_text(AWKWARD, encoding="utf-8")
    text = export_turtle(Store.from_files([source]))
    expected = _as_rdf_1_1(Graph().parse(source, format="turtle"))
    assert isomorphic(Graph().parse(data=text, format="turtle"), expected)
    assert export_turtle(Store.from_files([source])) == text


def test_the_export_starts_with_sorted_prefixes_then_the_ontology_header(bundled) -> None:
    text = export_turtle(bundled.store)
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)
    first_block = text.split("\n\n")[1]
    assert first_block.startswith("<https://w3id.org/aikg/>\n    a owl:Ontology")


class _Shuffled:
    """A store whose one-pass reading comes back in a random order (subjects split apart)."""

    def __init__(self, store: Store, seed: int) -> None:
        self._store, self._seed = store, seed

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def write_ntriples(self, output) -> None:
        import io
        import random

        written = io.BytesIO()
        self._store.write_ntriples(written)
        lines = written.getvalue().splitlines(keepends=True)
        random.Random(self._seed).shuffle(lines)
        shuffled = b"".join(lines)
        for start in range(0, len(shuffled), 13):  # pieces cut inside lines and characters
            output.write(shuffled[start : start + 13])


class _DescribeOnly:
    """A source offering only describe(), the writer's other way of reading."""

    def __init__(self, store: Store) -> None:
        self.named_subjects, self.blank_subjects = store.named_subjects, store.blank_subjects
        self.blank_references, self.describe = store.blank_references, store.describe


@pytest.mark.parametrize("seed", [1, 2])
def test_the_one_pass_writer_gives_the_bytes_of_the_subject_by_subject_writer(
    tmp_path: Path, bundled, seed
) -> None:
    from benchmarks.synthetic import generate
    from benchmarks.synthetic import write_turtle as write_synthetic
    from graph import vocabulary as V
    from graph.store.turtle import write_turtle

    source = tmp_path / "awkward.ttl"
    source.write_text(AWKWARD, encoding="utf-8")
    synthetic = write_synthetic(generate(2000, seed), tmp_path / "synthetic.ttl")
    for store in (Store.from_files([source]), bundled.store, Store.from_files([synthetic])):
        prefixes = {**store.prefixes, **V.PREFIXES}
        one_pass = "".join(write_turtle(store, prefixes))
        assert one_pass == "".join(write_turtle(_DescribeOnly(store), prefixes))
        assert one_pass == "".join(write_turtle(_Shuffled(store, seed), prefixes))


def test_a_typed_literal_between_iri_objects_leaves_their_prefixed_names_intact(
    tmp_path: Path,
) -> None:
    # A datatype's place in a literal once leaked into the next IRI's prefixed name ("ex:1" for
    # ex:o1).
    from graph import vocabulary as V
    from graph.store.turtle import write_turtle

    lines = ["@prefix ex: <http://example.org/> ."]
    lines += [
        f'ex:s{n} ex:p ex:o{n} ; ex:q "{"x" * 18}"^^ex:dt ; ex:r ex:o{n + 1} .' for n in range(200)
    ]
    source = tmp_path / "typed.ttl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store.from_files([source])
    prefixes = {**store.prefixes, **V.PREFIXES}
    text = "".join(write_turtle(store, prefixes))
    assert text == "".join(write_turtle(_DescribeOnly(store), prefixes))
    assert "ex:p ex:o7 ;" in text


def test_oxigraphs_n_triples_reach_the_writer_whole_and_a_failing_reader_stops_the_export(
    tmp_path: Path, monkeypatch
) -> None:
    import io
    import tempfile
    import threading

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    source = tmp_path / "awkward.ttl"
    source.write_text(AWKWARD, encoding="utf-8")
    store = Store.from_files([source])
    written = io.BytesIO()
    store.write_ntriples(written)
    assert Graph().parse(data=written.getvalue(), format="nt").isomorphic(store.to_rdflib())

    class Failing:
        def write(self, data: bytes) -> int:
            raise RuntimeError("the reader failed")

        def flush(self) -> None:
            pass

    threads = threading.active_count()
    with pytest.raises(RuntimeError, match="the reader failed"):
        store.write_ntriples(Failing())  # type: ignore[arg-type]
    assert threading.active_count() == threads  # Oxigraph's thread has ended
    assert not list(tmp_path.glob("aikg-export-*"))  # its file is gone


def test_the_exports_file_goes_in_tmpdir_when_set_else_in_shared_memory(monkeypatch) -> None:
    import os

    from graph.store.oxigraph import _scratch

    monkeypatch.setenv("TMPDIR", "/somewhere")
    assert _scratch() is None  # Python's temporary directory, which follows TMPDIR
    monkeypatch.delenv("TMPDIR")
    assert _scratch() == ("/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
