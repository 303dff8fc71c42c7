"""The bundled ontology: Turtle sources shipped as package data.

``data_files()`` is what the service loads: the schema, the kinds (``kinds/<branch>.ttl``) and
the named examples (``examples/<what they are>.ttl``); ``shapes_file()`` holds the SHACL shapes
that ``aikg validate`` checks them with.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent

#: The folders of data files under ROOT: kinds by top-level branch, named examples by what they are.
DATA_DIRS = ("kinds", "examples")


def data_files() -> tuple[Path, ...]:
    """The schema, then every kinds file, then every examples file, each folder sorted by name."""
    return (ROOT / "schema.ttl", *(p for d in DATA_DIRS for p in sorted((ROOT / d).glob("*.ttl"))))


def shapes_file() -> Path:
    """The SHACL shapes for the bundled data."""
    return ROOT / "shapes.ttl"
