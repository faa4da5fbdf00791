"""The Actors page: actors filtered by type and membership, and one actor's page."""

from __future__ import annotations

import streamlit as st

from app_pages.common import ROUTES, data, open_from_select, selected
from app_pages.draw import (
    GRAPH_LEGEND,
    LEGEND,
    MAX_LINKS,
    link,
    table,
    timeline_chart,
)
from app_pages.evidence import evidence_view, fact_evidence_block, review_outcome, reviewer_field
from app_pages.graph_view import neighbourhood_view
from ingest.explore.actors import (
    actor_timeline,
    actors,
    entity_facts,
    organisations,
)
from ingest.explore.entities import ACTOR_TYPES, entity_card
from ingest.explore.evidence import fact_evidence, review_facts_about
from ingest.explore.origins import badge_md
from ingest.explore.terms import curie, fallback_label, local_name, md_escape, type_words


def page() -> None:
    entity = selected("entity")
    if entity:
        detail(entity)
        return
    st.title("Actors")
    orgs = data(organisations)
    col1, col2 = st.columns(2)
    actor_type = col1.selectbox(
        "Type",
        [None, *ACTOR_TYPES],
        format_func=lambda t: "All actors" if t is None else type_words(t),
        key="actors_type",
    )
    org_names = {e.iri: e.label for e in orgs}
    member_of = col2.selectbox(
        "Member of",
        [None, *org_names],
        format_func=lambda i: "Any alliance or organisation" if i is None else org_names[i],
        key="actors_member_of",
    )
    found = data(actors, actor_type, member_of)
    st.caption(f"{len(found)} actors")
    table(
        [{"label": e.label, "type": e.type_label, "IRI": e.curie} for e in found],
        ["label", "type", "IRI"],
        "actors_table",
    )
    labels = {e.iri: f"{e.label} ({e.type_label})" for e in found}
    st.selectbox(
        "Open an actor's page",
        list(labels),
        index=None,
        format_func=lambda i: labels[i],
        key="actors_open",
        on_change=open_from_select,
        args=("entity", "actors_open"),
    )


def detail(iri: str) -> None:
    entity = data(entity_card, iri)
    st.page_link(ROUTES["actors"], label="← all actors")
    st.title(md_escape(entity.label if entity else fallback_label(iri)))
    st.caption(md_escape(f"{entity.type_label if entity else 'individual'} · {curie(iri)}"))
    facts = data(entity_facts, iri)
    if not facts:
        st.info("No facts about this entity in the graph.")
        return
    st.caption(LEGEND)
    mentions = [f for f in facts if local_name(f["property"]) == "mentions"]
    facts = [f for f in facts if f not in mentions]
    for direction, title in (("out", "Facts about it"), ("in", "Facts pointing to it")):
        rows = [f for f in facts if f["direction"] == direction]
        if not rows:
            continue
        st.subheader(title)
        for n, fact in enumerate(rows):
            arrow = "→" if direction == "out" else "←"
            heading = (
                f"{md_escape(fact['propertyLabel'])} {arrow} "
                f"**{md_escape(fact['otherLabel'])}** {badge_md(fact['origins'])}"
                + (f" · {fact['evidence']} evidence" if fact["evidence"] else "")
            )
            with st.expander(heading, expanded=False):
                s, o = (iri, fact["other"]) if direction == "out" else (fact["other"], iri)
                fact_evidence_block(
                    s, fact["property"], o, f"actor_evidence_{direction}_{n}", fact["origins"]
                )
                link(fact["other"], fact["otherLabel"], "open")

    held = data(review_facts_about, iri)
    if held:
        st.subheader("Held for review")
        st.caption(
            "Extracted with low confidence: accept or reject each (your name is asked for "
            "in the sidebar)."
        )
        reviewer_field()
        review_outcome()
        for n, (s, p, o) in enumerate(held):
            found = data(fact_evidence, s, p, o, ["review"])
            with st.expander(
                f"{md_escape(found.predicate_label)} → **{md_escape(found.object_label)}** "
                f"{badge_md(['review'])}",
                expanded=False,
            ):
                evidence_view(found, f"actor_review_{n}")

    if mentions:
        with st.expander(f"Mentioned in {len(mentions)} document(s)", expanded=False):
            for fact in mentions[:MAX_LINKS]:
                link(fact["other"], fact["otherLabel"], fact["source"])

    st.subheader("Neighbourhood")
    neighbourhood_view(iri, entity.label if entity else "", "actor_graph")
    st.caption(GRAPH_LEGEND)

    st.subheader("Timeline")
    timeline = data(actor_timeline, iri)
    timeline_chart(
        timeline, "relation", "relation", ["label", "dateText", "relation"], "actor_timeline_chart"
    )
    table(timeline, ["dateText", "label", "relation", "source"], "actor_timeline_table")
