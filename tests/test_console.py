"""The free-SPARQL console: refusals, parse errors, the time and row limits, exclusions, and
running read-only beside a process that holds the store open for writing."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import VirtuosoServer, load_dataset
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ingest.config import Settings
from ingest.console import (
    ProtocolDataset,
    QueryLimits,
    check_query,
    run_console_query,
    run_guarded,
)
from ingest.errors import QueryError, QueryLimitError, QueryUnavailableError
from ingest.iri import source_graph
from ingest.queries import shorten
from ingest.store import EndpointStore, OxigraphStore, QueryTarget

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "dataset.trig"
PREFIXES = (
    "PREFIX skg: <https://w3id.org/spacekg/ontology#>\n"
    "PREFIX skgid: <https://w3id.org/spacekg/id/>\n"
)
THREATS = PREFIXES + "SELECT ?e ?t WHERE { ?e skg:threatens ?t } ORDER BY ?e ?t"
TIMEOUT = 10.0
ROWS = 1000


@pytest.fixture(scope="module")
def console_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The fixture dataset in an embedded store that this process keeps open read-write."""
    store = OxigraphStore(tmp_path_factory.mktemp("console") / "store")
    load_dataset(store, FIXTURE)
    yield store
    store.close()


def pairs(result: object) -> list[tuple[str, ...]]:
    return [tuple(shorten(row[v]) for v in result.vars) for row in result.rows]  # type: ignore[attr-defined]


# --- refusals --------------------------------------------------------------------------------

REFUSED = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are not allowed (INSERT DATA)"),
    ("DELETE WHERE { ?s ?p ?o }", "updates are not allowed (DELETE WHERE)"),
    ("LOAD <http://example.org/data.ttl>", "updates are not allowed (LOAD)"),
    ("DROP ALL", "updates are not allowed (DROP)"),
    ("CLEAR GRAPH <urn:g>", "updates are not allowed (CLEAR)"),
    ("INS\\u0045RT DATA { <urn:a> <urn:b> <urn:c> }", "updates are not allowed (INSERT DATA)"),
    (
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "updates are not allowed (DELETE/INSERT)",
    ),
    ("SELECT * WHERE { SERVICE <http://x> {} }", "SERVICE <http://x> is not allowed"),
    (
        "SELECT * WHERE { SERV\\u0049CE <http://x> { ?s ?p ?o } }",
        "SERVICE <http://x> is not allowed",
    ),
    (
        "SELECT * WHERE { serVice silent <http://x> { ?s ?p ?o } }",
        "SERVICE <http://x> is not allowed",
    ),
    (
        "PREFIX r: <http://remote.example/>\nSELECT * WHERE { ?s ?p ?o "
        "FILTER EXISTS { SERVICE r:sparql { ?s ?p ?o } } }",
        "SERVICE <http://remote.example/sparql> is not allowed",
    ),
    (
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x> { ?s ?p ?o } } } }",
        "SERVICE <http://x> is not allowed",
    ),
    (
        "SELECT * FROM <http://example.org/data> WHERE { ?s ?p ?o }",
        "FROM <http://example.org/data> is not allowed",
    ),
    (
        "SELECT * FROM NAMED <https://w3id.org/spacekg/graph/inferred> WHERE { ?s ?p ?o }",
        "FROM NAMED <https://w3id.org/spacekg/graph/inferred> is not allowed",
    ),
    ("", "the query is empty"),
    ("PREFIX a: <urn:a:>\nSELECT * WHERE { ?s b:p ?o }", "Unknown namespace prefix : b"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refused_before_running(console_store: OxigraphStore, text: str, message: str) -> None:
    before = console_store.version()
    with pytest.raises(QueryError) as info:
        run_console_query(console_store, text, timeout_s=TIMEOUT, row_limit=ROWS)
    assert message in str(info.value)
    assert console_store.version() == before


def test_parse_error_reports_line_and_column() -> None:
    with pytest.raises(QueryError, match="syntax error at line 4, column 3"):
        check_query("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  ?s ?p ] }")
    with pytest.raises(QueryError, match="syntax error at line 1, column 30"):
        check_query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY")


def test_allowed_forms_are_classified() -> None:
    assert check_query("ASK { ?s ?p ?o }").kind == "ask"
    assert check_query("DESCRIBE <urn:x>").kind == "construct"
    checked = check_query("SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert (checked.kind, checked.has_limit) == ("select", True)
    # GRAPH <iri> is fine: it reads a named graph of our dataset
    check_query("SELECT * WHERE { GRAPH <https://w3id.org/spacekg/graph/inferred> { ?s ?p ?o } }")


# --- running ---------------------------------------------------------------------------------


def test_select_ask_construct(console_store: OxigraphStore) -> None:
    result = run_console_query(console_store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    assert result.kind == "select" and not result.truncated and result.seconds > 0
    assert pairs(result) == [
        ("skgid:actor/russia", "skgid:asset/gps"),
        ("skgid:capability/jamming", "skgid:asset/gps"),
        ("skgid:event/kosmos-1408-asat-test", "skgid:asset/iss"),
        ("skgid:event/kosmos-1408-asat-test", "skgid:asset/kosmos-1408"),
        ("skgid:event/viasat-cyberattack", "skgid:asset/ka-sat"),
    ]
    ask = run_console_query(
        console_store,
        PREFIXES + "ASK { skgid:actor\\/russia a skg:State }",
        timeout_s=TIMEOUT,
        row_limit=ROWS,
    )
    assert (ask.kind, ask.boolean) == ("ask", True)
    construct = run_console_query(
        console_store,
        PREFIXES + "CONSTRUCT { ?m skg:memberOf ?o } WHERE { ?m skg:memberOf ?o }",
        timeout_s=TIMEOUT,
        row_limit=ROWS,
    )
    assert construct.kind == "construct" and construct.graph is not None
    members = sorted(shorten(s) for s, _, _ in construct.graph)
    assert members == ["skgid:actor/france", "skgid:actor/germany", "skgid:actor/united-states"]


def test_terms_round_trip(console_store: OxigraphStore) -> None:
    result = run_console_query(
        console_store,
        PREFIXES + "SELECT ?label ?date ?conf WHERE { skgid:event\\/kosmos-1408-asat-test "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label ; skg:date ?date . "
        "skgid:evidence\\/aaaaaaaaaaaaaaaa-0001 skg:confidence ?conf }",
        timeout_s=TIMEOUT,
        row_limit=ROWS,
    )
    row = result.rows[0]
    assert row["label"] == Literal("Russian ASAT test of November 2021", lang="en")
    assert row["date"] == Literal(
        "2021-11-15", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
    )
    assert float(row["conf"]) == 0.91  # type: ignore[arg-type]


def test_row_limit_truncates(console_store: OxigraphStore) -> None:
    result = run_console_query(
        console_store, "SELECT * WHERE { ?s ?p ?o }", timeout_s=TIMEOUT, row_limit=7
    )
    assert len(result.rows) == 7 and result.truncated
    exact = run_console_query(console_store, THREATS, timeout_s=TIMEOUT, row_limit=5)
    assert len(exact.rows) == 5 and not exact.truncated
    construct = run_console_query(
        console_store, "CONSTRUCT WHERE { ?s ?p ?o }", timeout_s=TIMEOUT, row_limit=4
    )
    assert construct.graph is not None and len(construct.graph) == 4 and construct.truncated


def test_time_limit_kills_a_pathological_query(console_store: OxigraphStore) -> None:
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
        "FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i), STR(?l)), '^(a+)+$')) }"
    )
    started = time.monotonic()
    with pytest.raises(QueryError, match="query ran past the 2 s limit and was stopped"):
        run_console_query(console_store, query, timeout_s=2, row_limit=ROWS)
    assert time.monotonic() - started < 2 + 3
    # the store is untouched and the next query runs
    assert run_console_query(console_store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS).rows


def test_exclude_inferred(console_store: OxigraphStore) -> None:
    result = run_console_query(
        console_store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS, exclude={"inferred"}
    )
    assert pairs(result) == [
        ("skgid:capability/jamming", "skgid:asset/gps"),
        ("skgid:event/kosmos-1408-asat-test", "skgid:asset/iss"),
    ]
    graphs = run_console_query(
        console_store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
        timeout_s=TIMEOUT,
        row_limit=ROWS,
        exclude={"inferred"},
    )
    assert [shorten(r["g"]) for r in graphs.rows] == [
        "skgg:ontology",
        "skgg:reference",
        "skgg:source/aaaaaaaaaaaaaaaa",
        "skgg:source/bbbbbbbbbbbbbbbb",
    ]


def test_exclude_review(console_store: OxigraphStore) -> None:
    query = PREFIXES + (
        "SELECT ?status (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e skg:status ?status } "
        "GROUP BY ?status ORDER BY ?status"
    )
    everything = run_console_query(console_store, query, timeout_s=TIMEOUT, row_limit=ROWS)
    assert pairs(everything) == [("asserted", "13"), ("review", "2")]
    reviewed = run_console_query(
        console_store, query, timeout_s=TIMEOUT, row_limit=ROWS, exclude={"review"}
    )
    assert pairs(reviewed) == [("asserted", "13")]
    # nothing else is lost: the review nodes' own triples are the only ones dropped
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    total = run_console_query(console_store, count, timeout_s=TIMEOUT, row_limit=ROWS)
    kept = run_console_query(
        console_store, count, timeout_s=TIMEOUT, row_limit=ROWS, exclude={"review", "inferred"}
    )
    # two review nodes of 12 triples each, four inferred triples
    assert int(str(total.rows[0]["n"])) - int(str(kept.rows[0]["n"])) == 2 * 12 + 4


def test_unknown_exclusion(console_store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match=r"cannot exclude curated.*inferred, review"):
        run_console_query(
            console_store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS, exclude={"curated"}
        )


def test_sees_writes_made_while_the_store_is_open(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")  # held open read-write by this process
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    assert run_console_query(store, query, timeout_s=TIMEOUT, row_limit=ROWS).rows == []
    graph = Graph()
    graph.add((URIRef("https://w3id.org/spacekg/id/actor/x"), RDFS.label, Literal("X")))
    store.replace_graph(source_graph("0000000000000001"), graph)
    result = run_console_query(store, query, timeout_s=TIMEOUT, row_limit=ROWS)
    assert pairs(result) == [("skgid:actor/x", "X")]
    store.close()


def test_settings_target_and_missing_store(console_store: OxigraphStore, tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings.from_env(), store_dir=console_store.path, endpoint=None)
    result = run_console_query(settings, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    assert len(result.rows) == 5
    missing = dataclasses.replace(settings, store_dir=tmp_path / "nowhere")
    with pytest.raises(QueryError, match="cannot open the store read-only"):
        run_console_query(missing, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)


def test_in_memory_store_is_refused() -> None:
    with pytest.raises(QueryError, match="needs an on-disk store"):
        run_console_query(OxigraphStore(None), THREATS, timeout_s=TIMEOUT, row_limit=ROWS)


@pytest.mark.server
def test_endpoint_backend(server_store: EndpointStore) -> None:
    store = server_store
    load_dataset(store, FIXTURE)
    result = run_console_query(store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    assert len(result.rows) == 5
    truncated = run_console_query(
        store, "SELECT * WHERE { ?s ?p ?o }", timeout_s=TIMEOUT, row_limit=3
    )
    assert len(truncated.rows) == 3 and truncated.truncated
    without = run_console_query(
        store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS, exclude={"inferred"}
    )
    assert pairs(without) == [
        ("skgid:capability/jamming", "skgid:asset/gps"),
        ("skgid:event/kosmos-1408-asat-test", "skgid:asset/iss"),
    ]
    with pytest.raises(QueryError, match="excluding review evidence needs the embedded store"):
        run_console_query(store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS, exclude={"review"})
    with pytest.raises(QueryError, match="SERVICE"):
        run_console_query(
            store, "SELECT * WHERE { SERVICE <http://x> {} }", timeout_s=TIMEOUT, row_limit=ROWS
        )
    store.update("DROP ALL")


# --- a protocol dataset (default-graph-uri / named-graph-uri) ---------------------------------

GRAPH_A = "https://w3id.org/spacekg/graph/source/aaaaaaaaaaaaaaaa"
GRAPH_B = "https://w3id.org/spacekg/graph/source/bbbbbbbbbbbbbbbb"
DOC_A_ASK = "ASK { <https://w3id.org/spacekg/id/source/aaaaaaaaaaaaaaaa> ?p ?o }"
NAMED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def _limits() -> QueryLimits:
    return QueryLimits(TIMEOUT, ROWS)


def test_protocol_dataset_narrows_both_graphs(console_store: OxigraphStore) -> None:
    target = console_store.query_target()
    only_a = run_guarded(target, DOC_A_ASK, _limits(), dataset=ProtocolDataset((GRAPH_A,)))
    only_b = run_guarded(target, DOC_A_ASK, _limits(), dataset=ProtocolDataset((GRAPH_B,)))
    assert (only_a.boolean, only_b.boolean) == (True, False)
    named = run_guarded(target, NAMED, _limits(), dataset=ProtocolDataset((), (GRAPH_B,)))
    assert [str(row["g"]) for row in named.rows] == [GRAPH_B]
    # Only default graphs named: no named graphs at all (SPARQL 1.1 Protocol 2.1.4).
    none = run_guarded(target, NAMED, _limits(), dataset=ProtocolDataset((GRAPH_A,)))
    assert none.rows == []


def test_protocol_dataset_refusals(console_store: OxigraphStore) -> None:
    target = console_store.query_target()
    missing = "https://w3id.org/spacekg/graph/source/0000000000000000"
    with pytest.raises(QueryError, match=f"named-graph-uri <{missing}> is not a graph"):
        run_guarded(target, NAMED, _limits(), dataset=ProtocolDataset((), (GRAPH_A, missing)))
    with pytest.raises(QueryError, match="'not an iri' is not an absolute IRI"):
        run_guarded(target, NAMED, _limits(), dataset=ProtocolDataset(("not an iri",)))
    with pytest.raises(QueryError, match="cannot be combined"):
        run_guarded(target, NAMED, _limits(), {"inferred"}, ProtocolDataset((GRAPH_A,)))


def test_protocol_dataset_on_a_server(oxigraph_server: str) -> None:
    store = EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    store.update("DROP ALL")
    load_dataset(store, FIXTURE)
    target = store.query_target()
    only_a = run_guarded(target, DOC_A_ASK, _limits(), dataset=ProtocolDataset((GRAPH_A,)))
    only_b = run_guarded(target, DOC_A_ASK, _limits(), dataset=ProtocolDataset((GRAPH_B,)))
    assert (only_a.boolean, only_b.boolean) == (True, False)
    store.update("DROP ALL")


def test_limit_and_store_errors_have_their_classes(
    console_store: OxigraphStore, tmp_path: Path
) -> None:
    """An HTTP endpoint answers 503 for these and 400 for a refused query: the class says which."""
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryLimitError, match="ran past the 1 s limit"):
        run_guarded(console_store.query_target(), cross, QueryLimits(1.0, ROWS))
    absent = QueryTarget(backend="embedded", store=str(tmp_path / "absent"))
    with pytest.raises(QueryUnavailableError, match="cannot open the store read-only"):
        run_guarded(absent, "ASK {}", _limits())
    with pytest.raises(QueryError) as refused:
        run_guarded(console_store.query_target(), "DROP ALL", _limits())
    assert not isinstance(refused.value, QueryLimitError | QueryUnavailableError)


@pytest.mark.server
def test_virtuoso_console_logs_in_and_keeps_its_limits(
    virtuoso_server: VirtuosoServer, console_store: OxigraphStore
) -> None:
    """Through Virtuoso's Digest-protected /sparql-auth the worker answers the login challenge,
    gives the embedded store's answers, and holds the row and time limits."""
    virtuoso_server.clear()
    writer = virtuoso_server.store()
    load_dataset(writer, FIXTURE)
    user, password = virtuoso_server.user, virtuoso_server.password
    store = EndpointStore(virtuoso_server.base + "/sparql-auth", auth=(user, password))
    embedded = run_console_query(console_store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    result = run_console_query(store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    assert pairs(result) == pairs(embedded) and len(result.rows) == 5
    construct = run_console_query(
        store, "CONSTRUCT WHERE { ?s ?p ?o }", timeout_s=TIMEOUT, row_limit=4
    )
    assert construct.graph is not None and len(construct.graph) == 4 and construct.truncated
    wrong = EndpointStore(virtuoso_server.base + "/sparql-auth", auth=(user, "not-" + password))
    with pytest.raises(QueryError, match="answered 401"):
        run_console_query(wrong, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
        "FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i), STR(?l)), '^(a+)+$')) }"
    )
    started = time.monotonic()
    with pytest.raises(QueryError, match="query ran past the 2 s limit and was stopped"):
        run_console_query(store, query, timeout_s=2, row_limit=ROWS)
    assert time.monotonic() - started < 2 + 3
    after = run_console_query(store, THREATS, timeout_s=TIMEOUT, row_limit=ROWS)
    assert pairs(after) == pairs(embedded)
    writer.close()
