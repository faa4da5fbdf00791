"""ingest/serve_description.py: the Service Description names every format the endpoint sends."""

from __future__ import annotations

from rdflib import RDF, RDFS

from ingest.console import QueryLimits
from ingest.serve_description import SD, result_formats, service_description
from ingest.serve_formats import OFFERS


def test_every_offered_format_has_its_w3c_iri() -> None:
    media = {offer.media_type for offers in OFFERS.values() for offer in offers}
    formats = result_formats()
    assert len(formats) == len(media) == len(set(formats))
    assert all(str(f).startswith("http://www.w3.org/ns/formats/") for f in formats)


def test_description_states_the_limits_it_runs_under() -> None:
    limits = QueryLimits(timeout_s=7, row_limit=1234)
    graph = service_description("http://127.0.0.1:1/sparql", store="s", triples=5, limits=limits)
    service = graph.value(predicate=RDF.type, object=SD.Service)
    comment = str(graph.value(service, RDFS.comment))
    assert "after 7 s" in comment and "at most 1,234 rows" in comment
