"""Deterministic synthetic taxonomies, written as Turtle.

N kinds in a DAG twelve levels deep (level sizes growing geometrically), about 5%
of kinds with a second parent from a shallower level, about one named example per
kind typed by one or two kinds, and a label and an alternative label on everything.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

NS = "http://example.org/synthetic/"
LEVELS = 12
MULTIPLE_INHERITANCE = 0.05
SECOND_TYPE = 0.3


@dataclass(frozen=True)
class Taxonomy:
    """The shape of a generated taxonomy, for choosing benchmark questions."""

    size: int
    level_of: list[int]
    parents: list[list[int]]
    example_types: list[list[int]]


def generate(size: int, seed: int = 42) -> Taxonomy:
    """Build the DAG in memory: ``parents[k]`` of kind k, ``example_types[e]`` of example e."""
    rng = random.Random(seed)
    ratio = _growth(size)
    level_sizes = [max(1, round(ratio**k)) for k in range(LEVELS)]
    level_sizes[-1] += size - sum(level_sizes)
    level_of: list[int] = []
    starts: list[int] = []
    for level, count in enumerate(level_sizes):
        starts.append(len(level_of))
        level_of += [level] * count
    parents: list[list[int]] = [[] for _ in range(size)]
    for node in range(1, size):
        level = level_of[node]
        if level == 0:
            continue
        above = starts[level - 1], starts[level - 1] + level_sizes[level - 1]
        parents[node].append(rng.randrange(*above))
        if rng.random() < MULTIPLE_INHERITANCE:
            extra = rng.randrange(0, starts[level])
            if extra not in parents[node]:
                parents[node].append(extra)
    example_types = []
    for _ in range(size):
        types = [rng.randrange(size)]
        if rng.random() < SECOND_TYPE:
            second = rng.randrange(size)
            if second != types[0]:
                types.append(second)
        example_types.append(types)
    return Taxonomy(size, level_of, parents, example_types)


def _growth(size: int) -> float:
    """The ratio r with 1 + r + … + r^11 ≈ size."""
    low, high = 1.0, 10.0
    for _ in range(60):
        mid = (low + high) / 2
        total = sum(mid**k for k in range(LEVELS))
        low, high = (mid, high) if total < size else (low, mid)
    return low


def kind_iri(node: int) -> str:
    return f"{NS}K{node}"


def example_iri(node: int) -> str:
    return f"{NS}E{node}"


def write_turtle(taxonomy: Taxonomy, path: Path) -> Path:
    """Write the taxonomy as Turtle (one statement per line, fast to write and to parse)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f"@prefix s: <{NS}> .\n"
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n"
        )
        for node in range(taxonomy.size):
            supers = "".join(f" ; rdfs:subClassOf s:K{p}" for p in taxonomy.parents[node])
            out.write(
                f's:K{node} a owl:Class{supers} ; skos:prefLabel "kind {node}"@en ;'
                f' skos:altLabel "K-{node}"@en .\n'
            )
        for node, types in enumerate(taxonomy.example_types):
            kinds = ", ".join(f"s:K{t}" for t in types)
            out.write(
                f's:E{node} a {kinds} ; skos:prefLabel "example {node}"@en ;'
                f' skos:altLabel "E-{node}"@en .\n'
            )
    return path
