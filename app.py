"""spacekg explorer: browse actors, threats and NATO space doctrine, ask the query library, add texts.

This file routes only: the pages are in `app_pages/` (one module per page, with `common` for the
store, settings, spaCy pipeline and cached view data, and `draw` for tables, links, evidence and
timelines). Their data comes from `ingest.explore` (view models over the query library and the
ingestion pipeline); there is no SPARQL and no graph building in the app.

Run: `SPACEKG_STORE=data/store streamlit run app.py` (or `make run`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from app_pages import actors, add, ask, doctrine, events, ontology, overview, review, threats
from app_pages.common import ROUTES, store
from ingest.errors import SpacekgError

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

st.set_page_config(
    page_title="spacekg explorer",
    page_icon=str(Path(__file__).parent / "app_pages" / "favicon.png"),
    layout="wide",
)


def guarded(page: Callable[[], None]) -> Callable[[], None]:
    """Show SpacekgErrors as one readable line instead of a traceback."""

    def run() -> None:
        try:
            page()
        except SpacekgError as exc:
            st.error(str(exc))

    run.__name__ = page.__name__
    return run


PAGES = {
    "overview": st.Page(
        guarded(overview.page),
        title="Overview",
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    "actors": st.Page(
        guarded(actors.page), title="Actors", icon=":material/groups:", url_path="actors"
    ),
    "events": st.Page(
        guarded(events.page), title="Events", icon=":material/event:", url_path="events"
    ),
    "threats": st.Page(
        guarded(threats.page), title="Threats", icon=":material/warning:", url_path="threats"
    ),
    "doctrine": st.Page(
        guarded(doctrine.page), title="Doctrine", icon=":material/description:", url_path="doctrine"
    ),
    "ask": st.Page(guarded(ask.page), title="Ask", icon=":material/manage_search:", url_path="ask"),
    "review": st.Page(
        guarded(review.page), title="Review", icon=":material/fact_check:", url_path="review"
    ),
    "add": st.Page(
        guarded(add.page), title="Add document", icon=":material/note_add:", url_path="add"
    ),
    "ontology": st.Page(
        guarded(ontology.page), title="Ontology", icon=":material/schema:", url_path="ontology"
    ),
}
ROUTES.update(PAGES)  # the pages link to each other through it


def routed_pages() -> tuple[StreamlitPage, list[StreamlitPage]]:
    """The pages for `st.navigation`, with the default one reachable by its own path too.

    Streamlit serves the default page only at `/` and answers "Page not found" at its
    url_path (`/overview`). So the default page of `PAGES` is listed as an ordinary page
    (its link and URL are `/overview`), and `/` runs a hidden copy of it.
    """
    first = PAGES["overview"]
    page_fn = guarded(overview.page)
    listed = st.Page(page_fn, title=first.title, icon=first.icon, url_path="overview")
    root = st.Page(page_fn, title=first.title, url_path="home", default=True, visibility="hidden")
    ROUTES["overview"] = listed
    return root, [root, *(listed if p is first else p for p in PAGES.values())]


def main() -> None:
    root, pages = routed_pages()
    current = st.navigation(pages)
    requested = st.query_params.get("page")
    # `?page=actors&entity=...` links land on the root page: forward them.
    if requested in PAGES and current is root and requested != "overview":
        rest = {k: v for k, v in st.query_params.to_dict().items() if k != "page"}
        st.switch_page(PAGES[requested], query_params=rest)
    try:
        store()
    except SpacekgError as exc:
        st.error(str(exc))
        st.stop()
    current.run()


main()
