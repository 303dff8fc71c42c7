"""Exploring around a concept: neighbours and paths, related concepts, descriptions, mappings."""
