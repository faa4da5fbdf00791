"""Relation extraction over the dependency parse: linked entities -> candidate facts.

The component reads `doc.ents` that carry `_.iri` (set by the linker) and walks the parse
between them: subject-verb-object with passives and "by" agents, prepositional objects,
complement clauses, relative clauses, appositions, locative prepositions and coordination on
both sides. Passes that did not raise dev F1 once the trained classifier runs beside them were
removed (facts inside one name, possessives other than an event's actor, role titles before a
person's name: `benchmarks/extraction.py` on dev, 2026-12-01). Trigger words come from
`ingest.nlp.lexicon` (data in the component's `triggers.yaml`, saved with the pipeline); what
each property accepts at its two ends comes from the ontology, so a candidate whose ends have
the wrong classes is never emitted.

Events ("Russia's anti-satellite missile test on 15 November 2021") become entities when the
sentence makes them specific (an actor, a target or a date); mentions of one event in a
document are merged, matched with curated events by class and date, and otherwise minted from
a canonical label (actor + class + ISO date) so two documents name the same event alike.

Output: `doc._.relations` (list[Relation]) and new Entity objects in `doc._.entities`.
"""

from __future__ import annotations

from .common import FACTORY, Reading
from .component import RelationExtractor, make_relation_extractor
from .curated import CuratedEvent, curated_entities, curated_events, curated_names

__all__ = [
    "FACTORY",
    "CuratedEvent",
    "Reading",
    "RelationExtractor",
    "curated_entities",
    "curated_events",
    "curated_names",
    "make_relation_extractor",
]
