"""The service around the graph: GraphQL, the web (Linked Data, SPARQL, explorer), the app and
the CLI."""
