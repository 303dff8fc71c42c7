"""Checks an import must pass before it is committed.

Always refused: an is-a cycle, and a literal longer than :data:`MAX_LITERAL`
characters. With ``strict`` (our own curated files), also a concept with no label
and two concepts sharing a preferred label. ``aikg validate`` reports all of these
and more; this module is the subset that guards writes (cycles and labels in the same
words, from :mod:`graph.quality.checks`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from graph.errors import InvalidData
from graph.find.lookup import normalise
from graph.index.build import MAX_LITERAL, GraphIndex
from graph.quality.checks import cycle_problems, unlabelled_problems


def refuse_bad(index: GraphIndex | None, paths: Sequence[Path], strict: bool) -> None:
    """Raise :class:`InvalidData` naming the offending IRIs, or return when the import is
    acceptable."""
    if index is None:
        return
    where = ", ".join(str(p) for p in paths) or "<import>"
    reasons = [*map(str, cycle_problems(index)), *_huge_literals(index)]
    if strict:
        reasons += [
            *map(str, unlabelled_problems(index, range(len(index.iris)))),
            *_shared_labels(index),
        ]
    if reasons:
        shown = "; ".join(reasons[:10]) + (
            f"; and {len(reasons) - 10} more" if len(reasons) > 10 else ""
        )
        raise InvalidData(where, f"refused, nothing was imported: {shown}")


def _huge_literals(index: GraphIndex) -> list[str]:
    return [
        f"a literal of {size:,} characters on <{iri}> (limit {MAX_LITERAL:,})"
        for iri, size in index.huge_literals
    ]


def _shared_labels(index: GraphIndex) -> list[str]:
    holders: dict[str, list[str]] = defaultdict(list)
    for iri, label in zip(index.iris, index.labels, strict=True):
        if label is not None:
            holders[normalise(label)].append(iri)
    return [
        f"the label {label!r} is shared by " + ", ".join(f"<{i}>" for i in iris)
        for label, iris in sorted(holders.items())
        if len(iris) > 1
    ]
