"""A named model's published numbers: parameters, active parameters, context length, training
tokens.

Each is an ``xsd:integer`` in the ontology (``ontology/schema.ttl``), absent when its developer
does not publish it. A value that is not an integer (possible only in data that did not pass
``aikg validate``) is an error naming the concept and the property, not a silent gap. This is
the one reader of those literals: a concept's fields and the lists ordered by parameters
(``Selector.parameter_counts``) both read them here.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph import vocabulary as V
from graph.errors import InvalidData
from graph.index.build import FactRow
from graph.model import ModelNumbers

__all__ = ["model_numbers"]

_FIELDS = {
    V.PARAMETER_COUNT: "parameters",
    V.ACTIVE_PARAMETER_COUNT: "active_parameters",
    V.CONTEXT_LENGTH: "context_length",
    V.TRAINING_TOKENS: "training_tokens",
}


def model_numbers(iri: str, rows: Iterable[FactRow]) -> ModelNumbers:
    """The numbers among one concept's literals (all ``None`` for a concept that is not a
    model)."""
    values: dict[str, int] = {}
    for predicate, value, datatype, language in rows:
        field = _FIELDS.get(predicate)
        if field is None:
            continue
        if datatype != V.XSD + "integer":
            given = (
                f"@{language}" if language else f"^^<{datatype}>" if datatype else " (a resource)"
            )
            raise InvalidData(
                iri, f"<{predicate}> must be an xsd:integer literal, not {value!r}{given}"
            )
        try:
            number = int(value)
        except ValueError:
            raise InvalidData(iri, f"<{predicate}> {value!r} is not an integer") from None
        if field in values and values[field] != number:
            raise InvalidData(iri, f"<{predicate}> has two values, {values[field]} and {number}")
        values[field] = number
    return ModelNumbers(**values)
