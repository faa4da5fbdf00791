"""Query plumbing: library queries run once per store version, rows as plain values, tables.

View models share query results within a store version (`memo`); rows are dicts of plain
values that pickle cheaply into Streamlit's data cache. There is no SPARQL text here: the
queries live in queries/ and queries/internal/.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

from rdflib import URIRef
from rdflib.term import Node

from ingest.queries import get_query, run_query

from .terms import Cell, curie, value

if TYPE_CHECKING:
    from ingest.console import ConsoleResult
    from ingest.records import SourceRecord
    from ingest.store import QueryResult, Store

T = TypeVar("T")
Param = str | Node | int | dt.date | None
"""A query parameter as the library binds it."""
Record = dict[str, Cell]
"""One row of a query, as plain values (IRIs stay full strings)."""
Row = dict[str, Cell | list[str]]
"""One row of a view: plain values, and lists of words (origins, alternative names)."""
Answer: TypeAlias = "QueryResult | ConsoleResult"
"""A library query's result or a console answer: both have kind, vars, rows, boolean, graph."""

MEMO_ENTRIES = 512
_MEMO: dict[tuple[object, ...], object] = {}
_MEMO_LOCK = threading.Lock()
_SPARQL_WARMED = threading.Lock()
_warmed = False


def memo(store: Store, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per store version: view models share query results within a version.

    The version changes on every write, so nothing stale is ever served. Callers must treat
    the returned rows as read-only.
    """
    full = (store.description, store.version(), *key)
    found = _MEMO.get(full)
    if found is not None:
        return cast(T, found)
    result = compute()
    with _MEMO_LOCK:
        if len(_MEMO) >= MEMO_ENTRIES:
            _MEMO.clear()
        _MEMO[full] = result
    return result


def rows_of(store: Store, name: str, params: Mapping[str, Param] | None = None) -> list[Record]:
    """Rows of a library query as plain values, shared per store version."""
    frozen = tuple(sorted((k, str(v)) for k, v in (params or {}).items()))
    return memo(store, ("query", name, frozen), lambda: records(run_query(store, name, params)))


def internal_rows(store: Store, name: str) -> list[Record]:
    """Rows of a store-internal query (queries/internal/), shared per store version."""
    from ingest.store import internal_query

    return memo(store, ("internal", name), lambda: records(store.query(internal_query(name))))


def internal_rows_for(store: Store, name: str, var: str, iris: Sequence[str]) -> list[Record]:
    """Rows of a store-internal query with `var` bound to these IRIs (one VALUES block), shared
    per store version: a batch lookup, e.g. the facts of the events one page shows."""
    from ingest.store import inject_value_rows, internal_query

    def compute() -> list[Record]:
        text = inject_value_rows(internal_query(name), var, [URIRef(i) for i in iris])
        return records(store.query(text))

    return memo(store, ("internal", name, var, tuple(iris)), compute)


def documents_of(store: Store) -> list[SourceRecord]:
    """The ingested documents (pipeline.SourceRecord), shared per store version."""
    from ingest.pipeline import list_documents

    return memo(store, ("documents",), lambda: list_documents(store))


def records(result: QueryResult) -> list[Record]:
    """SELECT rows as dicts of plain values (IRIs stay full strings)."""
    return [{name: value(row.get(name)) for name in result.vars} for row in result.rows]


def display_table(result: Answer) -> tuple[list[str], list[Row]]:
    """Columns and rows of any result for a table: IRIs as CURIEs, literals as values."""
    if result.kind == "ask":
        return ["boolean"], [{"boolean": bool(result.boolean)}]
    if result.kind == "construct":
        graph = result.graph
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t)) if graph else []
        rows = [
            {"subject": _cell(s), "predicate": _cell(p), "object": _cell(o)} for s, p, o in triples
        ]
        return ["subject", "predicate", "object"], rows
    columns = list(result.vars)
    return columns, [{name: _cell(row.get(name)) for name in columns} for row in result.rows]


def _cell(term: Node | None) -> Cell:
    if isinstance(term, URIRef):
        return curie(term)
    return value(term)


def warm_up_sparql_parser() -> None:
    """Parse one query once before sessions run in parallel threads.

    rdflib's SPARQL parser can break for good when several threads make their first parse at
    the same moment (STACK-NOTES); the console and the endpoint backend use it.
    """
    global _warmed
    with _SPARQL_WARMED:
        if _warmed:
            return
        from ingest.console import check_query

        check_query(get_query("graph_stats").text)
        _warmed = True


def row_entities(
    row: Mapping[str, object],
    links: Mapping[str, str],
    lists: Mapping[str, tuple[str, str]],
) -> list[tuple[str, str]]:
    """Every entity a table row names, as (IRI, label), each once: the entity of each linked
    column (`links`: label column -> IRI column) and each member of a multi-entity cell
    (`lists`: column -> (IRI list column, label list column), in the same order)."""
    found: dict[str, str] = {}
    for label_column, iri_column in links.items():
        iri = row.get(iri_column)
        if iri and str(iri) not in found:
            found[str(iri)] = str(row.get(label_column) or iri)
    for iri_column, label_column in lists.values():
        iris = row.get(iri_column) or []
        labels = row.get(label_column) or []
        if not isinstance(iris, list | tuple) or not isinstance(labels, list | tuple):
            continue
        for n, iri in enumerate(iris):
            if iri and str(iri) not in found:
                found[str(iri)] = str(labels[n]) if n < len(labels) else str(iri)
    return list(found.items())
