"""Every user-facing error of spacekg: one class, one line saying what, where and what to do.

The CLI prints `str(error)` and exits non-zero; the app shows the same text. No traceback
reaches a user.
"""

from __future__ import annotations


class SpacekgError(Exception):
    """An error a user can act on. `where` names the file, graph or query concerned."""

    def __init__(self, what: str, where: str = "", todo: str = "") -> None:
        self.what, self.where, self.todo = what, where, todo
        parts = [f"{where}: {what}" if where else what]
        if todo:
            parts.append(todo)
        super().__init__(" — ".join(parts))


class InputError(SpacekgError):
    """A source document that cannot be ingested (empty, binary, too large, bad front matter...)."""


class ValidationError(SpacekgError):
    """Data that violates the SHACL shapes."""


class StoreError(SpacekgError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """The embedded store is held by another process for writing (readers open it read-only)."""


class QueryError(SpacekgError):
    """A query that is refused, malformed, or ran past its limits."""


class QueryLimitError(QueryError):
    """A query stopped at its time or memory limit: it may be right, only too costly here."""


class QueryUnavailableError(QueryError):
    """A query that could not run for a reason on our side (store not readable, worker died)."""


class ReasoningError(SpacekgError):
    """The reasoner could not run, or found the ontology inconsistent."""


class OntologyError(SpacekgError):
    """A curated Turtle file (ontology, reference data, shapes) is missing or cannot be parsed."""


class PipelineError(SpacekgError):
    """The shipped spaCy pipeline is missing or cannot be loaded."""


class RequestError(SpacekgError):
    """An HTTP request to `spacekg serve` that the SPARQL protocol does not allow.

    `status` is the HTTP status to answer with (400, 403, 405, 406, 413, 415, 503).
    """

    def __init__(self, status: int, what: str, where: str = "", todo: str = "") -> None:
        self.status = status
        super().__init__(what, where, todo)


class DependencyError(SpacekgError):
    """An optional package that one feature needs (pandas for DataFrames) is not installed."""
