"""What every page shares: the store, the settings, the spaCy pipeline, cached view data, links.

The store and the spaCy pipeline are opened once per process (`st.cache_resource`); view data is
cached per store version (`st.cache_data`), so a page never re-reads the graph until it changes.
The selected entity or document lives in the URL (`st.query_params`), so links can be shared.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from ingest.config import Settings
from ingest.errors import InputError
from ingest.explore.highlight import entity_html
from ingest.explore.results import Row, warm_up_sparql_parser
from ingest.explore.terms import curie, parse_entity
from ingest.store import Store, open_store

if TYPE_CHECKING:
    from spacy.language import Language
    from streamlit.navigation.page import StreamlitPage

T = TypeVar("T")
ROUTES: dict[str, StreamlitPage] = {}
"""The app's pages by name, for links between them; app.py fills it on every run."""


def settings() -> Settings:
    return Settings.from_env()


def store_key() -> tuple[str, str]:
    """Which store this session uses: (endpoint, store dir), from the environment."""
    config = settings()
    return (config.endpoint or "", str(config.store_dir))


@st.cache_resource(show_spinner="Opening the graph store…")
def get_store(endpoint: str, store_dir: str) -> Store:
    """One store per process: Oxigraph holds a lock on its directory."""
    store = open_store(endpoint=endpoint) if endpoint else open_store(Path(store_dir))
    store.ensure_reference()
    # rdflib's SPARQL parser must make its first parse in one thread (STACK-NOTES).
    warm_up_sparql_parser()
    return store


def store() -> Store:
    return get_store(*store_key())


@st.cache_resource(show_spinner="Loading the language model…")
def get_nlp() -> Language:
    """The spaCy pipeline (model, ruler, linker), loaded once per process."""
    from ingest.nlp import build_pipeline

    return build_pipeline()


@st.cache_data(show_spinner=False, max_entries=1024)
def _view(
    _store: Store,
    _view_model: Callable[..., T],
    key: tuple[str, str],
    version: str,
    name: str,
    *args: object,
) -> T:
    """A view model from `ingest.explore`, cached per store, store version and its name."""
    return _view_model(_store, *args)


def clear_views() -> None:
    """Drop every cached view (after a write from the app; later versions would miss anyway)."""
    _view.clear()


def data(view_model: Callable[..., T], *args: object) -> T:
    """Cached `view_model(store, *args)` for the current store version."""
    current = store()
    name = f"{view_model.__module__}.{view_model.__qualname__}"
    return _view(current, view_model, store_key(), current.version(), name, *args)


@st.cache_data(show_spinner=False, max_entries=64)
def _highlight(_nlp: Language, text: str) -> tuple[str, list[Row]]:
    return entity_html(_nlp, text)


def highlight(text: str) -> tuple[str, list[Row]]:
    return _highlight(get_nlp(), text)


def selected(param: str) -> str | None:
    """The entity a shared link names, as a full IRI (None when absent or malformed)."""
    ref = st.query_params.get(param)
    if not ref:
        return None
    try:
        return str(parse_entity(ref))
    except InputError as exc:
        st.error(str(exc))
        return None


def open_from_select(param: str, key: str) -> None:
    """on_change: put the entity chosen in a selectbox into the URL."""
    chosen = st.session_state.get(key)
    if chosen:
        st.query_params[param] = curie(chosen)
