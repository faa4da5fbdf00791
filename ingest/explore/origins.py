"""Where facts come from: curated, asserted, inferred or review, and the evidence behind them.

Where each fact comes from is told by its named graph (see docs/architecture.md): the reference
graph holds curated facts, a source graph asserted facts (and review-only evidence), the
inferred graph the reasoner's output. `ORIGINS` lists the badges in display order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.term import Node

from ingest.config import GRAPH_NS
from ingest.iri import INFERRED_GRAPH, REFERENCE_GRAPH

from .results import Param, Row, rows_of
from .terms import fallback_label, md_escape

if TYPE_CHECKING:
    from ingest.store import Store


ORIGINS = ("curated", "asserted", "inferred", "review")

# Markdown badges (Streamlit's `:color-badge[text]`) for headings; tables use the plain word.
ORIGIN_BADGES = {
    "curated": ":blue-badge[curated]",
    "asserted": ":green-badge[asserted]",
    "inferred": ":violet-badge[inferred]",
    "review": ":orange-badge[review]",
}


def origin_of_graph(graph_iri: str | Node | None) -> str:
    """curated | asserted | inferred | other, from a named graph IRI (review graphs: asserted)."""
    text = str(graph_iri or "")
    if text == str(REFERENCE_GRAPH):
        return "curated"
    if text == str(INFERRED_GRAPH):
        return "inferred"
    # a review graph holds a fact a reviewer accepted: asserted, like a document's
    if text.startswith((GRAPH_NS + "source/", GRAPH_NS + "review/")):
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


def evidence_for(
    store: Store, subject: str, predicate: str | None = None, obj: str | None = None
) -> list[Row]:
    """The evidence sentences behind a fact (asserted and review-only), best first."""
    params: dict[str, Param] = {"subject": URIRef(subject)}
    if predicate:
        params["predicate"] = URIRef(predicate)
    if obj:
        params["object"] = URIRef(obj)
    out: list[Row] = []
    for row in rows_of(store, "fact_evidence", params):
        origins = origins_of("", row.get("status"))
        out.append(
            {
                "evidence": row["evidence"],
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
