"""The knowledge graph: store, reasoning index, lookup and export."""

from graph.errors import AikgError, AmbiguousConcept, ConceptNotFound, InvalidArgument, InvalidData
from graph.knowledge_graph import KnowledgeGraph
from graph.loading import load_files, open_store
from graph.model import Answer, Concept, ConceptKind, Edge, Page
from graph.store.oxigraph import Store

__all__ = [
    "AikgError",
    "AmbiguousConcept",
    "Answer",
    "Concept",
    "ConceptKind",
    "ConceptNotFound",
    "Edge",
    "InvalidArgument",
    "InvalidData",
    "KnowledgeGraph",
    "Page",
    "Store",
    "load_files",
    "open_store",
]
