"""``python -m benchmarks.relations_hub [--spokes 100000] [--repeat 200]``: filtered relations
at a hub.

One concept with ``--spokes`` incoming edges, one in a hundred of a rare predicate ("cites"),
the rest "uses". Each question is timed with the hub's edges grouped by predicate (as served:
:data:`graph.knowledge_graph.GROUPED_FROM`) and filtered edge by edge (the grouping switched
off), side by side in one process; medians in microseconds. The machine is shared, so the
figures are noisy: compare the two columns of one run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import graph.knowledge_graph as kg_module
from graph.loading import load_files
from graph.model import Direction

HUB = "http://example.org/hub"


def write_hub(directory: Path, spokes: int) -> Path:
    """A Turtle file with one hub and ``spokes`` concepts pointing at it."""
    lines = [
        "@prefix ex: <http://example.org/> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        'ex:K a owl:Class . ex:hub a ex:K ; rdfs:label "hub" .',
        'ex:uses a owl:ObjectProperty ; rdfs:label "uses" .',
        'ex:cites a owl:ObjectProperty ; rdfs:label "cites" .',
    ]
    lines += [
        f"ex:n{i} a ex:K ; ex:{'cites' if i % 100 == 0 else 'uses'} ex:hub ." for i in range(spokes)
    ]
    path = directory / "hub.ttl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def median_us(question: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        question()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spokes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        graph = load_files([write_hub(Path(directory), args.spokes)])
    questions: dict[str, Callable[[], object]] = {
        "relationCount(predicate: cites, direction: IN)": lambda: graph.relation_count(
            HUB, "cites", Direction.IN
        ),
        "relations(predicate: cites, first: 10)": lambda: graph.relations(HUB, 10, "cites"),
        "relations(predicate: uses, first: 10)": lambda: graph.relations(HUB, 10, "uses"),
        "relations(first: 10), no filter": lambda: graph.relations(HUB, 10),
    }
    grouped_from = kg_module.GROUPED_FROM
    print(f"hub with {args.spokes:,} incoming edges; medians of {args.repeat} calls")
    print("| question | grouped (served) | filtered edge by edge |")
    print("|---|---|---|")
    for name, question in questions.items():
        kg_module.GROUPED_FROM = grouped_from
        grouped = median_us(question, args.repeat)
        kg_module.GROUPED_FROM = args.spokes + 1
        filtered = median_us(question, args.repeat)
        print(f"| {name} | {grouped:,.1f} µs | {filtered:,.1f} µs |")
    kg_module.GROUPED_FROM = grouped_from


if __name__ == "__main__":
    main()
