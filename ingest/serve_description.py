"""The endpoint's SPARQL 1.1 Service Description: what a GET without a query is answered with.

The Service Description recommendation (section 2) asks a protocol service to describe itself
at its endpoint URL: clients such as YASGUI and federated query planners read it to learn the
query language, the result formats, that the default graph is the union of the named graphs,
and the size of the data. Built from the running server's own offers and limits, so it cannot
drift from what the endpoint does.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from .console import QueryLimits
from .serve_formats import OFFERS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
# The W3C format IRIs (https://www.w3.org/ns/formats/) of the media types the endpoint sends.
_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/n-quads": FORMATS["N-Quads"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
}


def result_formats() -> list[URIRef]:
    """Every format some query form can be answered in, as W3C format IRIs."""
    media = {offer.media_type for offers in OFFERS.values() for offer in offers}
    return sorted(_FORMAT_IRIS[m] for m in media)


def service_description(endpoint: str, *, store: str, triples: int, limits: QueryLimits) -> Graph:
    """The description of the endpoint at `endpoint` serving `triples` triples of `store`."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service, dataset, default = BNode(), BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in result_formats():
        graph.add((service, SD.resultFormat, fmt))
    graph.add((service, DCTERMS.title, Literal(f"spacekg: the {store} store, read-only")))
    comment = (
        f"SPARQL 1.1 Query only; SPARQL Update, SERVICE, LOAD and remote FROM are refused. "
        f"A query stops after {limits.timeout_s:g} s and returns at most "
        f"{limits.row_limit:,} rows (the Spacekg-Truncated header says when it was cut)."
    )
    graph.add((service, RDFS.comment, Literal(comment)))
    # The dataset's count is of quads: a triple stated in two documents' graphs counts twice,
    # as in the index page's figure; the default graph (their union) holds it once.
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    return graph


__all__ = ["FORMATS", "SD", "result_formats", "service_description"]
