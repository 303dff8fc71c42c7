"""Finding concepts: references (ids, IRIs, CURIEs, labels) resolved, and ranked search."""
