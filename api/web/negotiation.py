"""Content negotiation on ``Accept`` (RFC 9110, section 12.5.1), shared by the Linked Data routes.

Each offered media type gets the quality of the *most specific* range that matches it
(``text/turtle`` before ``text/*`` before ``*/*``), so ``text/*;q=0.1, text/turtle`` offers
Turtle at 1 and HTML at 0.1. The best quality above zero wins; ties go to the server's
order of preference. Media type parameters other than ``q`` are ignored for matching.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["negotiate", "parse_accept"]


def parse_accept(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their qualities, lower-cased.

    A missing or malformed ``q`` counts as 1 or 0 respectively; an empty header accepts anything.

    >>> parse_accept("text/html;level=1, application/ld+json;q=0.5, */*;q=x")
    [('text/html', 1.0), ('application/ld+json', 0.5), ('*/*', 0.0)]
    >>> parse_accept("")
    [('*/*', 1.0)]
    """
    ranges = []
    for item in accept.lower().split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range, quality))
    return ranges or [("*/*", 1.0)]


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    >>> offered = ["text/turtle", "text/html", "application/ld+json"]
    >>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", offered)
    'text/html'
    >>> negotiate(None, offered), negotiate("*/*", offered)
    ('text/turtle', 'text/turtle')
    >>> negotiate("application/*;q=0.9, text/*;q=0.5", offered)
    'application/ld+json'
    >>> negotiate("text/turtle;q=0", offered) is None
    True
    >>> negotiate("text/csv", offered) is None
    True
    """
    ranges = parse_accept(accept or "")
    best, best_quality = None, 0.0
    for media_type in offered:
        quality = _quality(media_type, ranges)
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    kind = media_type.split("/")[0] + "/*"
    for candidate in (media_type, kind, "*/*"):
        qualities = [quality for media_range, quality in ranges if media_range == candidate]
        if qualities:
            return max(qualities)
    return 0.0
