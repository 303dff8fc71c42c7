"""Exporting the store as deterministic Turtle."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from graph import vocabulary as V
from graph.store import Store
from graph.turtle import write_turtle


def export_turtle(store: Store) -> str:
    """The whole store as Turtle; the same triples always give the same text."""
    return "".join(write_turtle(store.triples(), {**store.prefixes, **V.PREFIXES}))


def write_turtle_file(store: Store, output: TextIO | Path) -> None:
    """Write the export to a path or an open text stream."""
    text = export_turtle(store)
    if isinstance(output, Path):
        output.write_text(text, encoding="utf-8")
    else:
        output.write(text)
