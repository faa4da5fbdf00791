"""The Python API for notebooks: `spacekg.open(store_or_endpoint).query(name, **params)`.

A thin layer over the same library the CLI and the app call: the query library
(`ingest.queries`: names, parameters checked and bound, never formatted into text), the
console's guard for free SPARQL (`ingest.console.run_console_query`: read-only, local-only,
time-, row- and memory-limited) and the store (`ingest.store`, opened like the CLI's reading
verbs: an embedded store read-only beside the app or an ingest). What it adds is rows a person
can read: every IRI comes with its label (`ingest.api_rows`).

Distributed as the `spacekg` import name (`ingest/toplevel/spacekg/`, see pyproject.toml);
this module is the code, that package only re-exports it.
"""

from __future__ import annotations

import datetime as dt
import keyword
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rdflib.term import Node

from .api_rows import Entity, Rows, labelled_rows
from .config import Settings
from .console import run_console_query
from .errors import StoreError
from .queries import ParamSpec, get_query, list_queries, run_query
from .store import Store, open_reader, open_store

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")
Param = str | int | dt.date | Node | None
"""A parameter value as the library binds it: text, an int, a date or an rdflib term."""


@dataclass(frozen=True)
class QueryInfo:
    """A library query as `queries()` lists it: its name, what it answers, its parameters."""

    name: str
    summary: str
    params: tuple[ParamSpec, ...]
    description: str = ""

    def __str__(self) -> str:
        params = ", ".join(
            f"{p.name}: {p.type}{'' if p.required else ' (optional)'}" for p in self.params
        )
        return f"{self.name}({params}): {self.summary}"


class KnowledgeGraph:
    """An open spacekg graph: library queries, free read-only SPARQL, closed when done.

    Use it as a context manager (`with spacekg.open(...) as kg:`) or call `close()`: an
    embedded store holds files open until then.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store: Store | None = store
        self._settings = settings
        self.description = store.description

    @property
    def store(self) -> Store:
        """The underlying store (for the library's own functions)."""
        if self._store is None:
            raise StoreError(
                "the graph is closed", self.description, "open it again with spacekg.open(...)"
            )
        return self._store

    def queries(self) -> list[QueryInfo]:
        """The query library, sorted by name: what `query()` accepts."""
        return [
            QueryInfo(spec.name, spec.summary, spec.params, spec.description)
            for spec in list_queries()
        ]

    def query(self, name: str, /, **params: Param) -> Rows:
        """Run a library query by name; unknown names and parameters are refused with the
        library's errors (QueryError says which ones there are).

        A parameter named like a Python keyword takes a trailing underscore:
        `query("actors_by_type", class_="skg:State")`.
        """
        get_query(name)  # library queries only: the checks are not offered here
        store = self.store
        given = {_param_name(key): value for key, value in params.items()}
        return labelled_rows(store, run_query(store, name, given))

    def sparql(
        self,
        text: str,
        *,
        timeout_s: float | None = None,
        row_limit: int | None = None,
        memory_mb: int | None = None,
        exclude: Iterable[str] = (),
    ) -> Rows:
        """A free read-only query through the console's guard, with its limits.

        Defaults come from SPACEKG_QUERY_TIMEOUT, SPACEKG_QUERY_ROW_LIMIT and
        SPACEKG_QUERY_MEMORY_MB; `exclude` may hold "inferred" and "review".
        `Rows.truncated` says when the row limit cut the answer.
        """
        store = self.store
        result = run_console_query(
            store,
            text,
            timeout_s=self._settings.query_timeout_s if timeout_s is None else timeout_s,
            row_limit=self._settings.query_row_limit if row_limit is None else row_limit,
            memory_mb=memory_mb or self._settings.query_memory_mb,
            exclude=frozenset(exclude),
        )
        return labelled_rows(store, result)

    def close(self) -> None:
        """Release the store; later calls raise a StoreError. Closing twice is harmless."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._store is None else "open"
        return f"<spacekg graph: {self.description}, {state}>"


def _param_name(key: str) -> str:
    """`class_` -> `class`: the keyword a query parameter may be named after."""
    return key[:-1] if key.endswith("_") and keyword.iskeyword(key[:-1]) else key


def open_kg(target: str | os.PathLike[str], *, settings: Settings | None = None) -> KnowledgeGraph:
    """Open a store folder (as built by `spacekg ingest`) or an http(s) SPARQL endpoint URL.

    A folder is opened read-only when it is current, so it works beside the app or an ingest.
    Credentials for a server come from SPACEKG_ENDPOINT_USER / SPACEKG_ENDPOINT_PASSWORD.
    """
    settings = settings or Settings.from_env()
    text = os.fspath(target)
    url = _URL.match(text)
    if url:
        if url.group("scheme").lower() not in ("http", "https"):
            raise StoreError(
                f"cannot open a {url.group('scheme')}: URL",
                text,
                "give a store folder or an http(s) SPARQL endpoint URL",
            )
        return KnowledgeGraph(open_store(endpoint=text, settings=settings), settings)
    path = Path(text).expanduser()
    todo = "give the folder of a store built with `spacekg ingest` (e.g. data/store), or an http(s) SPARQL endpoint URL"
    if not path.exists():
        raise StoreError("there is no store here", str(path), todo)
    if not path.is_dir():
        raise StoreError("this is a file, not a store folder", str(path), todo)
    if not any(path.iterdir()):
        raise StoreError("this folder is empty, not a store", str(path), todo)
    return KnowledgeGraph(open_reader(path, settings=settings), settings)


__all__ = ["Entity", "KnowledgeGraph", "QueryInfo", "Rows", "open_kg"]
