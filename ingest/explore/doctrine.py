"""The Doctrine page's data: documents over time, doctrine concepts across documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from ingest.iri import kind_of

from .entities import Entity, individuals
from .origins import badge, origins_of
from .results import Row, internal_rows, memo, rows_of
from .terms import fallback_label, iso_date, local_name, type_words

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
                "kind": type_words(row.get("kind")),
                "publishers": row.get("publishers") or "",
                "declares": row.get("declares") or "",
                "origin": "asserted" if kind_of(row["document"]) == "source" else "curated",
            }
        )
    return out


def concepts(store: Store) -> list[Entity]:
    """Doctrine concepts (deterrence, resilience, ...)."""
    return sorted(individuals(store, "DoctrineConcept"), key=lambda e: e.label.lower())


def curated_sources(store: Store, iri: str) -> list[str]:
    """The public pages the reference data cites (`dct:source`) for an entity or document,
    looked up in one query for all of them (shared per store version)."""

    def index() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for row in internal_rows(store, "curated_sources"):
            found.setdefault(str(row["subject"]), []).append(str(row["url"]))
        return found

    return sorted(memo(store, ("curated_sources",), index).get(iri, []))


def concept_documents(store: Store, concept: str) -> list[Row]:
    """Documents declaring or mentioning a concept, in date order, with origins, kind in words
    and the curated sources of each document."""
    labels = {c.iri: c.label for c in concepts(store)}
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
                "concept": concept,
                "conceptLabel": labels.get(concept) or fallback_label(concept),
                "origins": origins,
                "source": badge(origins),
                "curatedSources": curated_sources(store, str(row["document"])),
            }
        )
    return out


def first_declared(store: Store, concept: str) -> Row | None:
    """The earliest dated document that declares a concept (when did space become an
    operational domain, and where): its row from `concept_documents`, or None."""
    declaring = [
        r for r in concept_documents(store, concept) if r["relation"] == "declares" and r["date"]
    ]
    return min(declaring, key=lambda r: str(r["date"])) if declaring else None


def concepts_over_time(store: Store, chosen: tuple[str, ...]) -> list[Row]:
    """Documents declaring or mentioning any of the chosen concepts, one row per document and
    concept, in date order: the Doctrine timeline of how concepts appear over time."""
    rows = [r for concept in chosen for r in concept_documents(store, concept)]
    return sorted(rows, key=lambda r: (str(r["date"] or "~"), str(r["title"]).lower()))
