"""Content negotiation (q-values, specificity, defaults) and the serialisers round-tripped."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from ingest.console import ConsoleResult
from ingest.serve_formats import OFFERS, negotiate, parse_accept, serialise

NATO = URIRef("https://w3id.org/spacekg/id/actor/nato")


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, "select", "application/sparql-results+json"),
        ("", "construct", "text/turtle"),
        ("*/*", "ask", "application/sparql-results+json"),
        ("garbage", "select", "application/sparql-results+json"),
        (
            "text/csv;q=0.5, application/sparql-results+xml",
            "select",
            "application/sparql-results+xml",
        ),
        ("text/*;q=0.2, text/csv;q=0", "select", "text/tab-separated-values"),
        ("application/json", "select", "application/sparql-results+json"),
        ("application/x-turtle", "construct", "text/turtle"),
        (
            "application/rdf+xml;q=0.5, application/n-triples;q=0.6",
            "construct",
            "application/n-triples",
        ),
        ("*/*;q=0.1, text/turtle;q=0", "construct", "application/n-triples"),
        ("text/csv;q=abc, text/tab-separated-values", "select", "text/tab-separated-values"),
    ],
)
def test_negotiate(accept: str | None, kind: str, expected: str) -> None:
    offer = negotiate(accept, kind)  # type: ignore[arg-type]
    assert offer is not None and offer.media_type == expected


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("image/png", "select"),
        ("text/turtle", "ask"),
        ("*/*;q=0", "select"),
        ("application/sparql-results+json", "construct"),
    ],
)
def test_nothing_acceptable(accept: str, kind: str) -> None:
    assert negotiate(accept, kind) is None  # type: ignore[arg-type]


@given(st.text(max_size=200))
def test_accept_parser_takes_anything(header: str) -> None:
    for media, quality in parse_accept(header):
        assert media.count("/") == 1 and 0.0 <= quality <= 1.0
    for kind in OFFERS:
        negotiate(header, kind)  # type: ignore[arg-type]


ROWS = [
    {"x": NATO, "y": Literal("NATO", lang="en")},
    {"x": BNode("b1"), "y": Literal("3", datatype=XSD.integer)},
    {"x": URIRef("urn:a"), "y": None},
    {"x": URIRef("urn:b"), "y": Literal('tab\there, "quoted", comma')},
]


@pytest.mark.parametrize("offer", OFFERS["select"], ids=lambda o: o.media_type)
def test_select_round_trip(offer) -> None:  # type: ignore[no-untyped-def]
    body = serialise(ConsoleResult(kind="select", vars=["x", "y"], rows=ROWS), offer)
    if offer.media_type == "text/csv":  # CSV keeps only values, and Oxigraph does not read it
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["x", "y"] and len(rows) == len(ROWS) + 1
        assert rows[1] == [str(NATO), "NATO"] and rows[3] == ["urn:a", ""]
        assert rows[4][1] == 'tab\there, "quoted", comma'
        return
    parsed = list(ox.parse_query_results(body, format=offer.results))
    assert len(parsed) == len(ROWS)
    assert parsed[0]["y"] == ox.Literal("NATO", language="en")
    assert parsed[1]["y"] == ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))
    assert isinstance(parsed[1]["x"], ox.BlankNode) and parsed[2]["y"] is None


@pytest.mark.parametrize("offer", OFFERS["ask"], ids=lambda o: o.media_type)
def test_ask(offer) -> None:  # type: ignore[no-untyped-def]
    for boolean in (True, False):
        body = serialise(ConsoleResult(kind="ask", boolean=boolean), offer)
        if offer.results in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
            assert bool(ox.parse_query_results(body, format=offer.results)) is boolean
        else:
            assert body.decode().strip() == str(boolean).lower()


@pytest.mark.parametrize("offer", OFFERS["construct"], ids=lambda o: o.media_type)
def test_graph_round_trip(offer) -> None:  # type: ignore[no-untyped-def]
    graph = Graph()
    graph.add((NATO, RDFS.label, Literal("NATO", lang="en")))
    graph.add((NATO, URIRef("urn:p"), BNode("x1")))
    graph.add((BNode("x1"), RDFS.comment, Literal('Stra\u00dfe "q"\n')))
    body = serialise(ConsoleResult(kind="construct", graph=graph), offer)
    back = Graph()
    for triple in ox.parse(body, format=offer.rdf):
        back.add(tuple(_rdflib(t) for t in (triple.subject, triple.predicate, triple.object)))  # type: ignore[arg-type]
    assert isomorphic(back, graph)


def _rdflib(term: object) -> object:
    from ingest.store import from_ox

    return from_ox(term)
