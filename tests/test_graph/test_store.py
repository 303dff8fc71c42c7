"""Loading RDF files: formats by extension, all-or-nothing, errors with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import InvalidData, Store
from graph.loading import load_files

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
