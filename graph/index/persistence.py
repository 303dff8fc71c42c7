"""Saving the reasoning index beside an on-disk store, so a restart skips the rebuild.

The index is pickled into the store's directory with the number of triples it was
built from; it is used again only while the store still holds that many triples
(the store is only written through ``aikg load``, which rebuilds and saves it).
The file is our own, in a directory the operator controls; it is never read from
anywhere else.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from graph.index.build import GraphIndex
from graph.index.gcpause import collector_paused

FORMAT = 12
INDEX_FILE = "index.pickle"


def save_index(index: GraphIndex, directory: Path, triples: int) -> Path:
    """Write the index atomically (a temporary file renamed into place)."""
    target = directory / INDEX_FILE
    partial = target.with_suffix(".partial")
    fields = {
        f.name: getattr(index, f.name) for f in dataclasses.fields(index) if f.name != "node_of"
    }
    with partial.open("wb") as stream:
        pickler = pickle.Pickler(stream, protocol=5)
        # No memo of every string (it cost 700 MB at a million concepts); nothing here is cyclic.
        pickler.fast = True
        pickler.dump({"format": FORMAT, "triples": triples, "fields": fields})
    partial.replace(target)
    return target


def load_index(directory: Path, triples: Callable[[], int]) -> GraphIndex | None:
    """The saved index when it matches the store, else None (the caller rebuilds it).

    ``triples`` counts the store; it runs in a second thread while the file is read
    (Oxigraph counts without holding the GIL: two seconds at seven million triples).
    """
    path = directory / INDEX_FILE
    if not path.exists():
        return None
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = pool.submit(triples)
        with path.open("rb") as stream, collector_paused():
            saved = pickle.load(stream)
        if saved.get("format") != FORMAT or saved.get("triples") != counting.result():
            return None
    fields = saved["fields"]
    with collector_paused():
        return GraphIndex(
            node_of=dict(zip(fields["iris"], range(len(fields["iris"])), strict=True)), **fields
        )
