"""What both backends share: the `Store` interface and its operations, query results, formats."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from ingest.config import QUERIES_DIR
from ingest.errors import StoreError
from ingest.iri import ONTOLOGY_GRAPH, REFERENCE_GRAPH, is_source_graph

from .terms import replace_graph_update

ExportFormat = Literal["nquads", "trig", "turtle", "jsonld"]
EXPORT_FORMATS: tuple[str, ...] = ("nquads", "trig", "turtle", "jsonld")
_OX_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
_SUFFIX_FORMATS = {
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
if TYPE_CHECKING:
    from ingest.console import ConsoleResult, QueryLimits

_INTERNAL = QUERIES_DIR / "internal"
_VERSION_FILE = "spacekg-version"


@cache
def internal_query(name: str) -> str:
    """Text of a store-internal query from queries/internal/ (SPARQL lives in .rq files)."""
    return (_INTERNAL / f"{name}.rq").read_text(encoding="utf-8")


@dataclass
class QueryResult:
    """The answer to a SPARQL query, in rdflib terms whatever the backend."""

    kind: Literal["select", "ask", "construct"]
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


@dataclass(frozen=True)
class QueryTarget:
    """Where the query worker runs a user query: all the guard needs to know of a store.

    Credentials travel to the worker on its standard input, never on its command line.
    """

    backend: Literal["embedded", "endpoint"]
    store: str | None = None
    endpoint: str | None = None
    user: str | None = None
    password: str | None = None

    def request(self) -> dict[str, str | None]:
        return {
            "backend": self.backend,
            "store": self.store,
            "endpoint": self.endpoint,
            "user": self.user,
            "password": self.password,
        }


def guess_format(path: Path) -> str:
    """Export/import format from a file suffix."""
    fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(
            f"cannot tell the RDF format of '{path.suffix}'",
            str(path),
            "use .nq, .trig, .ttl or .jsonld, or pass --format",
        )
    return fmt


def _dataset_to_text(dataset: Dataset, fmt: str) -> str:
    if fmt == "turtle":
        merged = Graph()
        for graph in dataset.graphs():
            for triple in graph:
                merged.add(triple)
        return merged.serialize(format="turtle")
    rdflib_format = {"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt]
    return dataset.serialize(format=rdflib_format)


class Store:
    """Common behaviour of both backends; subclasses implement the primitive operations."""

    description = "store"
    read_only = False  # a reader beside a writer: writes refused, curated data not loaded

    # primitives ---------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        raise NotImplementedError

    def update(self, sparql_update: str) -> None:
        raise NotImplementedError

    def drop_graph(self, graph_iri: URIRef) -> None:
        raise NotImplementedError

    def graph_names(self) -> list[URIRef]:
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError

    def query_target(self) -> QueryTarget:
        """How a confined worker reaches this store to run a user query."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store (the embedded backend holds a lock on its directory)."""

    def shares_blank_nodes_across_graphs(self) -> bool:
        """Whether one update can put one blank node into two named graphs (SPARQL 1.1 can)."""
        return True

    # user queries -------------------------------------------------------------------------
    def user_query(
        self, text: str, limits: QueryLimits, exclude: Iterable[str] = frozenset()
    ) -> ConsoleResult:
        """A user's free SPARQL query, through the one guard (read-only, local, limited)."""
        from ingest.console import run_guarded

        return run_guarded(self.query_target(), text, limits, exclude)

    # shared operations --------------------------------------------------------------------
    def replace_graph(
        self, graph_iri: URIRef, graph: Graph, *, also_drop: Sequence[URIRef] = ()
    ) -> None:
        """Swap a named graph's contents in one transaction: readers never see a mix.

        Graphs in `also_drop` go in the same transaction (a document's previous version).
        """
        self.update(replace_graph_update(graph_iri, graph, also_drop))

    def write_graph_parts(
        self,
        graph_iri: URIRef,
        parts: Iterable[Iterable[tuple[Node, Node, Node]]],
        *,
        also_drop: Sequence[URIRef] = (),
    ) -> None:
        """A graph given in parts (a long document's), written as `replace_graph` would.

        Here the parts are gathered and sent as one update; the embedded store writes them
        in bounded transactions instead."""
        graph = Graph()
        for part in parts:
            for triple in part:
                graph.add(triple)
        self.replace_graph(graph_iri, graph, also_drop=also_drop)

    def graph(self, graph_iri: URIRef) -> Graph:
        """A copy of one named graph as an rdflib Graph."""
        result = self.query(internal_query("graph_triples"), {"g": graph_iri})
        return result.graph if result.graph is not None else Graph()

    def source_graph_names(self) -> list[URIRef]:
        """Named graphs of ingested source documents."""
        return [g for g in self.graph_names() if is_source_graph(g)]

    def present_graphs(self, graphs: Iterable[URIRef]) -> set[URIRef]:
        """Which of `graphs` the store holds (visible to readers), without listing them all."""
        return set(graphs) & set(self.graph_names())

    def stale_reference(self) -> list[tuple[URIRef, Path, str]]:
        """The curated graphs that are missing or older than their files: (graph, file, sha256).

        The file digest is recorded in the graph itself (`<graph> skg:sha256 "..."`).
        """
        from ingest.config import ONTOLOGY_FILE, REFERENCE_FILE

        stale = []
        for graph_iri, path in ((ONTOLOGY_GRAPH, ONTOLOGY_FILE), (REFERENCE_GRAPH, REFERENCE_FILE)):
            if not path.exists():
                raise StoreError("curated file is missing", str(path), "restore it from git")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result = self.query(internal_query("graph_digest"), {"g": graph_iri})
            if {str(row["digest"]) for row in result.rows} != {digest}:
                stale.append((graph_iri, path, digest))
        return stale

    def ensure_reference(self, *, force: bool = False) -> bool:
        """Load the ontology and curated reference data when missing or their files changed.

        Returns True when something was (re)loaded; a read-only reader loads nothing (that is
        the writer's job).
        """
        from ingest.config import ONTOLOGY_FILE, ONTOLOGY_NS, REFERENCE_FILE

        if self.read_only:
            return False
        if force:
            digests = (
                (g, p, hashlib.sha256(p.read_bytes()).hexdigest())
                for g, p in ((ONTOLOGY_GRAPH, ONTOLOGY_FILE), (REFERENCE_GRAPH, REFERENCE_FILE))
            )
            todo = list(digests)
        else:
            todo = self.stale_reference()
        for graph_iri, path, digest in todo:
            graph = Graph()
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises many types for bad Turtle
                raise StoreError(
                    f"cannot parse curated file: {exc}", str(path), "fix the Turtle syntax"
                ) from exc
            graph.add((graph_iri, URIRef(ONTOLOGY_NS + "sha256"), RDFLiteral(digest)))
            self.replace_graph(graph_iri, graph)
        return bool(todo)

    def dataset(self, graphs: Iterable[URIRef] | None = None) -> Dataset:
        """The named graphs (all by default) as an rdflib Dataset, for export and reasoning."""
        dataset = Dataset()
        for name in graphs if graphs is not None else self.graph_names():
            target = dataset.graph(name)
            for triple in self.graph(name):
                target.add(triple)
        return dataset

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write every named graph to `out` (turtle merges the graphs: it cannot name them)."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(
                f"unknown export format '{fmt}'", "", "use " + ", ".join(EXPORT_FORMATS)
            )
        out.write(_dataset_to_text(self.dataset(), fmt).encode("utf-8"))

    def import_file(self, path: Path, fmt: str | None = None) -> list[URIRef]:
        """Restore document graphs from an export, all in one transaction (ingest/restore.py).

        The file is checked completely first: only `…/graph/source/{docid}` graphs that pass
        the shapes are written; a file with any other graph, or an invalid one, writes nothing.
        Returns the restored graph names; `ingest.restore.restore_file` also says what it skipped.
        """
        from ingest.restore import restore_file

        return restore_file(self, path, fmt).restored
