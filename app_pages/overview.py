"""The Overview page: headline counts, search, the capability matrix and the latest documents."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import ROUTES, data
from app_pages.draw import LEGEND, MAX_LINKS, ORIGIN_COLOURS, evidence_list, link
from ingest.explore.entities import search_entities
from ingest.explore.origins import badge_md, evidence_for
from ingest.explore.overview import capability_matrix, latest_documents, overview_counts
from ingest.explore.terms import SKG, md_escape, type_words


def page() -> None:
    st.title("Space security knowledge graph")
    counts = data(overview_counts)
    cols = st.columns(5)
    for col, (name, number) in zip(cols, counts.items(), strict=False):
        col.metric(name.capitalize(), f"{number:,}")

    st.subheader("Find an entity")
    text = st.text_input(
        "Search labels and alternative names",
        key="overview_search",
        placeholder="e.g. Russia, Space Command, jamming",
    )
    if text.strip():
        hits = data(search_entities, text.strip())
        if not hits:
            st.info("No entity matches that text.")
        for hit in hits[:MAX_LINKS]:
            also = f"also: {', '.join(hit['matched'][:3])}" if hit["matched"] else ""
            kind = type_words(hit["type"]) if hit["type"] else ""
            link(hit["entity"], hit["label"], " · ".join(x for x in (kind, also) if x))
        if len(hits) > MAX_LINKS:
            st.caption(f"{len(hits) - MAX_LINKS} more matches: type more of the name.")

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Counterspace capabilities by actor")
        matrix = data(capability_matrix)
        if not matrix:
            st.caption("No capability facts yet.")
        else:
            frame = pd.DataFrame(matrix)
            frame["origin"] = [", ".join(r["origins"]) for r in matrix]
            present = sorted(set(frame["origin"]))
            pick = alt.selection_point(fields=["actorLabel", "capabilityLabel"], name="cell")
            base = alt.Chart(frame).encode(
                x=alt.X(
                    "capabilityLabel:N",
                    title=None,
                    axis=alt.Axis(labelAngle=-35, labelOverlap=False, labelLimit=180),
                ),
                y=alt.Y("actorLabel:N", title=None),
            )
            # Colour says where the fact comes from, the number how many evidence sentences.
            heat = base.mark_rect(stroke="white", strokeWidth=2).encode(
                color=alt.Color(
                    "origin:N",
                    title="source",
                    scale=alt.Scale(
                        domain=present, range=[ORIGIN_COLOURS.get(o, "#cccccc") for o in present]
                    ),
                ),
                tooltip=[
                    alt.Tooltip("actorLabel", title="actor"),
                    alt.Tooltip("capabilityLabel", title="capability"),
                    alt.Tooltip("evidence", title="evidence sentences"),
                    alt.Tooltip("sources", title="source documents"),
                    alt.Tooltip("origin", title="source"),
                ],
                opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            )
            labels = base.mark_text(fontSize=12, color="black").encode(text="evidence:Q")
            chart = (
                (heat + labels).add_params(pick).properties(height=alt.Step(34), width=alt.Step(90))
            )
            event = st.altair_chart(chart, on_select="rerun", key="overview_matrix_chart")
            cells = [(r["actor"], r["capability"]) for r in matrix]
            names = {
                (r["actor"], r["capability"]): f"{r['actorLabel']} — {r['capabilityLabel']}"
                for r in matrix
            }
            points = (event or {}).get("selection", {}).get("cell") or []
            # A click in the chart picks the cell once; the selectbox stays free to change.
            clicked = repr(points[0]) if points else None
            if clicked and clicked != st.session_state.get("overview_matrix_clicked"):
                st.session_state["overview_matrix_clicked"] = clicked
                point = points[0]
                for r in matrix:
                    if (r["actorLabel"], r["capabilityLabel"]) == (
                        point.get("actorLabel"),
                        point.get("capabilityLabel"),
                    ):
                        st.session_state["overview_matrix_cell"] = (r["actor"], r["capability"])
            cell = st.selectbox(
                "Evidence for a cell (or click one in the chart)",
                cells,
                format_func=lambda c: names[c],
                key="overview_matrix_cell",
            )
            if cell:
                row = next(r for r in matrix if (r["actor"], r["capability"]) == cell)
                st.markdown(f"**{md_escape(names[cell])}** {badge_md(row['origins'])}")
                evidence = data(evidence_for, cell[0], SKG + "hasCapability", cell[1])
                if evidence:
                    evidence_list(evidence, "overview_cell_evidence")
                elif "curated" in row["origins"]:
                    st.caption("Curated reference fact: its source is cited in the reference data.")
                else:
                    st.caption("No evidence sentences recorded.")
    with right:
        st.subheader("Latest documents")
        latest = data(latest_documents)
        if not latest:
            st.caption("No documents ingested yet: add one on the Add document page.")
        for doc in latest:
            link(doc["document"], doc["title"], f"{doc['date']} · {doc['facts']} facts")
    st.caption(LEGEND)
    st.page_link(
        ROUTES["ontology"],
        label="Ontology documentation: classes, properties and SHACL shapes",
        icon=":material/schema:",
    )
