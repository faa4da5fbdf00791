"""The Add document page: paste or upload a text, preview what it adds, commit or discard; remove."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from app_pages.common import data, highlight, settings, store
from app_pages.draw import link, table
from ingest.config import Settings
from ingest.errors import InputError, SpacekgError
from ingest.explore.add import (
    DOCUMENT_KINDS,
    check_metadata,
    document_choices,
    preview_entities,
    preview_facts,
)
from ingest.explore.terms import md_escape

if TYPE_CHECKING:
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    from ingest.load import SourceText
    from ingest.pipeline import PreparedDocument


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
        st.session_state.pop("add_committed", None)
        st.session_state.pop("add_prepared", None)
        with st.status("Reading the document…", expanded=True) as status:
            try:
                source = load_source(mode, upload, config)
                status.write("Recognising entities and relations, checking the shapes…")
                from ingest.pipeline import prepare

                bar = st.progress(0.0)

                def on_chunk(done: int, total: int) -> None:
                    bar.progress(done / total, text=f"part {done} of {total}")

                one_process = replace(config, processes=1)  # no forks from the server
                st.session_state["add_prepared"] = prepare(
                    [source], store(), one_process, on_chunk
                )[0]
                status.update(
                    label="Preview ready: nothing is written until you commit", state="complete"
                )
            except SpacekgError as exc:
                status.update(label="Cannot preview this document", state="error")
                st.error(str(exc))

    committed = st.session_state.get("add_committed")
    if committed:
        st.success(f"Added to the graph: {md_escape(committed[1])}")
        link(committed[0], committed[1], "open the document")

    prepared = st.session_state.get("add_prepared")
    if prepared is not None:
        preview(prepared)

    st.divider()
    st.subheader("Remove a document")
    docs = data(document_choices)
    names = {d["docid"]: f"{d['date']} · {d['title']} ({d['docid']})" for d in docs}
    chosen = st.selectbox(
        "Document", list(names), index=None, format_func=lambda d: names[d], key="remove_doc"
    )
    if st.button("Remove", key="remove_button", disabled=chosen is None) and chosen:
        from ingest.pipeline import remove_document

        removed = remove_document(store(), chosen)
        st.session_state["remove_done"] = [r.title for r in removed]
        st.rerun()
    done = st.session_state.pop("remove_done", None)
    if done:
        st.success("Removed: " + "; ".join(md_escape(t) for t in done))


def load_source(mode: str, upload: UploadedFile | None, config: Settings) -> SourceText:
    """The pasted text with its metadata fields, or the uploaded file, as a SourceText."""
    from ingest.load import load_file, load_text

    if mode == "Upload a file":
        if upload is None:
            raise InputError("no file chosen", "Add document", "choose a file to upload")
        # load_file reads by suffix (PDF, HTML, Markdown front matter), so keep the file's name.
        folder = Path(tempfile.mkdtemp(prefix="spacekg-upload-"))
        path = folder / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        return load_file(path, max_bytes=config.max_file_bytes)
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


def preview(prepared: PreparedDocument) -> None:
    source = prepared.source
    st.subheader(f"Preview: {md_escape(source.title)}")
    st.caption(
        f"document id {source.docid}"
        + (f" · replaces {len(prepared.replaces)} older version(s)" if prepared.replaces else "")
    )
    markup, _ = highlight(source.text)
    st.html(markup)  # displaCy output: the document text is escaped by displaCy
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
