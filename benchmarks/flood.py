"""A flood on loopback: clients sending the costliest queries the limits admit, and a cheap one.

While ``clients`` threads each send :data:`HEAVY_QUERY` one after another, the main thread
sends the cheap :data:`CHEAP_QUERY` and ``/health`` in turn every ``interval_s`` and records
their latency; then it times a few queries over the cost limit. Run it against a server::

    python -m benchmarks.flood http://127.0.0.1:8000 --seconds 20
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from typing import Any

import httpx

#: 30 aliases (the alias limit) of the largest page (the page size limit) of every concept with
#: every scalar field: cost 30,030, about 3.4 s on one core and 12.7 MB, on the bundled ontology.
#: Scalar fields cost nothing (they come with their object), so no query within the cost
#: limit returns more: this is the costliest work the default limits admit.
SCALARS = (
    "id iri label definition altLabels kind source released "
    "childCount descendantCount exampleCount relationCount"
)
HEAVY_QUERY = (
    "{ "
    + " ".join(f"a{i}: concepts(first: 1000) {{ nodes {{ {SCALARS} }} }}" for i in range(30))
    + " }"
)
CHEAP_QUERY = '{ isA(subject: "GPT-4", object: "foundation model") { holds } }'
#: The first query of issue 19: 25 aliases of four nested pages of 1,000 (cost 2.5e13).
OVER_COST_QUERY = (
    "{ "
    + " ".join(
        f"a{i}: concepts(first: 1000) {{ nodes {{ ancestors(first: 1000) {{ "
        "descendants(first: 1000) { examples(first: 1000) { id } } } } }"
        for i in range(25)
    )
    + " }"
)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def flood(
    url: str, seconds: float = 15, clients: int = 4, interval_s: float = 0.05
) -> dict[str, Any]:
    """Flood ``url`` for ``seconds``; latencies in ms of the cheap query, /health, the refusals."""
    stop = threading.Event()
    heavy: list[int] = []

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            while not stop.is_set():
                try:
                    heavy.append(
                        http.post(url + "/graphql", json={"query": HEAVY_QUERY}).status_code
                    )
                except httpx.HTTPError:
                    heavy.append(0)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    cheap: list[float] = []
    health: list[float] = []
    cheap_failures = health_failures = 0
    with httpx.Client(timeout=60) as http:
        time.sleep(1.0)  # the heavy queries are running
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            answer = http.post(url + "/graphql", json={"query": CHEAP_QUERY})
            cheap.append((time.perf_counter() - started) * 1000)
            cheap_failures += answer.status_code != 200 or answer.json().get("data") is None
            started = time.perf_counter()
            health_failures += http.get(url + "/health").status_code != 200
            health.append((time.perf_counter() - started) * 1000)
            time.sleep(interval_s)
        refused = []
        for _ in range(9):
            started = time.perf_counter()
            answer = http.post(url + "/graphql", json={"query": OVER_COST_QUERY})
            refused.append(((time.perf_counter() - started) * 1000, answer.status_code))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    refused_ms = [ms for ms, _ in refused]
    return {
        "cheap_n": len(cheap),
        "cheap_failures": cheap_failures,
        "cheap_p50_ms": statistics.median(cheap),
        "cheap_p99_ms": _percentile(cheap, 0.99),
        "cheap_max_ms": max(cheap),
        "health_failures": health_failures,
        "health_p99_ms": _percentile(health, 0.99),
        "health_max_ms": max(health),
        "over_cost_p50_ms": statistics.median(refused_ms),
        "over_cost_max_ms": max(refused_ms),
        "over_cost_statuses": sorted({s for _, s in refused}),
        "heavy_statuses": {str(s): heavy.count(s) for s in sorted(set(heavy))},
    }


def main() -> None:
    """Print the flood's figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(flood(args.url, args.seconds, args.clients), indent=2))


if __name__ == "__main__":
    main()
