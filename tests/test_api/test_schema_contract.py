"""The GraphQL contract is committed as SDL; any drift shows up in review."""

from __future__ import annotations

from pathlib import Path

from api.graphql.schema import build_schema

COMMITTED = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"


def test_the_live_schema_matches_the_committed_sdl() -> None:
    assert build_schema().as_str().strip() == COMMITTED.read_text().strip(), (
        "The schema changed: run `python -m api.graphql.sdl > api/schema.graphql` "
        "and review the diff."
    )
