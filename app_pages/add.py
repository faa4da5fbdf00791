"""The Add document page: paste or upload a text, preview what it adds, commit or discard; remove.

Pasted and uploaded text stays in memory (uploads are read from their bytes, no temp file). The
preview's spaCy run goes to a worker process (`ingest.preview`), so a long text does not hold
the server's GIL while other sessions load their pages; the page shows its chunks meanwhile.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import streamlit as st

from app_pages.common import data, settings, store
from app_pages.draw import link, table
from ingest.config import Settings
from ingest.errors import InputError, SpacekgError
from ingest.explore.add import (
    DOCUMENT_KINDS,
    already_in_graph,
    check_metadata,
    document_choices,
    mention_html,
    only_mentions,
    preview_entities,
    preview_facts,
    removal_summary,
)
from ingest.explore.terms import md_escape

if TYPE_CHECKING:
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    from ingest.load import SourceText
    from ingest.pipeline import PreparedDocument

POLL_S = 0.25


def page() -> None:
    st.title("Add a document")
    config = settings()
    mode = st.radio("Source", ["Paste text", "Upload a file"], horizontal=True, key="add_mode")
    upload = None
    if mode == "Paste text":
        st.text_area("Document text", height=200, key="add_text")
        col1, col2 = st.columns(2)
        col1.text_input("Title", key="add_title")
        col2.text_input("Publisher", key="add_publisher")
        col1.text_input("Date (YYYY, YYYY-MM or YYYY-MM-DD)", key="add_date")
        col2.text_input("URL", key="add_url")
        col1.selectbox("Kind", DOCUMENT_KINDS, key="add_kind")
    else:
        upload = st.file_uploader(
            "File (Markdown with front matter, text, HTML or PDF)",
            type=["md", "txt", "html", "htm", "pdf"],
            key="add_file",
        )
    if st.button("Preview", key="add_preview", type="primary"):
        for name in ("add_committed", "add_prepared", "add_known"):
            st.session_state.pop(name, None)
        try:
            source = load_source(mode, upload, config)
            known = already_in_graph(store(), source.docid)
            if known:
                st.session_state["add_known"] = known
            else:
                st.session_state["add_prepared"] = run_preview(source, config)
        except SpacekgError as exc:
            # Inline, naming what the user gave (their file's name, or "pasted text").
            st.error(f"Cannot preview this document. {named(exc, upload)}")

    known = st.session_state.get("add_known")
    if known:
        st.info(
            f"Already in the graph: {md_escape(known['title'])} (the same text, document id "
            f"{known['docid']}). Nothing to add; edit the text to add a new version."
        )
        link(str(known["document"]), str(known["title"]), "open the document")

    committed = st.session_state.get("add_committed")
    if committed:
        st.success(f"Added to the graph: {md_escape(committed[1])}")
        link(committed[0], committed[1], "open the document")

    prepared = st.session_state.get("add_prepared")
    if prepared is not None:
        preview(prepared)

    st.divider()
    remove_section()


def named(exc: SpacekgError, upload: UploadedFile | None) -> str:
    """The error's message, starting with the uploaded file's name when it does not say it."""
    message = str(exc)
    if upload is not None and upload.name not in message:
        return f"{upload.name}: {message}"
    return message


def load_source(mode: str, upload: UploadedFile | None, config: Settings) -> SourceText:
    """The pasted text with its metadata fields, or the uploaded file, as a SourceText.

    Both are read in memory: an upload is read from its bytes by its name's suffix.
    """
    from ingest.load import load_bytes, load_text

    if mode == "Upload a file":
        if upload is None:
            raise InputError("no file chosen", "Add document", "choose a file to upload")
        return load_bytes(upload.getvalue(), filename=upload.name, max_bytes=config.max_file_bytes)
    get = st.session_state.get
    metadata = {
        "title": get("add_title", "").strip(),
        "publisher": get("add_publisher", "").strip(),
        "date": get("add_date", "").strip(),
        "url": get("add_url", "").strip(),
        "kind": get("add_kind", ""),
    }
    check_metadata(metadata["date"], metadata["url"])
    return load_text(
        get("add_text", ""),
        **{k: v for k, v in metadata.items() if v},
        max_bytes=config.max_file_bytes,
    )


def run_preview(source: SourceText, config: Settings) -> PreparedDocument:
    """Extraction in the worker process (progress by chunk), then graph and shapes here."""
    from ingest.pipeline import prepare
    from ingest.preview import start_extraction

    bar = st.progress(0.0, text="Starting the language worker…")
    job = start_extraction([source])
    while not job.done():
        done, total = job.progress()
        if total:
            bar.progress(
                done / total, text=f"Recognising entities and relations: part {done} of {total}"
            )
        time.sleep(POLL_S)  # sleeping releases the GIL: other sessions run meanwhile
    extractions = job.result()
    bar.progress(1.0, text="Building the document graph and checking the shapes…")
    prepared = prepare([source], store(), config, extractions=extractions)[0]
    bar.empty()
    return prepared


def preview(prepared: PreparedDocument) -> None:
    source = prepared.source
    st.subheader(f"Preview: {md_escape(source.title)}")
    st.caption(
        f"document id {source.docid} · nothing is written until you commit"
        + (f" · replaces {len(prepared.replaces)} older version(s)" if prepared.replaces else "")
    )
    note = only_mentions(prepared)
    if note:
        st.warning(
            "Only mentions: no fact between the document's entities was found, so committing "
            "adds only that the document names them. Check the text is prose (not a table or "
            "a list), or add a text that states what happened."
        )
    st.html(mention_html(prepared))  # displaCy output: the document text is escaped
    facts = preview_facts(prepared)
    st.markdown(f"**Proposed facts** ({len(facts)})")
    table(
        facts,
        ["subject", "property", "object", "confidence", "source", "sentence"],
        "add_facts",
        confidence=st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
    )
    entities = preview_entities(prepared)
    with st.expander(f"Entities ({len(entities)})", expanded=False):
        new = sum(1 for e in entities if e["new"])
        st.caption(f"{new} new to the graph (minted from this text), the rest already known.")
        table(
            entities,
            ["label", "kind", "new", "entity"],
            "add_entities",
            new=st.column_config.CheckboxColumn("new to the graph"),
        )
    if prepared.violations:
        st.warning(f"{prepared.rejected} fact(s) violate the shapes and will not be written:")
        for line in prepared.violations:
            st.text(line)
    col1, col2 = st.columns(2)
    if col1.button("Commit", key="add_commit", type="primary"):
        from ingest.iri import source_iri
        from ingest.pipeline import commit

        progress = st.progress(0.1, text="Writing the document graph…")
        commit(store(), prepared)
        progress.progress(1.0, text="Written")
        st.session_state["add_committed"] = (str(source_iri(source.docid)), source.title)
        st.session_state.pop("add_prepared", None)
        st.rerun()
    if col2.button("Discard", key="add_discard"):
        st.session_state.pop("add_prepared", None)
        st.rerun()


def remove_section() -> None:
    """Remove a document, after a confirmation that says what goes."""
    st.subheader("Remove a document")
    docs = data(document_choices)
    names = {d["docid"]: f"{d['date']} · {d['title']} ({d['docid']})" for d in docs}
    chosen = st.selectbox(
        "Document", list(names), index=None, format_func=lambda d: names[d], key="remove_doc"
    )
    if st.button("Remove…", key="remove_button", disabled=chosen is None) and chosen:
        st.session_state["remove_pending"] = chosen
    pending = st.session_state.get("remove_pending")
    if pending and pending != chosen:
        st.session_state.pop("remove_pending", None)  # the choice changed: ask again
    elif pending:
        what = data(removal_summary, pending) or {
            "title": names.get(pending, pending),
            "date": "",
            "facts": 0,
            "review": 0,
        }
        with st.container(border=True, key="remove_confirmation"):
            st.warning(
                f"Remove **{md_escape(what['title'])}** ({md_escape(what['date'] or 'no date')}, "
                f"document id {pending})? This deletes its document graph: {what['facts']} "
                f"fact(s), {what['review']} held for review, their evidence and its text. "
                "Curated reference data stays. To undo, add the same text again."
            )
            col1, col2 = st.columns(2)
            if col1.button("Yes, remove it", key="remove_confirm", type="primary"):
                from ingest.pipeline import remove_document

                removed = remove_document(store(), pending)
                st.session_state.pop("remove_pending", None)
                st.session_state["remove_done"] = [r.title for r in removed]
                st.rerun()
            if col2.button("Cancel", key="remove_cancel"):
                st.session_state.pop("remove_pending", None)
                st.rerun()
    done = st.session_state.pop("remove_done", None)
    if done:
        st.success("Removed: " + "; ".join(md_escape(t) for t in done))
