"""Where a fact comes from, drawn the same way on every page: one component for any fact.

The data is `ingest.explore.evidence.fact_evidence`; this module only draws it:
curated facts with their source links and note, asserted facts with their sentences (each a
shareable link to the document page with the sentence highlighted) and who accepted them,
inferred facts with the axiom and premises, review facts with Accept / Reject buttons.
Untrusted text (labels, titles, sentences) is escaped markdown, never HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from rdflib import URIRef

from app_pages.common import ROUTES, clear_views, data, store
from ingest.errors import SpacekgError
from ingest.explore.evidence import (
    FactEvidence,
    Premise,
    Sentence,
    fact_evidence,
    sentence_offsets,
)
from ingest.explore.origins import ORIGIN_BADGES, badge_md, origins_of
from ingest.explore.results import Row
from ingest.explore.terms import curie, md_escape
from ingest.iri import kind_of

REVIEWER = "reviewer"
"""Session key of the reviewer's name: kept across pages (the widget's own key is not)."""
REVIEWER_INPUT = "reviewer_input"
OUTCOME = "review_outcome"


def reviewer_field() -> None:
    """The reviewer's name, in the sidebar; draw it once per page that has review buttons."""
    if REVIEWER_INPUT not in st.session_state:
        st.session_state[REVIEWER_INPUT] = st.session_state.get(REVIEWER, "")
    st.sidebar.text_input(
        "Reviewer name",
        key=REVIEWER_INPUT,
        on_change=_keep_reviewer,
        help="Recorded with every Accept / Reject you make in this session.",
    )


def _keep_reviewer() -> None:
    st.session_state[REVIEWER] = st.session_state.get(REVIEWER_INPUT, "")


def review_outcome() -> None:
    """The result of the last Accept / Reject, shown once where the buttons were."""
    outcome = st.session_state.pop(OUTCOME, None)
    if outcome is None:
        return
    kind, message = outcome
    (st.success if kind == "success" else st.error)(message)


def _decide(evidence: str, verdict: str, what: str) -> None:
    """on_click of Accept / Reject: record the decision, then drop the cached view data."""
    from ingest.review import decide

    reviewer = str(st.session_state.get(REVIEWER_INPUT) or st.session_state.get(REVIEWER) or "")
    st.session_state[REVIEWER] = reviewer
    if not reviewer.strip():
        st.session_state[OUTCOME] = ("error", "Enter your name as reviewer in the sidebar first.")
        return
    try:
        decision = decide(store(), URIRef(evidence), verdict, reviewer)  # type: ignore[arg-type]
    except SpacekgError as exc:
        st.session_state[OUTCOME] = ("error", str(exc))
        return
    # the store version changed, so stale views would not be served; clearing frees them now
    clear_views()
    st.session_state[OUTCOME] = (
        "success",
        f"{decision.verdict.capitalize()} by {decision.reviewer} on {decision.time[:10]}: {what}",
    )


def sentence_link(sentence: Sentence, suffix: str = "") -> None:
    """A link to the document page with the sentence highlighted (the offsets in the URL)."""
    params = {"doc": curie(sentence.document)}
    if sentence.start is not None and sentence.end is not None:
        params.update(start=str(sentence.start), end=str(sentence.end))
    label = md_escape(sentence.title) + (f" · {md_escape(suffix)}" if suffix else "")
    st.page_link(ROUTES["doctrine"], label=label, query_params=params, icon=":material/article:")


def _meta(sentence: Sentence) -> str:
    parts = [sentence.date]
    if sentence.confidence is not None:
        parts.append(f"confidence {sentence.confidence:.2f}")
    return " · ".join(p for p in parts if p)


def entity_link(iri: str, label: str) -> None:
    from app_pages.draw import link

    if kind_of(iri):
        link(iri, label)
    else:
        st.caption(md_escape(label))


def review_buttons(evidence: str, key: str, what: str) -> None:
    """Accept / Reject for one fact held for review (the reviewer name is in the sidebar)."""
    col1, col2, _ = st.columns([1, 1, 4])
    col1.button(
        "Accept",
        key=f"{key}_accept",
        on_click=_decide,
        args=(evidence, "accepted", what),
        icon=":material/check:",
    )
    col2.button(
        "Reject",
        key=f"{key}_reject",
        on_click=_decide,
        args=(evidence, "rejected", what),
        icon=":material/close:",
    )


def evidence_view(found: FactEvidence, key: str) -> None:
    """Draw where one fact comes from (see the module docstring)."""
    what = f"{found.subject_label} {found.predicate_label} {found.object_label}"
    with st.container(key=key):
        if "curated" in found.origins:
            st.markdown(f"{ORIGIN_BADGES['curated']} reference data")
            if found.note:
                st.caption(md_escape(found.note))
            for url in found.sources:
                st.markdown(f"Source: [{md_escape(url)}]({url})")
            if not found.sources:
                st.caption("The reference data cites no source for this fact.")
        if found.sentences:
            st.markdown(f"{ORIGIN_BADGES['asserted']} stated in {len(found.sentences)} sentence(s)")
            for sentence in found.sentences:
                st.markdown(f"“{md_escape(sentence.text)}”")
                sentence_link(sentence, _meta(sentence))
        for acceptance in found.accepted:
            st.markdown(
                f"{ORIGIN_BADGES['asserted']} accepted by **{md_escape(acceptance.reviewer)}** "
                f"on {md_escape(acceptance.time[:10])}"
            )
        if "inferred" in found.origins:
            st.markdown(f"{ORIGIN_BADGES['inferred']} **Why is this here?**")
            if not found.reasons:
                st.caption("Inferred by the reasoner; no one-step explanation was found.")
            for reason in found.reasons:
                st.markdown(f"Because {md_escape(reason.axiom)}, and:")
                st.markdown("\n".join(premise_lines(reason.premises)))
        if found.review and not found.accepted:
            st.markdown(f"{ORIGIN_BADGES['review']} held for review")
            for n, sentence in enumerate(found.review):
                st.markdown(f"“{md_escape(sentence.text)}”")
                sentence_link(sentence, _meta(sentence))
                review_buttons(sentence.evidence, f"{key}_{n}", what)
        if not found.origins:
            st.caption("No source, sentence or explanation recorded for this fact.")


def evidence_rows(rows: Sequence[Row], key: str, limit: int = 20) -> None:
    """Evidence rows (`origins.evidence_for`) in full, each sentence a link to its document with
    the sentence highlighted (what `draw.evidence_list` shows)."""
    with st.container(key=key):
        for row in rows[:limit]:
            st.markdown(f"{badge_md(origins_of('', row['status']))} “{md_escape(row['sentence'])}”")
            confidence = row.get("confidence")
            document = str(row.get("document") or "")
            start, end = (
                data(sentence_offsets, document).get(str(row.get("evidence")), (None, None))
                if document
                else (None, None)
            )
            sentence = Sentence(
                evidence=str(row.get("evidence") or ""),
                text=str(row["sentence"]),
                document=document,
                title=str(row.get("title") or ""),
                date=str(row.get("date") or ""),
                confidence=float(confidence) if isinstance(confidence, int | float) else None,
                status=str(row.get("status") or ""),
                start=start,
                end=end,
            )
            if document:
                sentence_link(sentence, _meta(sentence))
            elif _meta(sentence):
                st.caption(md_escape(_meta(sentence)))
        if len(rows) > limit:
            st.caption(f"{len(rows) - limit} more evidence sentences not shown.")


def fact_evidence_block(
    subject: str, predicate: str, obj: str, key: str, origins: Sequence[str] | None = None
) -> None:
    """Where the fact (subject, predicate, obj) comes from, from the cached view data."""
    found = data(fact_evidence, subject, predicate, obj, list(origins) if origins else None)
    evidence_view(found, key)


def premise_lines(premises: Sequence[Premise], depth: int = 0) -> list[str]:
    """Markdown list lines: each premise, and under an inferred one the reason it holds."""
    indent = "    " * depth
    lines = []
    for premise in premises:
        lines.append(
            f"{indent}- {badge_md([premise.origin])} {md_escape(premise.subject_label)} "
            f"*{md_escape(premise.predicate_label)}* {md_escape(premise.object_label)}"
        )
        for reason in premise.because:
            lines.append(f"{indent}    - because {md_escape(reason.axiom)}, and:")
            lines.extend(premise_lines(reason.premises, depth + 2))
    return lines
