"""Our SKOS mappings as an SSSOM mapping set (TSV with a YAML metadata header).

SSSOM (Simple Standard for Sharing Ontological Mappings) is the format the Artificial
Intelligence Ontology publishes its own mappings in. We map to AIO's classes (``aio:``) and to
Papers with Code's methods (``pwcm:``). Identifiers are CURIEs declared in
the ``curie_map``; every mapping was curated by hand, so its justification is
``semapv:ManualMappingCuration``. The same graph always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph import vocabulary as V
from graph.curies import to_curie
from graph.knowledge_graph import KnowledgeGraph

__all__ = ["COLUMNS", "sssom_lines"]

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
)
MAPPING_SET_ID = "https://w3id.org/aikg/mappings.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SEMAPV = "https://w3id.org/semapv/vocab/"
#: The vocabularies we map to: the Artificial Intelligence Ontology and Papers with Code's methods.
_KNOWN_PREFIXES = {
    "aio": "https://w3id.org/aio/",
    "pwcm": "https://paperswithcode.com/method/",
    "semapv": SEMAPV,
    "skos": V.SKOS,
}


def sssom_lines(graph: KnowledgeGraph) -> Iterator[str]:
    """The mapping set, line by line (each ending in a newline)."""
    prefixes = {**_KNOWN_PREFIXES, **graph.prefixes}
    rows = [
        (
            _as_curie(concept.iri, prefixes),
            concept.label,
            _as_curie(mapping.predicate, prefixes),
            _as_curie(mapping.iri, prefixes),
            _label_of(graph, mapping.iri),
            "semapv:ManualMappingCuration",
        )
        for concept, mapping in graph.all_mappings()
    ]
    used = sorted(
        {
            cell.split(":", 1)[0]
            for row in rows
            for cell in (row[0], row[2], row[3], row[5])
            if ":" in cell
        }
    )
    yield "# curie_map:\n"
    for prefix in used:
        if prefix in prefixes:
            yield f"#   {prefix}: {prefixes[prefix]}\n"
    yield f"# mapping_set_id: {MAPPING_SET_ID}\n"
    yield "# mapping_set_title: aikg to other AI vocabularies\n"
    yield f"# license: {LICENSE}\n"
    yield "\t".join(COLUMNS) + "\n"
    for row in rows:
        yield "\t".join(_cell(value) for value in row) + "\n"


def _label_of(graph: KnowledgeGraph, iri: str) -> str:
    target = graph.find_iri(iri)
    return "" if target is None else target.label


def _cell(value: str) -> str:
    """TSV cells hold no tabs or line breaks."""
    return " ".join(value.split())


def _as_curie(iri: str, prefixes: dict[str, str]) -> str:
    return to_curie(iri, prefixes) or iri
