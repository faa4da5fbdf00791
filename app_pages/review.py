"""The Review page: facts held for review (most confident first) to accept or reject, and the
recent decisions with who made them and when.

A decision is `ingest.review.decide`: an accepted fact is asserted in its own named graph with
the reviewer and time; a rejected one is left out of later ingests too.
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import data
from app_pages.draw import link, table
from app_pages.evidence import REVIEWER, review_buttons, review_outcome, reviewer_field
from app_pages.evidence import sentence_link as evidence_sentence_link
from ingest.explore.evidence import QueueItem, Sentence, recent_decisions, review_queue
from ingest.explore.terms import md_escape

QUEUE_LIMIT = 50


def page() -> None:
    st.title("Review")
    st.caption(
        "Facts the extractor found with low confidence wait here, with no plain fact in the "
        "graph. Accept one to assert it (with your name and the time), or reject it so that "
        "later ingests leave it out."
    )
    reviewer_field()
    if not st.session_state.get(REVIEWER):
        st.info("Enter your name as reviewer in the sidebar before you decide.")
    review_outcome()
    show_mentions = st.toggle(
        "Include mentions", value=False, key="review_mentions", help="document mentions entity"
    )
    queue = [
        item
        for item in data(review_queue, 1000)
        if show_mentions or not item.predicate.endswith("#mentions")
    ]
    st.subheader(f"Waiting for review ({len(queue)})")
    if not queue:
        st.caption("Nothing is waiting for review.")
    for n, item in enumerate(queue[:QUEUE_LIMIT]):
        queue_item(item, f"review_item_{n}")
    if len(queue) > QUEUE_LIMIT:
        st.caption(f"{len(queue) - QUEUE_LIMIT} more; decide on these first.")

    st.subheader("Recent decisions")
    rows = data(recent_decisions)
    table(
        [
            {
                "time": d.time,
                "verdict": d.verdict,
                "reviewer": d.reviewer,
                "subject": d.subject_label,
                "relation": d.predicate_label,
                "object": d.object_label,
            }
            for d in rows
        ],
        ["time", "verdict", "reviewer", "subject", "relation", "object"],
        "review_decisions",
    )


def queue_item(item: QueueItem, key: str) -> None:
    what = f"{item.subject_label} {item.predicate_label} {item.object_label}"
    with st.container(key=key, border=True):
        st.markdown(
            f"**{md_escape(item.subject_label)}** *{md_escape(item.predicate_label)}* "
            f"**{md_escape(item.object_label)}** · confidence {item.confidence:.2f}"
        )
        st.markdown(f"“{md_escape(item.sentence)}”")
        evidence_sentence_link(
            Sentence(
                evidence=item.evidence,
                text=item.sentence,
                document=item.document,
                title=item.title,
                date="",
                confidence=item.confidence,
                status="review",
                start=item.start,
                end=item.end,
            )
        )
        col1, col2 = st.columns(2)
        with col1:
            link(item.subject, item.subject_label)
        with col2:
            if item.object.startswith(("http://", "https://")):
                link(item.object, item.object_label)
        review_buttons(item.evidence, key, what)
