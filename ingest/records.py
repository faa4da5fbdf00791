"""An ingested document's record, in a module of its own so that readers of the store (the
app's document page) need not import the pipeline and spaCy with it."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef


@dataclass(frozen=True)
class SourceRecord:
    """An ingested document as listed by `spacekg docs` and the app."""

    docid: str
    graph: URIRef
    iri: URIRef
    title: str
    date: str
    kind: str
    url: str
    path: str
    facts: int
    review: int
