"""The query library: every .rq runs on the fixture dataset with expected rows; params are checked
and bound, never formatted into the text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import VirtuosoServer, load_dataset
from rdflib import Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.plugins.sparql import prepareQuery

from ingest.errors import QueryError
from ingest.iri import ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_graph
from ingest.queries import (
    QUERY_LIBRARY,
    ParamSpec,
    bind_params,
    checks,
    expand_iri,
    format_result,
    list_queries,
    run_checks,
    run_query,
    shorten,
    to_term,
)
from ingest.store import OxigraphStore, Store

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "dataset.trig"
SKG = "https://w3id.org/spacekg/ontology#"
ID = "https://w3id.org/spacekg/id/"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def fixture_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The fixture dataset in a real store, loaded through the store API: embedded, and on
    Virtuoso (the scale backend), where every library query must give the same rows."""
    store: Store
    if request.param == "virtuoso":
        server: VirtuosoServer = request.getfixturevalue("virtuoso_server")
        server.clear()
        store = server.store()
    else:
        store = OxigraphStore(tmp_path_factory.mktemp("queries") / "store")
    load_dataset(store, FIXTURE)
    yield store
    store.close()


@pytest.fixture
def scratch_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    """A fresh copy of the fixture dataset that a test may change."""
    store = OxigraphStore(tmp_path / "store")
    load_dataset(store, FIXTURE)
    yield store
    store.close()


def table(
    store: Store,
    name: str,
    params: dict[str, str] | None = None,
    columns: list[str] | None = None,
) -> list[tuple[str, ...]]:
    """Rows of a library query as tuples of display strings (CURIEs, literal text)."""
    result = run_query(store, name, params or {})
    names = columns or result.vars
    return [tuple(shorten(row.get(v)) for v in names) for row in result.rows]


# --- every query, expected rows --------------------------------------------------------------

EXPECTED: dict[str, tuple[dict[str, str], list[str], list[tuple[str, ...]]]] = {
    "actors_by_type": (
        {"class": "skg:MilitaryCommand"},
        ["actor", "type", "typeLabel"],
        [
            ("skgid:actor/allied-air-command", "skg:MilitaryCommand", "Military command"),
            ("skgid:actor/commandement-de-l-espace", "skg:MilitaryCommand", "Military command"),
            ("skgid:actor/nato-space-centre", "skg:MilitaryCommand", "Military command"),
            ("skgid:actor/russian-space-forces", "skg:MilitaryCommand", "Military command"),
        ],
    ),
    "actor_profile": (
        {"actor": "skgid:actor/russia"},
        ["direction", "property", "other", "origins", "evidenceCount"],
        [
            ("out", "skg:conducted", "skgid:event/viasat-cyberattack", "asserted", "1"),
            ("out", "skg:conducted", "skgid:event/kosmos-1408-asat-test", "asserted curated", "1"),
            ("out", "skg:hasCapability", "skgid:capability/direct-ascent-asat", "asserted", "2"),
            ("out", "skg:hasCapability", "skgid:capability/jamming", "asserted", "1"),
            ("out", "skg:operates", "skgid:asset/kosmos-1408", "curated", "0"),
            ("out", "skg:threatens", "skgid:asset/gps", "inferred", "0"),
            ("in", "skg:partOf", "skgid:actor/roscosmos", "curated", "0"),
            ("in", "skg:partOf", "skgid:actor/russian-space-forces", "curated", "0"),
        ],
    ),
    "capability_matrix": (
        {},
        ["actor", "capability", "category", "origins", "evidenceCount", "sourceCount"],
        [
            (
                "skgid:actor/china",
                "skgid:capability/direct-ascent-asat",
                "skgid:capability/direct-ascent-asat",
                "asserted",
                "1",
                "1",
            ),
            (
                "skgid:actor/russia",
                "skgid:capability/direct-ascent-asat",
                "skgid:capability/direct-ascent-asat",
                "asserted",
                "2",
                "2",
            ),
            # jamming is in the scheme only through skos:broader electronic-warfare
            (
                "skgid:actor/russia",
                "skgid:capability/jamming",
                "skgid:capability/electronic-warfare",
                "asserted",
                "1",
                "1",
            ),
        ],
    ),
    "asat_tests_and_attacks": (
        {},
        ["event", "type", "date", "conductedBy", "targets", "sourceCount"],
        [
            (
                "skgid:event/kosmos-1408-asat-test",
                "skg:ASATTest",
                "2021-11-15",
                "Russia",
                "Kosmos 1408",
                "1",
            ),
            (
                "skgid:event/viasat-cyberattack",
                "skg:CyberAttack",
                "2022-02-24",
                "Russia",
                "KA-SAT network",
                "1",
            ),
        ],
    ),
    "threats_to_target": (
        {"target": "asset/gps"},
        ["threat", "relation", "actor", "actorRole", "origins"],
        [
            (
                "skgid:capability/jamming",
                "skg:threatens",
                "skgid:actor/russia",
                "holds capability",
                "curated",
            ),
            ("skgid:actor/russia", "skg:threatens", "", "", "inferred"),
        ],
    ),
    "event_profile": (
        {"event": "skgid:event/kosmos-1408-asat-test"},
        ["role", "other", "when", "origins", "documents"],
        [
            ("condemned by", "skgid:actor/nato", "2021-11-16", "asserted", "1"),
            ("conducted by", "skgid:actor/russia", "", "asserted curated", "0"),
            ("curated source", "<https://swfound.org/counterspace/>", "", "curated", "0"),
            ("date", "2021-11-15", "", "curated", "0"),
            ("reported in", "skgid:source/aaaaaaaaaaaaaaaa", "2021-11-16", "asserted", "1"),
            ("target", "skgid:asset/kosmos-1408", "", "asserted", "0"),
            ("threatens", "skgid:asset/iss", "", "asserted", "0"),
            ("threatens", "skgid:asset/kosmos-1408", "", "inferred", "0"),
            ("type", "skg:ASATTest", "", "curated", "0"),
        ],
    ),
    "nato_members": (
        {},
        ["member", "label", "accession", "source"],
        [
            (
                "skgid:actor/france",
                "France",
                "1949-08-24",
                "<https://www.nato.int/cps/en/natohq/topics_52044.htm>",
            ),
            (
                "skgid:actor/united-states",
                "United States",
                "1949-08-24",
                "<https://www.nato.int/cps/en/natohq/topics_52044.htm>",
            ),
            (
                "skgid:actor/germany",
                "Germany",
                "1955-05-06",
                "<https://www.nato.int/cps/en/natohq/topics_52044.htm>",
            ),
        ],
    ),
    "nato_space_bodies": (
        {},
        ["body", "type", "within", "relation"],
        [
            (
                "skgid:actor/commandement-de-l-espace",
                "skg:MilitaryCommand",
                "skgid:actor/france",
                "command of a member",
            ),
            (
                "skgid:actor/allied-air-command",
                "skg:MilitaryCommand",
                "skgid:actor/nato",
                "part of the alliance",
            ),
            (
                "skgid:actor/nato-space-centre",
                "skg:MilitaryCommand",
                "skgid:actor/nato",
                "part of the alliance",
            ),
        ],
    ),
    "doctrine_timeline": (
        {},
        ["document", "date", "kind", "publishers", "declares"],
        [
            (
                "skgid:document/london-declaration",
                "2019-12-04",
                "skg:Declaration",
                "NATO",
                "operational domain",
            ),
            (
                "skgid:document/brussels-summit-communique",
                "2021-06-14",
                "skg:Communique",
                "NATO",
                "collective defence",
            ),
            ("skgid:source/aaaaaaaaaaaaaaaa", "2021-11-16", "skg:NewsArticle", "", ""),
            (
                "skgid:document/overarching-space-policy",
                "2022-01",
                "skg:Policy",
                "NATO",
                "resilience",
            ),
            (
                "skgid:source/bbbbbbbbbbbbbbbb",
                "2022-04-04",
                "skg:Analysis",
                "Center for Strategic and International Studies",
                "resilience",
            ),
        ],
    ),
    "concept_across_documents": (
        {"concept": "skgid:concept/resilience"},
        ["document", "date", "relation", "origins"],
        [
            ("skgid:document/brussels-summit-communique", "2021-06-14", "skg:mentions", "curated"),
            ("skgid:source/aaaaaaaaaaaaaaaa", "2021-11-16", "skg:mentions", "asserted"),
            ("skgid:document/overarching-space-policy", "2022-01", "skg:declares", "curated"),
            ("skgid:source/bbbbbbbbbbbbbbbb", "2022-04-04", "skg:declares", "asserted"),
        ],
    ),
    "condemnations": (
        {},
        ["condemner", "condemned", "date", "origins", "sourceCount"],
        [("skgid:actor/nato", "skgid:event/kosmos-1408-asat-test", "2021-11-15", "asserted", "1")],
    ),
    "fact_evidence": (
        {"subject": "skgid:actor/china", "predicate": "skg:hasCapability"},
        ["evidence", "object", "document", "title", "date", "confidence", "status"],
        [
            (
                "skgid:evidence/aaaaaaaaaaaaaaaa-0007",
                "skgid:capability/co-orbital-asat",
                "skgid:source/aaaaaaaaaaaaaaaa",
                "NATO condemns Russian ASAT test",
                "2021-11-16",
                "0.42",
                "review",
            ),
            (
                "skgid:evidence/bbbbbbbbbbbbbbbb-0008",
                "skgid:capability/cyber",
                "skgid:source/bbbbbbbbbbbbbbbb",
                "Space Threat Assessment 2022",
                "2022-04-04",
                "0.35",
                "review",
            ),
            (
                "skgid:evidence/bbbbbbbbbbbbbbbb-0003",
                "skgid:capability/direct-ascent-asat",
                "skgid:source/bbbbbbbbbbbbbbbb",
                "Space Threat Assessment 2022",
                "2022-04-04",
                "0.84",
                "asserted",
            ),
        ],
    ),
    "facts_since": (
        {"since": "2022-01-01"},
        ["subject", "predicate", "object", "document"],
        [
            (
                "skgid:actor/china",
                "skg:hasCapability",
                "skgid:capability/direct-ascent-asat",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
            (
                "skgid:actor/csis",
                "skg:published",
                "skgid:source/bbbbbbbbbbbbbbbb",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
            (
                "skgid:actor/russia",
                "skg:conducted",
                "skgid:event/viasat-cyberattack",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
            (
                "skgid:actor/russia",
                "skg:hasCapability",
                "skgid:capability/direct-ascent-asat",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
            (
                "skgid:actor/russia",
                "skg:hasCapability",
                "skgid:capability/jamming",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
            (
                "skgid:event/viasat-cyberattack",
                "skg:targeted",
                "skgid:asset/ka-sat",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
            (
                "skgid:source/bbbbbbbbbbbbbbbb",
                "skg:declares",
                "skgid:concept/resilience",
                "skgid:source/bbbbbbbbbbbbbbbb",
            ),
        ],
    ),
    "relation_path": (
        {"from": "skgid:actor/russia", "to": "skgid:event/kosmos-1408-asat-test"},
        ["length", "step1", "dir1", "node1", "step2", "dir2"],
        [
            ("1", "skg:conducted", "out", "", "", ""),
            ("2", "skg:operates", "out", "skgid:asset/kosmos-1408", "skg:targeted", "in"),
            ("2", "skg:operates", "out", "skgid:asset/kosmos-1408", "skg:threatens", "in"),
        ],
    ),
    "entity_search": (
        {"text": "SPACE COMMAND"},
        ["entity", "label", "matched", "type"],
        [
            (
                "skgid:actor/commandement-de-l-espace",
                "Commandement de l'espace",
                "French Space Command",
                "skg:MilitaryCommand",
            ),
        ],
    ),
    "documents": (
        {},
        ["document", "title", "date", "kind", "publishers", "facts", "reviewFacts"],
        [
            (
                "skgid:source/aaaaaaaaaaaaaaaa",
                "NATO condemns Russian ASAT test",
                "2021-11-16",
                "skg:NewsArticle",
                "",
                "6",
                "1",
            ),
            (
                "skgid:source/bbbbbbbbbbbbbbbb",
                "Space Threat Assessment 2022",
                "2022-04-04",
                "skg:Analysis",
                "Center for Strategic and International Studies",
                "7",
                "1",
            ),
        ],
    ),
    "latest_documents": (
        {},
        ["document", "title", "date", "kind", "facts", "reviewFacts"],
        [
            (
                "skgid:source/bbbbbbbbbbbbbbbb",
                "Space Threat Assessment 2022",
                "2022-04-04",
                "skg:Analysis",
                "7",
                "1",
            ),
            (
                "skgid:source/aaaaaaaaaaaaaaaa",
                "NATO condemns Russian ASAT test",
                "2021-11-16",
                "skg:NewsArticle",
                "6",
                "1",
            ),
        ],
    ),
    "document_index": (
        {},
        ["document", "title", "date"],
        [
            ("skgid:source/bbbbbbbbbbbbbbbb", "Space Threat Assessment 2022", "2022-04-04"),
            ("skgid:source/aaaaaaaaaaaaaaaa", "NATO condemns Russian ASAT test", "2021-11-16"),
        ],
    ),
    "actor_timeline": (
        {"actor": "skgid:actor/russia"},
        ["date", "other", "label", "role", "origins"],
        [
            (
                "2021-11-15",
                "skgid:event/kosmos-1408-asat-test",
                "Russian ASAT test of November 2021",
                "conducted",
                "asserted curated",
            ),
            (
                "2022-02-24",
                "skgid:event/viasat-cyberattack",
                "KA-SAT cyberattack",
                "conducted",
                "asserted",
            ),
        ],
    ),
}


def test_every_library_query_has_expected_rows() -> None:
    assert set(EXPECTED) | {"graph_stats"} == set(QUERY_LIBRARY)


# Library queries Virtuoso 7.2.5 (Debian bookworm) answers wrongly or refuses: bugs of its SPARQL
# engine, not of the queries (the embedded store and the Oxigraph server agree on the rows).
# Strict: a Virtuoso that gets them right fails the test, so this list cannot go stale.
VIRTUOSO_GAPS = {
    "concept_across_documents": "FILTER EXISTS over rdfs:subClassOf* drops rows",
    "documents": "a subquery over rdfs:subClassOf+ joined in a union branch leaves ?kind unbound",
    "event_profile": (
        "the event's date comes back unbound: an OPTIONAL label lookup on a literal unbinds it"
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_returns_expected_rows(
    fixture_store: Store, name: str, request: pytest.FixtureRequest
) -> None:
    if request.node.callspec.params["fixture_store"] == "virtuoso" and name in VIRTUOSO_GAPS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=VIRTUOSO_GAPS[name]))
    params, columns, rows = EXPECTED[name]
    assert table(fixture_store, name, params, columns) == rows


def test_graph_stats_match_the_fixture_file(
    fixture_store: Store, request: pytest.FixtureRequest
) -> None:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    expected = {
        str(g.identifier): (len(g), len(set(g.subjects()))) for g in dataset.graphs() if len(g)
    }
    result = run_query(fixture_store, "graph_stats")
    if request.node.callspec.params["fixture_store"] == "virtuoso":
        # Virtuoso keeps its own metadata in RDF graphs: listed, with role "other".
        system = request.getfixturevalue("virtuoso_server").system_graphs
        assert {str(r["graph"]) for r in result.rows if str(r["graph"]) in system} == system
        assert {str(r["role"]) for r in result.rows if str(r["graph"]) in system} == {"other"}
        result.rows = [r for r in result.rows if str(r["graph"]) not in system]
    got = {str(r["graph"]): (int(r["triples"]), int(r["subjects"])) for r in result.rows}
    assert got == expected
    roles = {shorten(r["graph"]): str(r["role"]) for r in result.rows}
    assert roles == {
        "skgg:ontology": "ontology",
        "skgg:reference": "curated",
        "skgg:inferred": "inferred",
        "skgg:source/aaaaaaaaaaaaaaaa": "source",
        "skgg:source/bbbbbbbbbbbbbbbb": "source",
    }


def test_graph_stats_sorts_by_role_then_whole_graph_iri(scratch_store: OxigraphStore) -> None:
    # the sort compares IRIs in 15-character pieces: graphs that differ only past the first
    # pieces, or in length at a piece's edge, or in a non-ASCII character, keep the IRI order
    base = "https://w3id.org/spacekg/graph/source/"
    names = [base + "b", base + "a" * 30, base + "a" * 22, base + "a" * 22 + "é", base + "ab"]
    for name in names:
        graph = Graph()
        graph.add((URIRef(ID + "source/x"), RDFS.label, Literal(name)))
        scratch_store.replace_graph(URIRef(name), graph)
    rows = [(str(r["role"]), str(r["graph"])) for r in run_query(scratch_store, "graph_stats").rows]
    assert rows == sorted(rows)
    assert [g for _, g in rows if g in names] == sorted(names)


def test_default_param_and_optional_param(fixture_store: Store) -> None:
    # class defaults to skg:Actor: states, commands, agencies... but no assets
    actors = {row[0] for row in table(fixture_store, "actors_by_type", {}, ["actor"])}
    assert "skgid:actor/russia" in actors and "skgid:actor/csis" in actors
    assert not any(a.startswith("skgid:asset/") for a in actors)
    assert len(actors) == 12
    # capability_matrix narrowed to one actor
    rows = table(fixture_store, "capability_matrix", {"actor": "actor/china"}, ["capability"])
    assert rows == [("skgid:capability/direct-ascent-asat",)]


def test_facts_since_includes_the_day_itself(fixture_store: Store) -> None:
    rows = table(fixture_store, "facts_since", {"since": "2021-11-16"}, ["document"])
    assert {r[0] for r in rows} == {
        "skgid:source/aaaaaaaaaaaaaaaa",
        "skgid:source/bbbbbbbbbbbbbbbb",
    }
    assert table(fixture_store, "facts_since", {"since": "2022-04-05"}) == []


def test_relation_path_finds_three_step_paths(fixture_store: Store) -> None:
    rows = table(
        fixture_store,
        "relation_path",
        {"from": "actor/russia", "to": "actor/nato"},
        ["length", "step1", "node1", "step2", "node2", "step3"],
    )
    assert rows[0] == (
        "2",
        "skg:conducted",
        "skgid:event/kosmos-1408-asat-test",
        "skg:condemns",
        "",
        "",
    )
    assert (
        "3",
        "skg:threatens",
        "skgid:asset/gps",
        "skg:operates",
        "skgid:actor/united-states",
        "skg:memberOf",
    ) in rows
    assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)


def test_actor_timeline_covers_documents_and_targets(fixture_store: Store) -> None:
    # NATO published curated documents (month dates too) and condemned the ASAT test
    rows = table(
        fixture_store, "actor_timeline", {"actor": "actor/nato"}, ["date", "other", "role"]
    )
    assert rows == [
        ("2019-12-04", "skgid:document/london-declaration", "published"),
        ("2021-06-14", "skgid:document/brussels-summit-communique", "published"),
        ("2021-11-15", "skgid:event/kosmos-1408-asat-test", "condemned"),
        ("2022-01", "skgid:document/overarching-space-policy", "published"),
    ]
    # an asset's timeline: the event that targeted it
    rows = table(fixture_store, "actor_timeline", {"actor": "asset/kosmos-1408"}, ["other", "role"])
    assert rows == [("skgid:event/kosmos-1408-asat-test", "targeted by")]


def test_latest_documents_agree_with_the_documents_query(scratch_store: OxigraphStore) -> None:
    # a third, undated document comes last; counts match documents.rq for every document
    doc = URIRef(ID + "source/cccccccccccccccc")
    graph = Graph()
    graph.add((doc, RDF.type, URIRef(SKG + "SourceDocument")))
    graph.add((doc, RDF.type, URIRef(SKG + "Report")))
    graph.add((doc, URIRef("http://purl.org/dc/terms/title"), Literal("Undated report")))
    scratch_store.replace_graph(source_graph("cccccccccccccccc"), graph)
    columns = ["document", "title", "date", "facts", "reviewFacts"]
    latest = table(scratch_store, "latest_documents", {}, columns)
    assert [r[0] for r in latest] == [
        "skgid:source/bbbbbbbbbbbbbbbb",
        "skgid:source/aaaaaaaaaaaaaaaa",
        "skgid:source/cccccccccccccccc",
    ]
    assert sorted(latest) == sorted(table(scratch_store, "documents", {}, columns))
    # the index lists the same documents in the same order, without counting facts
    index = table(scratch_store, "document_index", {}, ["document", "title", "date"])
    assert index == [r[:3] for r in latest]


# --- the library's form ----------------------------------------------------------------------


def test_every_query_is_standalone_sparql_with_order_by() -> None:
    for spec in [*list_queries(), *checks().values()]:
        prepareQuery(spec.text)  # PREFIX lines present: runs in any SPARQL tool
        assert "ORDER BY" in spec.text, spec.name
        assert spec.summary, spec.name


def test_headers_are_parsed() -> None:
    spec = QUERY_LIBRARY["fact_evidence"]
    assert spec.summary.startswith("The evidence behind a fact")
    assert [(p.name, p.type, p.required) for p in spec.params] == [
        ("subject", "iri", True),
        ("predicate", "iri", False),
        ("object", "iri", False),
        ("status", "string", False),
    ]
    assert QUERY_LIBRARY["actors_by_type"].params[0].default == "skg:Actor"
    assert [q.name for q in list_queries()] == sorted(QUERY_LIBRARY)


def _triple_pattern_variables(node: object, found: set[str]) -> set[str]:
    """Variables used in the BGPs (triple patterns) of an rdflib algebra tree."""
    if isinstance(node, dict):
        if getattr(node, "name", None) == "BGP":
            for triple in node["triples"]:
                found.update(str(t) for t in triple if isinstance(t, Variable))
        for value in node.values():
            _triple_pattern_variables(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _triple_pattern_variables(value, found)
    return found


def test_iri_params_appear_in_triple_patterns() -> None:
    # string/date params are used in FILTERs by design (documented in their headers)
    for spec in list_queries():
        used = _triple_pattern_variables(prepareQuery(spec.text).algebra, set())
        for param in spec.params:
            if param.type == "iri":
                assert param.name in used, (spec.name, param.name)


# --- parameter validation --------------------------------------------------------------------


def test_unknown_param_is_named_with_the_valid_ones(fixture_store: Store) -> None:
    with pytest.raises(QueryError) as info:
        run_query(fixture_store, "actor_profile", {"actr": "actor/russia"})
    assert "unknown parameter 'actr'" in str(info.value)
    assert "valid parameters: actor" in str(info.value)


def test_missing_required_param(fixture_store: Store) -> None:
    with pytest.raises(QueryError, match="missing required parameter 'since' \\(date\\)"):
        run_query(fixture_store, "facts_since", {})


def test_unknown_query_lists_the_names(fixture_store: Store) -> None:
    with pytest.raises(QueryError, match=r"no query named 'threats'.*threats_to_target"):
        run_query(fixture_store, "threats", {})


@pytest.mark.parametrize("value", ["2022-13-01", "2022-02-30", "yesterday", "2022/01/01", "2022"])
def test_bad_date_is_refused(fixture_store: Store, value: str) -> None:
    with pytest.raises(QueryError, match="query 'facts_since', param 'since': bad value"):
        run_query(fixture_store, "facts_since", {"since": value})


@pytest.mark.parametrize(
    "value",
    [
        "not an iri",
        "skgi:actor/x",
        "http://x> } DROP ALL { <a:b",
        "<http://x y>",
        "russia",
        "",
        'https://example.org/"quoted"',
        Literal("skgid:actor/russia"),
    ],
)
def test_bad_iri_is_refused(fixture_store: Store, value: object) -> None:
    with pytest.raises(QueryError, match="param 'actor': bad value"):
        run_query(fixture_store, "actor_profile", {"actor": value})  # type: ignore[dict-item]


def test_iri_forms_are_expanded() -> None:
    russia = URIRef(ID + "actor/russia")
    assert expand_iri("skgid:actor/russia") == russia
    assert expand_iri("actor/russia") == russia
    assert expand_iri("<https://w3id.org/spacekg/id/actor/russia>") == russia
    assert expand_iri(str(russia)) == russia
    assert expand_iri("skg:State") == URIRef(SKG + "State")
    assert expand_iri("urn:x:y") == URIRef("urn:x:y")


def test_term_conversion_types() -> None:
    integer = ParamSpec("n", "integer")
    assert to_term(integer, "42", query="q") == Literal(42, datatype=XSD.integer)
    for bad in ("4.2", "x", True, "1e3"):
        with pytest.raises(QueryError, match="param 'n'"):
            to_term(integer, bad, query="q")  # type: ignore[arg-type]
    date = ParamSpec("d", "date")
    assert to_term(date, "2021-11-15", query="q") == Literal("2021-11-15", datatype=XSD.date)
    with pytest.raises(QueryError):
        to_term(ParamSpec("s", "string"), URIRef("http://x"), query="q")


def test_bindings_are_rdflib_terms_not_text() -> None:
    bindings = bind_params(
        QUERY_LIBRARY["fact_evidence"], {"subject": "actor/russia", "status": "asserted"}
    )
    assert bindings == {"subject": URIRef(ID + "actor/russia"), "status": Literal("asserted")}


# --- hostile strings -------------------------------------------------------------------------

HOSTILE = [
    'quote " inside',
    "single ' quote",
    "closing brace } ; DROP ALL ; {",
    "# not a comment",
    "line\nbreak",
    "nul \u0000 byte",
    'ends with a quote"',
    "back\\slash\\",
    '""" triple',
    "?s ?p ?o",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_string_matches_literally(scratch_store: OxigraphStore, hostile: str) -> None:
    entity = URIRef(ID + "actor/hostile-test")
    graph = Graph()
    graph.add((entity, RDF.type, URIRef(SKG + "Person")))
    graph.add((entity, RDFS.label, Literal("Label " + hostile + " end")))
    scratch_store.replace_graph(source_graph("00000000000000ff"), graph)
    before = run_query(scratch_store, "graph_stats").rows

    rows = table(scratch_store, "entity_search", {"text": hostile}, ["entity", "matched"])
    assert rows == [("skgid:actor/hostile-test", "Label " + hostile + " end")]
    assert (
        table(scratch_store, "fact_evidence", {"subject": "actor/russia", "status": hostile}) == []
    )
    assert run_query(scratch_store, "graph_stats").rows == before


# --- formatting ------------------------------------------------------------------------------


def test_format_table_csv_json(fixture_store: Store) -> None:
    result = run_query(fixture_store, "nato_members", {})
    text = format_result(result, "table")
    lines = text.splitlines()
    assert lines[0].split() == ["member", "label", "accession", "source", "membership"]
    assert lines[2].startswith("skgid:actor/france")
    assert lines[-1] == "(3 rows)"

    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["member", "label", "accession", "source", "membership"]
    assert rows[1][:3] == [ID + "actor/france", "France", "1949-08-24"]

    payload = json.loads(format_result(result, "json"))
    assert payload["head"]["vars"] == ["member", "label", "accession", "source", "membership"]
    first = payload["results"]["bindings"][0]
    assert first["member"] == {"type": "uri", "value": ID + "actor/france"}
    assert first["label"] == {"type": "literal", "value": "France", "xml:lang": "en"}
    assert first["accession"]["datatype"] == str(XSD.date)

    with pytest.raises(QueryError, match="unknown output format"):
        format_result(result, "xml")


# --- checks ----------------------------------------------------------------------------------


def test_checks_pass_on_the_fixture(fixture_store: Store) -> None:
    assert set(run_checks(fixture_store)) == {
        "asserted-fact-without-evidence-violation",
        "evidence-field-violation",
        "evidence-without-source-document-violation",
        "reference-individual-without-source-violation",
        "review-evidence-with-plain-triple-violation",
    }
    assert all(rows == [] for rows in run_checks(fixture_store).values())


def test_checks_catch_violations(scratch_store: OxigraphStore) -> None:
    skg = lambda name: URIRef(SKG + name)  # noqa: E731
    doc_a = source_graph("aaaaaaaaaaaaaaaa")
    graph_a = scratch_store.graph(doc_a)
    # a fact with no evidence; review evidence whose fact is also a plain triple
    graph_a.add((URIRef(ID + "actor/china"), skg("conducted"), URIRef(ID + "event/x")))
    graph_a.add(
        (
            URIRef(ID + "actor/china"),
            skg("hasCapability"),
            URIRef(ID + "capability/co-orbital-asat"),
        )
    )
    # evidence with a confidence out of range and no source document
    bad = URIRef(ID + "evidence/aaaaaaaaaaaaaaaa-bad")
    graph_a.add((bad, RDF.type, skg("Evidence")))
    graph_a.add((bad, skg("sentence"), Literal("s")))
    graph_a.add((bad, skg("status"), Literal("asserted")))
    graph_a.add((bad, skg("confidence"), Literal("1.5", datatype=XSD.decimal)))
    scratch_store.replace_graph(doc_a, graph_a)
    reference = scratch_store.graph(REFERENCE_GRAPH)
    reference.remove((URIRef(ID + "actor/csis"), URIRef("http://purl.org/dc/terms/source"), None))
    scratch_store.replace_graph(REFERENCE_GRAPH, reference)

    found = {
        name: [tuple(shorten(v) for v in row.values()) for row in rows]
        for name, rows in run_checks(scratch_store).items()
    }
    assert found["asserted-fact-without-evidence-violation"] == [
        ("skgg:source/aaaaaaaaaaaaaaaa", "skgid:actor/china", "skg:conducted", "skgid:event/x"),
        (
            "skgg:source/aaaaaaaaaaaaaaaa",
            "skgid:actor/china",
            "skg:hasCapability",
            "skgid:capability/co-orbital-asat",
        ),
    ]
    assert found["review-evidence-with-plain-triple-violation"] == [
        (
            "skgg:source/aaaaaaaaaaaaaaaa",
            "skgid:evidence/aaaaaaaaaaaaaaaa-0007",
            "skgid:actor/china",
            "skg:hasCapability",
            "skgid:capability/co-orbital-asat",
        ),
    ]
    assert found["evidence-field-violation"] == [
        ("skgid:evidence/aaaaaaaaaaaaaaaa-bad", "confidence is missing or outside [0, 1]"),
    ]
    assert found["evidence-without-source-document-violation"] == [
        ("skgid:evidence/aaaaaaaaaaaaaaaa-bad", "no prov:wasDerivedFrom"),
    ]
    assert found["reference-individual-without-source-violation"] == [("skgid:actor/csis",)]


def test_threats_name_who_the_curated_data_holds_responsible(tmp_path: Path) -> None:
    """The KA-SAT attack is attributed to Russia in the reference data: the Threats view's
    query says so (it left the actor empty when it read only `conducted`)."""
    store = OxigraphStore(tmp_path / "store")
    store.ensure_reference()
    rows = run_query(store, "threats_to_target", {"target": "skgid:asset/ka-sat-network"}).rows
    attack = [r for r in rows if str(r["threat"]).endswith("/event/ka-sat-cyber-attack")]
    assert {(str(r["actorLabel"]), str(r["actorRole"]), str(r["origins"])) for r in attack} == {
        ("Russia", "attributed to", "curated")
    }
    store.close()


# --- shapes written for Oxigraph's planner keep their answers --------------------------------


def test_event_profile_keeps_only_the_most_specific_type(scratch_store: OxigraphStore) -> None:
    # the type filter moved out of the union: a supertype stated elsewhere is still dropped
    event = URIRef(ID + "event/kosmos-1408-asat-test")
    graph = Graph()
    graph.add((event, RDF.type, URIRef(SKG + "Event")))
    scratch_store.replace_graph(URIRef("https://w3id.org/spacekg/graph/inferred"), graph)
    rows = table(scratch_store, "event_profile", {"event": event}, ["role", "other"])
    assert [r for r in rows if r[0] == "type"] == [("type", "skg:ASATTest")]


def test_aggregates_over_alternatives_skip_the_rows_without_a_value(
    scratch_store: OxigraphStore,
) -> None:
    # Oxigraph's GROUP_CONCAT and MIN give no value when one row of the group has none: an
    # event with two targets and no actor, and one with neither, still get their other columns
    graph = Graph()
    two = URIRef(ID + "event/two-targets")
    bare = URIRef(ID + "event/bare-test")
    graph.add((two, RDF.type, URIRef(SKG + "ASATTest")))
    graph.add((two, URIRef(SKG + "date"), Literal("2001-02-03", datatype=XSD.date)))
    for n, name in enumerate(["Alpha sat", "Beta sat"]):
        target = URIRef(ID + f"asset/sat-{n}")
        graph.add((two, URIRef(SKG + "targeted"), target))
        graph.add((target, RDFS.label, Literal(name)))
    graph.add((bare, RDF.type, URIRef(SKG + "ASATTest")))
    scratch_store.replace_graph(URIRef("https://w3id.org/spacekg/graph/inferred"), graph)
    columns = ["event", "date", "conductedBy", "targets", "sourceCount"]
    rows = {r[0]: r for r in table(scratch_store, "asat_tests_and_attacks", {}, columns)}
    assert rows["skgid:event/two-targets"][1:4] == ("2001-02-03", "", "Alpha sat; Beta sat") or (
        rows["skgid:event/two-targets"][1:4] == ("2001-02-03", "", "Beta sat; Alpha sat")
    )
    assert rows["skgid:event/bare-test"][1:] == ("", "", "", "0")
    assert rows["skgid:event/kosmos-1408-asat-test"][2:] == ("Russia", "Kosmos 1408", "1")


def test_documents_count_each_evidence_once_per_status(scratch_store: OxigraphStore) -> None:
    # a document with only review evidence, no publisher and no date: counts 0 and 1
    doc = URIRef(ID + "source/dddddddddddddddd")
    evidence = URIRef(ID + "evidence/dddddddddddddddd-0")
    prov = "http://www.w3.org/ns/prov#"
    graph = Graph()
    graph.add((doc, RDF.type, URIRef(SKG + "SourceDocument")))
    graph.add((doc, URIRef("http://purl.org/dc/terms/title"), Literal("Review only")))
    graph.add((evidence, RDF.type, URIRef(SKG + "Evidence")))
    graph.add((evidence, URIRef(prov + "wasDerivedFrom"), doc))
    graph.add((evidence, URIRef(SKG + "status"), Literal("review")))
    scratch_store.replace_graph(source_graph("dddddddddddddddd"), graph)
    # and a document without any evidence (its graph counts nothing): 0 and 0, not missing
    bare = URIRef(ID + "source/eeeeeeeeeeeeeeee")
    bare_graph = Graph()
    bare_graph.add((bare, RDF.type, URIRef(SKG + "SourceDocument")))
    bare_graph.add((bare, URIRef("http://purl.org/dc/terms/title"), Literal("No facts")))
    scratch_store.replace_graph(source_graph("eeeeeeeeeeeeeeee"), bare_graph)
    columns = ["document", "publishers", "facts", "reviewFacts"]
    rows = {r[0]: r for r in table(scratch_store, "documents", {}, columns)}
    assert rows["skgid:source/dddddddddddddddd"] == ("skgid:source/dddddddddddddddd", "", "0", "1")
    assert rows["skgid:source/eeeeeeeeeeeeeeee"][1:] == ("", "0", "0")
    assert rows["skgid:source/aaaaaaaaaaaaaaaa"][2:] == ("6", "1")


def test_actors_by_type_folds_supertypes_two_steps_up(scratch_store: OxigraphStore) -> None:
    # MilitaryCommand < Organization < Actor: Actor is folded although Organization is not
    # asserted; State and Alliance are unrelated, so an individual with both keeps both.
    graph = Graph()
    command = URIRef("https://w3id.org/spacekg/id/actor/test-command")
    both = URIRef("https://w3id.org/spacekg/id/actor/test-state-alliance")
    graph.add((command, RDF.type, URIRef(SKG + "MilitaryCommand")))
    graph.add((command, RDF.type, URIRef(SKG + "Actor")))
    graph.add((both, RDF.type, URIRef(SKG + "State")))
    graph.add((both, RDF.type, URIRef(SKG + "Alliance")))
    scratch_store.replace_graph(source_graph("cccccccccccccccc"), graph)
    rows = table(scratch_store, "actors_by_type", {"class": "skg:Actor"}, ["actor", "type"])
    assert [r for r in rows if "test-" in r[0]] == [
        ("skgid:actor/test-command", "skg:MilitaryCommand"),
        ("skgid:actor/test-state-alliance", "skg:Alliance"),
        ("skgid:actor/test-state-alliance", "skg:State"),
    ]


def test_facts_since_needs_asserted_complete_evidence(scratch_store: OxigraphStore) -> None:
    # A new document without evidence, one with incomplete or review evidence: no rows, and
    # no lookup that ran with an unbound key lets the older documents' facts in.
    def uri(tail: str) -> URIRef:
        return URIRef("https://w3id.org/spacekg/id/" + tail)

    graph = Graph()
    for name in ("source/test-empty", "source/test-partial"):
        graph.add((uri(name), RDF.type, URIRef(SKG + "SourceDocument")))
        graph.add((uri(name), URIRef(SKG + "date"), Literal("2031-05-01", datatype=XSD.date)))
    partial, review = uri("evidence/test-partial"), uri("evidence/test-review")
    for evidence, status in ((partial, "asserted"), (review, "review")):
        graph.add(
            (
                evidence,
                URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
                uri("source/test-partial"),
            )
        )
        graph.add((evidence, URIRef(SKG + "status"), Literal(status)))
        graph.add((evidence, URIRef(SKG + "factSubject"), uri("actor/russia")))
        graph.add((evidence, URIRef(SKG + "factObject"), uri("actor/nato")))
    graph.add((review, URIRef(SKG + "factPredicate"), URIRef(SKG + "memberOf")))
    scratch_store.replace_graph(source_graph("dddddddddddddddd"), graph)
    assert table(scratch_store, "facts_since", {"since": "2031-01-01"}, ["document"]) == []
    graph.add((partial, URIRef(SKG + "factPredicate"), URIRef(SKG + "memberOf")))
    scratch_store.replace_graph(source_graph("dddddddddddddddd"), graph)
    rows = table(scratch_store, "facts_since", {"since": "2031-01-01"}, ["subject", "document"])
    assert rows == [("skgid:actor/russia", "skgid:source/test-partial")]


def test_facts_since_labels_each_end_where_it_is_stated(scratch_store: OxigraphStore) -> None:
    # A curated end is labelled from the reference graph, a capability from the ontology graph,
    # a minted end from the graph of the document holding the fact: once, though another
    # document labels it too and differently.
    def uri(tail: str) -> URIRef:
        return URIRef("https://w3id.org/spacekg/id/" + tail)

    minted = uri("actor/test-space-agency")
    facts = (
        (uri("evidence/test-member"), URIRef(SKG + "memberOf"), uri("actor/nato")),
        (uri("evidence/test-jams"), URIRef(SKG + "hasCapability"), uri("capability/jamming")),
    )
    for docid, label in (("eeeeeeeeeeeeeeee", "Test Space Agency"), ("ffffffffffffffff", "TSA")):
        graph = Graph()
        document = uri("source/" + docid)
        graph.add((document, RDF.type, URIRef(SKG + "SourceDocument")))
        graph.add((document, URIRef(SKG + "date"), Literal("2032-02-01", datatype=XSD.date)))
        graph.add((minted, RDF.type, URIRef(SKG + "Organization")))
        graph.add((minted, RDFS.label, Literal(label)))
        for evidence, predicate, obj in facts if docid == "eeeeeeeeeeeeeeee" else ():
            graph.add((evidence, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), document))
            graph.add((evidence, URIRef(SKG + "status"), Literal("asserted")))
            graph.add((evidence, URIRef(SKG + "factSubject"), minted))
            graph.add((evidence, URIRef(SKG + "factPredicate"), predicate))
            graph.add((evidence, URIRef(SKG + "factObject"), obj))
        scratch_store.replace_graph(source_graph(docid), graph)
    stated = {
        str(o)
        for graph in (REFERENCE_GRAPH, ONTOLOGY_GRAPH)
        for end in (uri("actor/nato"), uri("capability/jamming"))
        for o in scratch_store.graph(graph).objects(end, RDFS.label)
    }
    rows = table(
        scratch_store, "facts_since", {"since": "2032-01-01"}, ["subjectLabel", "objectLabel"]
    )
    assert len(rows) == len(stated) >= 2
    assert {row[0] for row in rows} == {"Test Space Agency"}
    assert {row[1] for row in rows} == stated
