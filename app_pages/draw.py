"""Drawing helpers every page uses: tables, links to entity pages, evidence lists, timelines.

Untrusted text (labels, titles, sentences) reaches the page only as dataframe cells or escaped
markdown, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import ROUTES
from ingest.explore.results import Row
from ingest.explore.terms import curie, md_escape
from ingest.iri import kind_of

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig


LEGEND = (
    "Where facts come from: :blue-badge[curated] reference data · :green-badge[asserted] by an "
    "ingested document · :violet-badge[inferred] by the reasoner · :orange-badge[review] "
    "extracted with low confidence and held back for a human (no plain fact)."
)

GRAPH_LEGEND = (
    "Edges: blue = curated, green = asserted, purple dashed = inferred, orange dotted = review."
)

MAX_LINKS = 25

MAX_EVIDENCE = 20

ORIGIN_COLOURS = {
    "curated": "#6ea8fe",
    "asserted": "#5cc27a",
    "curated, asserted": "#63c2b0",
    "inferred": "#d0bfff",
    "curated, inferred": "#b3a4f0",
    "asserted, inferred": "#b5d8a0",
    "curated, asserted, inferred": "#8fbfa8",
}

COLUMN_TITLES = {
    "actorLabel": "actor",
    "capabilityLabel": "capability",
    "conductedBy": "conducted by",
    "dateText": "date",
    "heldBy": "held by",
    "objectLabel": "object",
    "otherLabel": "other end",
    "propertyLabel": "relation",
    "subjectLabel": "subject",
}


def table(
    rows: Sequence[Mapping[str, object]], columns: Sequence[str], key: str, **config: ColumnConfig
) -> None:
    """Rows as a dataframe (cells are plain text: safe for untrusted labels).

    The keyed container names the table for tests and the browser (`st-key-<key>`): a display
    dataframe keeps no key of its own.
    """
    with st.container(key=key):
        if not rows:
            st.caption("Nothing to show.")
            return
        frame = pd.DataFrame(list(rows))
        frame = frame[[c for c in columns if c in frame.columns]]
        titles = {c: COLUMN_TITLES[c] for c in frame.columns if c in COLUMN_TITLES}
        st.dataframe(frame, hide_index=True, column_config={**titles, **config} or None)


PAGE_FOR_KIND = {
    "capability": ("threats", "capability"),
    "document": ("doctrine", "doc"),
    "source": ("doctrine", "doc"),
    "concept": ("doctrine", "concept"),
}


def link(iri: str, label: str, suffix: str = "") -> None:
    """A link to the page of an entity, document or capability (its reference in the URL)."""
    page, param = PAGE_FOR_KIND.get(kind_of(iri), ("actors", "entity"))
    text = md_escape(label) + (f" · {md_escape(suffix)}" if suffix else "")
    st.page_link(ROUTES[page], label=text, query_params={param: curie(iri)})


def evidence_list(rows: list[Row], key: str) -> None:
    """Evidence sentences in full, each linked to its document with the sentence highlighted
    (the shared evidence component, `app_pages.evidence`)."""
    from app_pages.evidence import evidence_rows

    evidence_rows(rows, key, MAX_EVIDENCE)


def timeline_chart(
    rows: Sequence[Row], y: str, color: str, tooltip: Sequence[str], key: str
) -> None:
    """Dated rows as points in time, one line per `y` value, coloured by `color` (origins in
    their own colours)."""
    dated = [r for r in rows if r.get("date")]
    if not dated:
        st.caption("No dated items to place on a timeline.")
        return
    frame = pd.DataFrame(dated)
    present = [o for o in ORIGIN_COLOURS if o in set(frame[color])]
    scale = (
        alt.Scale(domain=present, range=[ORIGIN_COLOURS[o] for o in present])
        if color == "origin"
        else alt.Undefined
    )
    chart = (
        alt.Chart(frame)
        .mark_circle(size=140, opacity=0.85)
        .encode(
            x=alt.X("date:T", title="date", scale=alt.Scale(padding=24)),
            y=alt.Y(f"{y}:N", title=None),
            color=alt.Color(f"{color}:N", scale=scale),
            tooltip=list(tooltip),
        )
        .properties(height=max(120, 36 * frame[y].nunique()))
    )
    st.altair_chart(chart, key=key)
