"""The store interface, run unchanged against the embedded store and real Oxigraph and Virtuoso
servers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from ingest.errors import StoreError
from ingest.iri import ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_graph
from ingest.store import (
    EndpointStore,
    OxigraphStore,
    Store,
    bind_constant,
    inject_value_rows,
    inject_values,
)

EX = "https://example.org/"
G1 = source_graph("0000000000000001")
G2 = source_graph("0000000000000002")
HOSTILE = 'quote " brace } hash # newline\n back\\slash \u00e9 <iri> ; DROP ALL'


def sample_graph(tag: str) -> Graph:
    graph = Graph()
    subject = URIRef(EX + tag)
    graph.add((subject, RDFS.label, Literal(f"Label {tag}", lang="en")))
    graph.add((subject, URIRef(EX + "text"), Literal(HOSTILE)))
    graph.add((subject, URIRef(EX + "date"), Literal("2021-11-15", datatype=XSD.date)))
    graph.add((subject, URIRef(EX + "year"), Literal("2019", datatype=XSD.gYear)))
    graph.add((subject, URIRef(EX + "conf"), Literal("0.85", datatype=XSD.decimal)))
    graph.add((subject, URIRef(EX + "link"), URIRef(EX + "other")))
    return graph


def test_replace_graph_round_trips_terms(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    assert any_store.graph_names() == [G1]
    assert isomorphic(any_store.graph(G1), sample_graph("a"))


def test_select_rows_keep_each_value_in_its_column(any_store: Store) -> None:
    # rows are built from each solution's values in variable order: an unbound middle value
    # stays None in its own column, and equal values in two columns are the same term
    rows = any_store.query(
        'SELECT ?a ?b ?c ?d WHERE { BIND(1 AS ?a) OPTIONAL { BIND(2 AS ?zz) } BIND("x" AS ?c) '
        "BIND(1 AS ?d) }"
    ).rows
    assert rows == [{"a": Literal(1), "b": None, "c": Literal("x"), "d": Literal(1)}]
    assert isinstance(rows[0]["a"], Literal) and rows[0]["a"].datatype == XSD.integer


def test_replace_graph_replaces_not_appends(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    any_store.replace_graph(G1, sample_graph("b"))
    stored = any_store.graph(G1)
    assert isomorphic(stored, sample_graph("b"))
    assert (URIRef(EX + "a"), None, None) not in stored


def test_drop_graph_leaves_others(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    any_store.replace_graph(G2, sample_graph("b"))
    any_store.drop_graph(G1)
    assert any_store.graph_names() == [G2]
    assert len(any_store.graph(G1)) == 0


def test_query_binds_hostile_literal_literally(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    result = any_store.query(
        "SELECT ?s WHERE { ?s <https://example.org/text> ?text }", {"text": Literal(HOSTILE)}
    )
    assert [row["s"] for row in result.rows] == [URIRef(EX + "a")]
    # The store still holds its data: the bound text was a value, not query syntax.
    assert any_store.graph_names() == [G1]


def test_default_graph_is_union_and_can_be_restricted(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    any_store.replace_graph(G2, sample_graph("b"))
    query = "SELECT ?s WHERE { ?s <https://example.org/link> ?o } ORDER BY ?s"
    union = any_store.query(query)
    assert [row["s"] for row in union.rows] == [URIRef(EX + "a"), URIRef(EX + "b")]
    only_b = any_store.query(query, default_graph=[G2])
    assert [row["s"] for row in only_b.rows] == [URIRef(EX + "b")]


def test_ask_and_construct(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    ask = any_store.query("ASK { ?s <https://example.org/link> <https://example.org/other> }")
    assert ask.kind == "ask" and ask.boolean is True
    built = any_store.query(
        "CONSTRUCT { ?s <https://example.org/seen> true } WHERE { ?s <https://example.org/link> ?o }"
    )
    assert built.kind == "construct" and built.graph is not None
    assert set(built.graph.subjects()) == {URIRef(EX + "a")}


def test_typed_strings_blank_nodes_and_language_tags_read_back_as_stored(any_store: Store) -> None:
    """Virtuoso writes ^^xsd:string explicitly and refuses blank nodes in INSERT DATA: every
    backend reads back the embedded store's terms."""
    graph = Graph()
    subject, node = URIRef(EX + "s"), BNode()
    graph.add((subject, RDFS.label, Literal("typed", datatype=XSD.string)))
    graph.add((subject, RDFS.comment, Literal("colour", lang="en-GB")))
    graph.add((subject, URIRef(EX + "part"), node))
    graph.add((node, RDFS.label, Literal("inside")))
    any_store.replace_graph(G1, graph)
    stored = any_store.graph(G1)
    assert (subject, RDFS.label, Literal("typed")) in stored  # plain, as rdflib writes it
    assert (subject, RDFS.comment, Literal("colour", lang="en-gb")) in stored
    expected = Graph()
    expected += graph
    expected.remove((subject, RDFS.label, None))
    expected.add((subject, RDFS.label, Literal("typed")))
    expected.remove((subject, RDFS.comment, None))  # Oxigraph lower-cases language tags too
    expected.add((subject, RDFS.comment, Literal("colour", lang="en-gb")))
    assert isomorphic(stored, expected)
    rows = any_store.query("SELECT ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }")
    assert sorted(str(r["o"]) for r in rows.rows) == ["inside", "typed"]
    assert all(r["o"].datatype is None for r in rows.rows)  # type: ignore[union-attr]


def test_update_endpoints_are_guessed_per_server() -> None:
    guesses = {
        "http://h:7878/query": "http://h:7878/update",  # Oxigraph
        "http://h:3030/ds/sparql": "http://h:3030/ds/update",  # Fuseki
        "http://h:3030/ds/query": "http://h:3030/ds/update",
        "http://h:8890/sparql": "http://h:8890/sparql-auth",  # Virtuoso: the login endpoint
        "http://h:8890/other": "http://h:8890/other",
    }
    assert {url: EndpointStore(url).update_endpoint for url in guesses} == guesses


def test_version_changes_on_every_write(any_store: Store) -> None:
    before = any_store.version()
    any_store.replace_graph(G1, sample_graph("a"))
    after_write = any_store.version()
    any_store.drop_graph(G1)
    after_drop = any_store.version()
    assert len({before, after_write, after_drop}) == 3 or (
        # The endpoint fingerprints contents: empty before and after the drop look the same.
        before == after_drop and after_write != before
    )


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_export_import_round_trip_is_lossless(any_store: Store, tmp_path: Path, fmt: str) -> None:
    """A whole store (curated graphs and two real ingested documents) survives export + import."""
    any_store.ensure_reference()
    documents = any_store.import_file(FIXTURES / "restore" / "documents.nq")
    assert len(documents) == 2
    out = io.BytesIO()
    any_store.export(fmt, out)
    path = tmp_path / f"dump.{ {'nquads': 'nq', 'trig': 'trig', 'jsonld': 'jsonld'}[fmt] }"
    path.write_bytes(out.getvalue())

    restored = OxigraphStore(tmp_path / "restored")
    restored.ensure_reference()
    assert restored.import_file(path) == documents  # the curated graphs are skipped as equal
    for name in documents:
        assert isomorphic(restored.graph(name), any_store.graph(name)), name
    restored.close()


def test_import_refuses_turtle_and_garbage(embedded_store: OxigraphStore, tmp_path: Path) -> None:
    turtle = tmp_path / "x.ttl"
    turtle.write_text("<a:b> <a:c> <a:d> .")
    with pytest.raises(StoreError, match="Turtle holds no named graphs"):
        embedded_store.import_file(turtle)
    garbage = tmp_path / "x.nq"
    garbage.write_text("this is not n-quads")
    with pytest.raises(StoreError, match="cannot parse nquads"):
        embedded_store.import_file(garbage)
    assert embedded_store.graph_names() == []


def test_ensure_reference_loads_once_and_reloads_on_change(any_store: Store) -> None:
    assert any_store.ensure_reference() is True
    names = any_store.graph_names()
    assert ONTOLOGY_GRAPH in names and REFERENCE_GRAPH in names
    nato = any_store.query(
        "ASK { <https://w3id.org/spacekg/id/actor/nato> ?p ?o }", default_graph=[REFERENCE_GRAPH]
    )
    assert nato.boolean is True
    assert any_store.ensure_reference() is False


def test_embedded_store_is_persistent(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G1, sample_graph("a"))
    version = store.version()
    store.close()
    reopened = OxigraphStore(tmp_path / "s")
    assert isomorphic(reopened.graph(G1), sample_graph("a"))
    assert reopened.version() == version
    reopened.close()


def test_a_new_graph_that_fails_midway_writes_nothing(tmp_path: Path) -> None:
    """A new graph that cannot be written (a term Oxigraph refuses, met after the good ones)
    leaves no trace: no graph, no triple."""

    class BadLast(Graph):
        """Iterates the unwritable triple last, so the write fails after 56 good ones."""

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(sorted(super().__iter__(), key=lambda t: " " in t[0]))

    store = OxigraphStore(tmp_path / "s")
    graph = BadLast()
    graph += sample_graph("a")
    for n in range(50):
        graph.add((URIRef(EX + f"s{n}"), RDFS.label, Literal(str(n))))
    graph.add((URIRef(EX + "bad iri"), RDFS.label, Literal("added last, iterated last")))
    with pytest.raises((StoreError, ValueError)):
        store.replace_graph(G1, graph)
    assert G1 not in store.graph_names()
    assert len(store.graph(G1)) == 0
    store.close()


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "s")
    with pytest.raises(StoreError, match="another spacekg process"):
        OxigraphStore(tmp_path / "s")
    first.close()


def test_inject_values_skips_strings_comments_and_iris() -> None:
    query = 'PREFIX x: <http://x#{> # WHERE {\nSELECT * WHERE { ?s ?p "{ WHERE" }'
    bound = inject_values(query, {"s": URIRef("http://a")})
    assert bound.endswith('WHERE { VALUES (?s) { (<http://a>) }  ?s ?p "{ WHERE" }')


def test_inject_value_rows_binds_many_terms_on_both_backends(any_store: Store) -> None:
    """A batch lookup: one variable, many rows, every term escaped by rdflib."""
    graph = Graph()
    names = ['quote " and } brace', "line\nbreak", "plain"]
    for i, name in enumerate(names):
        graph.add((URIRef(f"{EX}n{i}"), RDFS.label, Literal(name)))
    graph.add((URIRef(EX + "other"), RDFS.label, Literal("not asked")))
    any_store.replace_graph(G1, graph)
    wanted = [URIRef(f"{EX}n{i}") for i in range(len(names))] + [URIRef(EX + "absent")]
    text = inject_value_rows("SELECT ?s ?label WHERE { ?s ?p ?label } ORDER BY ?s", "s", wanted)
    rows = any_store.query(text).rows
    assert [(row["s"], str(row["label"])) for row in rows] == [
        (URIRef(f"{EX}n{i}"), name) for i, name in enumerate(names)
    ]
    with pytest.raises(StoreError, match="invalid variable name"):
        inject_value_rows(text, "s }", wanted)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_bound_text_matches_only_itself(text: str, tmp_path_factory) -> None:
    store = OxigraphStore(None)
    graph = Graph()
    graph.add((URIRef(EX + "x"), RDFS.label, Literal(text)))
    graph.add((URIRef(EX + "y"), RDFS.label, Literal(text + "!")))
    store.replace_graph(G1, graph)
    rows = store.query("SELECT ?s WHERE { ?s ?p ?label }", {"label": Literal(text)}).rows
    assert [row["s"] for row in rows] == [URIRef(EX + "x")]


def test_dataset_has_every_graph(any_store: Store) -> None:
    any_store.replace_graph(G1, sample_graph("a"))
    dataset: Dataset = any_store.dataset()
    assert {g.identifier for g in dataset.graphs() if len(g)} == {G1}


def test_bind_constant_replaces_the_variable_only_outside_strings_comments_and_iris() -> None:
    sparql = (
        "# ?pattern in a comment\n"
        'SELECT ?x WHERE { ?x <http://e/?pattern> "?pattern" '
        "FILTER(REGEX(?x, ?pattern) && ?patterns) }"
    )
    text = bind_constant(sparql, "pattern", Literal('a"b\\c'))
    assert text == (
        "# ?pattern in a comment\n"
        'SELECT ?x WHERE { ?x <http://e/?pattern> "?pattern" '
        'FILTER(REGEX(?x, "a\\"b\\\\c") && ?patterns) }'
    )
    with pytest.raises(StoreError):
        bind_constant(sparql, "not a name", Literal("x"))


def test_a_constant_regex_pattern_finds_what_the_pattern_says() -> None:
    store = OxigraphStore(None)
    graph = Graph()
    for n, label in enumerate(["State 12", 'Odd "quoted" name', "Other"]):
        graph.add((URIRef(f"https://w3id.org/spacekg/id/actor/a{n}"), RDFS.label, Literal(label)))
    store.replace_graph(source_graph("00000000000000aa"), graph)
    sparql = 'SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(REGEX(?l, ?p, "i")) }'
    rows = store.query(bind_constant(sparql, "p", Literal('state|"QUOTED"'))).rows
    assert sorted(str(r["s"]).rsplit("/", 1)[1] for r in rows) == ["a0", "a1"]
    store.close()


def test_present_graphs_names_only_the_stored_ones() -> None:
    store = OxigraphStore(None)
    store.ensure_reference()
    stored, absent = source_graph("00000000000000ab"), source_graph("00000000000000ac")
    graph = Graph()
    graph.add((URIRef("https://w3id.org/spacekg/id/actor/x"), RDFS.label, Literal("X")))
    store.replace_graph(stored, graph)
    assert store.present_graphs([stored, absent, REFERENCE_GRAPH]) == {stored, REFERENCE_GRAPH}
    assert Store.present_graphs(store, [stored, absent]) == {stored}  # the generic version agrees
    store.drop_graph(stored)
    assert store.present_graphs([stored]) == set()
    store.close()
