"""The interactive neighbourhood graph: pan, zoom, click a node to expand it, filter by relation
and origin, with a visible count of what the cap and the filters leave out.

Drawn by streamlit-agraph (vis-network in a component bundled with the package: nothing is
fetched at run time). Labels are drawn on a canvas as text, never as HTML; no hover titles,
which vis-network may render as HTML.
"""

from __future__ import annotations

import streamlit as st
from streamlit_agraph import Config, Edge, Node, agraph

from app_pages.common import data
from app_pages.draw import link
from ingest.explore.actors import neighbourhood
from ingest.explore.graphs import ORIGIN_STYLES, select_edges
from ingest.iri import kind_of

# Node colours by kind of individual (colour-blind safe, as the edge styles).
KIND_COLOURS = {
    "actor": "#4c78a8",
    "asset": "#f58518",
    "event": "#e45756",
    "capability": "#72b7b2",
    "document": "#54a24b",
    "source": "#54a24b",
    "concept": "#b279a2",
    "place": "#9d755d",
}
LABEL_CHARS = 32


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def neighbourhood_view(iri: str, label: str, key: str) -> None:
    """The graph around `iri`; the nodes a user clicked stay expanded for this page's session."""
    expanded: list[str] = st.session_state.setdefault(f"{key}_expanded::{iri}", [])
    col1, col2 = st.columns(2)
    depth = col1.radio("Depth", [1, 2], horizontal=True, key=f"{key}_depth")
    cap = col2.number_input("Node limit", 5, 300, 60, step=5, key=f"{key}_cap")
    hood = data(neighbourhood, iri, int(depth), int(cap), label, tuple(expanded))
    relations = sorted({e[1] for e in hood.edges})
    origins = sorted({e[3] for e in hood.edges})
    col3, col4 = st.columns(2)
    chosen_relations = col3.multiselect(
        "Relations", relations, default=relations, key=f"{key}_relations"
    )
    chosen_origins = col4.multiselect("Origin", origins, default=origins, key=f"{key}_origins")
    nodes, edges = select_edges(hood.nodes, hood.edges, chosen_relations, chosen_origins, iri)
    shown = f"Showing {len(nodes)} of {len(hood.nodes)} nodes and {len(edges)} of "
    shown += f"{len(hood.edges)} relations"
    if hood.capped:
        shown += f"; the node limit ({int(cap)}) left more out: raise it to see them"
    st.caption(shown + ". Drag to pan, scroll to zoom, click a node to expand it.")
    clicked = agraph(
        nodes=[
            Node(
                id=node,
                label=_short(name),
                size=30 if node == iri else 18,
                color="#ffb000" if node == iri else KIND_COLOURS.get(kind_of(node), "#999999"),
            )
            for node, name in nodes.items()
        ],
        edges=[
            Edge(
                source=s,
                target=o,
                label=relation,
                color=ORIGIN_STYLES.get(origin, ('"#777777"', "solid"))[0].strip('"'),
                dashes=ORIGIN_STYLES.get(origin, ("", "solid"))[1] != "solid",
            )
            for s, relation, o, origin in edges
        ],
        config=Config(width=900, height=520, directed=True, physics=True, hierarchical=False),
    )
    if isinstance(clicked, str) and clicked in hood.nodes:
        if clicked != iri and clicked not in expanded:
            expanded.append(clicked)
            st.rerun()
        link(clicked, hood.nodes[clicked], " (selected: open its page)")
    if expanded:
        st.caption("Expanded: " + ", ".join(hood.nodes.get(n, n) for n in expanded))
        if st.button("Collapse the expanded nodes", key=f"{key}_collapse"):
            expanded.clear()
            st.rerun()
