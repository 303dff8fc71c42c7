"""Changing the graph: edit operations, the served graph, the one commit path of edits and
imports, and imports into an endpoint."""
