"""Who may write: bearer tokens from configuration, checked in constant time.

Reads are open. A write (a GraphQL mutation) needs ``Authorization: Bearer <token>``
with a token listed in the configuration, where each token has a name; the name is the
"who" recorded with every change. The configuration keeps only SHA-256 digests of the
tokens (``Settings.write_tokens``), so the settings handed to worker processes hold no
secret; a presented token is hashed and compared with every digest by
:func:`hmac.compare_digest`, whatever matches first.

Refusals say why: 401 (with ``WWW-Authenticate: Bearer``) when the header is missing or
is not a bearer token, 403 when the token is well-formed but not allowed, or when the
server has no write tokens at all.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

from api.errors import AuthError, Forbidden, Unauthenticated

__all__ = ["AuthError", "digest", "parse_tokens", "read_token_file", "writer"]

NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}\Z")
#: Shorter tokens are refused when the configuration is read: they could be guessed.
MIN_TOKEN_LENGTH = 16


def digest(token: str) -> str:
    """The SHA-256 of a token, as hex (what the settings keep)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_tokens(text: str, where: str = "write tokens") -> tuple[tuple[str, str], ...]:
    """``name:token`` entries (one a line, or separated by commas) as (name, digest) pairs.

    >>> [name for name, _ in parse_tokens("alice:0123456789abcdef0123, bob:fedcba9876543210fedc")]
    ['alice', 'bob']
    """
    entries = []
    for number, item in enumerate(re.split(r"[\n,]", text), start=1):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        name, colon, token = item.partition(":")
        name, token = name.strip(), token.strip()
        if not colon or not NAME.match(name):
            raise ValueError(
                f"{where}: entry {number}: expected name:token "
                "with a name of letters, digits, '_.-'"
            )
        if len(token) < MIN_TOKEN_LENGTH or any(ch.isspace() for ch in token):
            raise ValueError(
                f"{where}: entry {number} ({name}): "
                f"the token needs {MIN_TOKEN_LENGTH}+ characters, no spaces"
            )
        entries.append((name, digest(token)))
    return tuple(entries)


def read_token_file(path: Path) -> tuple[tuple[str, str], ...]:
    """The tokens of a file of ``name:token`` lines."""
    return parse_tokens(path.read_text(encoding="utf-8"), str(path))


def writer(authorization: str | None, tokens: tuple[tuple[str, str], ...]) -> str:
    """The name of the token in an Authorization header; else :class:`Unauthenticated` (401) or
    :class:`Forbidden` (403), saying why not."""
    if not tokens:
        raise Forbidden("Writes are disabled on this server: it has no write tokens configured.")
    if authorization is None or not authorization.strip():
        raise Unauthenticated(
            "Authentication required: send the header 'Authorization: Bearer <token>'."
        )
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthenticated("Malformed Authorization header: expected 'Bearer <token>'.")
    presented = digest(token).encode("ascii")
    found = None
    for (
        name,
        expected,
    ) in tokens:  # every digest is compared: the time does not depend on which matched
        if hmac.compare_digest(presented, expected.encode("ascii")):
            found = name
    if found is None:
        raise Forbidden("This token is not allowed to write.")
    return found
