"""The Add document page's data: what a prepared document would add, metadata checks, removal."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from rdflib import URIRef
from rdflib.term import Node

from ingest.errors import InputError
from ingest.iri import kind_of

from .origins import badge, origins_of
from .results import Row, rows_of
from .terms import curie, fallback_label, iso_date, local_name, type_words, value

if TYPE_CHECKING:
    from ingest.pipeline import PreparedDocument
    from ingest.store import Store
    from ingest.to_rdf import DocumentGraph


DOCUMENT_KINDS = (
    "statement",
    "declaration",
    "communique",
    "policy",
    "strategy",
    "treaty",
    "resolution",
    "analysis",
    "report",
    "news",
    "speech",
)


def document_choices(store: Store) -> list[Row]:
    """Every ingested document (id, title, date), newest first: the choices for removal.

    Its own query lists documents without counting their facts (a pass over all evidence).
    """
    return [
        {
            "document": row["document"],
            "docid": local_name(row["document"]),
            "title": row.get("title") or fallback_label(row["document"]),
            "date": row.get("date") or "",
        }
        for row in rows_of(store, "document_index")
    ]


def preview_facts(prepared: PreparedDocument) -> list[Row]:
    """The facts a prepared (not yet committed) document would add, with confidence and status.

    Statements come before the document's "mentions", strongest first, as on the document page.
    """
    doc_graph = cast("DocumentGraph", prepared.graph)  # PreparedDocument types it `object`
    labels = {str(ent.iri): ent.label for ent in doc_graph.entities if ent.label}
    labels[str(doc_graph.document)] = prepared.source.title

    def shown(term: Node) -> str:
        if isinstance(term, URIRef):
            return labels.get(str(term)) or fallback_label(term)
        return str(value(term))

    rows: list[Row] = []
    for fact in doc_graph.facts:
        rows.append(
            {
                "subject": shown(fact.s),
                "property": local_name(fact.p),
                "object": shown(fact.o),
                "confidence": float(fact.confidence),
                "status": fact.status,
                "source": badge(origins_of("", fact.status)),
                "sentence": fact.sentence,
                "subjectIri": str(fact.s),
                "objectIri": str(fact.o),
            }
        )
    rows.sort(key=lambda r: (r["property"] == "mentions", -r["confidence"], r["subject"]))
    return rows


def preview_entities(prepared: PreparedDocument) -> list[Row]:
    """Entities of a prepared document: label, class, IRI and whether the graph knew it."""
    rows: list[Row] = []
    for ent in cast("DocumentGraph", prepared.graph).entities:
        iri = str(ent.iri)
        rows.append(
            {
                "label": ent.label or fallback_label(iri),
                "kind": ", ".join(type_words(c) for c in ent.classes) or kind_of(iri),
                "entity": curie(iri),
                "new": not ent.curated,
            }
        )
    rows.sort(key=lambda r: (not r["new"], r["label"].lower()))
    return rows


def check_metadata(date: str, url: str) -> None:
    """Refuse metadata the shapes would reject, before running the pipeline."""
    if date and iso_date(date) is None:
        raise InputError(
            f"the date {date!r} is not a date", "Add document", "use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    if url and not re.match(r"^https?://\S+$", url):
        raise InputError(
            f"the url {url!r} is not an http(s) URL", "Add document", "give a full https:// URL"
        )


ONLY_MENTIONS = "only mentions:"
"""How `to_rdf` starts the note of a document that yields no fact, only mentions."""


def already_in_graph(store: Store, docid: str) -> Row | None:
    """The ingested document with this content id (the same text), or None."""
    return next((d for d in document_choices(store) if d["docid"] == docid), None)


def only_mentions(prepared: PreparedDocument) -> str | None:
    """The note saying the document adds no fact between its entities, only mentions."""
    notes = cast("DocumentGraph", prepared.graph).notes
    return next((n for n in notes if n.startswith(ONLY_MENTIONS)), None)


def removal_summary(store: Store, docid: str) -> Row | None:
    """What removing a document takes away: its title, date, fact and review counts."""
    from .results import documents_of

    for record in documents_of(store):
        if record.docid == docid:
            return {
                "docid": record.docid,
                "document": str(record.iri),
                "title": record.title or fallback_label(record.iri),
                "date": record.date,
                "facts": record.facts,
                "review": record.review,
            }
    return None


KIND_LABELS = {
    "actor": "ACTOR",
    "asset": "ASSET",
    "capability": "CAPABILITY",
    "event": "EVENT",
    "document": "DOCUMENT",
    "source": "DOCUMENT",
    "concept": "CONCEPT",
    "place": "PLACE",
}


def mention_html(prepared: PreparedDocument, max_chars: int = 100_000) -> str:
    """displaCy HTML of the prepared document's mentions (from its extraction, so the text is
    not run through spaCy a second time in the server). Only the escaped text and fixed labels
    reach the HTML."""
    from spacy import displacy

    from .highlight import ENT_COLORS

    text = prepared.source.text[:max_chars]
    mentions = prepared.extraction.mentions if prepared.extraction else []
    spans, last = [], 0
    for mention in sorted(mentions, key=lambda m: (m.start_char, -m.end_char)):
        if mention.start_char < last or mention.end_char > len(text):
            continue  # displaCy needs spans in order, without overlaps
        label = KIND_LABELS.get(kind_of(mention.iri), "ENTITY")
        spans.append({"start": mention.start_char, "end": mention.end_char, "label": label})
        last = mention.end_char
    return str(
        displacy.render(
            {"text": text, "ents": spans, "title": None},
            style="ent",
            manual=True,
            jupyter=False,
            options={"colors": ENT_COLORS},
        )
    )
