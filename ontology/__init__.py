"""The bundled ontology: Turtle sources shipped as package data.

``data_files()`` is what the service loads (schema and concepts);
``shapes_file()`` holds the SHACL shapes that ``aikg validate`` checks them with.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def data_files() -> tuple[Path, ...]:
    """The schema and every concepts file, in a fixed order."""
    return (ROOT / "schema.ttl", *sorted((ROOT / "concepts").glob("*.ttl")))


def shapes_file() -> Path:
    """The SHACL shapes for the bundled data."""
    return ROOT / "shapes.ttl"
