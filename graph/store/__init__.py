"""Where the triples live: the store protocol, the Oxigraph store, a SPARQL endpoint (with its
write lease), RDF files in and out (with positions in errors, deterministic Turtle), and the
change log."""
