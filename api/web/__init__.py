"""The web around GraphQL: Linked Data and the concept page, SPARQL, the explorer page."""
