"""Every fact a curator recorded as checked is a statement the ontology holds.

Curators record each fact they checked (a date, a developer, a type, an identifier, a number) in
``ontology/checks/identifiers-numbers-<date>.tsv`` or ``breadth-<topic>-<date>.tsv``: the
concept, the property and the value as CURIEs or a literal's lexical form, the stored page it
was checked on and what that page says. A second reader samples these rows, so a row the
ontology does not hold (a fact changed or removed after it was checked) is an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from graph import vocabulary as V
from graph.curies import expand
from tests.test_ontology.records import COLUMNS, as_record, fact_records, read_rows

RECORDS = fact_records()


def holds(graph: rdflib.Graph, row: dict[str, str]) -> bool:
    """Whether a statement about the row's concept and property reads as the row does."""
    subject, predicate = (rdflib.URIRef(expand(row[k], V.PREFIXES) or "") for k in COLUMNS[:2])
    fact = (row["concept"], row["property"], row["value"])
    return any(as_record(subject, predicate, o) == fact for o in graph.objects(subject, predicate))


def test_there_are_records_to_check() -> None:
    assert RECORDS, "no records in ontology/checks: the checks below would pass on nothing"


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name)
def test_every_recorded_fact_is_held_by_the_ontology_and_names_its_page(
    record: Path, bundled_by_rdflib: rdflib.Graph
) -> None:
    rows = read_rows(record)
    assert rows, f"{record.name} is empty"
    assert list(rows[0]) == COLUMNS, f"{record.name}: the columns must be {COLUMNS}"
    assert [r for r in rows if not r["source_page"].startswith(("http://", "https://"))] == []
    assert [r for r in rows if not r["evidence"].strip()] == []
    missing = [
        (r["concept"], r["property"], r["value"]) for r in rows if not holds(bundled_by_rdflib, r)
    ]
    assert missing == [], f"{record.name}: recorded facts the ontology does not hold"


def test_a_fact_row_naming_a_statement_that_is_absent_is_caught(
    bundled_by_rdflib: rdflib.Graph,
) -> None:
    absent = {"concept": "aikg:gpt-4", "property": "aikgs:developedBy", "value": "aikg:meta-ai"}
    present = {"concept": "aikg:gpt-4", "property": "aikgs:developedBy", "value": "aikg:openai"}
    assert not holds(bundled_by_rdflib, absent)
    assert holds(bundled_by_rdflib, present)
