"""The graph store: one interface over an embedded Oxigraph store and any SPARQL 1.1 server.

Everything above this package (ingestion, queries, the CLI and the app) speaks rdflib terms and
graphs; the backends translate (`embedded`, `endpoint`). Each source document lives in its own
named graph, so replacing a document is one atomic update.
"""

from __future__ import annotations

from pathlib import Path

from ingest.config import Settings
from ingest.errors import StoreLockedError
from ingest.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH

from .base import (
    EXPORT_FORMATS,
    ExportFormat,
    QueryResult,
    QueryTarget,
    Store,
    guess_format,
    internal_query,
)
from .binding import bind_constant, inject_value_rows, inject_values
from .embedded import OxigraphStore
from .endpoint import EndpointStore, parse_sparql_json
from .terms import from_ox, insert_update, replace_graph_update, to_ox


def open_store(
    store_dir: Path | None = None,
    *,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    settings: Settings | None = None,
) -> Store:
    """The configured store: a SPARQL server when an endpoint is given, else the embedded one."""
    settings = settings or Settings.from_env()
    endpoint = endpoint or (settings.endpoint if store_dir is None else None)
    if endpoint:
        auth = None
        if settings.endpoint_user:
            auth = (settings.endpoint_user, settings.endpoint_password or "")
        return EndpointStore(endpoint, update_endpoint or settings.update_endpoint, auth=auth)
    return OxigraphStore(store_dir or settings.store_dir)


def open_reader(
    store_dir: Path | None = None,
    *,
    endpoint: str | None = None,
    settings: Settings | None = None,
) -> Store:
    """A store to read from, without taking the writer's lock when it can be helped.

    An existing embedded store whose curated graphs are current is opened read-only, so
    readers (docs, stats, export, query, sparql) work beside the app or an ingest, see the last
    committed state, and never block a writer. A new or outdated store is opened for writing
    once, to load the curated data, unless a writer holds it. A SPARQL server is only read.
    """
    settings = settings or Settings.from_env()
    if endpoint or (store_dir is None and settings.endpoint):
        # A reader writes nothing to a server: its curated data comes with the first ingest.
        return open_store(store_dir, endpoint=endpoint, settings=settings)
    path = store_dir or settings.store_dir
    if path.is_dir() and any(path.iterdir()):
        reader = OxigraphStore(path, read_only=True)
        if not reader.stale_reference():
            return reader
        reader.close()
    try:
        store = OxigraphStore(path)
    except StoreLockedError:
        return OxigraphStore(path, read_only=True)
    store.ensure_reference()
    return store


__all__ = [
    "EXPORT_FORMATS",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "REFERENCE_GRAPH",
    "EndpointStore",
    "ExportFormat",
    "OxigraphStore",
    "QueryResult",
    "QueryTarget",
    "Store",
    "bind_constant",
    "from_ox",
    "guess_format",
    "inject_value_rows",
    "inject_values",
    "insert_update",
    "internal_query",
    "open_reader",
    "open_store",
    "parse_sparql_json",
    "replace_graph_update",
    "to_ox",
]
