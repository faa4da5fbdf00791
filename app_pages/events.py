"""The Events page: every test, attack, launch, summit... and one event's page with its sources."""

from __future__ import annotations

import streamlit as st

from app_pages.common import ROUTES, data, open_from_select, selected
from app_pages.draw import (
    LEGEND,
    LINK_TEXT,
    evidence_list,
    link,
    page_number,
    pager,
    source_links,
    table,
    timeline_chart,
)
from ingest.explore.events import (
    EVENT_LISTS,
    EventDetail,
    event_detail,
    event_page,
    event_timeline,
)
from ingest.explore.origins import badge_md
from ingest.explore.results import Row
from ingest.explore.terms import curie, fallback_label, md_escape


def page() -> None:
    entity = selected("entity")
    if entity:
        detail(entity)
        return
    st.title("Events")
    st.caption("ASAT tests, attacks, launches, summits and decisions, newest first.")
    # the filter and the page are read first: only the page's events are fetched
    chosen_types = tuple(st.session_state.get("events_types") or ())
    found = data(event_page, page_number("events_page"), None, chosen_types)
    st.multiselect("Types", found.types, key="events_types", placeholder="All types")
    shown = found.rows
    timeline_chart(shown, "type", "type", ["label", "dateText", "responsible"], "events_timeline")
    table(
        shown,
        ["dateText", "label", "type", "responsible", "targets", "reactions", "sources"],
        "events_table",
        links={"label": "event"},
        lists=EVENT_LISTS,
        label=st.column_config.LinkColumn("event", display_text=LINK_TEXT),
        reactions=st.column_config.NumberColumn("reactions", help="condemnations recorded"),
        sources=st.column_config.NumberColumn("curated sources"),
    )
    names = {r["event"]: f"{r['dateText'] or 'undated'} · {r['label']}" for r in shown}
    st.selectbox(
        "Open an event",
        list(names),
        index=None,
        format_func=lambda i: names[i],
        key="events_open",
        on_change=open_from_select,
        args=("entity", "events_open"),
    )
    pager(found, "Events", "events_page")


def _entities(title: str, rows: list[Row]) -> None:
    if not rows:
        return
    st.markdown(f"**{md_escape(title)}**")
    for row in rows:
        link(str(row["entity"]), str(row["label"]), str(row["source"]))


def reaction_sources(reaction: Row, key: str) -> None:
    """Where a reaction is stated: its evidence sentences with their documents.

    Its own function so the shared evidence component can replace it in one place.
    """
    evidence = reaction.get("evidence") or []
    if evidence:
        evidence_list(list(evidence), key)  # type: ignore[arg-type]
    elif "curated" in (reaction.get("origins") or []):
        st.caption("Curated reference fact: the reference data cites its source (below).")


def detail(iri: str) -> None:
    event: EventDetail | None = data(event_detail, iri)
    st.page_link(ROUTES["events"], label="← all events")
    if event is None:
        st.title(md_escape(fallback_label(iri)))
        st.info("The graph says nothing about this event.")
        return
    st.title(md_escape(event.label))
    st.caption(md_escape(f"{event.type} · {event.date or 'undated'} · {curie(iri)}"))
    st.caption(LEGEND)
    left, right = st.columns(2)
    with left:
        _entities("Conducted by", event.conducted_by)
        _entities("Held responsible (attributed to)", event.attributed_to)
        _entities("Target", event.targets)
        _entities("Threatens", event.threatens)
        _entities("Place", event.places)
    with right:
        st.markdown("**Reactions**")
        if not event.reactions:
            st.caption("No condemnation or other reaction recorded.")
        for n, reaction in enumerate(event.reactions):
            st.markdown(
                f"{md_escape(reaction['label'])} **{md_escape(reaction['reaction'])}** it"
                f" · {md_escape(reaction['date'] or 'date unknown')} {badge_md(reaction['origins'])}"
            )
            link(str(reaction["entity"]), str(reaction["label"]), "open")
            reaction_sources(reaction, f"event_reaction_{n}")

    st.subheader("Sources")
    if event.sources:
        st.markdown("**Curated sources** (cited by the reference data)")
        source_links(event.sources, "event_sources")
    if event.reported_in:
        st.markdown("**Reported in** (ingested documents with evidence about it)")
        with st.container(key="event_reports"):
            for doc in event.reported_in:
                link(str(doc["document"]), str(doc["title"]), str(doc["date"]))
    if not event.sources and not event.reported_in:
        st.caption("No source recorded for this event.")

    st.subheader("Timeline")
    timeline_chart(
        event_timeline(event), "kind", "kind", ["label", "dateText"], "event_timeline_chart"
    )
