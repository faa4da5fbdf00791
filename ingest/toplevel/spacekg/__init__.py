"""spacekg's Python API for notebooks and scripts.

    import spacekg

    with spacekg.open("data/store") as kg:          # or "http://127.0.0.1:7878/query"
        kg.queries()                                 # name, summary and params of each query
        rows = kg.query("capability_matrix")         # each IRI as Entity(iri, label)
        frame = rows.to_dataframe()                  # needs pandas
        kg.sparql("SELECT ...")                      # read-only, time- and row-limited

This package only re-exports `ingest.api` (the code lives in the library, beside what the CLI
and the app call), so `spacekg.Rows is ingest.api.Rows`.
"""

# `open` is the API's verb (like gzip.open); inside ingest it is `open_kg`.
from ingest import __version__
from ingest.api import Entity, KnowledgeGraph, QueryInfo, Rows
from ingest.api import open_kg as open
from ingest.errors import DependencyError, QueryError, SpacekgError, StoreError

__all__ = [
    "DependencyError",
    "Entity",
    "KnowledgeGraph",
    "QueryError",
    "QueryInfo",
    "Rows",
    "SpacekgError",
    "StoreError",
    "__version__",
    "open",
]
