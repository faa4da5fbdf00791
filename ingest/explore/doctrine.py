"""The Doctrine page's data: documents over time, doctrine concepts across documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from ingest.iri import kind_of

from .entities import Entity, individuals
from .origins import badge, origins_of
from .results import Row, rows_of
from .terms import fallback_label, iso_date, local_name

if TYPE_CHECKING:
    from ingest.store import Store


def doctrine_documents(store: Store) -> list[Row]:
    """Curated and ingested documents in date order with kind, publishers and concepts."""
    out: list[Row] = []
    for row in rows_of(store, "doctrine_timeline"):
        out.append(
            {
                "document": row["document"],
                "title": row.get("title") or fallback_label(row["document"]),
                "dateText": row.get("date") or "",
                "date": iso_date(row.get("date")),
                "kind": local_name(row.get("kind")),
                "publishers": row.get("publishers") or "",
                "declares": row.get("declares") or "",
                "origin": "asserted" if kind_of(row["document"]) == "source" else "curated",
            }
        )
    return out


def concepts(store: Store) -> list[Entity]:
    """Doctrine concepts (deterrence, resilience, ...)."""
    return sorted(individuals(store, "DoctrineConcept"), key=lambda e: e.label.lower())


def concept_documents(store: Store, concept: str) -> list[Row]:
    """Documents declaring or mentioning a concept, in date order, with origins."""
    out: list[Row] = []
    for row in rows_of(store, "concept_across_documents", {"concept": URIRef(concept)}):
        origins = origins_of(row.get("origins"))
        out.append(
            {
                "document": row["document"],
                "title": row.get("title") or fallback_label(row["document"]),
                "dateText": row.get("date") or "",
                "date": iso_date(row.get("date")),
                "relation": local_name(row.get("relation")),
                "source": badge(origins),
            }
        )
    return out
