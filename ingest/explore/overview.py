"""The Overview page's data: headline counts, latest documents, the capability matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from .origins import badge, origins_of
from .results import Row, internal_rows, rows_of
from .terms import fallback_label, local_name

if TYPE_CHECKING:
    from ingest.store import Store


def overview_counts(store: Store) -> dict[str, int]:
    """Headline counts: actors, documents, evidence-backed facts, threat types (one query)."""
    counts = {
        local_name(row["class"]): int(row["n"] or 0) for row in internal_rows(store, "class_counts")
    }
    return {
        "actors": counts.get("Actor", 0),
        "documents": counts.get("Document", 0),
        "facts with evidence": counts.get("Evidence", 0),
        "threat types": counts.get("Capability", 0),
    }


def latest_documents(store: Store, limit: int = 8) -> list[Row]:
    """The most recently dated ingested documents, newest first (at most 20).

    One targeted query: it orders and limits before counting facts, so the Overview does not
    scan every document's evidence.
    """
    rows = [
        {
            "document": row["document"],
            "docid": local_name(row["document"]),
            "title": row.get("title") or fallback_label(row["document"]),
            "date": row.get("date") or "",
            "kind": row.get("kind") or "",
            "facts": int(row.get("facts") or 0),
            "review": int(row.get("reviewFacts") or 0),
        }
        for row in rows_of(store, "latest_documents")
    ]
    return rows[:limit]


def capability_matrix(store: Store, actor: str | None = None) -> list[Row]:
    """Actor × capability cells with evidence and source counts and their origin badges."""
    params = {"actor": URIRef(actor)} if actor else {}
    out: list[Row] = []
    for row in rows_of(store, "capability_matrix", params):
        origins = origins_of(row.get("origins"))
        out.append(
            {
                "actor": row["actor"],
                "actorLabel": row.get("actorLabel") or fallback_label(row["actor"]),
                "capability": row["capability"],
                "capabilityLabel": row.get("capabilityLabel") or fallback_label(row["capability"]),
                "category": row.get("category"),
                "categoryLabel": row.get("categoryLabel") or fallback_label(row["category"]),
                "evidence": int(row.get("evidenceCount") or 0),
                "sources": int(row.get("sourceCount") or 0),
                "origins": origins,
                "source": badge(origins),
            }
        )
    return out
