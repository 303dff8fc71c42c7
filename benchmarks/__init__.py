"""The side-by-side benchmark: `aikg bench` or `python -m benchmarks`."""
