"""A named model's published numbers: parameters, active parameters, context length, training
tokens.

Each is an ``xsd:integer`` in the ontology (``ontology/schema.ttl``), absent when its developer
does not publish it. A value that is not an integer (possible only in data that did not pass
``aikg validate``) is an error naming the concept and the property, not a silent gap.
"""

from __future__ import annotations

from graph import vocabulary as V
from graph.errors import InvalidData
from graph.model import ModelNumbers
from graph.store.protocol import GraphStore
from graph.store.terms import LiteralValue

__all__ = ["model_numbers"]

_FIELDS = {
    V.PARAMETER_COUNT: "parameters",
    V.ACTIVE_PARAMETER_COUNT: "active_parameters",
    V.CONTEXT_LENGTH: "context_length",
    V.TRAINING_TOKENS: "training_tokens",
}


def model_numbers(store: GraphStore, iri: str) -> ModelNumbers:
    """The numbers the graph holds for one concept (all ``None`` for a concept that is not a
    model)."""
    values: dict[str, int] = {}
    for predicate, obj in store.describe(iri):
        field = _FIELDS.get(predicate)
        if field is None:
            continue
        if not isinstance(obj, LiteralValue) or obj.datatype != V.XSD + "integer":
            raise InvalidData(iri, f"<{predicate}> must be an xsd:integer literal, not {obj!r}")
        try:
            number = int(obj.value)
        except ValueError:
            raise InvalidData(iri, f"<{predicate}> {obj.value!r} is not an integer") from None
        if field in values and values[field] != number:
            raise InvalidData(iri, f"<{predicate}> has two values, {values[field]} and {number}")
        values[field] = number
    return ModelNumbers(**values)
