"""The layout of ontology/: kinds by top-level branch, named examples by what they are, all
listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

import ontology
from ontology import data_files, shapes_file

ROOT = ontology.ROOT
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def by_file() -> dict[Path, rdflib.Graph]:
    """Each data file (schema aside) parsed on its own."""
    return {path: rdflib.Graph().parse(path, format="turtle") for path in data_files()[1:]}


@pytest.fixture(scope="module")
def whole(by_file: dict[Path, rdflib.Graph]) -> rdflib.Graph:
    """The union of the kinds and examples files."""
    graph = rdflib.Graph()
    for part in by_file.values():
        graph += part
    return graph


def home(by_file: dict[Path, rdflib.Graph]) -> dict[URIRef, Path]:
    """The file each subject is described in (asserting it is exactly one)."""
    homes: dict[URIRef, Path] = {}
    for path, graph in by_file.items():
        for subject in set(graph.subjects()):
            assert isinstance(subject, URIRef), f"a blank node in {path.name}"
            assert subject not in homes, (
                f"{subject} is described in {homes[subject].name} and {path.name}"
            )
            homes[subject] = path
    return homes


def roots(graph: rdflib.Graph, kind: URIRef) -> set[URIRef]:
    """The root kinds above a kind (itself, if it has no parent kind)."""
    parents = [p for p in graph.objects(kind, RDFS.subClassOf) if (p, RDF.type, OWL.Class) in graph]
    if not parents:
        return {kind}
    return set().union(*(roots(graph, p) for p in parents))  # type: ignore[arg-type]


def test_data_files_are_the_schema_then_every_kinds_and_examples_file_sorted() -> None:
    files = data_files()
    kinds, examples = (
        sorted((ROOT / "kinds").glob("*.ttl")),
        sorted((ROOT / "examples").glob("*.ttl")),
    )
    assert kinds and examples
    assert files == (ROOT / "schema.ttl", *kinds, *examples)
    assert all(path.is_file() for path in files)
    on_disk = set(ROOT.rglob("*.ttl"))
    assert on_disk == {*files, shapes_file()}, (
        "a .ttl file outside schema, shapes, kinds/ and examples/"
    )


def test_every_file_is_listed_in_the_readme_and_every_listed_file_exists() -> None:
    section = README.split("## Files\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^([\w/-]+\.ttl) ", section, re.MULTILINE))
    on_disk = {str(path.relative_to(ROOT)) for path in ROOT.rglob("*.ttl")}
    assert sorted(on_disk - listed - {"shapes.ttl"}) == [], (
        "files missing from the README's Files section"
    )
    assert sorted(listed - on_disk) == [], "the README lists files that do not exist"


def test_kinds_live_in_kinds_and_named_examples_in_examples(
    by_file: dict[Path, rdflib.Graph],
) -> None:
    for subject, path in home(by_file).items():
        graph = by_file[path]
        kind = (subject, RDF.type, OWL.Class) in graph
        example = (subject, RDF.type, OWL.NamedIndividual) in graph
        assert kind != example, f"{subject} is neither or both a kind and a named example"
        assert path.parent.name == ("kinds" if kind else "examples"), (
            f"{subject} is in {path.parent.name}/{path.name}"
        )


def test_a_kind_lives_in_the_file_of_one_of_its_root_kinds(
    by_file: dict[Path, rdflib.Graph], whole: rdflib.Graph
) -> None:
    homes = home(by_file)
    for kind in whole.subjects(RDF.type, OWL.Class):
        assert homes[kind] in {homes[root] for root in roots(whole, kind)}, (
            f"{kind} is in {homes[kind].name}"
        )


def test_the_examples_of_one_root_kind_share_a_file(
    by_file: dict[Path, rdflib.Graph], whole: rdflib.Graph
) -> None:
    homes = home(by_file)
    files_of_root: dict[URIRef, set[str]] = {}
    for example in whole.subjects(RDF.type, OWL.NamedIndividual):
        kinds = [k for k in whole.objects(example, RDF.type) if (k, RDF.type, OWL.Class) in whole]
        assert kinds, f"{example} is an example of none of our kinds"
        for kind in kinds:
            for root in roots(whole, kind):  # type: ignore[arg-type]
                files_of_root.setdefault(root, set()).add(homes[example].name)
    split = {root: files for root, files in files_of_root.items() if len(files) > 1}
    assert split == {}
