"""Entities the app links to: the index of individuals, one entity's card, the label search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from ingest.iri import kind_of

from .results import Row, memo, rows_of
from .terms import curie, fallback_label, local_name, skg, type_words

if TYPE_CHECKING:
    from ingest.store import Store


# Top classes whose individuals the app lists and links to; label -> class local name.
TOP_CLASSES = {
    "Actor": "Actor",
    "Space asset": "SpaceAsset",
    "Capability": "Capability",
    "Event": "Event",
    "Document": "Document",
    "Doctrine concept": "DoctrineConcept",
    "Place": "Place",
}

ACTOR_TYPES = (
    "State",
    "Organization",
    "Alliance",
    "MilitaryCommand",
    "GovernmentAgency",
    "IntergovernmentalOrganization",
    "Company",
    "ResearchInstitute",
    "Person",
    "ActorGroup",
)


@dataclass(frozen=True)
class Entity:
    """An individual the app can link to."""

    iri: str
    label: str
    type: str  # most specific spacekg class, local name
    type_label: str
    group: str  # one of TOP_CLASSES' keys

    @property
    def curie(self) -> str:
        return curie(self.iri)


def individuals(store: Store, class_local: str) -> list[Entity]:
    """Individuals of a class and its subclasses, one per IRI (first most specific type)."""
    rows = rows_of(store, "actors_by_type", {"class": skg(class_local)})
    group = next((k for k, v in TOP_CLASSES.items() if v == class_local), "")
    if not group:
        group = "Actor" if class_local in ACTOR_TYPES else class_local
    seen: dict[str, Entity] = {}
    for row in rows:
        iri = row["actor"]
        if iri in seen:
            continue
        seen[iri] = Entity(
            iri=iri,
            label=row.get("label") or fallback_label(iri),
            type=local_name(row.get("type")),
            type_label=row.get("typeLabel") or local_name(row.get("type")),
            group=group,
        )
    return list(seen.values())


def entity_index(store: Store) -> dict[str, Entity]:
    """Every individual of the top classes by IRI: labels and types for links and choices."""
    index: dict[str, Entity] = {}
    for class_local in TOP_CLASSES.values():
        for entity in individuals(store, class_local):
            index.setdefault(entity.iri, entity)
    return index


def entity_card(store: Store, iri: str) -> Entity | None:
    """Label and type of one individual, from one lookup of that IRI (None if it is none).

    Listing every individual (the entity index) or searching labels for a word of its slug
    took seconds at 1M triples, for every fact of a document page.
    """
    from ingest.store import internal_query

    if not iri.startswith(("http://", "https://")):
        return None  # a literal value of a fact (a date, a number): no individual

    def lookup() -> Entity | None:
        rows = store.query(internal_query("entity_card"), {"entity": URIRef(iri)}).rows
        if not rows:
            return None
        best = rows[0]  # curated names first, then rdfs:label, then the type
        kind = local_name(best["type"])
        label = str(best["label"]) if best.get("label") is not None else fallback_label(iri)
        return Entity(iri, label, kind, type_words(kind) or "individual", "")

    return memo(store, ("entity_card", iri), lookup)


def label_for(index: Mapping[str, Entity], iri: str, label: object = None) -> str:
    """The label a query returned, else the index's, else the IRI's slug."""
    if label:
        return str(label)
    entity = index.get(iri)
    return entity.label if entity else fallback_label(iri)


def search_entities(store: Store, text: str) -> list[Row]:
    """Entities whose label or altLabel contains `text`: one row per entity."""
    text = text.strip()
    if not text:
        return []
    found: dict[str, Row] = {}
    for row in rows_of(store, "entity_search", {"text": text}):
        iri = row["entity"]
        entry = found.setdefault(
            iri,
            {
                "entity": iri,
                "label": row.get("label") or fallback_label(iri),
                "type": local_name(row.get("type")),
                "matched": [],
                "kind": kind_of(iri),
            },
        )
        matched = row.get("matched")
        if matched and matched != entry["label"] and matched not in entry["matched"]:
            entry["matched"].append(matched)
        if not entry["type"] and row.get("type"):
            entry["type"] = local_name(row.get("type"))
    return list(found.values())
