"""Page sizes and opaque cursors for lists that can grow with the data.

A cursor encodes the IRI of the last item seen, so a page boundary stays put
when concepts are added elsewhere in the order.

>>> decode_cursor(encode_cursor("https://w3id.org/aikg/concept/gpt-4"))
'https://w3id.org/aikg/concept/gpt-4'
"""

from __future__ import annotations

import base64
import binascii

from graph.errors import InvalidArgument

MAX_PAGE_SIZE = 1000


def page_size(first: int) -> int:
    """Check a requested page size."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"'first' must be between 0 and {MAX_PAGE_SIZE}, got {first}.")
    return first


def encode_cursor(iri: str) -> str:
    """The opaque cursor that points just after ``iri``."""
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
