"""Draw the second reader's sample of the identifiers and numbers added on 4 December 2026.

Sixty rows of ``identifiers-numbers-2026-12-04.tsv`` (as committed at ``86788ae``, before any
fixes), drawn with ``random.Random(20261207).sample`` over the rows in file order. Run from the
repository root: ``python ontology/checks/sample_identifiers.py [--record PATH]``; it prints the
drawn rows as TSV (row number first, counting data rows from 1).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys

SEED, SIZE = 20261207, 60
RECORD = "ontology/checks/identifiers-numbers-2026-12-04.tsv"
COMMIT = "86788ae"  # the record as the identifiers-numbers merge left it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", help="read this file instead of the record at COMMIT")
    args = parser.parse_args()
    if args.record:
        text = open(args.record, encoding="utf-8").read()
    else:
        text = subprocess.run(
            ["git", "show", f"{COMMIT}:{RECORD}"], capture_output=True, text=True, check=True
        ).stdout
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    drawn = sorted(random.Random(SEED).sample(range(len(rows)), SIZE))
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["row", "concept", "property", "value", "source_page", "evidence"])
    for i in drawn:
        r = rows[i]
        out.writerow(
            [i + 1, r["concept"], r["property"], r["value"], r["source_page"], r["evidence"]]
        )


if __name__ == "__main__":
    main()
