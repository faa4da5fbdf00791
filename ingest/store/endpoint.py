"""Any SPARQL 1.1 server through the SPARQL 1.1 Protocol."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.term import Node
from requests_toolbelt.auth.guess import GuessAuth

from ingest.errors import StoreError

from .base import QueryResult, QueryTarget, Store, internal_query
from .binding import inject_values
from .terms import from_ox


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
