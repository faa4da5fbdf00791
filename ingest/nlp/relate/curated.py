"""The curated entities, names and events relation extraction matches mentions against."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef

from ingest.extraction import (
    Entity,
)
from ingest.vocab import SKG


@dataclass(frozen=True, slots=True)
class CuratedEvent:
    """A curated event with what identifies it across documents."""

    entity: Entity
    classes: frozenset[URIRef]
    date: str | None


@lru_cache(maxsize=1)
def curated_entities() -> dict[URIRef, Entity]:
    """Every curated individual as an Entity (classes include superclasses)."""
    from ingest.ontology import labels_index

    return {
        entry.iri: Entity(
            iri=entry.iri,
            label=entry.label,
            classes=entry.classes,
            curated=True,
            alt_labels=entry.alt_labels,
        )
        for entry in labels_index()
    }


@lru_cache(maxsize=1)
def curated_names() -> dict[str, Entity]:
    """Curated individuals by any of their names (case-folded); ambiguous names left out.

    For names inside a linked span ("Russia's invasion of Ukraine", "US Defense Intelligence
    Agency"), which the linker has already spent on the whole span.
    """
    found: dict[str, Entity] = {}
    ambiguous: set[str] = set()
    for entity in curated_entities().values():
        for name in {entity.label, *entity.alt_labels}:
            key = " ".join(name.casefold().split())
            if key in found and found[key].iri != entity.iri:
                ambiguous.add(key)
            found.setdefault(key, entity)
    return {k: v for k, v in found.items() if k not in ambiguous}


@lru_cache(maxsize=1)
def curated_events() -> tuple[CuratedEvent, ...]:
    """Curated events with their dates, read once from the reference data."""
    from ingest.ontology import reference_graph

    graph = reference_graph()
    found: list[CuratedEvent] = []
    for iri, entity in sorted(curated_entities().items()):
        classes = frozenset(entity.classes)
        if SKG.Event not in classes:
            continue
        date = graph.value(iri, SKG.date)
        found.append(CuratedEvent(entity, classes, str(date) if date is not None else None))
    return tuple(found)
