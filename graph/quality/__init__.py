"""Checking the graph: one set of checks (whole graph or the nodes an edit touches), SHACL,
``aikg validate``, and the guard every import passes."""
