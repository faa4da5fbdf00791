"""The Doctrine page: documents over time, doctrine concepts over time and where each was first declared."""

from __future__ import annotations

import streamlit as st

from app_pages.common import data, open_from_select, selected
from app_pages.documents import detail as document_detail
from app_pages.draw import LINK_TEXT, link, source_links, table, timeline_chart
from ingest.config import ID_NS
from ingest.explore.doctrine import concepts, concepts_over_time, doctrine_documents, first_declared
from ingest.explore.origins import badge_md
from ingest.explore.results import Row
from ingest.explore.terms import local_name, md_escape

# What the Doctrine page opens with: when space became an operational domain, and Article 5.
DEFAULT_CONCEPTS = (
    ID_NS + "concept/operational-domain",
    ID_NS + "concept/collective-defence",
)


def page() -> None:
    doc = selected("doc")
    if doc:
        document_detail(doc)
        return
    st.title("Doctrine")
    documents = data(doctrine_documents)
    st.subheader("Documents over time")
    timeline_chart(
        documents,
        "kind",
        "origin",
        ["title", "dateText", "publishers", "declares"],
        "doctrine_timeline",
        label="title",
    )
    table(
        documents,
        ["dateText", "title", "kind", "publishers", "declares"],
        "doctrine_table",
        links={"title": "document"},
        title=st.column_config.LinkColumn("document", display_text=LINK_TEXT),
        publishers=st.column_config.TextColumn("published by"),
    )
    names = {r["document"]: f"{r['dateText']} · {r['title']}" for r in documents}
    st.selectbox(
        "Open a document",
        list(names),
        index=None,
        format_func=lambda i: names[i],
        key="doctrine_open",
        on_change=open_from_select,
        args=("doc", "doctrine_open"),
    )

    st.subheader("Doctrine concepts over time")
    concept_list = data(concepts)
    labels = {c.iri: c.label for c in concept_list}
    chosen = selected("concept")
    options = list(labels)
    defaults = [c for c in DEFAULT_CONCEPTS if c in labels]
    picked = st.multiselect(
        "Concepts",
        options,
        default=[chosen] if chosen in labels else defaults,
        format_func=lambda i: labels[i],
        key="doctrine_concepts",
    )
    for concept in picked:
        first = data(first_declared, concept)
        if first:
            st.markdown(
                f"**{md_escape(labels[concept])}**: first declared in "
                f"**{md_escape(first['title'])}** on {md_escape(first['dateText'])}"
                f" {badge_md(first['origins'])}"
            )
            link(str(first["document"]), str(first["title"]), str(first["dateText"]))
            concept_sources(first, f"doctrine_first_{local_name(concept)}")
    if picked:
        rows = data(concepts_over_time, tuple(picked))
        timeline_chart(
            rows,
            "conceptLabel",
            "relation",
            ["title", "dateText", "relation", "conceptLabel"],
            "doctrine_concept_chart",
            label="title",
        )
        table(
            rows,
            ["dateText", "title", "conceptLabel", "relation", "source"],
            "doctrine_concept_table",
            links={"title": "document"},
            title=st.column_config.LinkColumn("document", display_text=LINK_TEXT),
            conceptLabel=st.column_config.TextColumn("concept"),
        )


def concept_sources(row: Row, key: str) -> None:
    """Where a document's statement of a concept comes from: its curated sources (swap in the
    shared evidence component here once it exists)."""
    urls = [str(u) for u in row.get("curatedSources") or []]
    if urls:
        source_links(urls, key)
    elif row.get("document"):
        st.caption("An ingested document: open it for its text and evidence.")
