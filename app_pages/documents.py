"""A document's page (under Doctrine): its metadata, its text with entities, its facts."""

from __future__ import annotations

import streamlit as st

from app_pages.common import ROUTES, data, highlight
from app_pages.draw import LEGEND, table
from ingest.explore.documents import document_view
from ingest.explore.terms import curie, md_escape


def detail(iri: str) -> None:
    st.page_link(ROUTES["doctrine"], label="← all documents")
    view = data(document_view, iri)
    st.title(md_escape(view.title))
    st.caption(md_escape(curie(iri)))
    meta = [{"field": k, "value": v} for k, v in view.metadata.items()]
    table(meta, ["field", "value"], "document_metadata")
    st.subheader("Text with recognised entities")
    if view.text_note:
        st.caption(md_escape(view.text_note))
    text = view.text or "\n\n".join(sentence for _, sentence in view.sentences)
    if text:
        markup, _ = highlight(text)
        st.html(markup)  # displaCy output: the document text is escaped by displaCy
    st.subheader("Facts drawn from it")
    st.caption(LEGEND)
    if view.metadata.get("document id"):
        table(
            view.facts,
            ["subjectLabel", "property", "objectLabel", "confidence", "source", "sentence"],
            "document_facts",
            confidence=st.column_config.NumberColumn(format="%.2f"),
        )
    else:
        table(view.facts, ["direction", "propertyLabel", "otherLabel", "source"], "document_facts")
