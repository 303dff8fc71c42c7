"""Edits through HTTP with their checks: one GraphQL mutation at a time, timed at the client.

``aikg serve`` runs with a write token, in memory (``--data``) and on disk (``aikg load
--store`` first, then ``--store``), and the SHACL shapes and structural checks of every edit.
Each row alternates an edit and its inverse (add an is-a edge, remove it; set a label, set it
back; add a concept, remove it), so the graph is the same after every pair and each request
costs one edit. A concept just added is the last node, whose removal renumbers nothing, so a
last row removes concepts the graph was loaded with (the deepest kinds, one per request):
each gives its number to the last node.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.http import ask, free_port, server
from benchmarks.synthetic import generate, kind_iri, write_turtle

TOKEN = "bench-token-0123456789"
EDGE = '{%s: {subject: "%s", predicate: "IS_A", object: "%s"}}'
LABEL = '{setLabel: {id: "%s", text: "%s"}}'
NEW_CONCEPT = (
    '{addConcept: {id: "bench-new-kind", label: "bench new kind", kind: CLASS, parents: ["%s"],'
    ' definition: "A kind the benchmark adds and removes.", source: "%s"}}'
)
REMOVE_CONCEPT = '{removeConcept: "bench-new-kind"}'
REMOVE_LOADED = '{removeConcept: "%s"}'
#: A publication for the new concept's source (the shapes want one), loaded beside the data.
SOURCES = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix aikg: <https://w3id.org/aikg/concept/> .
aikg:publication a owl:Class ; skos:prefLabel "publication"@en .
aikg:bench-paper a aikg:publication, skos:Concept ; skos:prefLabel "bench paper"@en ;
    skos:definition "The publication the benchmark's new kinds come from."@en ;
    dcterms:source aikg:bench-paper .
"""


def edit_targets(size: int) -> tuple[str, str]:
    """The deepest kind, and a kind one level up that is not its parent and sorts after its
    first parent (so the edge joins a second parent, as most is-a edits do)."""
    taxonomy = generate(size)
    levels = taxonomy.level_of
    deep = max(range(size), key=lambda n: (levels[n], -n))
    first = min(taxonomy.parents[deep], key=kind_iri)
    other = next(
        n
        for n in range(size)
        if levels[n] == levels[deep] - 1
        and kind_iri(n) > kind_iri(first)
        and n not in taxonomy.parents[deep]
    )
    return kind_iri(deep), kind_iri(other)


def measure_edits(
    data: Path,
    size: int,
    workdir: Path,
    pairs: int = 15,
    code: Path | None = None,
    concept_pairs: int = 1,
) -> list[dict[str, Any]]:
    """Median and slowest of ``2 * pairs`` edits per row, in memory and on disk, and of
    ``2 * concept_pairs`` for a concept added and removed, and ``concept_pairs`` concepts the
    graph was loaded with removed;
    ``code`` is the checkout whose ``aikg`` serves (a before/after comparison), the current
    one by default."""
    kind, extra_parent = edit_targets(size)
    loaded = deepest_kinds(size, concept_pairs)
    rows = []
    store = workdir / "edits-store"
    sources = workdir / "edits-sources.ttl"
    sources.write_text(SOURCES, encoding="utf-8")
    subprocess.run(["rm", "-rf", str(store)], check=True)
    subprocess.run(
        [sys.executable, "-m", "api.cli", "load", str(data), str(sources), "--store", str(store)],
        check=True,
        capture_output=True,
        cwd=code,
    )
    for where, source in (
        ("in memory", ["--data", str(data), str(sources)]),
        ("on disk", ["--store", str(store)]),
    ):
        port = free_port()
        # a time limit long enough for an edit that builds the index (none should)
        serve = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
        command = [*serve, "--timeout", "600", *source]
        env = {**os.environ, "AIKG_WRITE_TOKENS": f"bench:{TOKEN}"}
        with server(command, port, env=env, cwd=code) as running:
            edges = [
                EDGE % ("addEdge" if n % 2 == 0 else "removeEdge", kind, extra_parent)
                for n in range(2 * pairs)
            ]
            labels = [LABEL % (kind, f"edited kind {n % 2}") for n in range(2 * pairs)]
            concepts = [NEW_CONCEPT % (kind, "bench-paper"), REMOVE_CONCEPT] * concept_pairs
            removals = [REMOVE_LOADED % iri for iri in loaded]
            for name, operations in (
                ("edit one edge (HTTP, with checks)", edges),
                ("edit one concept (HTTP, with checks)", labels),
                ("add or remove one concept (HTTP, with checks)", concepts),
                ("remove one concept loaded with the graph (HTTP, with checks)", removals),
            ):
                if not operations:
                    continue
                times = [timed_edit(running.url, operation) for operation in operations]
                rows.append(
                    {
                        "row": name,
                        "where": where,
                        "median_ms": statistics.median(times),
                        "max_ms": max(times),
                        "edits": len(times),
                    }
                )
    return rows


def deepest_kinds(size: int, count: int) -> list[str]:
    """The IRIs of ``count`` kinds of the deepest level (the last in node order) that are no
    example's only kind: removing one leaves every example a concept (an example left untyped
    and still described stops being a concept, which builds the index again)."""
    taxonomy = generate(size)
    levels = taxonomy.level_of
    only = {types[0] for types in taxonomy.example_types if len(types) == 1}
    deepest = [n for n in range(size) if levels[n] == levels[-1] and n not in only]
    return [kind_iri(n) for n in deepest[-count:]] if count else []


def timed_edit(url: str, operation: str) -> float:
    """One mutation's round trip in milliseconds; a refused or failed edit stops the run."""
    start = time.perf_counter()
    ask(url, f"mutation {{ edit(operations: [{operation}]) {{ revision }} }}", TOKEN)
    return (time.perf_counter() - start) * 1000


def edits_table(rows: list[dict[str, Any]]) -> str:
    """One Markdown table: a row per edit and place, median and slowest."""
    lines = ["| edit | where | median | slowest | edits |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(
            f"| {row['row']} | {row['where']} | {row['median_ms']:,.1f} ms | "
            f"{row['max_ms']:,.1f} ms | {row['edits']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m benchmarks.edits SIZE PAIRS [CHECKOUT]: PAIRS of each
    size, pairs = int(sys.argv[1]), int(sys.argv[2])
    workdir = Path(tempfile.gettempdir()) / "aikg-bench"
    data = workdir / f"synthetic-{size}.ttl"
    if not data.exists():
        write_turtle(generate(size), data)
    code = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    print(edits_table(measure_edits(data, size, workdir, pairs, code, concept_pairs=pairs)))
