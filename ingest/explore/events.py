"""The Events page's data: every event (tests, attacks, launches, summits...) and one event's page.

An event's page answers "what happened, when, who did it or is held responsible, against what,
who reacted and when, and where does that come from": one `event_profile` query, plus the
evidence sentences behind each reaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from ingest.api_rows import labels

from .origins import badge, evidence_for, origins_of
from .results import Record, Row, internal_rows, internal_rows_for, memo, rows_of
from .terms import SKG, fallback_label, iso_date, most_specific, type_words

if TYPE_CHECKING:
    from ingest.store import Store

# event_profile's roles, grouped into the parts of an event's page
PEOPLE_ROLES = {"conducted by": "conducted_by", "attributed to": "attributed_to"}
THING_ROLES = {"target": "targets", "threatens": "threatens", "place": "places"}


@dataclass
class EventDetail:
    """One event's page. Entity lists are rows with `entity`, `label`, `origins`, `source`."""

    iri: str
    label: str
    type: str  # in plain words, from the ontology's rdfs:label
    date: str
    conducted_by: list[Row] = field(default_factory=list)
    attributed_to: list[Row] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    threatens: list[Row] = field(default_factory=list)
    places: list[Row] = field(default_factory=list)
    reactions: list[Row] = field(default_factory=list)  # + `date`, `reaction`, `evidence`
    sources: list[str] = field(default_factory=list)  # curated dct:source addresses
    reported_in: list[Row] = field(default_factory=list)  # `document`, `title`, `date`

    @property
    def responsible(self) -> list[Row]:
        """Who conducted it or is held responsible for it, each once."""
        seen: dict[str, Row] = {}
        for row in [*self.conducted_by, *self.attributed_to]:
            seen.setdefault(str(row["entity"]), row)
        return list(seen.values())


def _entity_row(row: Record) -> Row:
    origins = origins_of(row.get("origins"))
    return {
        "entity": row["other"],
        "label": row.get("otherLabel") or fallback_label(row["other"]),
        "origins": origins,
        "source": badge(origins),
    }


def event_detail(store: Store, iri: str, with_evidence: bool = True) -> EventDetail | None:
    """One event's page from `event_profile`; None when the graph says nothing about it.

    `with_evidence` also reads the sentences behind each reaction (one query per reaction);
    lists leave it out.
    """
    rows = rows_of(store, "event_profile", {"event": URIRef(iri)})
    if not rows:
        return None
    types = [r for r in rows if r["role"] == "type"]
    dates = sorted(str(r["other"]) for r in rows if r["role"] == "date")
    # its own name in one lookup, not by listing every event (1.3 s at 1M triples)
    label = labels(store, {URIRef(iri)})[URIRef(iri)]
    detail = EventDetail(
        iri=iri,
        label=label,
        type=", ".join(type_words(r["other"]) for r in types) or "event",
        date=dates[0] if dates else "",
    )
    for row in rows:
        role = str(row["role"])
        if role in PEOPLE_ROLES:
            getattr(detail, PEOPLE_ROLES[role]).append(_entity_row(row))
        elif role in THING_ROLES:
            getattr(detail, THING_ROLES[role]).append(_entity_row(row))
        elif role == "condemned by":
            reaction = _entity_row(row)
            evidence = (
                evidence_for(store, str(row["other"]), SKG + "condemns", iri)
                if with_evidence
                else []
            )
            reaction.update(
                reaction="condemned",
                date=row.get("when") or "",
                documents=int(row.get("documents") or 0),
                evidence=[e for e in evidence if e["status"] == "asserted"],
            )
            detail.reactions.append(reaction)
        elif role == "curated source":
            detail.sources.append(str(row["other"]))
        elif role == "reported in":
            detail.reported_in.append(
                {
                    "document": row["other"],
                    "title": row.get("otherLabel") or fallback_label(row["other"]),
                    "date": row.get("when") or "",
                }
            )
    detail.reactions.sort(key=lambda r: (str(r["date"] or "~"), str(r["label"]).lower()))
    detail.reported_in.sort(key=lambda r: (str(r["date"] or "~"), str(r["title"]).lower()))
    return detail


def _labels(rows: list[Row]) -> str:
    return "; ".join(sorted({str(r["label"]) for r in rows}, key=str.lower))


def _pairs(text: object) -> list[tuple[str, str]]:
    """`event_index`'s "IRI<TAB>label" lines as (IRI, label) pairs, by label."""
    pairs = [tuple(line.split("\t", 1)) for line in str(text or "").splitlines() if "\t" in line]
    return sorted(((iri, label) for iri, label in pairs), key=lambda p: p[1].lower())


EVENT_LISTS = {
    "conductedBy": ("conductedByIris", "conductedByLabels"),
    "responsible": ("responsibleIris", "responsibleLabels"),
    "attributedTo": ("attributedToIris", "attributedToLabels"),
    "targets": ("targetIris", "targetLabels"),
}
"""The multi-entity cells of an event row: column -> (IRI list, label list) (`draw.table`)."""


def event_index(store: Store, events: Sequence[str] | None = None) -> list[Row]:
    """Every event, or only `events`, in one query (`event_index.rq`), not one per event: type
    in words, date, who conducted it and who it is attributed to, targets, reactions, curated
    sources and reporting documents. Lists read one page of this (`event_page`); an event's
    page reads `event_detail`."""
    found = (
        internal_rows(store, "event_index")
        if events is None
        else internal_rows_for(store, "event_index", "event", events)
        if events
        else []
    )
    out: list[Row] = []
    for row in found:
        conducted, attributed = _pairs(row.get("conductedBy")), _pairs(row.get("attributedTo"))
        responsible = dict(conducted) | dict(attributed)
        targets = _pairs(row.get("targets"))
        head = _head(row)
        out.append(
            head
            | {
                "date": iso_date(str(head["dateText"])),
                "conductedBy": "; ".join(label for _, label in conducted),
                "conductedByIris": [iri for iri, _ in conducted],
                "conductedByLabels": [label for _, label in conducted],
                "responsible": "; ".join(sorted(responsible.values(), key=str.lower)),
                "responsibleIris": sorted(responsible, key=lambda i: responsible[i].lower()),
                "responsibleLabels": sorted(responsible.values(), key=str.lower),
                "attributedTo": "; ".join(label for _, label in attributed),
                "attributedToIris": [iri for iri, _ in attributed],
                "attributedToLabels": [label for _, label in attributed],
                "targets": "; ".join(label for _, label in targets),
                "targetIris": [iri for iri, _ in targets],
                "targetLabels": [label for _, label in targets],
                "reactions": int(row.get("reactions") or 0),
                "curatedSources": sorted(str(row.get("curatedSources") or "").split()),
                "sources": len(str(row.get("curatedSources") or "").split()),
                "reports": int(row.get("reports") or 0),
            }
        )
    return out


def event_list(store: Store) -> list[Row]:
    """Every event with its type in words, date, who conducted or is held responsible, targets.

    Newest first; undated events last. `responsible` and `targets` are label lists
    (`; `-separated); `…Iris` and `…Labels` keep each member in the same order, for links
    (`EVENT_LISTS`) and CSV.
    """
    out = list(event_index(store))
    out.sort(key=lambda r: str(r["label"]).lower())
    out.sort(key=lambda r: str(r["dateText"] or ""), reverse=True)
    return out


EVENTS_PER_PAGE = 100
"""Events a list page shows at once: reading and drawing all 10,000 of the 1M-triple graph
took 6-8 s; one page of 100 takes a fraction of a second."""


@dataclass
class EventPage:
    """One page of a list of events, newest first: the page's `event_index` rows, how many
    events match in all, and the types (in words) of all events, for a filter."""

    rows: list[Row]
    total: int
    page: int  # 1-based
    pages: int
    per_page: int
    types: list[str]

    @property
    def first(self) -> int:
        """The 1-based position of the page's first event (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0


def _head(row: Row) -> Row:
    """An event's IRI, label, most specific type (IRI and words) and date as written."""
    kind = most_specific(row.get("types"))
    return {
        "event": row["event"],
        "label": row.get("label") or fallback_label(row["event"]),
        "typeIri": kind,
        "type": type_words(kind) or "event",
        "dateText": str(row.get("date") or ""),
    }


def event_order(store: Store) -> list[Row]:
    """Every event's `event`, `label`, `typeIri`, `type` and `dateText` only (`event_order.rq`),
    in `event_list`'s order: newest first, undated last, then by label."""

    def compute() -> list[Row]:
        out: list[Row] = []
        for row in internal_rows(store, "event_order"):
            out.append(_head(row))
        out.sort(key=lambda r: (str(r["label"]).lower(), str(r["event"])))
        out.sort(key=lambda r: str(r["dateText"]), reverse=True)
        return out

    return memo(store, ("event_order",), compute)


def event_page(
    store: Store,
    page: int = 1,
    kinds: frozenset[str] | None = None,
    types: tuple[str, ...] = (),
    per_page: int = EVENTS_PER_PAGE,
) -> EventPage:
    """One page of `event_list`: the events whose most specific type is one of `kinds` (class
    IRIs) and one of `types` (in words), when given. Only the page's events are read in full,
    so the cost does not grow with the graph; a page past the end shows the last one."""
    every = event_order(store)
    wanted = [
        r
        for r in every
        if (kinds is None or str(r["typeIri"]) in kinds) and (not types or r["type"] in types)
    ]
    pages = max(1, -(-len(wanted) // per_page))
    page = min(max(1, page), pages)
    chosen = wanted[(page - 1) * per_page : page * per_page]
    facts = {str(r["event"]): r for r in event_index(store, [str(r["event"]) for r in chosen])}
    rows = [facts[str(r["event"])] | r for r in chosen if str(r["event"]) in facts]
    kinds_here = {str(r["type"]) for r in every if kinds is None or str(r["typeIri"]) in kinds}
    return EventPage(rows, len(wanted), page, pages, per_page, sorted(kinds_here))


def event_timeline(detail: EventDetail) -> list[Row]:
    """The event, its reactions and the documents reporting it as dated points for a timeline."""
    points: list[Row] = []
    if iso_date(detail.date):
        points.append(
            {"date": iso_date(detail.date), "dateText": detail.date, "label": detail.label}
            | {"kind": detail.type, "entity": detail.iri}
        )
    for reaction in detail.reactions:
        if iso_date(reaction["date"]):
            points.append(
                {
                    "date": iso_date(reaction["date"]),
                    "dateText": reaction["date"],
                    "label": f"{reaction['label']} condemns it",
                    "kind": "reaction",
                    "entity": reaction["entity"],
                }
            )
    for doc in detail.reported_in:
        if iso_date(doc["date"]):
            points.append(
                {
                    "date": iso_date(doc["date"]),
                    "dateText": doc["date"],
                    "label": doc["title"],
                    "kind": "report",
                    "entity": doc["document"],
                }
            )
    points.sort(key=lambda r: (str(r["date"]), str(r["label"])))
    return points
