"""Changing the graph: edit operations, the served graph and its commits, the write lock,
and imports into an endpoint."""
