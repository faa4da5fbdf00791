"""The Threats page: capability types and hazards, who has each, ASAT tests and attacks."""

from __future__ import annotations

import streamlit as st

from app_pages.common import data, open_from_select, selected
from app_pages.draw import LEGEND, MAX_LINKS, link, table, timeline_chart
from ingest.explore.terms import md_escape
from ingest.explore.threats import capability_detail, capability_overview, incidents


def page() -> None:
    st.title("Threats")
    st.caption(LEGEND)
    st.subheader("Capability types and hazards")
    overview_rows = data(capability_overview)
    table(overview_rows, ["label", "type", "heldBy", "threatens"], "threats_table")
    caps = {r["capability"]: f"{r['label']} ({r['type']})" for r in overview_rows}
    chosen = selected("capability")
    options = list(caps)
    st.selectbox(
        "Capability",
        options,
        index=options.index(chosen) if chosen in options else None,
        format_func=lambda i: caps[i],
        key="threats_capability",
        on_change=open_from_select,
        args=("capability", "threats_capability"),
    )
    if chosen:
        detail = data(capability_detail, chosen)
        left, right = st.columns(2)
        with left:
            st.markdown(f"**Who has {md_escape(caps.get(chosen, chosen))}**")
            table(
                detail["holders"],
                ["actorLabel", "evidence", "sources", "source"],
                "threats_holders",
            )
            for row in detail["holders"][:MAX_LINKS]:
                link(row["actor"], row["actorLabel"])
        with right:
            st.markdown("**What it threatens**")
            table(detail["threatens"], ["otherLabel", "evidence", "source"], "threats_targets")
            for row in detail["threatens"][:MAX_LINKS]:
                link(row["other"], row["otherLabel"])

    st.subheader("ASAT tests and attacks")
    events = data(incidents)
    timeline_chart(
        events, "type", "type", ["label", "dateText", "conductedBy", "targets"], "threats_timeline"
    )
    table(
        events, ["dateText", "label", "type", "conductedBy", "targets", "sources"], "threats_events"
    )
    for row in events[:MAX_LINKS]:
        link(row["event"], row["label"], row["dateText"])
