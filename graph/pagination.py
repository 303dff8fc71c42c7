"""Page sizes and opaque cursors for lists that can grow with the data.

A cursor holds the place of the last item seen in the list's order: in IRI order its IRI,
in any other order the item's sort value and IRI too. A page boundary stays put when
concepts are added or removed elsewhere, and a cursor means the same place whatever the
filters: with other filters, the next page holds what passes them after that place. A
cursor of one order used with another is refused, naming both.

>>> decode_cursor(encode_cursor("https://w3id.org/aikg/concept/gpt-4"))
'https://w3id.org/aikg/concept/gpt-4'
>>> place = (False, -738000, "https://w3id.org/aikg/concept/llama-3")
>>> decode_position(encode_position("RELEASED_DESC", place), "RELEASED_DESC") == place
True
>>> decode_position(encode_position("LABEL", (False, "gpt-4", "x:gpt-4")), "RELEASED")
... # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
graph.errors.InvalidArgument: 'after' is a cursor of orderBy LABEL, but this list is ordered by
RELEASED: start again without 'after', or keep orderBy LABEL.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from graph.errors import InvalidArgument

MAX_PAGE_SIZE = 1000
#: The order whose cursors are a bare IRI (as they were before lists had other orders).
IRI_ORDER = "IRI"


def page_size(first: int) -> int:
    """Check a requested page size."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"'first' must be between 0 and {MAX_PAGE_SIZE}, got {first}.")
    return first


def encode_cursor(iri: str) -> str:
    """The opaque cursor that points just after ``iri`` in IRI order."""
    return base64.urlsafe_b64encode(iri.encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The IRI inside a cursor, or :class:`InvalidArgument` for one we did not issue."""
    try:
        iri = base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True).decode()
        if not iri:
            raise ValueError("an empty cursor")
        return iri
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidArgument(f"'after' is not a cursor this service issued: {cursor!r}.") from None


def encode_position(order: str, position: tuple[bool, Any, str]) -> str:
    """The cursor just after an item at ``position`` (no value?, value, IRI) of ``order``."""
    if order == IRI_ORDER:
        return encode_cursor(position[2])
    return encode_cursor(json.dumps([order, *position], ensure_ascii=False))


def decode_position(cursor: str, order: str) -> tuple[bool, Any, str]:
    """The place a cursor of ``order`` holds; a cursor of another order is refused."""
    text = decode_cursor(cursor)
    found = IRI_ORDER
    position: tuple[bool, Any, str] = (True, None, text)
    if text.startswith("["):  # never an IRI
        try:
            found, missing, value, iri = json.loads(text)
            if not (isinstance(found, str) and isinstance(missing, bool) and isinstance(iri, str)):
                raise ValueError("not a cursor")
            if not isinstance(value, str | int | float | None) or (value is None) != missing:
                raise ValueError("not a cursor")
            position = (missing, value, iri)
        except (TypeError, ValueError):
            raise InvalidArgument(
                f"'after' is not a cursor this service issued: {cursor[:200]!r}."
            ) from None
    if found != order:
        raise InvalidArgument(
            f"'after' is a cursor of orderBy {found[:40]}, but this list is ordered by {order}: "
            f"start again without 'after', or keep orderBy {found[:40]}."
        )
    return position
