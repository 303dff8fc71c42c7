"""Release dates as the ontology gives them (a year, a month or a day) and "as of" questions.

A release known only to the year or the month counts as released by the *end* of that
period: asked "as of 2022-06-30", a model released "2022" is left out (it may have come
out in December), while asked "as of 2022-12-31" it is in. A concept with no release
date is never listed "as of" any date, since nothing says it existed then.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from graph.errors import InvalidArgument

__all__ = ["parse_as_of", "parse_period", "period_end"]

_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@lru_cache(maxsize=65536)  # releases repeat: a list's first order by date reads them all
def period_end(lexical: str) -> date | None:
    """The last day of the period a year, year-month or date names; None when unreadable.

    >>> period_end("2022"), period_end("2024-02"), period_end("2023-03-14"), period_end("soon")
    (datetime.date(2022, 12, 31), datetime.date(2024, 2, 29), datetime.date(2023, 3, 14), None)
    """
    match = _DATE.match(lexical.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return date(year, 12, 31)  # type: ignore[arg-type]
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1])  # type: ignore[arg-type]
        return date(year, month, day)  # type: ignore[arg-type]
    except ValueError:
        return None


def parse_period(text: str, argument: str) -> tuple[date, date]:
    """The first and last day of the period an argument names: ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``; anything else is an error naming the argument.

    >>> parse_period("2024-02", "releasedAfter")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> parse_period("2023", "releasedBefore")
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    """
    text = text.strip()
    end = period_end(text) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else None
    if end is None:
        raise InvalidArgument(
            f"{argument!r} must be a date like 2022-12-31 (or 2022-12, or 2022), got {text[:40]!r}."
        )
    year, month, day = ([int(part) for part in text.split("-")] + [1, 1])[:3]
    return date(year, month, day), end


def parse_as_of(text: str) -> date:
    """The day an "as of" argument names: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (end of the
    period).

    >>> parse_as_of("2022-12-31")
    datetime.date(2022, 12, 31)
    >>> parse_as_of("last year")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    graph.errors.InvalidArgument: 'asOf' must be a date like 2022-12-31 (or 2022-12, or 2022),
    got 'last year'.
    """
    return parse_period(text, "asOf")[1]
