"""The flood test of issue 19, on loopback: no query within the limits holds the service.

Four clients send the costliest query the default limits admit (benchmarks/flood.py, cost
30,030, 3.4 s alone) one after another for 12 s, against ``aikg serve`` with its defaults;
meanwhile a cheap ``isA`` and ``/health`` are sent in turn every 50 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.flood import flood
from benchmarks.http import free_port, server

pytestmark = pytest.mark.slow  # about 25 s: start, 12 s of flood, the heavy queries' last answers

REPO = Path(__file__).resolve().parents[2]


def test_a_cheap_query_and_health_stay_quick_while_four_clients_send_the_costliest_queries() -> (
    None
):
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server(command, port, timeout_s=90, cwd=REPO) as running:
        result = flood(running.url, seconds=12, clients=4)
    assert result["cheap_failures"] == 0 and result["health_failures"] == 0, result
    assert result["cheap_p99_ms"] < 200, result
    assert result["health_max_ms"] < 1000, result
    assert result["over_cost_statuses"] == [200], (
        result
    )  # refused as a GraphQL error, before execution
    assert result["over_cost_p50_ms"] < 50, result
