"""`spacekg serve`: the embedded store as a read-only SPARQL 1.1 Protocol endpoint.

Every query goes through the console's one guard (`ingest.console.run_guarded`): vetted
(read-only, no SERVICE / FROM / LOAD) and run in a confined worker that opens the store
read-only, under the time, row and memory limits. The server itself holds nothing open, so the
CLI and the app keep the store, and each query sees its last committed state.

Starlette on uvicorn (both already installed and pinned as Streamlit's own HTTP stack): the
event loop only parses requests; a bounded pool of threads waits for the query workers, and a
request beyond the pool and its queue gets 503 at once instead of waiting unboundedly.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from .console import ConsoleResult, QueryLimits, run_guarded
from .errors import QueryError, QueryLimitError, QueryUnavailableError, RequestError, StoreError
from .serve_description import service_description
from .serve_formats import (
    OFFERS,
    Offer,
    acceptable,
    content_type,
    negotiate,
    serialise,
    serialise_graph,
)
from .serve_protocol import ProtocolQuery, read_protocol
from .sparql_check import MAX_QUERY_CHARS, QueryKind, normalise, query_form
from .sparql_check import WHERE as CONSOLE
from .store import QueryTarget, internal_query, open_reader

DEFAULT_PORT = 7879
DEFAULT_MAX_BODY = 1024 * 1024
TRUNCATED = "Spacekg-Truncated"
ROW_LIMIT = "Spacekg-Row-Limit"
log = logging.getLogger("spacekg.serve")


@dataclass(frozen=True)
class StoreSummary:
    """What the index page says about the store: its name and size when the server started."""

    name: str
    graphs: int
    triples: int


@dataclass(frozen=True)
class ServeConfig:
    """Everything a running endpoint needs; built once by the CLI."""

    store_dir: Path
    summary: StoreSummary
    limits: QueryLimits
    max_body_bytes: int = DEFAULT_MAX_BODY
    workers: int = 2
    queue: int = 16
    cors_origins: tuple[str, ...] = ("*",)
    # Host headers answered: a page that rebinds its own domain name to 127.0.0.1 (DNS
    # rebinding) still sends its name, and gets a 400 instead of the graph.
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")

    @property
    def target(self) -> QueryTarget:
        return QueryTarget(backend="embedded", store=str(self.store_dir))


def summarise_store(store_dir: Path) -> StoreSummary:
    """Check the store can be served and count it; refuse a missing one.

    Opened like every reading verb (`open_reader`: read-only beside a writer; the curated
    graphs loaded once if missing or outdated and nobody writes), then closed again.
    """
    if not store_dir.is_dir() or not any(store_dir.iterdir()):
        raise StoreError(
            "there is no store here",
            str(store_dir),
            "run spacekg ingest first, or pass --store DIR (or SPACEKG_STORE)",
        )
    store = open_reader(store_dir)
    try:
        sizes = store.query(internal_query("graph_sizes"), default_graph=[]).rows
    finally:
        store.close()
    return StoreSummary(store_dir.name, len(sizes), sum(int(str(row["n"])) for row in sizes))


def allowed_hosts_for(host: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The Host names to answer: loopback names, the bound address, and `extra`; any name when
    bound to every interface (the bind warning says so), since clients then use the machine's."""
    if host in ("0.0.0.0", "::", ""):
        return ("*",)
    shown = f"[{host}]" if ":" in host else host
    return tuple(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", shown, *extra]))


def bind_warning(host: str) -> str | None:
    """A warning when `host` exposes the endpoint beyond this machine, else None."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        f"warning: binding to {host} makes the endpoint reachable from other machines; it has "
        "no authentication and answers anyone who can reach the port (read-only, within the "
        "query limits). Bind to 127.0.0.1 unless the network is trusted."
    )


# --- the endpoint ------------------------------------------------------------------------------


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past `limit` bytes (before reading, when it says)."""
    declared = request.headers.get("content-length", "")
    too_large = RequestError(
        413, f"the request body is larger than {limit:,} bytes", "", "send a shorter query"
    )
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _not_acceptable(kind: QueryKind, accept: str | None) -> RequestError:
    name = {"select": "a SELECT", "ask": "an ASK", "construct": "a CONSTRUCT or DESCRIBE"}[kind]
    return RequestError(
        406,
        f"none of the formats it accepts ({accept}) can answer {name} query",
        "Accept",
        f"accept one of {acceptable(kind)}",
    )


def _run(
    config: ServeConfig, query: ProtocolQuery, offer: Offer | None, accept: str | None
) -> tuple[ConsoleResult, Offer, bytes]:
    """Run the query through the guard and serialise it (in a worker thread)."""
    result = run_guarded(config.target, query.text, config.limits, dataset=query.dataset)
    if offer is None:  # the form was not recognisable before the query ran
        offer = negotiate(accept, result.kind)
        if offer is None:
            raise _not_acceptable(result.kind, accept)
    return result, offer, serialise(result, offer)


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol query operation (GET, form POST, direct POST)."""
    config: ServeConfig = request.app.state.config
    limiter: anyio.CapacityLimiter = request.app.state.limiter
    if request.method in ("GET", "HEAD") and not request.scope["query_string"]:
        return _description(request, config)
    body = await _body(request, config.max_body_bytes) if request.method == "POST" else b""
    query = read_protocol(
        request.method, request.scope["query_string"], request.headers.get("content-type"), body
    )
    accept = request.headers.get("accept")
    kind = query_form(normalise(query.text)) if len(query.text) <= MAX_QUERY_CHARS else None
    offer = negotiate(accept, kind) if kind else None
    if kind and offer is None:
        raise _not_acceptable(kind, accept)
    if limiter.statistics().tasks_waiting >= config.queue:
        raise RequestError(503, "the endpoint is busy", "", "retry in a moment")
    started = time.perf_counter()
    result, offer, payload = await anyio.to_thread.run_sync(
        _run, config, query, offer, accept, limiter=limiter
    )
    log.info(
        "200 %s %s %.2f s%s",
        result.kind,
        offer.media_type,
        time.perf_counter() - started,
        " truncated" if result.truncated else "",
    )
    headers = {
        TRUNCATED: "true" if result.truncated else "false",
        ROW_LIMIT: str(config.limits.row_limit),
        "Vary": "Accept",
        "Cache-Control": "no-store",
    }
    return Response(payload, headers=headers, media_type=content_type(offer))


def _description(request: Request, config: ServeConfig) -> Response:
    """The Service Description, in the RDF format the client accepts (Turtle when none)."""
    endpoint = str(request.url.replace(query=""))
    graph = service_description(
        endpoint, store=config.summary.name, triples=config.summary.triples, limits=config.limits
    )
    offer = negotiate(request.headers.get("accept"), "construct") or OFFERS["construct"][0]
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    return Response(serialise_graph(graph, offer), headers=headers, media_type=content_type(offer))


def _plain(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def _request_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestError)
    headers = {"Retry-After": "1"} if exc.status == 503 else None
    if exc.status == 405:
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
    return _plain(exc.status, str(exc), headers)


async def _query_error(request: Request, exc: Exception) -> Response:
    """400 for a query the guard refuses or cannot parse; 503 for limits and our own trouble."""
    assert isinstance(exc, QueryError)
    if isinstance(exc, QueryUnavailableError):
        # The detail can name server paths: it goes to the log, not to the client.
        log.error("query could not run: %s", exc)
        return _plain(503, "the query could not run (a problem on the server: see its log)")
    # The guard's messages name the console; here the query came over the protocol.
    message = str(exc)
    if message.startswith(CONSOLE + ": "):
        message = "SPARQL query: " + message[len(CONSOLE) + 2 :]
    if isinstance(exc, QueryLimitError):
        log.info("503 %s", exc.what)
        return _plain(503, message)
    return _plain(400, message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _plain(404, f"{request.url.path}: no such page — the endpoint is /sparql; see /")
    if exc.status_code == 405:
        return await _request_error(request, RequestError(405, f"{request.method} is not allowed"))
    return _plain(exc.status_code, str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error")
    return _plain(500, "internal error (see the server log)")


# --- the index page ----------------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>spacekg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.4}}
code,pre,textarea{{font-family:monospace}}pre{{background:#f4f4f4;padding:.6em;overflow-x:auto}}
textarea{{width:100%}}td{{padding:.1em .8em .1em 0;vertical-align:top}}</style></head>
<body><h1>spacekg SPARQL endpoint</h1>
<p>A <strong>read-only</strong> SPARQL 1.1 Protocol endpoint over the spacekg knowledge graph
(NATO space doctrine, space-security actors and threats). Point YASGUI, Prot&eacute;g&eacute;,
SPARQLWrapper or rdflib's SPARQLStore at it.</p>
<table>
<tr><td>endpoint</td><td><code>{endpoint}</code> (also <code>{alias}</code>)</td></tr>
<tr><td>store</td><td><code>{store}</code>: {graphs} named graphs, {triples} triples
(at start-up); the default graph is their union</td></tr>
<tr><td>limits per query</td><td>{timeout} s, {rows} rows (more are cut off: the
<code>{truncated}</code> response header says <code>true</code>), {memory} MiB of memory,
{chars} characters</td></tr>
<tr><td>refused</td><td>SPARQL Update (403), <code>SERVICE</code>, <code>FROM</code> /
<code>FROM NAMED</code>, <code>LOAD</code> (400). The protocol's <code>default-graph-uri</code>
and <code>named-graph-uri</code> name graphs of this store; nothing is fetched.</td></tr>
<tr><td>formats</td><td>SELECT / ASK: {select}<br>CONSTRUCT / DESCRIBE: {graph}</td></tr>
</table>
<h2>Example</h2>
<pre>{curl}</pre>
<form action="{endpoint}" method="get"><p><textarea name="query" rows="6">{example}</textarea></p>
<p><button type="submit">Run (JSON results)</button></p></form>
</body></html>
"""
_EXAMPLE = (
    "PREFIX skg: <https://w3id.org/spacekg/ontology#>\n"
    "SELECT ?actor ?event WHERE { ?actor skg:conducted ?event } ORDER BY ?actor LIMIT 10"
)


async def index(request: Request) -> Response:
    """What this is: the store, the endpoint, its limits, an example."""
    config: ServeConfig = request.app.state.config
    base = str(request.base_url).rstrip("/")
    endpoint = base + "/sparql"
    curl = (
        "curl -H 'Accept: text/csv' --data-urlencode "
        "'query=SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g' " + endpoint
    )
    limits, summary = config.limits, config.summary
    page = _PAGE.format(
        endpoint=html.escape(endpoint),
        alias=html.escape(base + "/query"),
        store=html.escape(summary.name),
        graphs=f"{summary.graphs:,}",
        triples=f"{summary.triples:,}",
        timeout=f"{limits.timeout_s:g}",
        rows=f"{limits.row_limit:,}",
        truncated=TRUNCATED,
        memory=f"{limits.memory_mb:,}",
        chars=f"{MAX_QUERY_CHARS:,}",
        select=html.escape(acceptable("select")),
        graph=html.escape(acceptable("construct")),
        curl=html.escape(curl),
        example=html.escape(_EXAMPLE),
    )
    # No external assets, no scripts: the page only links to the endpoint itself.
    policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    return HTMLResponse(page, headers={"Content-Security-Policy": policy})


# --- the application ---------------------------------------------------------------------------


def create_app(config: ServeConfig) -> Starlette:
    """The ASGI application for `config` (routes, CORS, error handlers)."""
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]  # the others get a protocol 405
    routes = [Route("/", index, methods=["GET"])] + [
        Route(path, sparql, methods=methods)
        for path in ("/sparql", "/sparql/", "/query", "/query/")
    ]
    cors = Middleware(
        CORSMiddleware,  # type: ignore[arg-type]
        allow_origins=list(config.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["*"],  # whatever a browser client asks to send; no credentials
        expose_headers=[TRUNCATED, ROW_LIMIT],
        allow_private_network=True,  # a YASGUI page on the web asking 127.0.0.1 (Chrome)
    )
    hosts = Middleware(
        TrustedHostMiddleware,  # type: ignore[arg-type]
        allowed_hosts=list(config.allowed_hosts),
    )
    app = Starlette(
        routes=routes,
        middleware=[hosts, cors],
        exception_handlers={
            RequestError: _request_error,
            QueryError: _query_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.config = config
    app.state.limiter = anyio.CapacityLimiter(config.workers)
    return app


def run_server(config: ServeConfig, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM)."""
    import uvicorn

    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        limit_concurrency=config.workers + config.queue + 32,
        # h11 holds a request line and headers to this size: room for a GET of the longest query
        # the guard accepts, percent-encoded.
        h11_max_incomplete_event_size=config.max_body_bytes,
        server_header=False,
    )


__all__ = [
    "DEFAULT_PORT",
    "ROW_LIMIT",
    "TRUNCATED",
    "ServeConfig",
    "StoreSummary",
    "bind_warning",
    "create_app",
    "run_server",
    "summarise_store",
]
