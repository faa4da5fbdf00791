"""The Doctrine page: documents over time and a doctrine concept across documents."""

from __future__ import annotations

import streamlit as st

from app_pages.common import data, open_from_select, selected
from app_pages.documents import detail as document_detail
from app_pages.draw import table, timeline_chart
from ingest.explore.doctrine import concept_documents, concepts, doctrine_documents


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
    )
    table(documents, ["dateText", "title", "kind", "publishers", "declares"], "doctrine_table")
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

    st.subheader("A concept across documents")
    concept_list = data(concepts)
    labels = {c.iri: c.label for c in concept_list}
    chosen = selected("concept")
    options = list(labels)
    concept = st.selectbox(
        "Concept",
        options,
        index=options.index(chosen) if chosen in options else (0 if options else None),
        format_func=lambda i: labels[i],
        key="doctrine_concept",
        on_change=open_from_select,
        args=("concept", "doctrine_concept"),
    )
    if concept:
        rows = data(concept_documents, concept)
        timeline_chart(
            rows, "relation", "relation", ["title", "dateText"], "doctrine_concept_chart"
        )
        table(rows, ["dateText", "title", "relation", "source"], "doctrine_concept_table")
