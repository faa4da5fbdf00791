"""The Threats page's data: capability types and hazards, who has them, ASAT tests and attacks."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import URIRef

from ingest.iri import kind_of

from .actors import entity_facts
from .entities import Entity, individuals
from .events import EventPage, event_detail, event_index, event_page
from .origins import badge, origins_of
from .overview import capability_matrix
from .results import Row, rows_of
from .terms import SKG, fallback_label, local_name, type_words

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
                "type": type_words(cap.type) if cap.type else cap.type_label,
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
    """ASAT tests and attacks with dates, who conducted them or is held responsible, targets
    and their curated sources, for the timeline: the events of `event_index` whose type is
    a kind of ASAT test or attack (one query for all, not one per event)."""
    kinds = _kinds_of(SKG + "ASATTest", SKG + "Attack")
    return [
        row | {"sources": row["reports"]}
        for row in event_index(store)
        if str(row["typeIri"]) in kinds
    ]


def incident_page(store: Store, page: int = 1) -> EventPage:
    """One page of `incidents`, newest first (`EVENTS_PER_PAGE` at a time): the Threats
    timeline reads only the page's events, not every ASAT test and attack in the graph."""
    found = event_page(store, page, _kinds_of(SKG + "ASATTest", SKG + "Attack"))
    found.rows = [row | {"sources": row["reports"]} for row in found.rows]
    return found


@lru_cache(maxsize=4)
def _kinds_of(*roots: str) -> frozenset[str]:
    """The classes under `roots` (themselves included), from the ontology."""
    from rdflib import RDFS

    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    return frozenset(
        str(cls)
        for root in roots
        for cls in graph.transitive_subjects(RDFS.subClassOf, URIRef(root))
    )


def threat_targets(store: Store) -> list[Entity]:
    """Space assets something threatens or targeted could be: every space asset, by label."""
    return sorted(individuals(store, "SpaceAsset"), key=lambda e: e.label.lower())


RELATION_WORDS = {"threatens": "threatens", "targeted": "targeted"}


def threats_to(store: Store, target: str) -> list[Row]:
    """What threatens or targeted an asset, actor or place, and who stands behind each threat.

    One row per threat and actor: `actorRole` says how the actor stands behind it (holds the
    capability, conducted the event, is held responsible); events carry their date and the
    curated sources the reference data cites.
    """
    out: list[Row] = []
    for row in rows_of(store, "threats_to_target", {"target": URIRef(target)}):
        threat = str(row["threat"])
        detail = (
            event_detail(store, threat, with_evidence=False) if kind_of(threat) == "event" else None
        )
        origins = origins_of(row.get("origins"))
        out.append(
            {
                "threat": threat,
                "threatLabel": row.get("threatLabel") or fallback_label(threat),
                "threatType": detail.type if detail else kind_of(threat),
                "dateText": detail.date if detail else "",
                "relationLabel": RELATION_WORDS.get(local_name(row["relation"]), "threatens"),
                "actor": row.get("actor") or "",
                "actorLabel": (
                    row.get("actorLabel")
                    or (fallback_label(row["actor"]) if row.get("actor") else "")
                ),
                "actorRole": row.get("actorRole") or "",
                "origins": origins,
                "source": badge(origins),
                "curatedSources": list(detail.sources) if detail else [],
            }
        )
    return out
