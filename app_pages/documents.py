"""A document's page (under Doctrine): its metadata, its text, its facts each with evidence.

A link from an evidence sentence carries `&start=…&end=…`: the sentence is highlighted in the
text and the page scrolls to it, so the link can be shared. A copy of a curated document
(`prov:alternateOf`) shows as one document with both sources.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from app_pages.common import ROUTES, data, highlight
from app_pages.draw import LEGEND, link, table
from app_pages.evidence import fact_evidence_block, review_outcome, reviewer_field
from ingest.explore.documents import DocumentView, document_view
from ingest.explore.highlight import SENTENCE_ANCHOR, sentence_html, sentence_span, text_html
from ingest.explore.origins import badge_md, origins_of
from ingest.explore.terms import curie, md_escape

MAX_FACTS = 60

# Streamlit renders the page after the script runs: retry until the marked sentence is there.
SCROLL_SCRIPT = f"""<script>
let tries = 0;
const timer = setInterval(() => {{
  const mark = window.parent.document.getElementById("{SENTENCE_ANCHOR}");
  if (mark) {{ mark.scrollIntoView({{block: "center"}}); clearInterval(timer); }}
  if (++tries > 50) clearInterval(timer);
}}, 100);
</script>"""


def detail(iri: str) -> None:
    st.page_link(ROUTES["doctrine"], label="← all documents")
    view = data(document_view, iri)
    st.title(md_escape(view.title))
    st.caption(md_escape(curie(iri)))
    meta = [{"field": k, "value": v} for k, v in view.metadata.items()]
    table(meta, ["field", "value"], "document_metadata")
    sources(view)
    text_section(view)
    facts_section(view)


def sources(view: DocumentView) -> None:
    """One document, two sources: the curated record and the ingested copy."""
    if not view.curated:
        return
    with st.container(key="document_sources", border=True):
        st.markdown("**One document, two sources**")
        if view.curated != view.iri:
            st.markdown(
                f"{badge_md(['asserted'])} this ingested text is a copy of the curated document:"
            )
            link(view.curated, view.curated_title or view.curated, "curated record")
        else:
            st.markdown(f"{badge_md(['curated'])} curated record in the reference data")
        if view.curated_note:
            st.caption(md_escape(view.curated_note))
        for url in view.curated_sources:
            st.markdown(f"Source: [{md_escape(url)}]({url})")
        for copy, title in view.copies:
            link(copy, title, "ingested copy (full text)")


def text_section(view: DocumentView) -> None:
    st.subheader("Text")
    if view.text_note:
        st.caption(md_escape(view.text_note))
    span = (
        sentence_span(view.text, st.query_params.get("start"), st.query_params.get("end"))
        if view.text and "start" in st.query_params
        else None
    )
    if view.text and span:
        st.caption("The linked sentence is highlighted.")
        # a long text scrolls in its own box (to the sentence); a short one is shown whole
        with st.container(key="document_text", height=500 if len(view.text) > 2500 else "content"):
            st.html(sentence_html(view.text, *span))  # every part of the text escaped
        components.html(SCROLL_SCRIPT, height=0)
        entities(view.text)
        return
    if "start" in st.query_params and view.text:
        st.caption("The linked sentence is not in this text (it may have changed).")
    text = view.text or "\n\n".join(sentence for _, sentence in view.sentences)
    if text:
        with st.container(key="document_text", height=500 if len(text) > 2500 else "content"):
            st.html(text_html(text))  # escaped
        entities(text)


def entities(text: str) -> None:
    """The recognised entities, on request only: loading the language model took ~3 s of a
    document's first visit (at 1M triples, 4.5 s in all), for markup most visits never read."""
    if st.toggle("Show recognised entities", value=False, key="document_entities"):
        markup, _ = highlight(text)
        st.html(markup)  # displaCy output: the document text is escaped by displaCy


def facts_section(view: DocumentView) -> None:
    st.subheader("Facts drawn from it")
    st.caption(LEGEND)
    ingested = bool(view.metadata.get("document id"))
    if ingested:
        reviewer_field()
        review_outcome()
        facts = [f for f in view.facts if f["property"] != "mentions"]
        for n, fact in enumerate(facts[:MAX_FACTS]):
            heading = (
                f"{md_escape(fact['subjectLabel'])} · {md_escape(fact['property'])} · "
                f"**{md_escape(fact['objectLabel'])}** "
                f"{badge_md(origins_of('', fact['status']))}"
            )
            with st.expander(heading, expanded=False):
                fact_evidence_block(
                    str(fact["subject"]),
                    str(fact["predicate"]),
                    str(fact["object"]),
                    f"document_fact_{n}",
                )
                link(str(fact["subject"]), str(fact["subjectLabel"]), "open")
                link(str(fact["object"]), str(fact["objectLabel"]), "open")
        if len(facts) > MAX_FACTS:
            st.caption(f"{len(facts) - MAX_FACTS} more facts not shown.")
        mentions = [f for f in view.facts if f["property"] == "mentions"]
        if mentions:
            with st.expander(f"Mentions {len(mentions)} entities", expanded=False):
                for fact in mentions:
                    link(str(fact["object"]), str(fact["objectLabel"]), str(fact["source"]))
        table(
            view.facts,
            ["subjectLabel", "property", "objectLabel", "confidence", "source", "sentence"],
            "document_facts",
            confidence=st.column_config.NumberColumn(format="%.2f"),
        )
    else:
        for n, fact in enumerate(view.facts[:MAX_FACTS]):
            out = fact["direction"] == "out"
            s, o = (view.iri, fact["other"]) if out else (fact["other"], view.iri)
            heading = (
                f"{md_escape(fact['propertyLabel'])} {'→' if out else '←'} "
                f"**{md_escape(fact['otherLabel'])}** {badge_md(fact['origins'])}"
            )
            with st.expander(heading, expanded=False):
                fact_evidence_block(
                    str(s), str(fact["property"]), str(o), f"document_fact_{n}", fact["origins"]
                )
                link(str(fact["other"]), str(fact["otherLabel"]), "open")
        table(view.facts, ["direction", "propertyLabel", "otherLabel", "source"], "document_facts")
