"""The curators' records of checked facts (``ontology/checks/*.tsv``), read for the tests."""

from __future__ import annotations

import csv
from pathlib import Path

CHECKS = Path(__file__).resolve().parents[2] / "ontology" / "checks"
#: The columns of a record of checked facts: one fact a row and the stored page it was checked on.
COLUMNS = ["concept", "property", "value", "source_page", "evidence"]


def fact_records() -> list[Path]:
    """Every record of checked facts: identifiers and numbers, and each breadth topic's."""
    return sorted(
        p
        for pattern in ("identifiers-numbers-*.tsv", "breadth-*.tsv")
        for p in CHECKS.glob(pattern)
        if "-unverified" not in p.name
    )


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated record, keyed by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
