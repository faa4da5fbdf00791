"""What `spacekg serve` answers in: HTTP content negotiation and the result serialisers.

Negotiation follows RFC 9110: the most specific media range that matches an offer gives its
q-value, q=0 refuses, and ties go to the order we offer (JSON for result sets, Turtle for
graphs, so a missing Accept or `*/*` gets those). Serialising is Oxigraph's: a console answer
is written once as SPARQL JSON (rdflib's writer, from the rdflib terms the console returns)
and re-read by Oxigraph for XML, CSV and TSV; graphs are written by Oxigraph directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.query import Result

from .console import ConsoleResult
from .queries import PREFIXES
from .sparql_check import QueryKind
from .store import to_ox


@dataclass(frozen=True)
class Offer:
    """One response format: the media type we send, the ones an Accept may name for it."""

    media_type: str
    accepted: tuple[str, ...]
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


_JSON = Offer(
    "application/sparql-results+json",
    ("application/sparql-results+json", "application/json"),
    results=ox.QueryResultsFormat.JSON,
)
_XML = Offer(
    "application/sparql-results+xml",
    ("application/sparql-results+xml",),
    results=ox.QueryResultsFormat.XML,
)
_CSV = Offer("text/csv", ("text/csv",), results=ox.QueryResultsFormat.CSV)
_TSV = Offer(
    "text/tab-separated-values", ("text/tab-separated-values",), results=ox.QueryResultsFormat.TSV
)
_GRAPH = (
    Offer("text/turtle", ("text/turtle", "application/x-turtle"), rdf=ox.RdfFormat.TURTLE),
    Offer("application/n-triples", ("application/n-triples",), rdf=ox.RdfFormat.N_TRIPLES),
    Offer("application/n-quads", ("application/n-quads",), rdf=ox.RdfFormat.N_QUADS),
    Offer("application/ld+json", ("application/ld+json",), rdf=ox.RdfFormat.JSON_LD),
    # rdflib's SPARQLStore and SPARQLWrapper's default ask for RDF/XML; writing it is safe
    # (the entity expansion trouble is in parsing it).
    Offer("application/rdf+xml", ("application/rdf+xml",), rdf=ox.RdfFormat.RDF_XML),
)
OFFERS: dict[QueryKind, tuple[Offer, ...]] = {
    "select": (_JSON, _XML, _CSV, _TSV),
    "ask": (_JSON, _XML, _CSV, _TSV),
    "construct": _GRAPH,
}
# Text formats say their charset; the SPARQL result types and JSON-LD are UTF-8 by definition.
_CHARSET = ("text/", "application/n-triples", "application/n-quads")


def content_type(offer: Offer) -> str:
    """The Content-Type header for an offer."""
    if offer.media_type.startswith(_CHARSET):
        return offer.media_type + "; charset=utf-8"
    return offer.media_type


def parse_accept(header: str) -> list[tuple[str, float]]:
    """(media range, q) pairs of an Accept header; malformed entries are skipped."""
    ranges = []
    for part in header.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if media.count("/") != 1:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = -1.0
        if quality >= 0:
            ranges.append((media, quality))
    return ranges


def _rank(media: str, media_type: str) -> int:
    """How specifically a media range matches a type: 2 exact, 1 `type/*`, 0 `*/*`, -1 not."""
    if media == media_type:
        return 2
    if media == media_type.split("/")[0] + "/*":
        return 1
    return 0 if media == "*/*" else -1


def _match(media_types: Sequence[str], ranges: Sequence[tuple[str, float]]) -> float:
    """q of the most specific range matching any of `media_types` (0 when none does).

    Taken over an offer's aliases together, so `text/turtle;q=0` also refuses
    `application/x-turtle` that only `*/*` would match.
    """
    matches = [
        (rank, q)
        for media_type in media_types
        for media, q in ranges
        if (rank := _rank(media, media_type)) >= 0
    ]
    if not matches:
        return 0.0
    top = max(rank for rank, _ in matches)
    return max(q for rank, q in matches if rank == top)


def negotiate(accept: str | None, kind: QueryKind) -> Offer | None:
    """The offer to answer a query of `kind` with, or None when the client accepts none."""
    offers = OFFERS[kind]
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: tuple[float, Offer] | None = None
    for offer in offers:
        quality = _match(offer.accepted, ranges)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, offer)
    return best[1] if best else None


def acceptable(kind: QueryKind) -> str:
    """The media types a query of `kind` can be answered in, for a 406 message."""
    return ", ".join(offer.media_type for offer in OFFERS[kind])


def serialise_graph(graph: Graph, offer: Offer) -> bytes:
    """A graph in a negotiated RDF format, written by Oxigraph (prefixes where the format has them)."""
    assert offer.rdf is not None, offer
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    prefixes = PREFIXES if offer.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=offer.rdf, prefixes=prefixes) or b""


def serialise(result: ConsoleResult, offer: Offer) -> bytes:
    """A console answer in the negotiated format."""
    if result.kind == "construct":
        return serialise_graph(result.graph if result.graph is not None else Graph(), offer)
    assert offer.results is not None, offer
    answer = Result("ASK" if result.kind == "ask" else "SELECT")
    if result.kind == "ask":
        answer.askAnswer = bool(result.boolean)
    else:
        answer.vars = [Variable(name) for name in result.vars]
        answer.bindings = [
            {Variable(name): value for name, value in row.items() if value is not None}
            for row in result.rows
        ]
    body = answer.serialize(format="json")
    assert isinstance(body, bytes)
    if offer.results == ox.QueryResultsFormat.JSON:
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=offer.results) or b""


__all__ = [
    "OFFERS",
    "Offer",
    "acceptable",
    "content_type",
    "negotiate",
    "serialise",
    "serialise_graph",
]
