"""A bounded load test on loopback: the realistic mix, zero errors, no memory growth.

wrk (Debian's package, installed by .ci/run) drives `aikg serve --workers 2` on
127.0.0.1 for a fixed number of seconds after a warm-up.
"""

from __future__ import annotations

import shutil

import pytest

from benchmarks.http import load_test

pytestmark = pytest.mark.slow  # about 20 s of wrk against two workers

SECONDS = 8
#: Warm-up round before measuring, repeated until memory settles: both workers fill their lazy
#: caches (concepts made, the cached Turtle export, counts) within about 9 s on the grown
#: ontology on an idle machine, then stay flat (longer when the other test process is busy).
WARMUP_SECONDS = 8
#: Growth allowed over the measured run, after warm-up (allocator noise, not leaks).
GROWTH_MB = 25


def test_the_mixed_load_has_no_errors_and_no_memory_growth() -> None:
    assert shutil.which("wrk"), "wrk is missing: apt-get install wrk (.ci/run does)"
    result = load_test(SECONDS, workers=2, warmup_s=WARMUP_SECONDS)
    assert result["non_2xx"] == 0, result
    assert result["socket_errors"] == "", result
    assert result["requests_per_s"] > 50, result
    assert result["rss_after_mb"] - result["rss_before_mb"] < GROWTH_MB, result
