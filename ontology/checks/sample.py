"""Draw the fact-check sample: factual statements of the ontology, weighted towards today's changes.

A *statement* is one triple with a factual predicate (``FACT_PREDICATES``), one ``rdf:type`` of a
named example to a kind, or one sentence of a ``skos:definition`` / ``skos:note`` that states a
checkable fact (it holds a digit, or names an organisation that develops or authors something).
Statements present now but absent at ``BASE`` (the old ``ontology/concepts/*.ttl`` plus
``schema.ttl``) are *changed*; the sample takes ``CHANGED`` of those and the rest from the
unchanged ones, with ``random.Random(SEED)`` over sorted candidates, so it redraws identically.

Run from the repository root: ``python ontology/checks/sample.py > sample.tsv``. Options:
``--base COMMIT`` (default ``BASE``), ``--size N`` (default ``SIZE``), ``--changed N`` (default
``CHANGED``; ``all`` takes only changed statements, filling from the unchanged ones when fewer
than ``--size`` exist), ``--seed N`` (default ``SEED``), ``--subjects FILE`` (only statements
whose subject the file names count as changed or unchanged: one local name or ``aikg:`` CURIE a
line, ``#`` starts a comment). The base commit may have either layout:
``ontology/concepts/*.ttl`` or ``ontology/kinds/*.ttl`` and ``ontology/examples/*.ttl``.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from pathlib import Path

from rdflib import OWL, RDF, SKOS, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS
from rdflib.term import Node

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import ontology

SEED = 20261204
BASE = "dd0692f"  # the start of 2026-12-04
SIZE, CHANGED = 40, 25
AIKGS = Namespace("https://w3id.org/aikg/schema/")
FACT_PREDICATES = (
    DCTERMS.issued,
    *(
        AIKGS[n]
        for n in (
            "developedBy",
            "memberOfFamily",
            "variantOf",
            "succeeds",
            "basedOn",
            "partOf",
            "introducedIn",
            "authoredBy",
            "hasModality",
            "usesArchitecture",
            "licence",
        )
    ),
)
TEXT_PREDICATES = (SKOS.definition, SKOS.note)
Statement = tuple[str, str, str]  # subject, predicate, object or sentence (all as n3 / text)


BASE_DIRS = ("ontology/concepts/", "ontology/kinds/", "ontology/examples/")


def old_graph(base: str = BASE) -> Graph:
    """The ontology's data as committed at base, in whichever layout that commit has."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", base, *BASE_DIRS],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    g = Graph()
    for name in [*(n for n in names if n.endswith(".ttl")), "ontology/schema.ttl"]:
        text = subprocess.run(
            ["git", "show", f"{base}:{name}"], check=True, capture_output=True, text=True
        ).stdout
        g.parse(data=text, format="turtle")
    return g


def new_graph() -> Graph:
    """The ontology's data as it is in the working tree."""
    g = Graph()
    for path in ontology.data_files():
        g.parse(path, format="turtle")
    return g


def short(g: Graph, term: Node) -> str:
    """A term as its prefixed name (IRIs) or its lexical form (literals)."""
    return str(term) if isinstance(term, Literal) else str(term.n3(g.namespace_manager))


def statements(g: Graph) -> set[Statement]:
    """Every factual statement of g (see the module docstring)."""
    g.bind("aikg", "https://w3id.org/aikg/concept/")
    g.bind("aikgs", AIKGS)
    out: set[Statement] = set()
    for p in FACT_PREDICATES:
        out |= {(short(g, s), short(g, p), short(g, o)) for s, o in g.subject_objects(p)}
    examples = set(g.subjects(RDF.type, OWL.NamedIndividual))
    for s in examples:
        out |= {
            (short(g, s), "rdf:type", short(g, o))
            for o in g.objects(s, RDF.type)
            if o not in (SKOS.Concept, OWL.NamedIndividual)
        }
    orgs = {
        str(label)
        for p in (AIKGS.developedBy, AIKGS.authoredBy)
        for o in g.objects(None, p)
        for label in g.objects(o, SKOS.prefLabel)
        if getattr(label, "language", None) == "en"
    }
    org_re = re.compile(
        "|".join(rf"\b{re.escape(o)}\b" for o in sorted(orgs, key=len, reverse=True))
    )
    for p in TEXT_PREDICATES:
        for s, text in g.subject_objects(p):
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", str(text)):
                if re.search(r"\d", sentence) or org_re.search(sentence):
                    out.add((short(g, s), short(g, p), sentence))
    return out


def read_subjects(path: Path) -> set[str]:
    """The subjects a --subjects file names, as aikg: CURIEs."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name if ":" in name else f"aikg:{name}")
    return names


def draw(
    base: str = BASE,
    size: int = SIZE,
    n_changed: int | None = CHANGED,
    seed: int = SEED,
    subjects: set[str] | None = None,
) -> list[tuple[Statement, bool]]:
    """The sample: n_changed statements changed since base (None: up to size of them, all if
    fewer), then the rest of size from the unchanged; only statements about subjects, if given."""
    new, old = statements(new_graph()), statements(old_graph(base))
    if subjects is not None:
        new = {s for s in new if s[0] in subjects}
    changed, unchanged = sorted(new - old), sorted(new & old)
    rng = random.Random(seed)
    k = min(size, len(changed)) if n_changed is None else n_changed
    picked = [(s, True) for s in rng.sample(changed, k)]
    picked += [(s, False) for s in rng.sample(unchanged, size - k)]
    print(
        f"# {len(changed)} changed, {len(unchanged)} unchanged statements since {base}; "
        f"drew {k} changed, {size - k} unchanged",
        file=sys.stderr,
    )
    return picked


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--base", default=BASE, help=f"commit to compare with (default {BASE})")
    ap.add_argument("--size", type=int, default=SIZE, help=f"statements to draw ({SIZE})")
    ap.add_argument(
        "--changed", default=str(CHANGED), help=f"changed ones among them ({CHANGED}), or 'all'"
    )
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    ap.add_argument(
        "--subjects", type=Path, help="file of subjects (one a line): only statements about them"
    )
    a = ap.parse_args(argv)
    n_changed = None if a.changed == "all" else int(a.changed)
    subjects = read_subjects(a.subjects) if a.subjects else None
    print("n\tsubject\tpredicate\tobject_or_text\tchanged_today")
    for n, ((s, p, o), changed) in enumerate(draw(a.base, a.size, n_changed, a.seed, subjects), 1):
        print(f"{n}\t{s}\t{p}\t{o}\t{'yes' if changed else 'no'}")


if __name__ == "__main__":
    main()
