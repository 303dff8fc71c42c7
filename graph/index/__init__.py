"""The reasoning index, built once from the triples: taxonomy, packed rows, saved beside a store."""
