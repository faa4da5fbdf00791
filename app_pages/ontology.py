"""The Ontology page: the ontology and SHACL shapes documentation that `make docs` writes.

The pages are rendered from the hand-edited Turtle files only (`ingest.ontology_docs`), never
from ingested documents, so they may run in a components iframe. They are cached per file
digest: an edited ontology is re-rendered on the next visit.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from ingest.config import ONTOLOGY_FILE, SHAPES_FILE
from ingest.ontology import file_digest
from ingest.ontology_docs import ontology_html, shapes_html

HEIGHT = 900


@st.cache_data(show_spinner="Rendering the ontology documentation…", max_entries=2)
def _pages(ontology_digest: str, shapes_digest: str) -> tuple[str, str]:
    """(ontology page, shapes page) for these versions of the two files."""
    return ontology_html(ONTOLOGY_FILE), shapes_html(SHAPES_FILE)


def page() -> None:
    st.title("Ontology")
    st.caption(
        "Classes, properties and the SHACL shapes every graph meets, read from "
        "`ontology/spacekg.ttl` and `ontology/shapes.ttl` (pyLODE). `make docs` writes the "
        "same pages to `docs/ontology/`."
    )
    ontology, shapes = _pages(file_digest(ONTOLOGY_FILE), file_digest(SHAPES_FILE))
    terms, constraints = st.tabs(["Classes and properties", "SHACL shapes"])
    with terms:
        st.download_button(
            "Download the ontology page (HTML)",
            ontology,
            file_name="spacekg-ontology.html",
            mime="text/html",
            key="ontology_download",
        )
        components.html(ontology, height=HEIGHT, scrolling=True)
    with constraints:
        st.download_button(
            "Download the shapes page (HTML)",
            shapes,
            file_name="spacekg-shapes.html",
            mime="text/html",
            key="ontology_shapes_download",
        )
        components.html(shapes, height=HEIGHT, scrolling=True)
