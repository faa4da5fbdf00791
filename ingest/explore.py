"""View models for the explorer app: library query results shaped into plain rows and graphs.

The app (app.py) only draws; everything it shows is computed here from `ingest.queries` and
`ingest.pipeline`, so it can be tested and benchmarked without Streamlit. Functions take the
store as their first argument and return plain Python values (str, int, float, lists, dicts,
dataclasses) that pickle cheaply into Streamlit's data cache. There is no SPARQL text here.

Where each fact comes from is told by its named graph (see docs/architecture.md): the reference
graph holds curated facts, a source graph asserted facts (and review-only evidence), the
inferred graph the reasoner's output. `ORIGINS` lists the badges in display order.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from .config import GRAPH_NS, ONTOLOGY_NS
from .errors import InputError, QueryError
from .iri import INFERRED_GRAPH, REFERENCE_GRAPH, kind_of, source_graph
from .queries import expand_iri, get_query, run_query, shorten

SKG = ONTOLOGY_NS
ORIGINS = ("curated", "asserted", "inferred", "review")
# Markdown badges (Streamlit's `:color-badge[text]`) for headings; tables use the plain word.
ORIGIN_BADGES = {
    "curated": ":blue-badge[curated]",
    "asserted": ":green-badge[asserted]",
    "inferred": ":violet-badge[inferred]",
    "review": ":orange-badge[review]",
}
# Edge styles for graph drawings, one per origin (colour-blind safe pairs of colour and dash).
ORIGIN_STYLES = {
    "curated": ('"#1f77b4"', "solid"),
    "asserted": ('"#2ca02c"', "solid"),
    "inferred": ('"#9467bd"', "dashed"),
    "review": ('"#ff7f0e"', "dotted"),
}
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
# Relations left out of neighbourhood drawings: every document mentions dozens of entities.
HIDDEN_IN_GRAPH = frozenset({"mentions"})
ORGANISATION_TYPES = ("Alliance", "IntergovernmentalOrganization")
OBJECT_PROPERTIES = (
    "memberOf",
    "partOf",
    "locatedIn",
    "hasCapability",
    "conducted",
    "threatens",
    "targeted",
    "attributedTo",
    "published",
    "declares",
    "establishes",
    "condemns",
    "operates",
    "mentions",
)
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
DOCUMENT_KINDS = (
    "statement",
    "declaration",
    "communique",
    "policy",
    "strategy",
    "treaty",
    "resolution",
    "analysis",
    "report",
    "news",
    "speech",
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_DOT_UNSAFE = re.compile(r'["\\\n\r]')
_SPARQL_WARMED = threading.Lock()
_warmed = False

Row = dict[str, Any]


# --- terms and text --------------------------------------------------------------------------


def skg(local: str) -> URIRef:
    """IRI of an ontology term."""
    return URIRef(SKG + local)


def value(term: Node | None) -> Any:
    """A term as a plain Python value: IRIs as str, numbers as int/float, the rest as text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        python = term.toPython()
        if isinstance(python, bool):
            return python
        if isinstance(python, int):
            return python
        if isinstance(python, float | Decimal):
            return float(python)
        return str(term)
    return str(term)


def curie(iri: str | Node) -> str:
    """Short name of an IRI for links and tables (`skgid:actor/russia`)."""
    text = shorten(URIRef(str(iri)))
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def parse_entity(ref: str) -> URIRef:
    """An entity IRI from a shared link: a full IRI, a CURIE or kind/slug (raises InputError)."""
    try:
        return expand_iri(ref)
    except ValueError as exc:
        raise InputError(f"not an entity reference: {exc}", "link", "check the URL") from exc


def local_name(iri: str | Node | None) -> str:
    """The last segment of an IRI (`…#hasCapability` -> hasCapability)."""
    text = str(iri or "")
    return re.split(r"[#/]", text)[-1]


def fallback_label(iri: str | Node) -> str:
    """A readable name when an individual has no label: its slug with spaces."""
    return local_name(iri).replace("-", " ") or str(iri)


def class_words(local: str) -> str:
    """A class local name as the ontology labels it (`MilitaryCommand` -> military command)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def md_escape(text: object) -> str:
    """Untrusted text made inert for Streamlit markdown (labels, titles, sentences)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))


def iso_date(text: object) -> str | None:
    """A day for a timeline from xsd:date, gYearMonth or gYear text (month/year -> first day)."""
    raw = str(text or "").strip()
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", raw)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


# --- where facts come from -------------------------------------------------------------------


def origin_of_graph(graph_iri: str | Node | None) -> str:
    """curated | asserted | inferred | other, from a named graph IRI."""
    text = str(graph_iri or "")
    if text == str(REFERENCE_GRAPH):
        return "curated"
    if text == str(INFERRED_GRAPH):
        return "inferred"
    if text.startswith(GRAPH_NS + "source/"):
        return "asserted"
    return "other"


def origins_of(text: object, status: object = None) -> list[str]:
    """Origins from a query's space-separated `origins` and/or an evidence status, in order."""
    found = set(str(text or "").split())
    if str(status or "") == "review":
        found = {"review"}
    elif str(status or "") == "asserted":
        found.add("asserted")
    return [o for o in ORIGINS if o in found] + sorted(found - set(ORIGINS) - {"other"})


def badge(origins: Sequence[str]) -> str:
    """The `source` column text: the origins in order, e.g. 'curated, asserted'."""
    return ", ".join(origins) or "—"


def badge_md(origins: Sequence[str]) -> str:
    """The origins as coloured Streamlit markdown badges (for headings, not tables)."""
    return " ".join(ORIGIN_BADGES.get(o, md_escape(o)) for o in origins)


# --- query plumbing --------------------------------------------------------------------------


_MEMO: dict[tuple[Any, ...], Any] = {}
_MEMO_LOCK = threading.Lock()
MEMO_ENTRIES = 512


def _memo(store: Any, key: tuple[Any, ...], compute: Any) -> Any:
    """`compute()` once per store version: view models share query results within a version.

    The version changes on every write, so nothing stale is ever served. Callers must treat
    the returned rows as read-only.
    """
    full = (store.description, store.version(), *key)
    found = _MEMO.get(full)
    if found is not None:
        return found
    result = compute()
    with _MEMO_LOCK:
        if len(_MEMO) >= MEMO_ENTRIES:
            _MEMO.clear()
        _MEMO[full] = result
    return result


def rows_of(store: Any, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
    """Rows of a library query as plain values, shared per store version."""
    frozen = tuple(sorted((k, str(v)) for k, v in (params or {}).items()))
    return _memo(store, ("query", name, frozen), lambda: records(run_query(store, name, params)))


def internal_rows(store: Any, name: str) -> list[Row]:
    """Rows of a store-internal query (queries/internal/), shared per store version."""
    from .store import internal_query

    return _memo(store, ("internal", name), lambda: records(store.query(internal_query(name))))


def documents_of(store: Any) -> list[Any]:
    """The ingested documents (pipeline.SourceRecord), shared per store version."""
    from .pipeline import list_documents

    return _memo(store, ("documents",), lambda: list_documents(store))


def records(result: Any) -> list[Row]:
    """SELECT rows as dicts of plain values (IRIs stay full strings)."""
    return [{name: value(row.get(name)) for name in result.vars} for row in result.rows]


def display_table(result: Any) -> tuple[list[str], list[Row]]:
    """Columns and rows of any result for a table: IRIs as CURIEs, literals as values."""
    if result.kind == "ask":
        return ["boolean"], [{"boolean": bool(result.boolean)}]
    if result.kind == "construct":
        graph = result.graph
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t)) if graph else []
        rows = [
            {"subject": _cell(s), "predicate": _cell(p), "object": _cell(o)} for s, p, o in triples
        ]
        return ["subject", "predicate", "object"], rows
    columns = list(result.vars)
    return columns, [{name: _cell(row.get(name)) for name in columns} for row in result.rows]


def _cell(term: Node | None) -> Any:
    if isinstance(term, URIRef):
        return curie(term)
    return value(term)


def warm_up_sparql_parser() -> None:
    """Parse one query once before sessions run in parallel threads.

    rdflib's SPARQL parser can break for good when several threads make their first parse at
    the same moment (STACK-NOTES); the console and the endpoint backend use it.
    """
    global _warmed
    with _SPARQL_WARMED:
        if _warmed:
            return
        from .console import check_query

        check_query(get_query("graph_stats").text)
        _warmed = True


# --- entities --------------------------------------------------------------------------------


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


def individuals(store: Any, class_local: str) -> list[Entity]:
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


def entity_index(store: Any) -> dict[str, Entity]:
    """Every individual of the top classes by IRI: labels and types for links and choices."""
    index: dict[str, Entity] = {}
    for class_local in TOP_CLASSES.values():
        for entity in individuals(store, class_local):
            index.setdefault(entity.iri, entity)
    return index


def entity_card(store: Any, iri: str) -> Entity | None:
    """Label and type of one individual, without listing every individual of the graph.

    Curated individuals come from the reference data (cached per process); others are found
    with the label search on the longest word of their slug (IRIs are minted from labels),
    and only then, rarely, in the whole index.
    """
    from .ontology import labels_index

    for entry in labels_index():
        if str(entry.iri) == iri:
            skg_types = [local_name(t) for t in entry.types if str(t).startswith(SKG)]
            kind = skg_types[0] if skg_types else ""
            return Entity(iri, entry.label, kind, class_words(kind) or "individual", "")
    words = sorted(re.findall(r"[a-z0-9]+", local_name(iri)), key=len, reverse=True)
    if words:
        for hit in search_entities(store, words[0]):
            if hit["entity"] == iri:
                kind = hit["type"]
                return Entity(iri, hit["label"], kind, class_words(kind) or "individual", "")
    return entity_index(store).get(iri)


def label_for(index: Mapping[str, Entity], iri: str, label: object = None) -> str:
    """The label a query returned, else the index's, else the IRI's slug."""
    if label:
        return str(label)
    entity = index.get(iri)
    return entity.label if entity else fallback_label(iri)


def search_entities(store: Any, text: str) -> list[Row]:
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


# --- overview --------------------------------------------------------------------------------


def overview_counts(store: Any) -> dict[str, int]:
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


def latest_documents(store: Any, limit: int = 8) -> list[Row]:
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


def document_choices(store: Any) -> list[Row]:
    """Every ingested document (id, title, date), newest first: the choices for removal.

    Its own query lists documents without counting their facts (a pass over all evidence).
    """
    return [
        {
            "document": row["document"],
            "docid": local_name(row["document"]),
            "title": row.get("title") or fallback_label(row["document"]),
            "date": row.get("date") or "",
        }
        for row in rows_of(store, "document_index")
    ]


def capability_matrix(store: Any, actor: str | None = None) -> list[Row]:
    """Actor × capability cells with evidence and source counts and their origin badges."""
    params = {"actor": URIRef(actor)} if actor else {}
    out = []
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


def evidence_for(
    store: Any, subject: str, predicate: str | None = None, obj: str | None = None
) -> list[Row]:
    """The evidence sentences behind a fact (asserted and review-only), best first."""
    params: dict[str, Any] = {"subject": URIRef(subject)}
    if predicate:
        params["predicate"] = URIRef(predicate)
    if obj:
        params["object"] = URIRef(obj)
    out = []
    for row in rows_of(store, "fact_evidence", params):
        origins = origins_of("", row.get("status"))
        out.append(
            {
                "subject": row["subject"],
                "predicate": row["predicate"],
                "object": row["object"],
                "sentence": row.get("sentence") or "",
                "document": row.get("document"),
                "title": row.get("title") or fallback_label(row.get("document") or ""),
                "url": row.get("url") or "",
                "date": row.get("date") or "",
                "confidence": row.get("confidence"),
                "status": row.get("status") or "",
                "source": badge(origins),
            }
        )
    return out


# --- actors ----------------------------------------------------------------------------------


def organisations(store: Any) -> list[Entity]:
    """Alliances and intergovernmental organisations: the choices of the membership filter."""
    found: dict[str, Entity] = {}
    for type_local in ORGANISATION_TYPES:
        for entity in individuals(store, type_local):
            found.setdefault(entity.iri, entity)
    return sorted(found.values(), key=lambda e: e.label.lower())


def members_of(store: Any, organisation: str) -> list[Row]:
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


def actors(store: Any, actor_type: str | None = None, member_of: str | None = None) -> list[Entity]:
    """Actors, optionally of one type (local name, subclasses included) and members of one org."""
    found = individuals(store, actor_type or "Actor")
    if member_of:
        members = {row["member"] for row in members_of(store, member_of)}
        found = [e for e in found if e.iri in members]
    return sorted(found, key=lambda e: e.label.lower())


def document_titles(store: Any) -> dict[str, str]:
    """Titles of ingested documents by IRI (they carry dct:title, not rdfs:label)."""
    return {str(rec.iri): rec.title for rec in documents_of(store)}


def source_titles(store: Any, iris: Iterable[str]) -> dict[str, str]:
    """Titles of some ingested documents by IRI, each read from its own small named graph.

    Source documents carry dct:title, not rdfs:label; reading only the graphs asked for keeps
    an actor page from listing every document in the store.
    """
    titles: dict[str, str] = {}
    for iri in iris:
        if kind_of(iri) != "source" or iri in titles:
            continue
        title = _memo(store, ("title", iri), lambda iri=iri: _source_title(store, iri))
        if title:
            titles[iri] = title
    return titles


def _source_title(store: Any, iri: str) -> str:
    graph = store.graph(source_graph(local_name(iri)))
    return str(graph.value(URIRef(iri), DCTERMS.title) or "")


def entity_facts(store: Any, iri: str, titles: Mapping[str, str] | None = None) -> list[Row]:
    """Facts in and out of an individual with labels, evidence counts and origin badges.

    `titles` (from `document_titles`) saves the title lookups of unlabelled source documents.
    """
    out = []
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
    store: Any, iri: str, depth: int = 1, max_nodes: int = 40, label: str = ""
) -> Neighbourhood:
    """The individuals up to `depth` (1 or 2) relations away, at most `max_nodes` of them."""
    depth = max(1, min(depth, 2))
    hood = Neighbourhood(center=iri)
    hood.nodes[iri] = label or fallback_label(iri)
    frontier = [iri]
    seen_edges: set[tuple[str, str, str]] = set()
    for level in range(depth):
        next_frontier: list[str] = []
        for node in frontier:
            for fact in entity_facts(store, node):
                if local_name(fact["property"]) in HIDDEN_IN_GRAPH:
                    continue
                other = fact["other"]
                if other not in hood.nodes and len(hood.nodes) >= max_nodes:
                    hood.capped = True
                    continue
                if other not in hood.nodes:
                    hood.nodes[other] = fact["otherLabel"]
                    if level + 1 < depth:
                        next_frontier.append(other)
                s, o = (node, other) if fact["direction"] == "out" else (other, node)
                key = (s, fact["property"], o)
                if key in seen_edges:
                    continue
                seen_edges.add(key)
                origin = fact["origins"][0] if fact["origins"] else "other"
                hood.edges.append((s, fact["propertyLabel"], o, origin))
        frontier = next_frontier
    return hood


def _dot_text(text: str, limit: int = 40) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return (
        '"' + _DOT_UNSAFE.sub(lambda m: {"\n": " ", "\r": " "}.get(m[0], "\\" + m[0]), short) + '"'
    )


def to_dot(
    nodes: Mapping[str, str],
    edges: Iterable[tuple[str, str, str, str]],
    center: str | None = None,
) -> str:
    """Graphviz DOT text; labels are quoted and escaped, node ids are numbers (not IRIs)."""
    ids = {iri: f"n{i}" for i, iri in enumerate(nodes)}
    lines = [
        "digraph G {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fa", fontname="sans-serif",'
        " fontsize=11];",
        '  edge [fontname="sans-serif", fontsize=9];',
    ]
    for iri, label in nodes.items():
        extra = ', fillcolor="#ffd8a8", penwidth=2' if iri == center else ""
        lines.append(f"  {ids[iri]} [label={_dot_text(label)}{extra}];")
    for s, label, o, origin in edges:
        if s not in ids or o not in ids:
            continue
        color, style = ORIGIN_STYLES.get(origin, ('"#777777"', "solid"))
        lines.append(
            f"  {ids[s]} -> {ids[o]} [label={_dot_text(label, 30)}, color={color},"
            f" fontcolor={color}, style={style}];"
        )
    lines.append("}")
    return "\n".join(lines)


def actor_timeline(store: Any, iri: str) -> list[Row]:
    """Dated events and documents an actor conducted, condemned, published or was targeted by.

    One query bound to the actor, so only its neighbourhood is read (not every event).
    """
    rows = []
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


# --- threats ---------------------------------------------------------------------------------


def capabilities(store: Any) -> list[Entity]:
    """Counterspace capability types and hazards."""
    return sorted(individuals(store, "Capability"), key=lambda e: (e.type, e.label.lower()))


MAX_THREAT_LOOKUPS = 20


def capability_overview(store: Any) -> list[Row]:
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
    out = []
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


def capability_detail(store: Any, iri: str) -> dict[str, list[Row]]:
    """Who has a capability (with evidence counts) and what it threatens, with origins."""
    holders = [r for r in capability_matrix(store) if r["capability"] == iri]
    facts = entity_facts(store, iri)
    threatens = [
        f for f in facts if f["direction"] == "out" and local_name(f["property"]) == "threatens"
    ]
    related = [f for f in facts if f not in threatens]
    return {"holders": holders, "threatens": threatens, "related": related}


def incidents(store: Any) -> list[Row]:
    """ASAT tests and attacks with dates, actors and targets, for the timeline."""
    out = []
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


# --- doctrine --------------------------------------------------------------------------------


def doctrine_documents(store: Any) -> list[Row]:
    """Curated and ingested documents in date order with kind, publishers and concepts."""
    out = []
    for row in rows_of(store, "doctrine_timeline"):
        out.append(
            {
                "document": row["document"],
                "title": row.get("title") or fallback_label(row["document"]),
                "dateText": row.get("date") or "",
                "date": iso_date(row.get("date")),
                "kind": local_name(row.get("kind")),
                "publishers": row.get("publishers") or "",
                "declares": row.get("declares") or "",
                "origin": "asserted" if kind_of(row["document"]) == "source" else "curated",
            }
        )
    return out


def concepts(store: Any) -> list[Entity]:
    """Doctrine concepts (deterrence, resilience, ...)."""
    return sorted(individuals(store, "DoctrineConcept"), key=lambda e: e.label.lower())


def concept_documents(store: Any, concept: str) -> list[Row]:
    """Documents declaring or mentioning a concept, in date order, with origins."""
    out = []
    for row in rows_of(store, "concept_across_documents", {"concept": URIRef(concept)}):
        origins = origins_of(row.get("origins"))
        out.append(
            {
                "document": row["document"],
                "title": row.get("title") or fallback_label(row["document"]),
                "dateText": row.get("date") or "",
                "date": iso_date(row.get("date")),
                "relation": local_name(row.get("relation")),
                "source": badge(origins),
            }
        )
    return out


@dataclass
class DocumentView:
    """A document page: metadata, its text when available, and the facts drawn from it."""

    iri: str
    title: str
    metadata: dict[str, str]
    text: str | None
    text_note: str
    facts: list[Row]
    sentences: list[tuple[int, str]]  # (start char, sentence), when the text is not available


def source_record(store: Any, iri: str) -> Any:
    """The ingested document (pipeline.SourceRecord) with this IRI, or None.

    Read from the document's own named graph (about a hundred triples), not by listing every
    document in the store.
    """
    if kind_of(iri) != "source":
        return None
    return _memo(store, ("record", iri), lambda: _source_record(store, iri) or False) or None


def _source_record(store: Any, iri: str) -> Any:
    from .pipeline import SourceRecord

    docid = local_name(iri)
    graph_iri = source_graph(docid)
    graph = store.graph(graph_iri)
    doc = URIRef(iri)
    if (doc, RDF.type, skg("SourceDocument")) not in graph:
        return None
    kinds = sorted(
        local_name(k)
        for k in graph.objects(doc, RDF.type)
        if str(k).startswith(SKG) and k != skg("SourceDocument")
    )
    statuses = [str(s) for s in graph.objects(None, skg("status"))]

    def text(prop: URIRef) -> str:
        return str(graph.value(doc, prop) or "")

    return SourceRecord(
        docid=docid,
        graph=graph_iri,
        iri=doc,
        title=text(DCTERMS.title),
        date=text(skg("date")),
        kind=kinds[0] if kinds else "",
        url=text(skg("url")),
        path=text(skg("sourcePath")),
        facts=statuses.count("asserted"),
        review=statuses.count("review"),
    )


def document_view(store: Any, iri: str) -> DocumentView:
    """Everything the document page shows, for an ingested or a curated document."""
    record = source_record(store, iri)
    if record is None:
        curated = next((r for r in doctrine_documents(store) if r["document"] == iri), None)
        if curated is None:
            raise InputError(
                f"no document {curie(iri)} in the graph",
                "link",
                "open a document from the Doctrine page (it may have been removed)",
            )
        facts = entity_facts(store, iri)
        metadata = {}
        if curated:
            metadata = {
                "date": curated["dateText"],
                "kind": curated["kind"],
                "publishers": curated["publishers"],
                "declares": curated["declares"],
            }
        return DocumentView(
            iri=iri,
            title=curated["title"] if curated else fallback_label(iri),
            metadata=metadata,
            text=None,
            text_note="curated document: its text is not held in the graph",
            facts=facts,
            sentences=[],
        )
    facts, sentences = _document_facts(store, record)
    text, note = _document_text(record)
    metadata = {
        "date": record.date,
        "kind": local_name(record.kind),
        "url": record.url,
        "file": record.path,
        "document id": record.docid,
        "facts": str(record.facts),
        "review facts": str(record.review),
    }
    return DocumentView(
        iri=iri,
        title=record.title,
        metadata={k: v for k, v in metadata.items() if v},
        text=text,
        text_note=note,
        facts=facts,
        sentences=sentences,
    )


def _document_facts(store: Any, record: Any) -> tuple[list[Row], list[tuple[int, str]]]:
    """Facts of one source document from its own named graph (small; no whole-store scan)."""
    graph = store.graph(source_graph(record.docid))
    # curated individuals are labelled in the reference graph, not the document's own graph
    from .ontology import labels_index

    labels = {str(entry.iri): entry.label for entry in labels_index()}
    labels.update({str(s): str(o) for s, o in graph.subject_objects(RDFS.label)})
    labels[str(record.iri)] = record.title

    def shown(term: Any) -> str:
        if isinstance(term, URIRef):
            return labels.get(str(term)) or fallback_label(term)
        return str(value(term) or "")

    facts = []
    sentences: dict[int, str] = {}
    for evidence in graph.subjects(RDF.type, skg("Evidence")):

        def one(prop: str, node: Any = evidence) -> Any:
            return value(graph.value(node, skg(prop)))

        s, p, o = one("factSubject"), one("factPredicate"), one("factObject")
        subject_term = graph.value(evidence, skg("factSubject"))
        object_term = graph.value(evidence, skg("factObject"))
        status = one("status") or ""
        sentence = one("sentence") or ""
        start = one("startChar")
        if isinstance(start, int):
            sentences[start] = sentence
        facts.append(
            {
                "subject": s,
                "subjectLabel": shown(subject_term),
                "predicate": p,
                "property": local_name(p),
                "object": o,
                "objectLabel": shown(object_term),
                "confidence": one("confidence"),
                "status": status,
                "sentence": sentence,
                "start": start if isinstance(start, int) else None,
                "source": badge(origins_of("", status)),
            }
        )
    # what the document says first, then which entities it mentions
    facts.sort(
        key=lambda f: (
            f["property"] == "mentions",
            f["start"] is None,
            f["start"] or 0,
            f["property"],
        )
    )
    return facts, sorted(sentences.items())


def _document_text(record: Any) -> tuple[str | None, str]:
    """The document's text, re-read from its file when that file still holds the same text."""
    from .load import load_file

    if not record.path:
        return None, "pasted text: only the sentences behind its facts are kept in the graph"
    path = Path(record.path)
    if not path.is_file():
        return None, f"the file {record.path} is no longer there: showing the evidence sentences"
    try:
        source = load_file(path)
    except InputError as exc:
        return None, f"cannot re-read the file: {exc}"
    if source.docid != record.docid:
        return None, "the file has changed since it was ingested: showing the evidence sentences"
    return source.text, ""


# --- entity highlighting ---------------------------------------------------------------------

ENT_COLORS = {
    "ACTOR": "#a5d8ff",
    "ASSET": "#b2f2bb",
    "CAPABILITY": "#ffc9c9",
    "EVENT": "#ffe066",
    "DOCUMENT": "#d0bfff",
    "CONCEPT": "#99e9f2",
    "PLACE": "#e9ecef",
}


def entity_html(nlp: Any, text: str, max_chars: int = 100_000) -> tuple[str, list[Row]]:
    """displaCy HTML of the recognised entities (text escaped by displaCy) and the entity list.

    Spans are passed to displaCy by hand so that nothing from the document but the escaped
    text reaches the HTML: labels are escaped too and no entity ids or links are rendered.
    """
    from spacy import displacy

    clipped = text[:max_chars]
    doc = nlp(clipped)
    spans = []
    found = []
    for ent in doc.ents:
        spans.append(
            {"start": ent.start_char, "end": ent.end_char, "label": html.escape(ent.label_)}
        )
        found.append({"text": ent.text, "label": ent.label_, "entity": ent.ent_id_ or ""})
    markup = displacy.render(
        {"text": clipped, "ents": spans, "title": None},
        style="ent",
        manual=True,
        jupyter=False,
        options={"colors": ENT_COLORS},
    )
    return str(markup), found


# --- the Ask page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamChoice:
    """How to ask for one query parameter: a widget kind and its choices (value, label)."""

    name: str
    widget: str  # select | text | date | integer
    options: tuple[tuple[str, str], ...] = ()
    default: str | None = None
    required: bool = False
    help: str = ""


ENTITY_PARAMS = {"actor", "subject", "object", "from", "to", "target"}


def param_choices(store: Any, query_name: str) -> list[ParamChoice]:
    """Widgets for a library query's parameters, with entity choices where a param is an IRI."""
    spec = get_query(query_name)
    out = []
    index: dict[str, Entity] | None = None
    for param in spec.params:
        default = param.default
        help_text = param.description
        if param.type == "iri":
            if param.name in ("organization", "alliance"):
                options = [(e.iri, f"{e.label} ({e.type_label})") for e in organisations(store)]
            elif param.name == "concept":
                options = [(e.iri, e.label) for e in concepts(store)]
            elif param.name == "class":
                options = [(str(skg(v)), k) for k, v in TOP_CLASSES.items()]
                options += [(str(skg(t)), t) for t in ACTOR_TYPES]
            elif param.name == "predicate":
                options = [(str(skg(p)), p) for p in OBJECT_PROPERTIES]
            else:
                index = entity_index(store) if index is None else index
                entities = sorted(
                    index.values(), key=lambda e: (e.group != "Actor", e.group, e.label.lower())
                )
                if param.name == "actor" and query_name == "capability_matrix":
                    entities = [e for e in entities if e.group == "Actor"]
                options = [(e.iri, f"{e.label} ({e.group.lower()})") for e in entities]
            if default:
                default = str(expand_iri(default))
                if default not in {o[0] for o in options}:
                    options.insert(0, (default, curie(default)))
            out.append(
                ParamChoice(
                    param.name, "select", tuple(options), default, param.required, help_text
                )
            )
        elif param.type == "string" and param.name == "status":
            options = [("asserted", "asserted"), ("review", "review")]
            out.append(ParamChoice(param.name, "select", tuple(options), default, False, help_text))
        elif param.type in ("date", "integer"):
            out.append(ParamChoice(param.name, param.type, (), default, param.required, help_text))
        else:
            out.append(ParamChoice(param.name, "text", (), default, param.required, help_text))
    return out


def run_library_query(store: Any, name: str, params: Mapping[str, Any]) -> Any:
    """Run a library query with form values; blank optional values mean 'any'."""
    given = {k: v for k, v in params.items() if v not in (None, "")}
    return run_query(store, name, given)


RELATION_COLUMNS = ("predicate", "property", "relation", "p", "step1")


@dataclass
class RelationGraph:
    """Edges read from a result whose rows are relations; empty when they are not."""

    nodes: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)


def relation_graph(result: Any, center: str | None = None, max_edges: int = 150) -> RelationGraph:
    """Subject/predicate/object-like rows (or a CONSTRUCT graph) as a drawable graph.

    A SELECT result counts as relations when it has a property column (predicate, property,
    relation) whose values are IRIs and two other IRI columns; labels come from `xLabel` columns.
    Rows with a `direction` column and one other end (actor_profile) are drawn around `center`,
    the individual the query was asked about.
    """
    rel = RelationGraph()
    if result.kind == "construct" and result.graph is not None:
        for s, p, o in sorted(result.graph, key=lambda t: tuple(str(x) for x in t)):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and len(rel.edges) < max_edges:
                rel.nodes.setdefault(str(s), curie(s))
                rel.nodes.setdefault(str(o), curie(o))
                rel.edges.append((str(s), local_name(p), str(o), "other"))
        return rel
    if result.kind != "select" or not result.rows:
        return rel
    columns = list(result.vars)
    iri_columns = [
        c
        for c in columns
        if all(isinstance(r.get(c), URIRef | None) for r in result.rows)
        and any(isinstance(r.get(c), URIRef) for r in result.rows)
    ]
    prop = next((c for c in RELATION_COLUMNS if c in iri_columns), None)
    if prop is None:
        return rel
    ends = [c for c in iri_columns if c != prop and not c.endswith("Label")]
    if center and "direction" in columns and ends:
        other = ends[0]
        rel.nodes[center] = fallback_label(center)
        for row in result.rows[:max_edges]:
            o, p = row.get(other), row.get(prop)
            if not (isinstance(o, URIRef) and isinstance(p, URIRef)):
                continue
            rel.nodes.setdefault(str(o), str(row.get(other + "Label") or fallback_label(o)))
            s, t = (center, str(o)) if str(row.get("direction")) == "out" else (str(o), center)
            origin = origins_of(row.get("origins"))
            rel.edges.append((s, local_name(p), t, origin[0] if origin else "other"))
        return rel
    if {"subject", "object"} <= set(ends):
        first, second = "subject", "object"
    elif len(ends) >= 2:
        first, second = ends[0], ends[1]
    else:
        return rel
    for row in result.rows:
        s, p, o = row.get(first), row.get(prop), row.get(second)
        if not (isinstance(s, URIRef) and isinstance(o, URIRef) and isinstance(p, URIRef)):
            continue
        if len(rel.edges) >= max_edges:
            break
        rel.nodes.setdefault(str(s), str(row.get(first + "Label") or fallback_label(s)))
        rel.nodes.setdefault(str(o), str(row.get(second + "Label") or fallback_label(o)))
        origin = origins_of(row.get("origins"), row.get("status"))
        rel.edges.append((str(s), local_name(p), str(o), origin[0] if origin else "other"))
    return rel


# --- the Add document page -------------------------------------------------------------------


def preview_facts(prepared: Any) -> list[Row]:
    """The facts a prepared (not yet committed) document would add, with confidence and status.

    Statements come before the document's "mentions", strongest first, as on the document page.
    """
    doc_graph = prepared.graph
    labels = {str(ent.iri): ent.label for ent in doc_graph.entities if ent.label}
    labels[str(doc_graph.document)] = prepared.source.title

    def shown(term: Node) -> str:
        if isinstance(term, URIRef):
            return labels.get(str(term)) or fallback_label(term)
        return str(value(term))

    rows = []
    for fact in doc_graph.facts:
        rows.append(
            {
                "subject": shown(fact.s),
                "property": local_name(fact.p),
                "object": shown(fact.o),
                "confidence": float(fact.confidence),
                "status": fact.status,
                "source": badge(origins_of("", fact.status)),
                "sentence": fact.sentence,
                "subjectIri": str(fact.s),
                "objectIri": str(fact.o),
            }
        )
    rows.sort(key=lambda r: (r["property"] == "mentions", -r["confidence"], r["subject"]))
    return rows


def preview_entities(prepared: Any) -> list[Row]:
    """Entities of a prepared document: label, class, IRI and whether the graph knew it."""
    rows = []
    for ent in prepared.graph.entities:
        iri = str(ent.iri)
        rows.append(
            {
                "label": ent.label or fallback_label(iri),
                "kind": ", ".join(class_words(local_name(c)) for c in ent.classes) or kind_of(iri),
                "entity": curie(iri),
                "new": not ent.curated,
            }
        )
    rows.sort(key=lambda r: (not r["new"], r["label"].lower()))
    return rows


def check_metadata(date: str, url: str) -> None:
    """Refuse metadata the shapes would reject, before running the pipeline."""
    if date and iso_date(date) is None:
        raise InputError(
            f"the date {date!r} is not a date", "Add document", "use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    if url and not re.match(r"^https?://\S+$", url):
        raise InputError(
            f"the url {url!r} is not an http(s) URL", "Add document", "give a full https:// URL"
        )


__all__ = [
    "ORIGINS",
    "DocumentView",
    "Entity",
    "Neighbourhood",
    "ParamChoice",
    "QueryError",
    "RelationGraph",
    "actor_timeline",
    "actors",
    "badge",
    "badge_md",
    "capabilities",
    "capability_detail",
    "capability_matrix",
    "capability_overview",
    "concept_documents",
    "concepts",
    "curie",
    "display_table",
    "doctrine_documents",
    "document_choices",
    "document_titles",
    "document_view",
    "entity_card",
    "entity_facts",
    "entity_html",
    "entity_index",
    "evidence_for",
    "incidents",
    "latest_documents",
    "md_escape",
    "neighbourhood",
    "organisations",
    "origin_of_graph",
    "origins_of",
    "overview_counts",
    "param_choices",
    "parse_entity",
    "preview_entities",
    "preview_facts",
    "relation_graph",
    "run_library_query",
    "search_entities",
    "source_titles",
    "to_dot",
    "warm_up_sparql_parser",
]
