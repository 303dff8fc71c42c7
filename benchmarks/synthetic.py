"""Deterministic synthetic taxonomies, written as Turtle.

N kinds in a DAG twelve levels deep (level sizes growing geometrically), about 5%
of kinds with a second parent from a shallower level, about one named example per
kind typed by one or two kinds, and a label and an alternative label on everything.

Since data version 2, each example is also developed by a lab (one lab per 100 examples:
a hub of about 100 models at every size, as a big real lab is), each lab part of a company
with three others (``aikgs:developedBy``, ``aikgs:partOf``), and 90% of examples have a
release date between 2015 and 2025 given as a year, a month or a day (``dcterms:issued``),
for the filtered and ordered lists. These come from a second random stream, so the
taxonomy (and every question chosen from it) is the same as in version 1.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

NS = "http://example.org/synthetic/"
LEVELS = 12
MULTIPLE_INHERITANCE = 0.05
SECOND_TYPE = 0.3
#: Bumped whenever the written data changes; part of the data file's name.
DATA_VERSION = 2
EXAMPLES_PER_LAB = 100
LABS_PER_COMPANY = 4
DATED = 0.9
SCHEMA = "https://w3id.org/aikg/schema/"


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


def company_iri(company: int) -> str:
    return f"{NS}Company{company}"


def _companies(size: int) -> int:
    """How many companies a taxonomy of ``size`` kinds (and as many examples) has."""
    return max(1, size // (EXAMPLES_PER_LAB * LABS_PER_COMPANY))


def _organisations(companies: int) -> str:
    """The companies and their labs, and labels for the two relations."""
    lines = [
        f'<{SCHEMA}developedBy> rdfs:label "developed by"@en .',
        f'<{SCHEMA}partOf> rdfs:label "part of"@en .',
    ]
    for company in range(companies):
        lines.append(
            f's:Company{company} a owl:NamedIndividual ; skos:prefLabel "company {company}"@en .'
        )
        for lab in range(company * LABS_PER_COMPANY, (company + 1) * LABS_PER_COMPANY):
            lines.append(
                f's:Lab{lab} a owl:NamedIndividual ; skos:prefLabel "lab {lab}"@en ;'
                f" aikgs:partOf s:Company{company} ."
            )
    return "\n".join(lines) + "\n"


def _example_facts(rng: random.Random, labs: int) -> str:
    """One example's developer and, for 90%, its release as a year, a month or a day."""
    facts = f" ; aikgs:developedBy s:Lab{rng.randrange(labs)}"
    year, month, day = rng.randrange(2015, 2026), rng.randrange(1, 13), rng.randrange(1, 29)
    precision, dated = rng.randrange(3), rng.random() < DATED
    if dated and precision == 0:
        facts += f' ; dcterms:issued "{year}"^^xsd:gYear'
    elif dated and precision == 1:
        facts += f' ; dcterms:issued "{year}-{month:02d}"^^xsd:gYearMonth'
    elif dated:
        facts += f' ; dcterms:issued "{year}-{month:02d}-{day:02d}"^^xsd:date'
    return facts


def write_turtle(taxonomy: Taxonomy, path: Path) -> Path:
    """Write the taxonomy as Turtle (one statement per line, fast to write and to parse)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f"@prefix s: <{NS}> .\n"
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            f"@prefix aikgs: <{SCHEMA}> .\n"
            "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n"
        )
        companies = _companies(taxonomy.size)
        labs = companies * LABS_PER_COMPANY
        out.write(_organisations(companies))
        facts = random.Random(taxonomy.size * 7919 + DATA_VERSION)
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
                f' skos:altLabel "E-{node}"@en{_example_facts(facts, labs)} .\n'
            )
    return path
