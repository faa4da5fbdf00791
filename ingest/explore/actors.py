"""Actors and what is said about them: filters, facts in and out, neighbourhood, timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import DCTERMS

from ingest.iri import kind_of, source_graph

from .entities import Entity, individuals
from .origins import badge, origins_of
from .results import Row, documents_of, memo, rows_of
from .terms import fallback_label, iso_date, local_name

if TYPE_CHECKING:
    from ingest.store import Store


ORGANISATION_TYPES = ("Alliance", "IntergovernmentalOrganization")

# Inverse property pairs (docs/architecture.md): the reasoner states each fact both ways, and a
# fact already shown one way adds nothing when shown again the other way.
INVERSES = {
    "memberOf": "hasMember",
    "partOf": "hasPart",
    "hasCapability": "capabilityOf",
    "conducted": "conductedBy",
    "threatens": "threatenedBy",
    "targeted": "targetOf",
    "published": "publishedBy",
    "operates": "operatedBy",
}
INVERSES.update({v: k for k, v in list(INVERSES.items())})


# Relations left out of neighbourhood drawings: every document mentions dozens of entities.
HIDDEN_IN_GRAPH = frozenset({"mentions"})


def organisations(store: Store) -> list[Entity]:
    """Alliances and intergovernmental organisations: the choices of the membership filter."""
    found: dict[str, Entity] = {}
    for type_local in ORGANISATION_TYPES:
        for entity in individuals(store, type_local):
            found.setdefault(entity.iri, entity)
    return sorted(found.values(), key=lambda e: e.label.lower())


def members_of(store: Store, organisation: str) -> list[Row]:
    """Members of an organisation with accession dates (curated memberships)."""
    rows = rows_of(store, "nato_members", {"organization": URIRef(organisation)})
    return [
        {
            "member": row["member"],
            "label": row.get("label") or fallback_label(row["member"]),
            "accession": row.get("accession") or "",
            "source": row.get("source") or "",
        }
        for row in rows
    ]


def actors(
    store: Store, actor_type: str | None = None, member_of: str | None = None
) -> list[Entity]:
    """Actors, optionally of one type (local name, subclasses included) and members of one org."""
    found = individuals(store, actor_type or "Actor")
    if member_of:
        members = {row["member"] for row in members_of(store, member_of)}
        found = [e for e in found if e.iri in members]
    return sorted(found, key=lambda e: e.label.lower())


def document_titles(store: Store) -> dict[str, str]:
    """Titles of ingested documents by IRI (they carry dct:title, not rdfs:label)."""
    return {str(rec.iri): rec.title for rec in documents_of(store)}


def source_titles(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """Titles of some ingested documents by IRI, each read from its own small named graph.

    Source documents carry dct:title, not rdfs:label; reading only the graphs asked for keeps
    an actor page from listing every document in the store.
    """
    titles: dict[str, str] = {}
    for iri in iris:
        if kind_of(iri) != "source" or iri in titles:
            continue
        title = memo(store, ("title", iri), lambda iri=iri: _source_title(store, iri))
        if title:
            titles[iri] = title
    return titles


def _source_title(store: Store, iri: str) -> str:
    graph = store.graph(source_graph(local_name(iri)))
    return str(graph.value(URIRef(iri), DCTERMS.title) or "")


def entity_facts(store: Store, iri: str, titles: Mapping[str, str] | None = None) -> list[Row]:
    """Facts in and out of an individual with labels, evidence counts and origin badges.

    `titles` (from `document_titles`) saves the title lookups of unlabelled source documents.
    """
    out: list[Row] = []
    rows = rows_of(store, "actor_profile", {"actor": URIRef(iri)})
    if titles is None:
        untitled = [r["other"] for r in rows if not r.get("otherLabel")]
        titles = source_titles(store, untitled)
    for row in rows:
        origins = origins_of(row.get("origins"))
        prop = row["property"]
        other = row["other"]
        out.append(
            {
                "direction": row["direction"],
                "property": prop,
                "propertyLabel": row.get("propertyLabel") or local_name(prop),
                "other": other,
                "otherLabel": row.get("otherLabel") or titles.get(other) or fallback_label(other),
                "evidence": int(row.get("evidenceCount") or 0),
                "origins": origins,
                "source": badge(origins),
            }
        )
    return without_restated_inverses(out)


def without_restated_inverses(facts: list[Row]) -> list[Row]:
    """Drop inferred-only facts that restate a stated fact in the inverse direction.

    "cyber capabilityOf Russia" (inferred) says nothing "Russia hasCapability cyber" (curated)
    does not; facts the reasoner adds that are new (transitive membership, targeted ->
    threatens) stay.
    """
    stated = {
        (f["direction"], local_name(f["property"]), f["other"])
        for f in facts
        if f["origins"] != ["inferred"]
    }

    def restated(fact: Row) -> bool:
        inverse = INVERSES.get(local_name(fact["property"]))
        other_way = "in" if fact["direction"] == "out" else "out"
        return inverse is not None and (other_way, inverse, fact["other"]) in stated

    return [f for f in facts if not (f["origins"] == ["inferred"] and restated(f))]


@dataclass
class Neighbourhood:
    """Nodes and edges around an individual; `capped` says nodes were left out."""

    center: str
    nodes: dict[str, str] = field(default_factory=dict)  # iri -> label
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # s, label, o, origin
    capped: bool = False


def neighbourhood(
    store: Store,
    iri: str,
    depth: int = 1,
    max_nodes: int = 40,
    label: str = "",
    expanded: tuple[str, ...] = (),
) -> Neighbourhood:
    """The individuals up to `depth` (1 or 2) relations away, at most `max_nodes` of them, and
    the neighbours of each node in `expanded` (the ones a user opened in the graph)."""
    depth = max(1, min(depth, 2))
    hood = Neighbourhood(center=iri)
    hood.nodes[iri] = label or fallback_label(iri)
    seen_edges: set[tuple[str, str, str]] = set()

    def around(node: str) -> list[str]:
        """Add `node`'s relations; return the neighbours it brought in."""
        added: list[str] = []
        for fact in entity_facts(store, node):
            if local_name(fact["property"]) in HIDDEN_IN_GRAPH:
                continue
            other = fact["other"]
            if other not in hood.nodes and len(hood.nodes) >= max_nodes:
                hood.capped = True
                continue
            if other not in hood.nodes:
                hood.nodes[other] = fact["otherLabel"]
                added.append(other)
            s, o = (node, other) if fact["direction"] == "out" else (other, node)
            key = (s, fact["property"], o)
            if key in seen_edges:
                continue
            seen_edges.add(key)
            origin = fact["origins"][0] if fact["origins"] else "other"
            hood.edges.append((s, fact["propertyLabel"], o, origin))
        return added

    frontier = [iri]
    for _level in range(depth):
        frontier = [new for node in frontier for new in around(node)]
    for node in expanded:
        if node in hood.nodes and node != iri:
            around(node)
    return hood


def actor_timeline(store: Store, iri: str) -> list[Row]:
    """Dated events and documents an actor conducted, condemned, published or was targeted by.

    One query bound to the actor, so only its neighbourhood is read (not every event).
    """
    rows: list[Row] = []
    for row in rows_of(store, "actor_timeline", {"actor": URIRef(iri)}):
        day = iso_date(row.get("date"))
        if day is None:
            continue
        other = row["other"]
        rows.append(
            {
                "date": day,
                "dateText": row["date"],
                "label": row.get("label") or fallback_label(other),
                "entity": other,
                "relation": row.get("role") or "",
                "source": badge(origins_of(row.get("origins"))),
            }
        )
    rows.sort(key=lambda r: (r["date"], r["label"]))
    return rows
