"""The exceptions `graph` raises; the API maps them to readable errors at its edge."""

from __future__ import annotations

from collections.abc import Sequence


class AikgError(Exception):
    """Base class of every error this package raises on purpose."""


class ConceptNotFound(AikgError):
    """A reference names no concept; ``suggestions`` holds close labels."""

    def __init__(self, reference: str, suggestions: Sequence[str] = ()) -> None:
        self.reference = reference
        self.suggestions = tuple(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        shown = (
            repr(reference)
            if len(reference) <= 200
            else f"{reference[:100]!r}… ({len(reference):,} characters)"
        )
        super().__init__(f"Unknown concept {shown}.{hint}")


class AmbiguousConcept(AikgError):
    """A reference matches several concepts equally well."""

    def __init__(self, reference: str, candidates: Sequence[str]) -> None:
        self.reference = reference
        self.candidates = tuple(candidates)
        super().__init__(
            f"Ambiguous concept {reference!r}: it matches {', '.join(self.candidates)}."
            " Use an id or IRI instead."
        )


class PredicateNotFound(AikgError):
    """A reference names no relation predicate; ``suggestions`` holds close names, ``known``
    every name."""

    def __init__(
        self, reference: str, suggestions: Sequence[str] = (), known: Sequence[str] = ()
    ) -> None:
        self.reference = reference
        self.suggestions = tuple(suggestions)
        self.known = tuple(known)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        shown = repr(reference) if len(reference) <= 200 else f"{reference[:100]!r}…"
        listed = f" Known predicates: {', '.join(self.known)}." if self.known else ""
        super().__init__(f"Unknown predicate {shown}.{hint}{listed}")


class InvalidData(AikgError):
    """An RDF file that cannot be read, with where the problem is."""

    def __init__(
        self, file: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.file = file
        self.message = message
        self.line = line
        self.column = column
        where = file if line is None else f"{file}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


class InvalidArgument(AikgError):
    """An argument outside what a question accepts (a negative page size, a bad cursor)."""


class InvalidQuery(AikgError):
    """A SPARQL query that does not parse; the message is the parser's, with its place."""


class QueryRefused(AikgError):
    """A SPARQL request the read-only endpoint will not run: an update, SERVICE, a dataset."""


class QueryLimitExceeded(AikgError):
    """A query stopped at a limit; ``limit`` is ``"time"`` or ``"size"``."""

    def __init__(self, limit: str, message: str) -> None:
        self.limit = limit
        super().__init__(message)


class NotAcceptable(AikgError):
    """No format the client accepts can carry this answer (e.g. CONSTRUCT asked as CSV)."""


class EndpointError(AikgError):
    """The endpoint could not be reached, refused a request or answered nonsense."""


class EditConflict(AikgError):
    """Other writers kept committing first; the edit was not made."""


class EditRefused(AikgError):
    """An edit that cannot be committed, with every reason."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        shown = "; ".join(self.reasons[:10]) + (
            f"; and {len(self.reasons) - 10} more" if len(self.reasons) > 10 else ""
        )
        super().__init__(f"Edit refused, nothing was changed: {shown}")


class WriteBusy(AikgError):
    """Other writers held the backend for longer than a writer was willing to wait."""
