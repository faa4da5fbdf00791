"""`spacekg serve`: the real server process over a real store, queried by real clients.

The protocol cases carry the names of the W3C SPARQL 1.1 Protocol tests
(https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/): the kasei.us graphs those
use become the fixture store's document graphs (nothing is fetched from the web). Expected
answers come from the same store opened directly, read-only, beside the running server.
"""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
import requests
from conftest import QUERY_DATASET, _free_port, load_dataset
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, RDFXML, TURTLE, XML, SPARQLWrapper

from ingest.serve import allowed_hosts_for
from ingest.store import OxigraphStore

pytestmark = pytest.mark.server

ROOT = Path(__file__).parents[1]
ROWS = 100
TIMEOUT = 15
SKG = "PREFIX skg: <https://w3id.org/spacekg/ontology#>\n"
GRAPH_A = "https://w3id.org/spacekg/graph/source/aaaaaaaaaaaaaaaa"
GRAPH_B = "https://w3id.org/spacekg/graph/source/bbbbbbbbbbbbbbbb"
DOC_A = "https://w3id.org/spacekg/id/source/aaaaaaaaaaaaaaaa"
DOC_B = "https://w3id.org/spacekg/id/source/bbbbbbbbbbbbbbbb"
NATO = URIRef("https://w3id.org/spacekg/id/actor/nato")
CONDUCTED = (
    SKG + "SELECT ?actor ?event WHERE { ?actor skg:conducted ?event } ORDER BY ?actor ?event"
)
CONSTRUCT = SKG + "CONSTRUCT { ?a skg:conducted ?e } WHERE { ?a skg:conducted ?e }"
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/ld+json",
    "application/rdf+xml",
)
PARSE_AS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/n-quads": "nquads"}
PARSE_AS |= {"application/ld+json": "json-ld", "application/rdf+xml": "xml"}


@dataclass(frozen=True)
class Served:
    url: str
    store: Path
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def spacekg(*args: str) -> list[str]:
    return [sys.executable, "-c", "from ingest.cli import main; main()", *args]


@contextmanager
def serving(store: Path, *args: str) -> Iterator[Served]:
    """`spacekg serve` on a free loopback port, waited for until its page answers."""
    port = _free_port()
    argv = spacekg("--store", str(store), "serve", "--port", str(port), *args)
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                requests.get(url + "/", timeout=2)
                break
            except requests.ConnectionError as exc:
                if process.poll() is not None:
                    stderr = process.stderr.read() if process.stderr else b""
                    raise RuntimeError(f"spacekg serve exited: {stderr!r}") from exc
                if time.monotonic() > deadline:
                    raise RuntimeError("spacekg serve did not start within 60 s") from exc
                time.sleep(0.2)
        yield Served(url, store, process)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    store = OxigraphStore(path)
    load_dataset(store, QUERY_DATASET)
    store.close()  # the server must open it itself
    return path


@pytest.fixture(scope="module")
def served(store_dir: Path) -> Iterator[Served]:
    with serving(store_dir, "--limit", str(ROWS), "--timeout", str(TIMEOUT)) as server:
        yield server


def direct(store: Path, query: str, **kwargs: object) -> object:
    """The answer of pyoxigraph itself on the store (union default graph unless told)."""
    handle = ox.Store.read_only(str(store))
    if not kwargs:
        kwargs = {"use_default_graph_as_union": True}
    return handle.query(query, **kwargs)  # type: ignore[arg-type]


def direct_rows(store: Path, query: str) -> list[tuple[str, ...]]:
    solutions = direct(store, query)
    names = [v.value for v in solutions.variables]  # type: ignore[attr-defined]
    return [tuple(s[n].value for n in names) for s in solutions]  # type: ignore[attr-defined]


def json_rows(payload: dict) -> list[tuple[str, ...]]:
    names = payload["head"]["vars"]
    return [tuple(b[n]["value"] for n in names) for b in payload["results"]["bindings"]]


def direct_graph(store: Path, query: str) -> Graph:
    data = ox.serialize(direct(store, query), format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
    return Graph().parse(data=data or b"", format="nt")


def ask(response: requests.Response) -> bool:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return bool(response.json()["boolean"])


def post_direct(served: Served, query: str | bytes, params: object = None, **headers: str):
    headers = {"Content-Type": "application/sparql-query", **headers}
    body = query.encode("utf-8") if isinstance(query, str) else query
    return requests.post(served.sparql, data=body, params=params, headers=headers, timeout=60)


# --- W3C SPARQL 1.1 Protocol: positive tests ----------------------------------------------------


def test_query_get(served: Served) -> None:
    assert ask(requests.get(served.sparql, params={"query": "ASK {}"}, timeout=60)) is True


def test_query_post_form(served: Served) -> None:
    response = requests.post(served.sparql, data={"query": "ASK {}"}, timeout=60)
    assert ask(response) is True


def test_query_post_direct(served: Served) -> None:
    assert ask(post_direct(served, "ASK {}")) is True


def test_query_alias_and_trailing_slash(served: Served) -> None:
    for path in ("/query", "/sparql/", "/query/"):
        headers = {"Content-Type": "application/sparql-query"}
        response = requests.post(served.url + path, data=b"ASK {}", headers=headers, timeout=60)
        assert ask(response) is True
        response = requests.get(served.url + path, params={"query": CONDUCTED}, timeout=60)
        assert json_rows(response.json()) == direct_rows(served.store, CONDUCTED)


def test_query_dataset_default_graph(served: Served) -> None:
    query = f"ASK {{ <{DOC_A}> ?p ?o }}"
    assert ask(post_direct(served, query, {"default-graph-uri": GRAPH_A})) is True
    # The dataset really narrows: document A is not in document B's graph.
    assert ask(post_direct(served, query, {"default-graph-uri": GRAPH_B})) is False


def _two_graphs(served: Served) -> str:
    return f"ASK {{ <{DOC_A}> a ?type . <{DOC_B}> a ?type }}"


def test_query_dataset_default_graphs_get(served: Served) -> None:
    params = {"query": _two_graphs(served), "default-graph-uri": [GRAPH_A, GRAPH_B]}
    assert ask(requests.get(served.sparql, params=params, timeout=60)) is True
    params["default-graph-uri"] = [GRAPH_A]
    assert ask(requests.get(served.sparql, params=params, timeout=60)) is False


def test_query_dataset_default_graphs_post(served: Served) -> None:
    both = {"default-graph-uri": [GRAPH_A, GRAPH_B]}
    assert ask(post_direct(served, _two_graphs(served), both)) is True
    # The form POST carries the dataset in its body.
    form = {"query": _two_graphs(served), **both}
    assert ask(requests.post(served.sparql, data=form, timeout=60)) is True


NAMED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def test_query_dataset_named_graphs_get(served: Served) -> None:
    params = {"query": NAMED, "named-graph-uri": [GRAPH_B, GRAPH_A]}
    response = requests.get(served.sparql, params=params, timeout=60)
    assert json_rows(response.json()) == [(GRAPH_A,), (GRAPH_B,)]


def test_query_dataset_named_graphs_post(served: Served) -> None:
    response = post_direct(served, NAMED, {"named-graph-uri": [GRAPH_A]})
    assert json_rows(response.json()) == [(GRAPH_A,)]
    # Without a dataset the store's graphs are all named graphs.
    every = json_rows(post_direct(served, NAMED).json())
    assert every == direct_rows(served.store, NAMED) and len(every) > 2


def test_query_dataset_full(served: Served) -> None:
    query = f"SELECT DISTINCT ?g WHERE {{ <{DOC_B}> ?p ?o GRAPH ?g {{ <{DOC_A}> ?q ?r }} }}"
    params = {"default-graph-uri": GRAPH_B, "named-graph-uri": [GRAPH_A, GRAPH_B]}
    response = post_direct(served, query, params)
    assert json_rows(response.json()) == [(GRAPH_A,)]


def test_query_multiple_dataset(served: Served) -> None:
    """FROM in the query is refused whatever the protocol says (the W3C case allows a 400)."""
    query = f"ASK FROM <{GRAPH_A}> {{ <{DOC_A}> ?p ?o }}"
    response = post_direct(served, query, {"default-graph-uri": GRAPH_B})
    assert response.status_code == 400
    assert f"FROM <{GRAPH_A}> is not allowed" in response.text


@pytest.mark.parametrize("wanted", RESULT_TYPES)
def test_query_content_type_select(served: Served, wanted: str) -> None:
    accept = ", ".join(RESULT_TYPES)
    response = post_direct(served, "SELECT (1 AS ?value) {}", Accept=accept)
    assert response.headers["content-type"].split(";")[0] in RESULT_TYPES
    # Each one on its own, checked on its content.
    response = post_direct(served, CONDUCTED, Accept=wanted)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == wanted
    expected = direct_rows(served.store, CONDUCTED)
    if wanted.endswith("json"):
        assert json_rows(response.json()) == expected
    elif wanted.endswith("xml"):
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
        assert [(s["actor"].value, s["event"].value) for s in parsed] == expected
    elif wanted == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["actor", "event"] and [tuple(r) for r in rows[1:]] == expected
    else:
        lines = response.text.splitlines()
        assert lines[0] == "?actor\t?event"
        assert [tuple(cell.strip("<>") for cell in line.split("\t")) for line in lines[1:]] == (
            expected
        )


def test_query_content_type_ask(served: Served) -> None:
    accept = "application/sparql-results+xml, application/sparql-results+json"
    response = post_direct(served, "ASK {}", Accept=accept)
    assert response.headers["content-type"] in accept.split(", ")  # equal q: ours, JSON
    assert response.json()["boolean"] is True
    response = post_direct(served, "ASK { ?s ?p ?o }", Accept="application/sparql-results+xml")
    assert response.headers["content-type"] == "application/sparql-results+xml"
    parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
    assert bool(parsed) is True


@pytest.mark.parametrize("wanted", RDF_TYPES)
def test_query_content_type_construct(served: Served, wanted: str) -> None:
    response = post_direct(
        served,
        "CONSTRUCT { <urn:s> <urn:p> 1 } WHERE {}",
        Accept="application/rdf+xml, text/turtle",
    )
    assert response.headers["content-type"].split(";")[0] in ("application/rdf+xml", "text/turtle")
    response = post_direct(served, CONSTRUCT, Accept=wanted)
    assert response.headers["content-type"].split(";")[0] == wanted
    got = Graph().parse(data=response.content, format=PARSE_AS[wanted])
    expected = direct_graph(served.store, CONSTRUCT)
    assert len(expected) > 3 and isomorphic(got, expected)


def test_query_content_type_describe(served: Served) -> None:
    response = post_direct(served, f"DESCRIBE <{NATO}>", Accept="application/rdf+xml, text/turtle")
    assert response.headers["content-type"].split(";")[0] in ("application/rdf+xml", "text/turtle")
    got = Graph().parse(
        data=response.content,
        format="xml" if "xml" in response.headers["content-type"] else "turtle",
    )
    assert isomorphic(got, direct_graph(served.store, f"DESCRIBE <{NATO}>"))
    assert (NATO, RDFS.label, None) in got


# --- content negotiation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, "select", "application/sparql-results+json"),
        ("*/*", "select", "application/sparql-results+json"),
        ("*/*", "construct", "text/turtle"),
        (
            "text/csv;q=0.5, application/sparql-results+xml",
            "select",
            "application/sparql-results+xml",
        ),
        ("text/csv;q=0, text/*;q=0.4", "select", "text/tab-separated-values"),
        ("application/n-triples;q=0.9, application/ld+json", "construct", "application/ld+json"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "select",
            "application/sparql-results+json",
        ),
    ],
)
def test_accept_q_values(served: Served, accept: str | None, kind: str, expected: str) -> None:
    query = CONDUCTED if kind == "select" else CONSTRUCT
    headers = {"Accept": accept} if accept is not None else {"Accept": ""}
    response = requests.get(served.sparql, params={"query": query}, headers=headers, timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]


def test_nothing_acceptable_is_406(served: Served) -> None:
    response = requests.get(
        served.sparql,
        params={"query": CONSTRUCT},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 406
    assert "CONSTRUCT or DESCRIBE" in response.text and "text/turtle" in response.text


# --- W3C SPARQL 1.1 Protocol: negative tests -----------------------------------------------------


def test_bad_query_method(served: Served) -> None:
    response = requests.put(served.sparql, params={"query": "ASK {}"}, timeout=60)
    assert response.status_code == 405 and "GET" in response.headers["allow"]
    assert "PUT is not" in response.text


def test_bad_multiple_queries(served: Served) -> None:
    response = requests.get(
        served.sparql + "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", timeout=60
    )
    assert response.status_code == 400 and "2 queries" in response.text


def test_bad_query_wrong_media_type(served: Served) -> None:
    response = requests.post(
        served.sparql, data=b"ASK {}", headers={"Content-Type": "text/plain"}, timeout=60
    )
    assert response.status_code == 415 and "text/plain is not a SPARQL query" in response.text


def test_bad_query_missing_form_type(served: Served) -> None:
    response = requests.post(served.sparql, data=b"query=ASK%20%7B%7D", timeout=60)
    assert response.status_code == 415 and "no Content-Type" in response.text


def test_bad_query_missing_direct_type(served: Served) -> None:
    response = requests.post(served.sparql, data=b"ASK {}", timeout=60)
    assert response.status_code == 415 and "application/sparql-query" in response.text


def test_bad_query_non_utf8(served: Served) -> None:
    body = "ASK {}".encode("utf-16")
    response = post_direct(
        served, body, **{"Content-Type": "application/sparql-query; charset=UTF-16"}
    )
    assert response.status_code == 415 and "utf-16" in response.text
    # Latin-1 bytes sent without a charset are not UTF-8 either.
    response = post_direct(served, 'ASK { ?s ?p "caf\xe9" }'.encode("latin-1"))
    assert response.status_code == 400 and "not valid UTF-8" in response.text


def test_bad_query_syntax(served: Served) -> None:
    response = requests.get(served.sparql, params={"query": "ASK {"}, timeout=60)
    assert response.status_code == 400
    assert "SPARQL query: syntax error at line 1, column 6" in response.text
    assert "Traceback" not in response.text and str(served.store) not in response.text


def test_bad_update_get(served: Served) -> None:
    response = requests.get(served.sparql, params={"update": "CLEAR ALL"}, timeout=60)
    assert response.status_code == 403 and "read-only" in response.text


COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize(
    ("case", "body", "content_type"),
    [
        ("update_post_form", b"update=CLEAR%20ALL", "application/x-www-form-urlencoded"),
        ("update_post_direct", b"CLEAR ALL", "application/sparql-update"),
        (
            "bad_multiple_updates",
            b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
            "application/x-www-form-urlencoded",
        ),
        (
            "bad_update_non_utf8",
            "CLEAR NAMED".encode("utf-16"),
            "application/sparql-update; charset=UTF-16",
        ),
        ("bad_update_syntax", b"update=CLEAR%20XYZ", "application/x-www-form-urlencoded"),
        (
            "bad_update_dataset_conflict",
            b"using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=CLEAR%20ALL",
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_update_refused(served: Served, case: str, body: bytes, content_type: str) -> None:
    before = direct_rows(served.store, COUNT_ALL)
    response = requests.post(
        served.sparql, data=body, headers={"Content-Type": content_type}, timeout=60
    )
    assert response.status_code == 403, case
    assert "read-only: SPARQL Update is refused" in response.text
    assert direct_rows(served.store, COUNT_ALL) == before


def test_update_as_query_refused(served: Served) -> None:
    response = requests.post(served.sparql, data={"query": "DROP ALL"}, timeout=60)
    assert response.status_code == 400 and "updates are not allowed (DROP)" in response.text
    assert int(direct_rows(served.store, COUNT_ALL)[0][0]) > 1000


# --- the console's limits ------------------------------------------------------------------------


def test_service_refused(served: Served) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(3)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    response = requests.get(served.sparql, params={"query": query}, timeout=60)
    assert response.status_code == 400 and "SERVICE <http://127.0.0.1" in response.text
    with pytest.raises(TimeoutError):
        listener.accept()  # nothing ever called the listener
    listener.close()


def test_rows_truncated_at_cap(served: Served) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    response = requests.get(served.sparql, params={"query": everything}, timeout=60)
    assert response.headers["spacekg-truncated"] == "true"
    assert response.headers["spacekg-row-limit"] == str(ROWS)
    assert len(response.json()["results"]["bindings"]) == ROWS
    assert len(direct_rows(served.store, everything)) > ROWS
    small = requests.get(served.sparql, params={"query": CONDUCTED}, timeout=60)
    assert small.headers["spacekg-truncated"] == "false"


def test_slow_query_hits_time_limit_and_cors_origin_option(store_dir: Path) -> None:
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    allowed = "https://yasgui.example"
    with serving(store_dir, "--timeout", "2", "--cors-origin", allowed) as server:
        started = time.monotonic()
        response = requests.get(server.sparql, params={"query": cross}, timeout=60)
        seconds = time.monotonic() - started
        ask = {"query": "ASK {}"}
        mine = requests.get(server.sparql, params=ask, headers={"Origin": allowed}, timeout=60)
        other = requests.get(
            server.sparql, params=ask, headers={"Origin": "https://elsewhere.example"}, timeout=60
        )
    assert mine.headers["access-control-allow-origin"] == allowed
    assert "access-control-allow-origin" not in other.headers
    assert response.status_code == 503
    assert "ran past the 2 s limit" in response.text
    assert seconds < 10, seconds


def test_request_body_limit(served: Served) -> None:
    huge = "ASK { " + "#" * (2 * 1024 * 1024) + "\n}"
    response = post_direct(served, huge)
    assert response.status_code == 413 and "larger than 1,048,576 bytes" in response.text


def test_unknown_graph_refused(served: Served) -> None:
    unknown = "https://w3id.org/spacekg/graph/source/0000000000000000"
    response = post_direct(served, "ASK {}", {"named-graph-uri": [GRAPH_A, unknown]})
    assert response.status_code == 400
    assert f"named-graph-uri <{unknown}> is not a graph of this store" in response.text


def test_bad_graph_iri(served: Served) -> None:
    response = post_direct(served, "ASK {}", {"default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "default-graph-uri" in response.text and "not an absolute IRI" in response.text


# --- around the endpoint -----------------------------------------------------------------------


def test_cors_preflight_and_exposed_headers(served: Served) -> None:
    origin = "https://yasgui.example"
    preflight = requests.options(
        served.sparql,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
        timeout=60,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    response = requests.post(
        served.sparql, data={"query": "ASK {}"}, headers={"Origin": origin}, timeout=60
    )
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "spacekg-truncated" in exposed and "spacekg-row-limit" in exposed


def test_index_page(served: Served) -> None:
    response = requests.get(served.url + "/", timeout=60)
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert served.sparql in page and "read-only" in page and "curl " in page
    assert f"{ROWS} rows" in page and f"{TIMEOUT} s" in page and "1,024 MiB" in page
    assert "<script" not in page and "src=" not in page and "<link" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert str(served.store.parent) not in page  # the store's name, not its path


def test_unknown_path(served: Served) -> None:
    response = requests.get(served.url + "/nope", timeout=60)
    assert response.status_code == 404 and "/sparql" in response.text


def _outward_address() -> str | None:
    """This machine's address on its way out (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only
        except OSError:
            return None
        address = sock.getsockname()[0]
    return None if address.startswith("127.") else address


def test_not_reachable_from_non_loopback_address(served: Served) -> None:
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    port = int(served.url.rsplit(":", 1)[1])
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://{address}:{port}/", timeout=5)


def test_a_foreign_host_name_is_refused_against_dns_rebinding(served: Served) -> None:
    # a web page whose own name was rebound to 127.0.0.1 reaches the port but sends its name
    ask = {"query": "ASK { ?s ?p ?o }"}
    rebound = requests.get(
        served.sparql, params=ask, headers={"Host": "attacker.example"}, timeout=30
    )
    assert rebound.status_code == 400 and "host" in rebound.text.lower()
    port = served.url.rsplit(":", 1)[1]
    local = requests.get(
        served.sparql, params=ask, headers={"Host": f"localhost:{port}"}, timeout=60
    )
    assert local.status_code == 200 and local.json()["boolean"] is True


def test_allowed_hosts_follow_the_bound_address() -> None:
    assert allowed_hosts_for("127.0.0.1") == ("127.0.0.1", "localhost", "[::1]")
    assert "kg.lab.example" in allowed_hosts_for("10.0.0.5", ["kg.lab.example"])
    assert "[::1]" in allowed_hosts_for("::1")
    assert allowed_hosts_for("0.0.0.0") == ("*",)


def test_store_stays_writable_and_queries_see_new_data(served: Served) -> None:
    """The server holds no lock: a writer opens the store, and the next query sees its write."""
    graph = URIRef("https://w3id.org/spacekg/graph/source/cccccccccccccccc")
    label = Literal("written beside the server")
    writer = OxigraphStore(served.store)
    try:
        extra = Graph()
        extra.add((URIRef("urn:spacekg:test"), RDFS.label, label))
        writer.replace_graph(graph, extra)
        query = f"SELECT ?l WHERE {{ GRAPH <{graph}> {{ ?s ?p ?l }} }}"
        response = requests.get(served.sparql, params={"query": query}, timeout=60)
        assert json_rows(response.json()) == [(str(label),)]
    finally:
        writer.drop_graph(graph)
        writer.close()


# --- real clients ------------------------------------------------------------------------------


def test_sparqlwrapper_select_ask_construct(served: Served) -> None:
    client = SPARQLWrapper(served.sparql)
    client.setQuery(CONDUCTED)
    client.setReturnFormat(JSON)
    assert json_rows(client.query().convert()) == direct_rows(served.store, CONDUCTED)  # type: ignore[arg-type]
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert isinstance(document, Document)
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [value for row in direct_rows(served.store, CONDUCTED) for value in row]
    client.setReturnFormat(CSV)
    client.setMethod(POST)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"))))  # type: ignore[union-attr]
    assert [tuple(r) for r in rows[1:]] == direct_rows(served.store, CONDUCTED)
    client.setQuery("ASK { ?s a ?type }")
    client.setReturnFormat(JSON)
    client.setRequestMethod(POSTDIRECTLY)
    assert client.query().convert()["boolean"] is True  # type: ignore[index]
    for fmt in (RDFXML, TURTLE):
        client.setQuery(CONSTRUCT)
        client.setReturnFormat(fmt)
        answer = client.query().convert()
        graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
        assert isomorphic(graph, direct_graph(served.store, CONSTRUCT))


def test_sparqlwrapper_update_refused(served: Served) -> None:
    client = SPARQLWrapper(served.sparql)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(HTTPError) as caught:
        client.query()
    assert caught.value.code == 403


def test_rdflib_sparqlstore(served: Served) -> None:
    graph_store = Graph(store=SPARQLStore(served.sparql))
    dataset = Dataset(store=SPARQLStore(served.sparql), default_union=True)
    result = graph_store.query(CONDUCTED)
    assert [str(v) for v in result.vars or []] == ["actor", "event"]
    rows = [tuple(str(v) for v in row) for row in result]  # type: ignore[union-attr]
    assert rows == direct_rows(served.store, CONDUCTED)
    assert dataset.query("ASK { ?s a ?type }").askAnswer is True
    graph = Graph()
    for triple in dataset.query(CONSTRUCT):
        graph.add(triple)  # type: ignore[arg-type]
    assert isomorphic(graph, direct_graph(served.store, CONSTRUCT))
    labels = {o for _, _, o in dataset.triples((NATO, RDFS.label, None))}
    expected = direct_rows(served.store, f"SELECT ?l WHERE {{ <{NATO}> <{RDFS.label}> ?l }}")
    assert {str(label) for label in labels} == {row[0] for row in expected} and labels
    # A plain Dataset names its default graph urn:x-rdflib:default: refused, not an empty answer.
    with pytest.raises(ValueError) as caught:  # rdflib wraps the HTTP error
        Dataset(store=SPARQLStore(served.sparql)).query("ASK { ?s ?p ?o }")
    http = caught.value.__context__
    assert isinstance(http, HTTPError) and http.code == 400
    assert "urn:x-rdflib:default> is not a graph of this store" in http.read().decode()
    # A Graph named after one of the store's graphs reads that graph alone (default-graph-uri).
    one = Graph(store=SPARQLStore(served.sparql), identifier=URIRef(GRAPH_A))
    assert (URIRef(DOC_A), None, None) in one and (URIRef(DOC_B), None, None) not in one


# --- the verb ----------------------------------------------------------------------------------


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    result = subprocess.run(
        spacekg("--store", str(tmp_path / "none"), "serve", "--port", str(_free_port())),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "there is no store here" in result.stderr and "spacekg ingest" in result.stderr
    assert not (tmp_path / "none").exists()


def test_bind_warning() -> None:
    from ingest.serve import bind_warning

    assert bind_warning("127.0.0.1") is None and bind_warning("::1") is None
    assert bind_warning("localhost") is None
    warning = bind_warning("0.0.0.0")
    assert warning is not None and "reachable from other machines" in warning


def test_concurrent_queries(served: Served) -> None:
    """Several clients at once all get their own answer."""
    answers: list[list[tuple[str, ...]]] = []

    def one() -> None:
        response = requests.get(served.sparql, params={"query": CONDUCTED}, timeout=60)
        answers.append(json_rows(response.json()))

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [direct_rows(served.store, CONDUCTED)] * 4


def test_serve_refuses_an_endpoint() -> None:
    result = subprocess.run(
        spacekg("--endpoint", "http://127.0.0.1:9/query", "serve"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "serve publishes the embedded store" in result.stderr


SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/n-triples", "text/html"])
def test_service_description(served: Served, accept: str | None) -> None:
    # SPARQL 1.1 Service Description, section 2: a GET of the endpoint without a query.
    headers = {"Accept": accept} if accept else {}
    response = requests.get(served.sparql, headers=headers, timeout=30)
    assert response.status_code == 200
    media = response.headers["content-type"].split(";")[0]
    assert media == (accept if accept in PARSE_AS else "text/turtle")
    graph = Graph().parse(data=response.text, format=PARSE_AS[media])
    service = graph.value(predicate=URIRef(SD + "endpoint"), object=URIRef(served.sparql))
    assert service is not None
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in graph
    formats = {
        str(o).rsplit("/", 1)[1] for o in graph.objects(service, URIRef(SD + "resultFormat"))
    }
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "RDF_XML"} <= formats
    dataset = graph.value(service, URIRef(SD + "defaultDataset"))
    triples = graph.value(dataset, URIRef("http://rdfs.org/ns/void#triples"))
    expected = requests.post(
        served.sparql,
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert int(triples) == int(expected) > 0
    assert f"at most {ROWS:,} rows" in str(graph.value(service, RDFS.comment))
