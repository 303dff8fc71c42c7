"""Draw the second reader's sample of the facts added for issue 15 since the second 4 December.

Every row of the topic records (``breadth-*-<date>.tsv``, not the ``-unverified`` lists)
and every row appended to ``identifiers-numbers-2026-12-04.tsv`` after ``BASE`` (the record as
the day's second session found it), read at ``COMMIT`` (or from the working tree with
``--worktree``), in file-name then file order; sixty of them drawn with
``random.Random(SEED).sample``. Run from the repository root:
``python ontology/checks/sample_breadth.py --commit REV``; it prints the drawn rows as TSV
(file and row number first, counting data rows from 1).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
from pathlib import Path

SEED, SIZE = 20261209, 60
BASE = "1c7661f"  # main when the session began
CHECKS = "ontology/checks"
IDENTIFIERS = f"{CHECKS}/identifiers-numbers-2026-12-04.tsv"
#: A topic record's name: ``breadth-<topic>-<date>.tsv``.
_RECORD = re.compile(r"breadth-[a-z0-9]+-2026-12-\d\d\.tsv")


def read_at(commit: str | None, path: str) -> list[dict[str, str]]:
    """The rows of a record at a commit (or in the working tree when ``commit`` is None)."""
    if commit is None:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = subprocess.run(
            ["git", "show", f"{commit}:{path}"], capture_output=True, text=True, check=True
        ).stdout
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def records_at(commit: str | None) -> list[str]:
    """The topic records' paths at a commit, sorted."""
    if commit is None:
        names = [str(p) for p in Path(CHECKS).glob("breadth-*.tsv")]
    else:
        listed = subprocess.run(
            ["git", "ls-tree", "--name-only", commit, f"{CHECKS}/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        names = [n for n in listed if Path(n).name.startswith("breadth-")]
    return sorted(n for n in names if _RECORD.fullmatch(Path(n).name) and "-unverified" not in n)


def population(
    commit: str | None, since: str | None = None
) -> list[tuple[str, int, dict[str, str]]]:
    """(file, row number, row) for every fact added this session (or, with ``since``, added
    after that commit)."""
    rows = [
        (Path(p).name, n, r)
        for p in records_at(commit)
        for n, r in enumerate(read_at(commit, p), 1)
    ]
    before = {tuple(r.values()) for r in read_at(BASE, IDENTIFIERS)}
    rows += [
        (Path(IDENTIFIERS).name, n, r)
        for n, r in enumerate(read_at(commit, IDENTIFIERS), 1)
        if tuple(r.values()) not in before
    ]
    if since is not None:
        earlier = {(name, tuple(r.values())) for name, _, r in population(since)}
        rows = [(name, n, r) for name, n, r in rows if (name, tuple(r.values())) not in earlier]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--commit", help="read the records as committed at this revision")
    where.add_argument("--worktree", action="store_true", help="read the working tree's records")
    parser.add_argument("--since", help="only the facts recorded after this commit")
    parser.add_argument("--size", type=int, default=SIZE, help=f"facts to draw ({SIZE})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    args = parser.parse_args()
    rows = population(None if args.worktree else args.commit, args.since)
    drawn = sorted(random.Random(args.seed).sample(range(len(rows)), min(args.size, len(rows))))
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["file", "row", "concept", "property", "value", "source_page", "evidence"])
    for i in drawn:
        name, n, r = rows[i]
        out.writerow(
            [name, n, *(r[k] for k in ("concept", "property", "value", "source_page", "evidence"))]
        )
    print(f"# {len(rows)} facts in the population, {len(drawn)} drawn", file=sys.stderr)


if __name__ == "__main__":
    main()
