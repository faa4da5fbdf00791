"""The Threats page's data: capability types and hazards, who has them, ASAT tests and attacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import entity_facts
from .entities import Entity, individuals
from .overview import capability_matrix
from .results import Row, rows_of
from .terms import fallback_label, iso_date, local_name

if TYPE_CHECKING:
    from ingest.store import Store


def capabilities(store: Store) -> list[Entity]:
    """Counterspace capability types and hazards."""
    return sorted(individuals(store, "Capability"), key=lambda e: (e.type, e.label.lower()))


MAX_THREAT_LOOKUPS = 20


def capability_overview(store: Store) -> list[Row]:
    """One row per capability type or hazard: who has it and what it threatens.

    What a capability threatens takes one query per capability, so it is filled in for held
    capabilities and hazards, at most `MAX_THREAT_LOOKUPS` (all of them on the corpus graph);
    the capability's own section shows it for any other.
    """
    matrix = capability_matrix(store)
    holders: dict[str, set[str]] = {}
    for row in matrix:
        holders.setdefault(row["capability"], set()).add(row["actorLabel"])
    caps = capabilities(store)
    # held capabilities and hazards first: those are the ones the page is about
    wanted = [c for c in caps if c.iri in holders or c.type == "Hazard"]
    ranked = sorted(wanted, key=lambda c: (-len(holders.get(c.iri, ())), c.label.lower()))
    looked_up = {c.iri for c in ranked[:MAX_THREAT_LOOKUPS]}
    titles: dict[str, str] = {}
    out: list[Row] = []
    for cap in caps:
        threatened: list[str] = []
        if cap.iri in looked_up:
            facts = entity_facts(store, cap.iri, titles)
            threatened = sorted(
                {
                    f["otherLabel"]
                    for f in facts
                    if f["direction"] == "out" and local_name(f["property"]) == "threatens"
                }
            )
        held = sorted(holders.get(cap.iri, ()))
        out.append(
            {
                "capability": cap.iri,
                "label": cap.label,
                "type": cap.type_label,
                "heldBy": "; ".join(held),
                "actors": len(held),
                "threatens": "; ".join(threatened),
            }
        )
    return out


def capability_detail(store: Store, iri: str) -> dict[str, list[Row]]:
    """Who has a capability (with evidence counts) and what it threatens, with origins."""
    holders = [r for r in capability_matrix(store) if r["capability"] == iri]
    facts = entity_facts(store, iri)
    threatens = [
        f for f in facts if f["direction"] == "out" and local_name(f["property"]) == "threatens"
    ]
    related = [f for f in facts if f not in threatens]
    return {"holders": holders, "threatens": threatens, "related": related}


def incidents(store: Store) -> list[Row]:
    """ASAT tests and attacks with dates, actors and targets, for the timeline."""
    out: list[Row] = []
    for row in rows_of(store, "asat_tests_and_attacks"):
        out.append(
            {
                "event": row["event"],
                "label": row.get("eventLabel") or fallback_label(row["event"]),
                "type": local_name(row.get("type")),
                "dateText": row.get("date") or "",
                "date": iso_date(row.get("date")),
                "conductedBy": row.get("conductedBy") or "",
                "targets": row.get("targets") or "",
                "sources": int(row.get("sourceCount") or 0),
            }
        )
    return out
