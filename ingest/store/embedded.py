"""The embedded, persistent store: Oxigraph (RocksDB) through pyoxigraph directly.

Going through rdflib's store plugin costs 2x on queries and 10x on bulk writes (STACK-NOTES).
"""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ingest import staged_write
from ingest.errors import QueryError, StoreError, StoreLockedError

from .base import _OX_FORMATS, _VERSION_FILE, QueryResult, QueryTarget, Store
from .binding import inject_values
from .terms import from_ox, to_ox


class OxigraphStore(Store):
    """Embedded, persistent store on disk (RocksDB through pyoxigraph)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.description = f"embedded store at {path}" if path else "in-memory store"
        if read_only:
            self.description += " (read-only)"
        try:
            if path is None:
                self._ox = ox.Store()
            elif read_only:
                # A reader beside a writer (the app, an ingest) sees the last committed state;
                # it never takes the writer's lock.
                self._ox = _open_read_only(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"cannot open the store for writing ({exc})",
                    str(path),
                    "another spacekg process (the app, an ingest) has it open: stop it, "
                    "or use another --store",
                ) from exc
            raise StoreError(
                f"cannot open the store ({exc})",
                str(path),
                "check the directory is a spacekg store and readable",
            ) from exc
        self._memory_version = uuid.uuid4().hex
        if not read_only and staged_write.recover(self._ox, on_disk=path is not None):
            self._bump()  # a crashed writer's hidden graphs are gone; nothing visible changed

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store itself, for bulk loads and benchmarks against the bare API."""
        return self._ox

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        # Oxigraph's `substitutions` only binds projected variables, so both backends bind
        # with the same VALUES block and give identical answers.
        text = inject_values(sparql, bindings) if bindings else sparql
        kwargs: dict[str, Any] = {}
        visible = staged_write.visible_graphs(self._ox)
        if visible is None and default_graph is None:
            kwargs["use_default_graph_as_union"] = True
        elif visible is None:
            kwargs["default_graph"] = [to_ox(g) for g in default_graph or ()] or [ox.DefaultGraph()]
        else:  # a graph is being written or replaced: name only the ones readers may see
            shown = set(visible)
            wanted = visible if default_graph is None else [to_ox(g) for g in default_graph]
            kwargs["default_graph"] = [g for g in wanted if g in shown] or [ox.DefaultGraph()]
            kwargs["named_graphs"] = visible
        try:
            answer = self._ox.query(text, **kwargs)
        except SyntaxError as exc:
            raise StoreError(f"invalid SPARQL: {exc}", "query", "fix the query text") from exc
        return _convert_ox_result(answer)

    def query_target(self) -> QueryTarget:
        if self.path is None:
            raise QueryError(
                "the console needs an on-disk store (this one is in memory)",
                "SPARQL console",
                "open the store with a directory",
            )
        return QueryTarget(backend="embedded", store=str(self.path))

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(
                "the store is open read-only (another process holds it for writing)",
                self.description,
                "stop the app or the running ingest, or write through a SPARQL server",
            )

    def update(self, sparql_update: str) -> None:
        self._writable()
        try:
            self._ox.update(sparql_update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"update failed: {exc}", self.description, "") from exc
        self._bump()

    def replace_graph(
        self, graph_iri: URIRef, graph: Graph, *, also_drop: Sequence[URIRef] = ()
    ) -> None:
        """A new graph with nothing to drop is one `extend` (one transaction too): about half
        the time and memory of parsing the whole graph as a SPARQL update."""
        self._writable()
        target = to_ox(graph_iri)
        if also_drop or self._ox.contains_named_graph(target):
            super().replace_graph(graph_iri, graph, also_drop=also_drop)
            return
        try:
            self._ox.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), target) for s, p, o in graph)
        except OSError as exc:
            raise StoreError(f"write failed: {exc}", self.description, "") from exc
        self._bump()

    def write_graph_parts(
        self,
        graph_iri: URIRef,
        parts: Iterable[Iterable[tuple[Node, Node, Node]]],
        *,
        also_drop: Sequence[URIRef] = (),
    ) -> None:
        """A new graph written in bounded transactions, hidden until complete, then shown and
        `also_drop` hidden in one step (`ingest.staged_write`): memory stays flat however
        large the graph, and readers see the old graphs or the new one, never a part."""
        self._writable()
        target = to_ox(graph_iri)
        if self._ox.contains_named_graph(target):
            super().write_graph_parts(graph_iri, parts, also_drop=also_drop)
            return
        quads = (
            (ox.Quad(to_ox(s), to_ox(p), to_ox(o), target) for s, p, o in part) for part in parts
        )
        try:
            staged_write.write_graph(
                self._ox,
                target,
                quads,
                [to_ox(g) for g in also_drop],
                on_disk=self.path is not None,
            )
        except OSError as exc:
            raise StoreError(f"write failed: {exc}", self.description, "") from exc
        self._bump()

    def drop_graph(self, graph_iri: URIRef) -> None:
        """Hidden at once, then deleted in bounded pieces (one transaction for a large graph
        took minutes and half a gigabyte)."""
        self._writable()
        target = to_ox(graph_iri)
        if self._ox.contains_named_graph(target):
            staged_write.drop_graph(self._ox, target, on_disk=self.path is not None)
        self._bump()

    def graph(self, graph_iri: URIRef) -> Graph:
        graph = Graph()
        if to_ox(graph_iri) in staged_write.hidden_graphs(self._ox):
            return graph
        for quad in self._ox.quads_for_pattern(None, None, None, to_ox(graph_iri)):
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return graph

    def graph_names(self) -> list[URIRef]:
        hidden = staged_write.hidden_graphs(self._ox) | {staged_write.STAGING_GRAPH}
        names = [
            URIRef(g.value)
            for g in self._ox.named_graphs()
            if isinstance(g, ox.NamedNode) and g not in hidden
        ]
        return sorted(names)

    def present_graphs(self, graphs: Iterable[URIRef]) -> set[URIRef]:
        # One lookup per graph: listing the 10,000 graphs of a 1M store cost ~0.15 s per ingest.
        hidden = staged_write.hidden_graphs(self._ox) | {staged_write.STAGING_GRAPH}
        return {
            g
            for g in set(graphs)
            if (node := to_ox(g)) not in hidden and self._ox.contains_named_graph(node)
        }

    def export(self, fmt: str, out: IO[bytes]) -> None:
        if fmt in _OX_FORMATS and not self._ox.contains_named_graph(staged_write.STAGING_GRAPH):
            # streaming, fast path for the big formats
            self._ox.dump(out, format=_OX_FORMATS[fmt])
            return
        super().export(fmt, out)

    def version(self) -> str:
        if self.path is None:
            return self._memory_version
        marker = self.path / _VERSION_FILE
        return marker.read_text(encoding="utf-8").strip() if marker.exists() else "0"

    def _bump(self) -> None:
        self._memory_version = uuid.uuid4().hex
        if self.path is not None:
            (self.path / _VERSION_FILE).write_text(self._memory_version, encoding="utf-8")

    def bulk_load(self, data: bytes, fmt: str = "nquads") -> None:
        """Load a large N-Quads/TriG payload without a transaction (benchmarks, big imports)."""
        self._writable()
        self._ox.bulk_load(io.BytesIO(data), format=_OX_FORMATS[fmt])
        self._bump()

    def close(self) -> None:
        if not self.read_only:
            self._ox.flush()
        del self._ox


# A read-only open reads the writer's file list; a compaction finishing meanwhile deletes a
# file on that list and the open fails with "Corruption: ... No such file" (seen about one
# open in four between the parts of a long write). Opening again reads the new list.
_READ_ONLY_ATTEMPTS = 5


def _open_read_only(path: Path) -> ox.Store:
    for attempt in range(_READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            raced = "no such file" in str(exc).lower()
            if not raced or attempt == _READ_ONLY_ATTEMPTS - 1:
                if isinstance(exc, OSError):
                    raise
                raise OSError(str(exc)) from exc
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _convert_ox_result(answer: Any) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        # Each distinct term is converted once per result (rdflib terms are immutable, so rows
        # share them): building an rdflib Literal parses its value, and at 1M triples the
        # conversion of 10,000 rows of graph_stats took 0.38 s, 0.09 s with this cache.
        converted: dict[object, Node] = {}

        def convert(term: object) -> Node | None:
            if term is None:
                return None
            node = converted.get(term)
            if node is None:
                node = converted[term] = from_ox(term)
            return node

        rows = [dict(zip(names, map(convert, sol), strict=True)) for sol in answer]
        return QueryResult(kind="select", vars=names, rows=rows)
    graph = Graph()
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return QueryResult(kind="construct", graph=graph)
