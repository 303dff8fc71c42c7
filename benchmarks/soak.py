"""An editing server's memory and edit times over many edits: ``python -m benchmarks.soak SIZE
PAIRS``.

``aikg serve --data`` over the synthetic taxonomy of SIZE kinds, then PAIRS times the concept
addition and removal of :mod:`benchmarks.edits` through HTTP; after every ten pairs, the
server's resident memory (:func:`benchmarks.http.rss_mb`) and the median and slowest of those
twenty edits. An edit's copies reuse the memory the graph it replaced freed
(``graph/edits/heap.py``), so the memory should level off after the first edits, not grow.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.edits import NEW_CONCEPT, REMOVE_CONCEPT, SOURCES, TOKEN, edit_targets, timed_edit
from benchmarks.http import free_port, rss_mb, server
from benchmarks.synthetic import generate, write_turtle


def soak(size: int, pairs: int, workdir: Path) -> list[str]:
    """The lines to print: memory after the load, then per ten pairs."""
    data = workdir / f"synthetic-{size}.ttl"
    if not data.exists():
        write_turtle(generate(size), data)
    sources = workdir / "edits-sources.ttl"
    sources.write_text(SOURCES, encoding="utf-8")
    kind, _ = edit_targets(size)
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--timeout", "600"]
    command += ["--data", str(data), str(sources)]
    env = {**os.environ, "AIKG_WRITE_TOKENS": f"bench:{TOKEN}"}
    with server(command, port, env=env) as running:
        lines = [f"after the load: {rss_mb(running.pid):,.0f} MiB"]
        times: list[float] = []
        for pair in range(1, pairs + 1):
            times += [timed_edit(running.url, NEW_CONCEPT % (kind, "bench-paper"))]
            times += [timed_edit(running.url, REMOVE_CONCEPT)]
            if pair % 10 == 0:
                last = times[-20:]
                lines.append(
                    f"after {pair} pairs: {rss_mb(running.pid):,.0f} MiB; last 20 edits median "
                    f"{statistics.median(last):.1f} ms, slowest {max(last):.1f} ms"
                )
    return lines


if __name__ == "__main__":
    workdir = Path(tempfile.gettempdir()) / "aikg-bench"
    print("\n".join(soak(int(sys.argv[1]), int(sys.argv[2]), workdir)))
