"""Exporting the store as deterministic Turtle."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator
from typing import TextIO

from graph import vocabulary as V
from graph.store import Store
from graph.turtle import write_turtle


def export_turtle(store: Store) -> str:
    """The whole store as Turtle; the same triples always give the same text."""
    return "".join(turtle_chunks(store))


def turtle_chunks(store: Store) -> Iterator[str]:
    """The export as a stream of chunks (one subject block each), for large graphs."""
    return write_turtle(store, {**store.prefixes, **V.PREFIXES})


def write_turtle_file(store: Store, output: TextIO | Path) -> None:
    """Write the export to a path or an open text stream."""
    if isinstance(output, Path):
        with output.open("w", encoding="utf-8") as stream:
            stream.writelines(turtle_chunks(store))
    else:
        output.writelines(turtle_chunks(store))
