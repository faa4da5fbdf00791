"""What the STIX export reads from the graph: classes, entities, facts and their evidence.

Plain data, no STIX: `ingest.stix` decides the mapping. Everything comes from the queries in
`queries/internal/stix_*.rq`, one query per kind of thing for the whole store (not one per
entity), so the export's cost grows with the graph, not with round trips.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .config import ONTOLOGY_NS
from .iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, term_name
from .store import Store, internal_query

CURATED_GRAPHS = frozenset({str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)})


def _lines(value: object) -> list[str]:
    """A GROUP_CONCAT cell as sorted distinct values (sorted: the export must be stable)."""
    return sorted({part for part in str(value or "").split("\n") if part})


@dataclass(frozen=True)
class Entity:
    """An individual under one of the top classes the export maps."""

    iri: str
    types: frozenset[str]  # local names of its spacekg classes, as stated (not inferred)
    curated: bool  # typed in the ontology or reference graph
    label: str
    aliases: tuple[str, ...]
    description: str
    date: str  # skg:date as written: YYYY, YYYY-MM or YYYY-MM-DD, or ''
    sources: tuple[str, ...]  # dct:source pages
    url: str  # skg:url of an ingested source document
    ingested: str  # prov:generatedAtTime of an ingested source document


@dataclass(frozen=True)
class Evidence:
    """One sentence an extracted fact rests on (asserted, or accepted by a reviewer)."""

    iri: str
    confidence: float | None
    sentence: str
    document: str
    title: str
    url: str
    ingested: str
    reviewer: str
    decided: str


@dataclass
class Fact:
    """A fact in its primary direction, with where it is stated and what supports it."""

    subject: str
    predicate: str  # local name in the primary direction: 'conducted', not 'conductedBy'
    object: str
    graphs: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def curated(self) -> bool:
        return bool(self.graphs & CURATED_GRAPHS)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


@dataclass
class GraphView:
    """Everything the export needs, read in one pass."""

    ancestors: dict[str, frozenset[str]]  # class local name -> itself and its superclasses
    labels: dict[str, str]  # property local name -> label
    entities: dict[str, Entity]
    facts: dict[tuple[str, str, str], Fact]
    curated_created: str
    curated_modified: str

    def classes_of(self, entity: Entity) -> frozenset[str]:
        """The entity's classes with all their superclasses, from the ontology's hierarchy."""
        return frozenset().union(*(self.ancestors.get(t, {t}) for t in entity.types))

    def most_specific(self, entity: Entity) -> str:
        """The entity's most specific class (ties broken by name, for stable output)."""
        classes = sorted(entity.types)
        narrow = [
            c
            for c in classes
            if not any(c != o and c in self.ancestors.get(o, ()) for o in classes)
        ]
        return (narrow or classes or [""])[0]


def _name(term: object) -> str:
    return term_name(term) or str(term)


def read_graph(store: Store) -> GraphView:
    """Read classes, properties, entities, facts and evidence from the store."""
    ancestors: dict[str, set[str]] = defaultdict(set)
    for row in store.query(internal_query("stix_classes")).rows:
        ancestors[_name(row["class"])].add(_name(row["ancestor"]))
    labels: dict[str, str] = {}
    primary: dict[str, tuple[str, bool]] = {}  # property -> (primary property, reversed?)
    for row in store.query(internal_query("stix_properties")).rows:
        name = _name(row["property"])
        labels[name] = str(row["label"] or name)
        if row["primary"] is not None:  # an inverse property: its facts are turned round
            primary[name] = (_name(row["primary"]), True)
    entities = {
        str(row["entity"]): _entity(row)
        for row in store.query(internal_query("stix_entities")).rows
    }
    facts: dict[tuple[str, str, str], Fact] = {}

    def fact(s: object, p: object, o: object) -> Fact | None:
        name = _name(p)
        if not str(p).startswith(ONTOLOGY_NS) or name not in labels:
            return None
        name, flipped = primary.get(name, (name, False))
        subject, obj = (str(o), str(s)) if flipped else (str(s), str(o))
        key = (subject, name, obj)
        return facts.setdefault(key, Fact(subject, name, obj))

    for row in store.query(internal_query("stix_facts")).rows:
        found = fact(row["s"], row["p"], row["o"])
        if found is not None:
            found.graphs.add(str(row["g"]))
    for row in store.query(internal_query("stix_evidence")).rows:
        found = fact(row["s"], row["p"], row["o"])
        if found is None or any(e.iri == str(row["evidence"]) for e in found.evidence):
            continue
        confidence = row["confidence"]
        found.evidence.append(
            Evidence(
                iri=str(row["evidence"]),
                confidence=float(str(confidence)) if confidence is not None else None,
                sentence=str(row["sentence"] or ""),
                document=str(row["document"]),
                title=str(row["title"] or ""),
                url=str(row["url"] or ""),
                ingested=str(row["ingested"] or ""),
                reviewer=str(row["reviewer"] or ""),
                decided=str(row["decided"] or ""),
            )
        )
    curation = store.query(internal_query("stix_curation")).rows
    created = str(curation[0]["created"] or "") if curation else ""
    modified = str(curation[0]["modified"] or "") if curation else ""
    return GraphView(
        ancestors={k: frozenset(v) for k, v in ancestors.items()},
        labels=labels,
        entities=entities,
        facts=facts,
        curated_created=created,
        curated_modified=modified or created,
    )


def _entity(row: dict[str, object]) -> Entity:
    graphs = set(_lines(row["graphs"]))
    return Entity(
        iri=str(row["entity"]),
        types=frozenset(_name(t) for t in _lines(row["types"])),
        curated=bool(graphs & CURATED_GRAPHS),
        label=str(row["label"] or row["title"] or ""),
        aliases=tuple(_lines(row["aliases"])),
        description=str(row["description"] or ""),
        date=str(row["date"] or ""),
        sources=tuple(_lines(row["sources"])),
        url=str(row["url"] or ""),
        ingested=str(row["ingested"] or ""),
    )


def is_inferred(graph: str) -> bool:
    return graph == str(INFERRED_GRAPH)
