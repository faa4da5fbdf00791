"""The graph as a STIX 2.1 bundle, for threat-intelligence platforms (OpenCTI, MISP).

Mapping (README, "STIX 2.1 export"); classes are matched through the ontology's
rdfs:subClassOf hierarchy, so a new subclass maps like its parent:
- actors -> `threat-actor` when an exported fact says they conducted a hostile event or one is
  attributed to them, else `identity` (individual / group / organization, with sectors);
- counterspace capabilities -> `attack-pattern`; space assets -> `infrastructure`;
- hostile events (ASAT tests, attacks, military operations) -> `incident`, its date as
  `first_seen` through a declared top-level property extension; other events are left out;
- documents -> `report` referring to the objects and relationships they support;
- facts -> `relationship`, only when backed by asserted (or accepted) evidence or curated with
  a source page; confidence from the evidence, or `CURATED_CONFIDENCE` for curated facts.
Ids are UUIDv5 of the spacekg IRI, so a re-export of the same graph is byte-identical.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import stix2

from .config import BASE
from .iri import curie_of
from .stix_graph import Entity, Fact, GraphView, is_inferred, read_graph
from .store import Store

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
# "High" on the STIX 2.1 High/Medium/Low confidence scale (spec, appendix A): curated facts
# are checked by hand against a cited page, but carry no measured confidence.
CURATED_CONFIDENCE = 85
# The time of objects the graph dates nowhere (a store without curated data): stable, and
# visibly a placeholder rather than the time of the export.
UNKNOWN_TIME = "1970-01-01T00:00:00Z"
# stix2 has no public base class for its objects.
StixObject = stix2.base._STIXBase
HOSTILE_EVENT_CLASSES = ("ASATTest", "Attack", "MilitaryOperation")
# Which STIX object each top class of the ontology becomes (the roots of stix_entities.rq).
STIX_TYPE_OF_ROOT = {
    "Actor": "identity",
    "SpaceAsset": "infrastructure",
    "CounterspaceCapability": "attack-pattern",
    "Event": "incident",
    "Document": "report",
}
IDENTITY_CLASS = (("Person", "individual"), ("ActorGroup", "group"), ("Actor", "organization"))
SECTORS = {
    "State": "government",
    "GovernmentAgency": "government",
    "IntergovernmentalOrganization": "government",
    "Alliance": "defense",
    "MilitaryCommand": "defense",
}
THREAT_ACTOR_TYPES = (
    ("State", "nation-state"),
    ("MilitaryCommand", "nation-state"),
    ("GovernmentAgency", "nation-state"),
)
# spacekg property -> (STIX relationship type, whether STIX reads it the other way round).
RELATIONSHIP_TYPES = {
    "conducted": ("attributed-to", True),  # the incident is attributed to who conducted it
    "attributedTo": ("attributed-to", False),
    "targeted": ("targets", False),
    "hasCapability": ("uses", False),
}


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: the same IRI (or fact) always gives the same id."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


SPACEKG_IDENTITY = stix_id("identity", BASE)
DATES_EXTENSION = stix_id("extension-definition", BASE + "stix/event-dates")


def stix_time(value: str) -> str:
    """`YYYY`, `YYYY-MM`, a date or an xsd:dateTime -> a STIX timestamp in UTC, or ''."""
    if not value:
        return ""
    text = value.strip()
    if len(text) == 4:
        text += "-01-01"
    elif len(text) == 7:
        text += "-01"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ExportSummary:
    """What went into the bundle and what was left out, and why."""

    objects: Counter[str] = field(default_factory=Counter)
    curated_facts: int = 0
    evidence_facts: int = 0
    unsourced_facts: int = 0  # between exported objects, but no evidence nor curated source
    unmapped_facts: int = 0  # about something STIX has no object for here
    other_events: int = 0  # meetings, launches, decisions: not threat intelligence
    empty_reports: int = 0  # documents no exported fact rests on

    def lines(self) -> list[str]:
        if self.objects == Counter({"identity": 1}):
            return [
                "the store holds nothing to export (no actors, assets, capabilities, events or "
                "documents): the bundle holds only the spacekg identity; ingest documents or "
                "open a store with data"
            ]
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.objects.items()))
        return [
            f"STIX 2.1 bundle: {counts}",
            f"relationships: {self.evidence_facts} from evidence, {self.curated_facts} "
            "curated only",
            f"not exported: {self.unsourced_facts} fact(s) with no evidence or curated source "
            f"(inferred, or unsourced), {self.unmapped_facts} fact(s) about places, doctrine "
            f"concepts, hazards or other events, {self.other_events} event(s) that are not "
            f"hostile, {self.empty_reports} document(s) no exported fact rests on",
        ]


@dataclass
class StixExport:
    bundle: stix2.Bundle
    summary: ExportSummary

    def serialize(self) -> str:
        """The bundle as JSON with sorted keys and objects: stable and diffable."""
        return json.dumps(json.loads(self.bundle.serialize()), indent=2, sort_keys=True) + "\n"


def export_stix(store: Store) -> StixExport:
    """Build the STIX 2.1 bundle of the store's graph (no network access)."""
    return _Builder(read_graph(store)).build()


class _Builder:
    def __init__(self, view: GraphView) -> None:
        self.view = view
        self.summary = ExportSummary()
        self.curated_time = stix_time(view.curated_created) or UNKNOWN_TIME
        self.curated_modified = max(stix_time(view.curated_modified) or "", self.curated_time)
        self.kinds = {iri: self._kind(e) for iri, e in view.entities.items()}
        self.kinds = {iri: k for iri, k in self.kinds.items() if k}
        self.facts = [f for f in view.facts.values() if self._sourced(f)]
        self.threat_actors = self._threat_actors()
        # Indexes, so building stays linear in the graph's size: entity -> ingestion times of
        # the documents with evidence about it; document -> the facts it supports.
        self.stamps: dict[str, list[str]] = defaultdict(list)
        self.supports: dict[str, list[Fact]] = defaultdict(list)
        for fact in view.facts.values():
            for evidence in fact.evidence:
                for iri in (fact.subject, fact.object):
                    self.stamps[iri].append(stix_time(evidence.ingested))
        for fact in self.facts:
            for iri in {fact.subject, fact.object, *(e.document for e in fact.evidence)}:
                self.supports[iri].append(fact)

    # --- what each entity becomes ----------------------------------------------------------
    def _kind(self, entity: Entity) -> str:
        classes = self.view.classes_of(entity)
        roots = [root for root in STIX_TYPE_OF_ROOT if root in classes]
        if not roots:
            return ""
        kind = STIX_TYPE_OF_ROOT[roots[0]]
        if kind == "incident" and not classes & set(HOSTILE_EVENT_CLASSES):
            self.summary.other_events += 1
            return ""
        return kind

    def _sourced(self, fact: Fact) -> bool:
        """Exportable: both ends map to STIX objects and something supports the fact."""
        if fact.subject not in self.kinds or fact.object not in self.kinds:
            if not all(is_inferred(g) for g in fact.graphs) or fact.evidence:
                self.summary.unmapped_facts += 1
            return False
        if fact.evidence or (fact.curated and self._curated_sources(fact)):
            return True
        self.summary.unsourced_facts += 1
        return False

    def _threat_actors(self) -> set[str]:
        """Actors that conducted a hostile event or are held responsible for one."""
        actors = set()
        for fact in self.facts:
            if fact.predicate == "conducted" and self.kinds.get(fact.object) == "incident":
                actors.add(fact.subject)
            if fact.predicate == "attributedTo" and self.kinds.get(fact.subject) == "incident":
                actors.add(fact.object)
        return {a for a in actors if self.kinds.get(a) == "identity"}

    def _curated_sources(self, fact: Fact) -> list[str]:
        """The pages both ends cite, else the pages of either end: the reference data cites
        its sources per individual, not per fact."""
        subject = set(self.view.entities[fact.subject].sources)
        obj = set(self.view.entities[fact.object].sources)
        return sorted(subject & obj or subject | obj)

    # --- building --------------------------------------------------------------------------
    def build(self) -> StixExport:
        by_iri = {
            i: self._sdo(self.view.entities[i])
            for i in sorted(self.kinds)
            if self.kinds[i] != "report"
        }
        sdos = list(by_iri.values())
        ids = {i: str(sdo["id"]) for i, sdo in by_iri.items()}
        reports = sorted(i for i, kind in self.kinds.items() if kind == "report")
        ids.update({i: stix_id("report", i) for i in reports})
        relationships = {
            f.key: self._relationship(f, ids) for f in sorted(self.facts, key=lambda f: f.key)
        }
        objects: list[StixObject] = [self._spacekg()]
        if any("first_seen" in sdo for sdo in sdos):
            objects.append(self._dates_extension())
        objects += [*sdos, *relationships.values()]
        for iri in reports:
            report = self._report(self.view.entities[iri], ids, relationships)
            if report is None:
                self.summary.empty_reports += 1
            else:
                objects.append(report)
        self.summary.objects = Counter(str(o["type"]) for o in objects)
        self.summary.evidence_facts = sum(1 for f in self.facts if f.evidence)
        self.summary.curated_facts = len(self.facts) - self.summary.evidence_facts
        bundle = stix2.Bundle(objects=objects, id=stix_id("bundle", BASE), allow_custom=True)
        return StixExport(bundle, self.summary)

    def _spacekg(self) -> stix2.Identity:
        return stix2.Identity(
            id=SPACEKG_IDENTITY,
            name="spacekg",
            identity_class="system",
            description="A knowledge graph of NATO space doctrine, space-security actors and "
            "threats, with the evidence of every extracted fact.",
            created=UNKNOWN_TIME,
            modified=UNKNOWN_TIME,
        )

    def _dates_extension(self) -> stix2.ExtensionDefinition:
        return stix2.ExtensionDefinition(
            id=DATES_EXTENSION,
            created_by_ref=SPACEKG_IDENTITY,
            created=UNKNOWN_TIME,
            modified=UNKNOWN_TIME,
            name="spacekg event dates",
            description="Dates of incidents, which the STIX 2.1 incident stub cannot carry.",
            schema="first_seen (timestamp): the day the event took place, at 00:00 UTC; "
            "named as in campaigns and as OpenCTI reads it on incidents.",
            version="1.0.0",
            extension_types=["toplevel-property-extension"],
            extension_properties=["first_seen"],
        )

    def _times(self, entity: Entity) -> dict[str, str]:
        if entity.curated:
            return {"created": self.curated_time, "modified": self.curated_modified}
        stamps = sorted(s for s in [stix_time(entity.ingested), *self.stamps[entity.iri]] if s)
        first = stamps[0] if stamps else UNKNOWN_TIME
        return {"created": first, "modified": stamps[-1] if stamps else first}

    def _common(self, entity: Entity) -> dict[str, object]:
        refs = [{"source_name": "spacekg", "external_id": curie_of(entity.iri) or entity.iri}]
        refs += [{"source_name": "spacekg reference data", "url": u} for u in entity.sources]
        common: dict[str, object] = {
            "created_by_ref": SPACEKG_IDENTITY,
            "external_references": refs,
            **self._times(entity),
        }
        if entity.description:
            common["description"] = entity.description
        return common

    def _sdo(self, entity: Entity) -> StixObject:
        kind = self.kinds[entity.iri]
        classes = self.view.classes_of(entity)
        name = entity.label or curie_of(entity.iri) or entity.iri
        common = self._common(entity)
        if kind == "identity" and entity.iri in self.threat_actors:
            types = [t for c, t in THREAT_ACTOR_TYPES if c in classes][:1] or ["unknown"]
            return stix2.ThreatActor(
                id=stix_id("threat-actor", entity.iri),
                name=name,
                threat_actor_types=types,
                aliases=list(entity.aliases) or None,
                **common,
            )
        if kind == "identity":
            identity_class = next(v for c, v in IDENTITY_CLASS if c in classes)
            sectors = sorted({s for c, s in SECTORS.items() if c in classes})
            return stix2.Identity(
                id=stix_id("identity", entity.iri),
                name=name,
                identity_class=identity_class,
                sectors=sectors or None,
                **common,
            )
        if kind == "attack-pattern":
            return stix2.AttackPattern(
                id=stix_id("attack-pattern", entity.iri),
                name=name,
                aliases=list(entity.aliases) or None,
                **common,
            )
        if kind == "infrastructure":
            return stix2.Infrastructure(
                id=stix_id("infrastructure", entity.iri),
                name=name,
                aliases=list(entity.aliases) or None,
                **common,
            )
        dated = {}
        if stix_time(entity.date):
            dated = {
                "first_seen": stix_time(entity.date),
                "extensions": {DATES_EXTENSION: {"extension_type": "toplevel-property-extension"}},
            }
        return stix2.Incident(
            id=stix_id("incident", entity.iri),
            name=name,
            labels=[self.view.most_specific(entity)],
            allow_custom=True,
            **dated,
            **common,
        )

    def _relationship(self, fact: Fact, ids: dict[str, str]) -> stix2.Relationship:
        kind, turned = RELATIONSHIP_TYPES.get(fact.predicate, ("related-to", False))
        source, target = (fact.object, fact.subject) if turned else (fact.subject, fact.object)
        label = self.view.labels.get(fact.predicate, fact.predicate)
        names = [self.view.entities[i].label or i for i in (fact.subject, fact.object)]
        refs: list[dict[str, str]] = []
        confidences: list[int] = []
        stamps: list[str] = []
        for evidence in sorted(fact.evidence, key=lambda e: e.iri):
            ref = {
                "source_name": evidence.title or "spacekg source document",
                "external_id": curie_of(evidence.iri) or evidence.iri,
                "description": evidence.sentence
                + (f" (accepted by {evidence.reviewer})" if evidence.reviewer else ""),
            }
            if evidence.url:
                ref["url"] = evidence.url
            refs.append(ref)
            if evidence.confidence is not None:
                confidences.append(round(evidence.confidence * 100))
            stamps += [stix_time(t) for t in (evidence.ingested, evidence.decided) if t]
        if fact.curated and self._curated_sources(fact):
            refs += [
                {"source_name": "spacekg reference data", "url": u}
                for u in self._curated_sources(fact)
            ]
            confidences.append(CURATED_CONFIDENCE)
            stamps += [self.curated_time, self.curated_modified]
        stamps = sorted(s for s in stamps if s) or [UNKNOWN_TIME]
        return stix2.Relationship(
            id=stix_id("relationship", _fact_key(fact)),
            relationship_type=kind,
            source_ref=ids[source],
            target_ref=ids[target],
            description=f"{names[0]} {label} {names[1]} (spacekg: {fact.predicate})",
            confidence=max(confidences) if confidences else None,
            external_references=refs,
            created_by_ref=SPACEKG_IDENTITY,
            created=stamps[0],
            modified=stamps[-1],
        )

    def _report(
        self,
        entity: Entity,
        ids: dict[str, str],
        relationships: dict[tuple[str, str, str], stix2.Relationship],
    ) -> stix2.Report | None:
        """A document as a report on what it supports: the relationships whose evidence it
        holds or that it takes part in, and their ends."""
        refs: set[str] = set()
        for fact in self.supports[entity.iri]:
            rel = relationships[fact.key]
            refs |= {rel.id, rel.source_ref, rel.target_ref}
        refs.discard(ids[entity.iri])
        if not refs:
            return None
        common = self._common(entity)
        if entity.url:
            common["external_references"].append(  # type: ignore[union-attr]
                {"source_name": entity.label or "source document", "url": entity.url}
            )
        published = stix_time(entity.date) or stix_time(entity.ingested) or common["created"]
        return stix2.Report(
            id=ids[entity.iri],
            name=entity.label or curie_of(entity.iri) or entity.iri,
            published=published,
            report_types=["threat-report"],
            labels=[self.view.most_specific(entity)],
            object_refs=sorted(refs),
            **common,
        )


def _fact_key(fact: Fact) -> str:
    return " ".join(fact.key)
