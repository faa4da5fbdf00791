"""The Threats page: what threatens an asset and who is behind it, capability types and hazards,
who has each, ASAT tests and attacks."""

from __future__ import annotations

import streamlit as st

from app_pages.common import data, open_from_select, selected
from app_pages.draw import (
    LEGEND,
    LINK_TEXT,
    MAX_LINKS,
    link,
    page_number,
    pager,
    source_links,
    table,
    timeline_chart,
)
from ingest.explore.events import EVENT_LISTS
from ingest.explore.results import Row
from ingest.explore.terms import md_escape
from ingest.explore.threats import (
    capability_detail,
    capability_overview,
    incident_page,
    threat_targets,
    threats_to,
)


def threat_sources(row: Row, key: str) -> None:
    """Where a threat is stated: the curated sources of an event (swap in the shared evidence
    component here once it exists)."""
    urls = [str(u) for u in row.get("curatedSources") or []]
    if urls:
        source_links(urls, key)
    else:
        st.caption(f"Source: {md_escape(row['source'])} facts (open the threat for its evidence).")


def target_section() -> None:
    st.subheader("What threatens an asset, and who is behind it")
    targets = {e.iri: e.label for e in data(threat_targets)}
    chosen = selected("target")
    options = list(targets)
    target = st.selectbox(
        "Asset",
        options,
        index=options.index(chosen) if chosen in options else None,
        format_func=lambda i: targets[i],
        key="threats_target",
        on_change=open_from_select,
        args=("target", "threats_target"),
        placeholder="Choose an asset, e.g. KA-SAT network",
    )
    if not target:
        return
    rows = data(threats_to, target)
    if not rows:
        st.info(f"Nothing in the graph threatens or targeted {targets.get(target, target)}.")
        return
    table(
        rows,
        ["threatLabel", "threatType", "dateText", "relationLabel", "actorLabel", "actorRole"],
        "threats_to_target",
        links={"threatLabel": "threat", "actorLabel": "actor"},
        threatType=st.column_config.TextColumn("kind of threat"),
        actorRole=st.column_config.TextColumn("how the actor is behind it"),
        actorLabel=st.column_config.LinkColumn("actor", display_text=LINK_TEXT),
    )
    seen: set[str] = set()
    for n, row in enumerate(rows):
        if row["threat"] in seen:
            continue
        seen.add(str(row["threat"]))
        behind = [
            f"{r['actorLabel']} ({r['actorRole']})"
            for r in rows
            if r["threat"] == row["threat"] and r["actor"]
        ]
        st.markdown(
            f"**{md_escape(row['threatLabel'])}** {md_escape(row['relationLabel'])} it"
            + (f" · {md_escape(row['dateText'])}" if row["dateText"] else "")
            + (f" · behind it: {md_escape('; '.join(behind))}" if behind else "")
        )
        link(str(row["threat"]), str(row["threatLabel"]), "open")
        threat_sources(row, f"threats_to_target_sources_{n}")


def page() -> None:
    st.title("Threats")
    st.caption(LEGEND)
    target_section()

    st.subheader("Capability types and hazards")
    overview_rows = data(capability_overview)
    table(
        overview_rows,
        ["label", "type", "heldBy", "threatens"],
        "threats_table",
        links={"label": "capability"},
        label=st.column_config.LinkColumn("capability", display_text=LINK_TEXT),
    )
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
                links={"actorLabel": "actor"},
                evidence=st.column_config.NumberColumn("evidence sentences"),
                sources=st.column_config.NumberColumn("source documents"),
            )
            for row in detail["holders"][:MAX_LINKS]:
                link(row["actor"], row["actorLabel"])
        with right:
            st.markdown("**What it threatens**")
            table(
                detail["threatens"],
                ["otherLabel", "evidence", "source"],
                "threats_targets",
                links={"otherLabel": "other"},
                otherLabel=st.column_config.LinkColumn("threatened", display_text=LINK_TEXT),
                evidence=st.column_config.NumberColumn("evidence sentences"),
            )
            for row in detail["threatens"][:MAX_LINKS]:
                link(row["other"], row["otherLabel"])

    st.subheader("ASAT tests and attacks")
    found = data(incident_page, page_number("threats_events_page"))
    events = found.rows
    timeline_chart(
        events,
        "type",
        "type",
        ["label", "dateText", "conductedBy", "attributedTo", "targets"],
        "threats_timeline",
    )
    table(
        events,
        ["dateText", "label", "type", "conductedBy", "attributedTo", "targets", "sources"],
        "threats_events",
        links={"label": "event"},
        lists=EVENT_LISTS,
        label=st.column_config.LinkColumn("event", display_text=LINK_TEXT),
        sources=st.column_config.NumberColumn("reporting documents"),
    )
    for row in events[:MAX_LINKS]:
        link(row["event"], row["label"], row["dateText"])
    pager(found, "ASAT tests and attacks", "threats_events_page")
