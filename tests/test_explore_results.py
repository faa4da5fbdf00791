"""ingest.explore.results: query rows shared per store version, results as display tables."""

from __future__ import annotations

from conftest import QUERY_DATASET, load_dataset
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from ingest.explore.results import display_table, internal_rows, rows_of
from ingest.iri import source_graph
from ingest.store import OxigraphStore, QueryResult

SKG = "https://w3id.org/spacekg/ontology#"


def test_rows_are_never_served_from_before_a_write(embedded_store: OxigraphStore) -> None:
    load_dataset(embedded_store, QUERY_DATASET)
    before = {r["document"] for r in rows_of(embedded_store, "document_index")}
    assert len(before) == 2
    embedded_store.drop_graph(source_graph("bbbbbbbbbbbbbbbb"))
    after = {r["document"] for r in rows_of(embedded_store, "document_index")}
    assert after == before - {"https://w3id.org/spacekg/id/source/bbbbbbbbbbbbbbbb"}


def test_internal_queries_count_the_dataset(dataset_store: OxigraphStore) -> None:
    counts = {
        str(r["class"]).split("#")[-1]: r["n"] for r in internal_rows(dataset_store, "class_counts")
    }
    dataset = Dataset()
    dataset.parse(QUERY_DATASET, format="trig")
    evidence = {s for s, _, _, _ in dataset.quads((None, RDF.type, URIRef(SKG + "Evidence"), None))}
    assert evidence and counts["Evidence"] == len(evidence)


def test_tables_show_iris_as_short_names() -> None:
    russia = URIRef("https://w3id.org/spacekg/id/actor/russia")
    select = QueryResult(
        kind="select", vars=["actor", "n"], rows=[{"actor": russia, "n": Literal(3)}]
    )
    columns, rows = display_table(select)
    assert columns == ["actor", "n"]
    assert rows[0]["n"] == 3 and "russia" in str(rows[0]["actor"])
    assert rows[0]["actor"] != str(russia)

    graph = Graph()
    graph.add((russia, URIRef("https://w3id.org/spacekg/ontology#operates"), Literal("x")))
    columns, rows = display_table(QueryResult(kind="construct", graph=graph))
    assert columns == ["subject", "predicate", "object"] and len(rows) == 1
    assert display_table(QueryResult(kind="ask", boolean=False)) == (
        ["boolean"],
        [{"boolean": False}],
    )


def test_a_row_names_every_entity_of_its_multi_entity_cells_once() -> None:
    from ingest.explore.results import row_entities

    row = {
        "event": "https://w3id.org/spacekg/id/event/e1",
        "label": "Test",
        "responsible": "China; Russia",
        "responsibleIris": [
            "https://w3id.org/spacekg/id/actor/china",
            "https://w3id.org/spacekg/id/actor/russia",
        ],
        "responsibleLabels": ["China", "Russia"],
        "targets": "Kosmos 1408",
        "targetIris": ["https://w3id.org/spacekg/id/asset/kosmos-1408", ""],
        "targetLabels": ["Kosmos 1408"],
    }
    found = row_entities(
        row,
        {"label": "event"},
        {
            "responsible": ("responsibleIris", "responsibleLabels"),
            "targets": ("targetIris", "targetLabels"),
            "missing": ("nothing", "nothing"),
        },
    )
    assert found == [
        ("https://w3id.org/spacekg/id/event/e1", "Test"),
        ("https://w3id.org/spacekg/id/actor/china", "China"),
        ("https://w3id.org/spacekg/id/actor/russia", "Russia"),
        ("https://w3id.org/spacekg/id/asset/kosmos-1408", "Kosmos 1408"),
    ]
    # a cell that is not a list (a query that joined labels only) adds nothing, not characters
    assert row_entities({"x": "a; b"}, {}, {"x": ("x", "x")}) == []
