"""The graph store: one interface over an embedded Oxigraph store and any SPARQL 1.1 server.

Everything above this module (ingestion, queries, the CLI and the app) speaks rdflib terms and
graphs; the backends translate. The embedded backend talks to pyoxigraph directly because going
through rdflib's store plugin costs 2x on queries and 10x on bulk writes (STACK-NOTES).
Each source document lives in its own named graph, so replacing a document is one atomic update.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.term import Node
from requests_toolbelt.auth.guess import GuessAuth

from . import staged_write
from .config import QUERIES_DIR, Settings
from .errors import QueryError, StoreError, StoreLockedError
from .iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, is_source_graph

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
    from .console import ConsoleResult, QueryLimits

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


# --- term conversion -------------------------------------------------------------------------


def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RDFLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r} ({type(term).__name__})")


def from_ox(term: Any) -> Node:
    """pyoxigraph term -> rdflib term; xsd:string literals come back plain (rdflib's habit)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RDFLiteral(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return RDFLiteral(term.value)
        return RDFLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def _ntriples(graph: Graph) -> str:
    """N-Triples text of `graph`, written by Oxigraph's serializer (correct escaping)."""
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def insert_update(blocks: str, *, blank_nodes: bool) -> str:
    """An insert of ground data: `INSERT DATA`, or `INSERT … WHERE {}` when it has blank nodes.

    Both mean the same in SPARQL 1.1 (one solution, so each blank-node label is one fresh node
    across the whole request), but Virtuoso 7.2 refuses blank nodes in INSERT DATA ("not allowed
    in a constant clause"), so data with blank nodes takes the template form.
    """
    if blank_nodes:
        return "INSERT {\n" + blocks + "} WHERE {}"
    return "INSERT DATA {\n" + blocks + "}"


def replace_graph_update(graph_iri: URIRef, graph: Graph, also_drop: Sequence[URIRef] = ()) -> str:
    """One SPARQL Update request that swaps a named graph's contents atomically.

    `also_drop` names graphs removed in the same request (an older version of a document).
    The text is serialised from RDF terms by Oxigraph's N-Triples writer, never formatted from
    user input; the graph IRIs are ones we minted.
    """
    target = to_ox(graph_iri)
    drops = "".join("DROP SILENT GRAPH " + str(to_ox(old)) + " ;\n" for old in also_drop)
    blank_nodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    block = "GRAPH " + str(target) + " {\n" + _ntriples(graph) + "}\n"
    return (
        drops
        + "DROP SILENT GRAPH "
        + str(target)
        + " ;\n"
        + insert_update(block, blank_nodes=blank_nodes)
    )


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
        from .console import run_guarded

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
        from .config import ONTOLOGY_FILE, REFERENCE_FILE

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
        from .config import ONTOLOGY_FILE, ONTOLOGY_NS, REFERENCE_FILE

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
        from .restore import restore_file

        return restore_file(self, path, fmt).restored


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


class EndpointStore(Store):
    """Any SPARQL 1.1 server through the SPARQL 1.1 Protocol (Oxigraph, Fuseki, Virtuoso...).

    Parameters are bound with a VALUES block (see `inject_values`): the protocol has no other way
    to pass bindings. The default
    graph is the union of all named graphs: sent as `default-graph-uri` for each one unless the
    server is configured with a union default graph (`union_default=True`).
    Credentials answer the server's challenge, Digest (Virtuoso's /sparql-auth) or Basic
    (Fuseki behind a proxy); they are never sent to an endpoint that does not ask for them.
    spacekg's graphs are the ones under its graph namespace: a shared server's other graphs
    (Virtuoso's own system graphs, another project's data) are not listed, exported or dropped.
    """

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        *,
        auth: tuple[str, str] | None = None,
        union_default: bool = True,
        timeout_s: float = 60.0,
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or _guess_update_endpoint(endpoint)
        self.description = f"SPARQL endpoint {endpoint}"
        self.union_default = union_default
        self.timeout_s = timeout_s
        self._auth = auth
        self._server: str | None = None  # the Server header, for the few quirks we must know
        self._session = requests.Session()
        if auth:
            self._session.auth = GuessAuth(*auth)

    def _post(self, url: str, data: dict[str, Any] | bytes, headers: dict[str, str]) -> bytes:
        try:
            response = self._session.post(url, data=data, headers=headers, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise StoreError(
                f"cannot reach the SPARQL server ({exc.__class__.__name__})",
                url,
                "check that the server runs and --endpoint is right",
            ) from exc
        self._server = response.headers.get("Server", "")
        if response.status_code >= 400:
            detail = response.text.strip().splitlines()[0][:300] if response.text.strip() else ""
            raise StoreError(
                f"the SPARQL server answered {response.status_code}: {detail}",
                url,
                "check the query, credentials and the server's log",
            )
        return response.content

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        text = inject_values(sparql, bindings) if bindings else sparql
        form: dict[str, Any] = {"query": text}
        graphs = default_graph
        if graphs is None and not self.union_default:
            graphs = self.graph_names()
        if graphs is not None:
            form["default-graph-uri"] = [str(g) for g in graphs]
        kind = _query_kind(sparql)
        accept = (
            "application/n-triples" if kind == "construct" else "application/sparql-results+json"
        )
        body = self._post(self.endpoint, form, {"Accept": accept})
        if kind == "construct":
            # Oxigraph's parser, not rdflib's (quadratic in literal length, STACK-NOTES); and
            # `from_ox` drops an explicit ^^xsd:string, which Virtuoso writes and Oxigraph
            # does not, so both servers give the embedded store's terms.
            try:
                triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                graph = Graph()
                for t in triples:
                    graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            except SyntaxError as exc:
                raise StoreError(
                    f"the SPARQL server sent invalid N-Triples: {exc}",
                    self.endpoint,
                    "check the server's log",
                ) from exc
            return QueryResult(kind="construct", graph=graph)
        result = parse_sparql_json(json.loads(body))
        if result.kind != kind:
            # Seen on Virtuoso without `CaseMode = 2`: ASK answered as a SELECT of ?__ASK_RETVAL.
            raise StoreError(
                f"the SPARQL server answered the {kind.upper()} query with a {result.kind.upper()} "
                "result",
                self.endpoint,
                "check the server's configuration (Virtuoso: CaseMode = 2 in virtuoso.ini)",
            )
        return result

    def update(self, sparql_update: str) -> None:
        self._post(
            self.update_endpoint,
            sparql_update.encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def drop_graph(self, graph_iri: URIRef) -> None:
        self.update("DROP SILENT GRAPH " + graph_iri.n3())

    def query_target(self) -> QueryTarget:
        return QueryTarget(
            backend="endpoint",
            endpoint=self.endpoint,
            user=self._auth[0] if self._auth else None,
            password=self._auth[1] if self._auth else None,
        )

    def graph_names(self) -> list[URIRef]:
        result = self.query(internal_query("graph_names"), default_graph=[])
        return sorted(row["g"] for row in result.rows if isinstance(row["g"], URIRef))

    def version(self) -> str:
        result = self.query(internal_query("graph_sizes"), default_graph=[])
        fingerprint = ";".join(f"{row['g']}={row['n']}" for row in result.rows)
        return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:16]

    def close(self) -> None:
        self._session.close()

    def shares_blank_nodes_across_graphs(self) -> bool:
        """Not on Virtuoso 7.2: it writes such an update, then answers 500 (an internal error
        formatting its report), and it has no BNODE() to share a node another way."""
        if self._server is None:
            self.query("ASK {}")
        return "virtuoso" not in (self._server or "").lower()


def _guess_update_endpoint(endpoint: str) -> str:
    """Oxigraph serves /query and /update; Fuseki /ds/query (or /sparql) and /ds/update;
    Virtuoso /sparql at the root, read-only, and updates on /sparql-auth (Digest login)."""
    parts = urlsplit(endpoint)
    if parts.path == "/sparql":
        return urlunsplit(parts._replace(path="/sparql-auth"))
    for suffix in ("/query", "/sparql"):
        if endpoint.endswith(suffix):
            return endpoint[: -len(suffix)] + "/update"
    return endpoint


@lru_cache(maxsize=512)
def _query_kind(sparql: str) -> Literal["select", "ask", "construct"]:
    """The query form, from a full parse (cached: parsing costs more than a small query)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(sparql)
    except Exception as exc:
        raise StoreError(f"invalid SPARQL: {exc}", "query", "fix the query text") from exc
    name = parsed[1].name
    if name == "AskQuery":
        return "ask"
    if name in ("ConstructQuery", "DescribeQuery"):
        return "construct"
    return "select"


def parse_sparql_json(payload: dict[str, Any]) -> QueryResult:
    """SPARQL 1.1 Query Results JSON -> QueryResult (rdflib terms)."""
    if "boolean" in payload:
        return QueryResult(kind="ask", boolean=bool(payload["boolean"]))
    names = list(payload.get("head", {}).get("vars", []))
    rows = []
    for binding in payload.get("results", {}).get("bindings", []):
        rows.append(
            {name: _json_term(binding[name]) if name in binding else None for name in names}
        )
    return QueryResult(kind="select", vars=names, rows=rows)


def _json_term(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return RDFLiteral(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != str(XSD.string):
        return RDFLiteral(value["value"], datatype=URIRef(datatype))
    return RDFLiteral(value["value"])


def inject_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables for a remote endpoint: a VALUES block at the start of the outer WHERE group.

    Values are rdflib terms serialised with `.n3()` (escaped by rdflib), so no user text is
    formatted into the query. The position is found by a scanner that skips comments, strings
    and IRIs; only our own library queries take bindings.
    """
    names = sorted(bindings)
    for name in names:
        if not name.isidentifier():
            raise StoreError(f"invalid variable name {name!r}", "query bindings", "")
    block = (
        " VALUES ("
        + " ".join("?" + n for n in names)
        + ") { ("
        + " ".join(bindings[n].n3() for n in names)
        + ") } "
    )
    position = _outer_group_start(sparql)
    return sparql[: position + 1] + block + sparql[position + 1 :]


def inject_value_rows(sparql: str, name: str, terms: Sequence[Node]) -> str:
    """Bind one variable to many values (a batch lookup): `VALUES ?name { t1 t2 ... }`.

    Placed and escaped like `inject_values`: terms are serialised with `.n3()`.
    """
    if not name.isidentifier():
        raise StoreError(f"invalid variable name {name!r}", "query bindings", "")
    block = " VALUES ?" + name + " { " + " ".join(term.n3() for term in terms) + " } "
    position = _outer_group_start(sparql)
    return sparql[: position + 1] + block + sparql[position + 1 :]


def bind_constant(sparql: str, name: str, term: RDFLiteral) -> str:
    """The query with the variable `?name` replaced by the literal `term`, serialised (and so
    escaped) with `.n3()`, outside comments, strings and IRIs.

    For a REGEX pattern only: Oxigraph compiles a pattern once when it is a constant, but again
    for every row when it comes from a VALUES block (6x slower on a tiny pattern at 1M triples).
    """
    if not name.isidentifier():
        raise StoreError(f"invalid variable name {name!r}", "query bindings", "")
    out: list[str] = []
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch in "#\"'<":  # a comment, string or IRI (a '<' operator is passed over)
            end = _skip_token(sparql, i)
            out.append(sparql[i:end])
            i = end
            continue
        if ch in "?$" and sparql.startswith(name, i + 1):
            end = i + 1 + len(name)
            if end == n or not (sparql[end].isalnum() or sparql[end] == "_"):
                out.append(term.n3())
                i = end
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _skip_token(sparql: str, i: int) -> int:
    """End of the comment, string or IRI starting at `i` (i + 1 for a '<' that is an operator)."""
    n = len(sparql)
    ch = sparql[i]
    if ch == "#":
        end = sparql.find("\n", i)
        return n if end < 0 else end
    if ch == "<":
        end = sparql.find(">", i)
        if end > 0 and " " not in sparql[i:end] and "\n" not in sparql[i:end]:
            return end + 1
        return i + 1
    triple = sparql[i : i + 3]
    if triple in ('"""', "'''"):
        end = sparql.find(triple, i + 3)
        return n if end < 0 else end + 3
    j = i + 1
    while j < n and sparql[j] != ch:
        j += 2 if sparql[j] == "\\" else 1
    return j + 1


def _outer_group_start(sparql: str) -> int:
    """Index of the '{' opening the outer WHERE group (the first '{' after WHERE at depth 0)."""
    i, n = 0, len(sparql)
    seen_where = False
    depth = 0
    first_brace = -1
    upper = sparql.upper()
    while i < n:
        ch = sparql[i]
        if ch in "#\"'<":  # a comment, string or IRI (a '<' operator is passed over)
            i = _skip_token(sparql, i)
            continue
        if upper.startswith("WHERE", i) and depth == 0:
            seen_where = True
        if ch == "{":
            if depth == 0 and seen_where:
                return i
            if depth == 0 and first_brace < 0:
                first_brace = i
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    if first_brace >= 0:
        return first_brace
    raise StoreError("cannot find the query's WHERE group", "query", "add a WHERE clause")


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
    "OxigraphStore",
    "QueryResult",
    "Store",
    "guess_format",
    "open_reader",
    "open_store",
]
