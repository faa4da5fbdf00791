"""ingest.explore.graphs: DOT text that labels cannot break, relations read from query results."""

from __future__ import annotations

import re

from rdflib import URIRef

from ingest.explore.graphs import relation_graph, to_dot
from ingest.queries import run_query
from ingest.store import OxigraphStore, QueryResult

ID = "https://w3id.org/spacekg/id/"
RUSSIA = ID + "actor/russia"


def test_dot_labels_cannot_break_out_of_their_quotes() -> None:
    evil = 'x"]; injected [label="pwned'
    dot = to_dot({"a": evil, "b": "line\nbreak"}, [("a", 'rel"', "b", "asserted")], center="a")
    node_lines = [line for line in dot.splitlines() if re.match(r"\s*n\d+ ", line)]
    assert len(node_lines) == 3  # two nodes and one edge: the label did not add a statement
    quoted = re.search(r'n0 \[label="((?:[^"\\]|\\.)*)"', dot)
    assert quoted and re.sub(r"\\(.)", r"\1", quoted.group(1)) == evil  # one whole label
    assert 'n1 [label="line break"]' in dot


def test_edges_to_nodes_not_drawn_are_left_out() -> None:
    dot = to_dot({"a": "A"}, [("a", "rel", "elsewhere", "asserted")])
    assert "->" not in dot


def test_an_actor_profile_is_drawn_around_its_actor(dataset_store: OxigraphStore) -> None:
    result = run_query(dataset_store, "actor_profile", {"actor": URIRef(RUSSIA)})
    rel = relation_graph(result, RUSSIA)
    assert rel.edges
    assert all(RUSSIA in (s, o) for s, _, o, _ in rel.edges)
    # "Roscosmos partOf Russia" points at the centre; "Russia operates Kosmos 1408" away from it
    assert (ID + "actor/roscosmos", "partOf", RUSSIA) in {(s, p, o) for s, p, o, _ in rel.edges}
    assert (RUSSIA, "operates", ID + "asset/kosmos-1408") in {(s, p, o) for s, p, o, _ in rel.edges}
    assert rel.nodes[ID + "asset/kosmos-1408"] == "Kosmos 1408"


def test_rows_without_a_property_column_are_no_graph(dataset_store: OxigraphStore) -> None:
    result = run_query(dataset_store, "document_index")
    assert result.rows  # there are rows, but they are not relations
    assert relation_graph(result).edges == []
    assert relation_graph(QueryResult(kind="ask", boolean=True)).edges == []


def test_the_selection_keeps_chosen_relations_and_origins_and_the_centre() -> None:
    from ingest.explore.graphs import select_edges

    nodes = {"a": "A", "b": "B", "c": "C", "d": "D"}
    edges = [
        ("a", "operates", "b", "curated"),
        ("a", "targeted", "c", "asserted"),
        ("c", "targeted", "d", "inferred"),
    ]
    kept_nodes, kept = select_edges(nodes, edges, ["targeted"], ["asserted"], "a")
    assert kept == [("a", "targeted", "c", "asserted")]
    assert kept_nodes == {"a": "A", "c": "C"}
    alone, none = select_edges(nodes, edges, [], None, "a")
    assert none == [] and alone == {"a": "A"}
    every, all_edges = select_edges(nodes, edges, None, None, "a")
    assert all_edges == edges and every == nodes
