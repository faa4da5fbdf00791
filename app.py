"""spacekg explorer: browse actors, threats and NATO space doctrine, ask the query library, add texts.

This file routes and draws only. The data comes from `ingest.explore` (view models over the
query library and the ingestion pipeline); there is no SPARQL and no graph building here.
The store and the spaCy pipeline are opened once per process (`st.cache_resource`); view data is
cached per store version (`st.cache_data`), so a page never re-reads the graph until it changes.
The selected entity or document lives in the URL (`st.query_params`), so links can be shared.

Run: `SPACEKG_STORE=data/store streamlit run app.py` (or `make run`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ingest import explore
from ingest.config import Settings
from ingest.console import QueryLimits
from ingest.errors import InputError, SpacekgError
from ingest.queries import format_result, get_query, list_queries
from ingest.store import Store, open_store

st.set_page_config(
    page_title="spacekg explorer", page_icon=":material/satellite_alt:", layout="wide"
)

LEGEND = (
    "Where facts come from: :blue-badge[curated] reference data · :green-badge[asserted] by an "
    "ingested document · :violet-badge[inferred] by the reasoner · :orange-badge[review] "
    "extracted with low confidence and held back for a human (no plain fact)."
)
GRAPH_LEGEND = (
    "Edges: blue = curated, green = asserted, purple dashed = inferred, orange dotted = review."
)
MAX_LINKS = 25
MAX_EVIDENCE = 20
ORIGIN_COLOURS = {
    "curated": "#6ea8fe",
    "asserted": "#5cc27a",
    "curated, asserted": "#63c2b0",
    "inferred": "#d0bfff",
    "curated, inferred": "#b3a4f0",
    "asserted, inferred": "#b5d8a0",
    "curated, asserted, inferred": "#8fbfa8",
}
COLUMN_TITLES = {
    "actorLabel": "actor",
    "capabilityLabel": "capability",
    "conductedBy": "conducted by",
    "dateText": "date",
    "heldBy": "held by",
    "objectLabel": "object",
    "otherLabel": "other end",
    "propertyLabel": "relation",
    "subjectLabel": "subject",
}


# --- resources and cached data ---------------------------------------------------------------


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
    explore.warm_up_sparql_parser()
    return store


def store() -> Store:
    return get_store(*store_key())


@st.cache_resource(show_spinner="Loading the language model…")
def get_nlp() -> Any:
    """The spaCy pipeline (model, ruler, linker), loaded once per process."""
    from ingest.nlp import build_pipeline

    return build_pipeline()


@st.cache_data(show_spinner=False, max_entries=1024)
def _view(_store: Store, key: tuple[str, str], version: str, name: str, *args: Any) -> Any:
    """A view model from `ingest.explore`, cached per store and store version."""
    return getattr(explore, name)(_store, *args)


def data(name: str, *args: Any) -> Any:
    """Cached `explore.<name>(store, *args)` for the current store version."""
    current = store()
    return _view(current, store_key(), current.version(), name, *args)


@st.cache_data(show_spinner=False, max_entries=64)
def _highlight(_nlp: Any, text: str) -> tuple[str, list[dict[str, Any]]]:
    return explore.entity_html(_nlp, text)


def highlight(text: str) -> tuple[str, list[dict[str, Any]]]:
    return _highlight(get_nlp(), text)


# --- drawing helpers -------------------------------------------------------------------------


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], key: str, **config: Any) -> None:
    """Rows as a dataframe (cells are plain text: safe for untrusted labels).

    The keyed container names the table for tests and the browser (`st-key-<key>`): a display
    dataframe keeps no key of its own.
    """
    with st.container(key=key):
        if not rows:
            st.caption("Nothing to show.")
            return
        frame = pd.DataFrame(list(rows))
        frame = frame[[c for c in columns if c in frame.columns]]
        titles = {c: COLUMN_TITLES[c] for c in frame.columns if c in COLUMN_TITLES}
        st.dataframe(frame, hide_index=True, column_config={**titles, **config} or None)


PAGE_FOR_KIND = {
    "capability": ("threats", "capability"),
    "document": ("doctrine", "doc"),
    "source": ("doctrine", "doc"),
    "concept": ("doctrine", "concept"),
}


def link(iri: str, label: str, suffix: str = "") -> None:
    """A link to the page of an entity, document or capability (its reference in the URL)."""
    page, param = PAGE_FOR_KIND.get(explore.kind_of(iri), ("actors", "entity"))
    text = explore.md_escape(label) + (f" · {explore.md_escape(suffix)}" if suffix else "")
    st.page_link(PAGES[page], label=text, query_params={param: explore.curie(iri)})


def selected(param: str) -> str | None:
    """The entity a shared link names, as a full IRI (None when absent or malformed)."""
    ref = st.query_params.get(param)
    if not ref:
        return None
    try:
        return str(explore.parse_entity(ref))
    except InputError as exc:
        st.error(str(exc))
        return None


def open_from_select(param: str, key: str) -> None:
    """on_change: put the entity chosen in a selectbox into the URL."""
    chosen = st.session_state.get(key)
    if chosen:
        st.query_params[param] = explore.curie(chosen)


def guarded(page: Callable[[], None]) -> Callable[[], None]:
    """Show SpacekgErrors as one readable line instead of a traceback."""

    def run() -> None:
        try:
            page()
        except SpacekgError as exc:
            st.error(str(exc))

    run.__name__ = page.__name__
    return run


def evidence_list(rows: list[dict[str, Any]], key: str) -> None:
    """Evidence sentences in full (a table cell would cut them), each with its source document,
    date, confidence and status; sentences are escaped markdown, never HTML."""
    with st.container(key=key):
        for row in rows[:MAX_EVIDENCE]:
            st.markdown(
                f"{explore.badge_md(explore.origins_of('', row['status']))} "
                f"“{explore.md_escape(row['sentence'])}”"
            )
            confidence = row["confidence"]
            meta = " · ".join(
                x
                for x in (
                    row["date"],
                    f"confidence {confidence:.2f}" if confidence is not None else "",
                )
                if x
            )
            if row["document"]:
                link(row["document"], row["title"], meta)
            elif meta:
                st.caption(explore.md_escape(meta))
        if len(rows) > MAX_EVIDENCE:
            st.caption(f"{len(rows) - MAX_EVIDENCE} more evidence sentences not shown.")


def timeline_chart(
    rows: Sequence[dict[str, Any]], y: str, color: str, tooltip: Sequence[str], key: str
) -> None:
    dated = [r for r in rows if r.get("date")]
    if not dated:
        st.caption("No dated items to place on a timeline.")
        return
    frame = pd.DataFrame(dated)
    present = [o for o in ORIGIN_COLOURS if o in set(frame[color])]
    scale = (
        alt.Scale(domain=present, range=[ORIGIN_COLOURS[o] for o in present])
        if color == "origin"
        else alt.Undefined
    )
    chart = (
        alt.Chart(frame)
        .mark_circle(size=140, opacity=0.85)
        .encode(
            x=alt.X("date:T", title="date", scale=alt.Scale(padding=24)),
            y=alt.Y(f"{y}:N", title=None),
            color=alt.Color(f"{color}:N", scale=scale),
            tooltip=list(tooltip),
        )
        .properties(height=max(120, 36 * frame[y].nunique()))
    )
    st.altair_chart(chart, key=key)


# --- pages -----------------------------------------------------------------------------------


def overview() -> None:
    st.title("Space security knowledge graph")
    counts = data("overview_counts")
    cols = st.columns(5)
    for col, (name, number) in zip(cols, counts.items(), strict=False):
        col.metric(name.capitalize(), f"{number:,}")

    st.subheader("Find an entity")
    text = st.text_input(
        "Search labels and alternative names",
        key="overview_search",
        placeholder="e.g. Russia, Space Command, jamming",
    )
    if text.strip():
        hits = data("search_entities", text.strip())
        if not hits:
            st.info("No entity matches that text.")
        for hit in hits[:MAX_LINKS]:
            also = f"also: {', '.join(hit['matched'][:3])}" if hit["matched"] else ""
            link(hit["entity"], hit["label"], " ".join(x for x in (hit["type"], also) if x))
        if len(hits) > MAX_LINKS:
            st.caption(f"{len(hits) - MAX_LINKS} more matches: type more of the name.")

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Counterspace capabilities by actor")
        matrix = data("capability_matrix")
        if not matrix:
            st.caption("No capability facts yet.")
        else:
            frame = pd.DataFrame(matrix)
            frame["origin"] = [", ".join(r["origins"]) for r in matrix]
            present = sorted(set(frame["origin"]))
            pick = alt.selection_point(fields=["actorLabel", "capabilityLabel"], name="cell")
            base = alt.Chart(frame).encode(
                x=alt.X(
                    "capabilityLabel:N",
                    title=None,
                    axis=alt.Axis(labelAngle=-35, labelOverlap=False, labelLimit=180),
                ),
                y=alt.Y("actorLabel:N", title=None),
            )
            # Colour says where the fact comes from, the number how many evidence sentences.
            heat = base.mark_rect(stroke="white", strokeWidth=2).encode(
                color=alt.Color(
                    "origin:N",
                    title="source",
                    scale=alt.Scale(
                        domain=present, range=[ORIGIN_COLOURS.get(o, "#cccccc") for o in present]
                    ),
                ),
                tooltip=[
                    alt.Tooltip("actorLabel", title="actor"),
                    alt.Tooltip("capabilityLabel", title="capability"),
                    alt.Tooltip("evidence", title="evidence sentences"),
                    alt.Tooltip("sources", title="source documents"),
                    alt.Tooltip("origin", title="source"),
                ],
                opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            )
            labels = base.mark_text(fontSize=12, color="black").encode(text="evidence:Q")
            chart = (
                (heat + labels).add_params(pick).properties(height=alt.Step(34), width=alt.Step(90))
            )
            event = st.altair_chart(chart, on_select="rerun", key="overview_matrix_chart")
            cells = [(r["actor"], r["capability"]) for r in matrix]
            names = {
                (r["actor"], r["capability"]): f"{r['actorLabel']} — {r['capabilityLabel']}"
                for r in matrix
            }
            points = (event or {}).get("selection", {}).get("cell") or []
            # A click in the chart picks the cell once; the selectbox stays free to change.
            clicked = repr(points[0]) if points else None
            if clicked and clicked != st.session_state.get("overview_matrix_clicked"):
                st.session_state["overview_matrix_clicked"] = clicked
                point = points[0]
                for r in matrix:
                    if (r["actorLabel"], r["capabilityLabel"]) == (
                        point.get("actorLabel"),
                        point.get("capabilityLabel"),
                    ):
                        st.session_state["overview_matrix_cell"] = (r["actor"], r["capability"])
            cell = st.selectbox(
                "Evidence for a cell (or click one in the chart)",
                cells,
                format_func=lambda c: names[c],
                key="overview_matrix_cell",
            )
            if cell:
                row = next(r for r in matrix if (r["actor"], r["capability"]) == cell)
                st.markdown(
                    f"**{explore.md_escape(names[cell])}** {explore.badge_md(row['origins'])}"
                )
                evidence = data("evidence_for", cell[0], explore.SKG + "hasCapability", cell[1])
                if evidence:
                    evidence_list(evidence, "overview_cell_evidence")
                elif "curated" in row["origins"]:
                    st.caption("Curated reference fact: its source is cited in the reference data.")
                else:
                    st.caption("No evidence sentences recorded.")
    with right:
        st.subheader("Latest documents")
        latest = data("latest_documents")
        if not latest:
            st.caption("No documents ingested yet: add one on the Add document page.")
        for doc in latest:
            link(doc["document"], doc["title"], f"{doc['date']} · {doc['facts']} facts")
    st.caption(LEGEND)


def actors_page() -> None:
    entity = selected("entity")
    if entity:
        actor_detail(entity)
        return
    st.title("Actors")
    organisations = data("organisations")
    col1, col2 = st.columns(2)
    actor_type = col1.selectbox(
        "Type",
        [None, *explore.ACTOR_TYPES],
        format_func=lambda t: "All actors" if t is None else explore.class_words(t),
        key="actors_type",
    )
    org_names = {e.iri: e.label for e in organisations}
    member_of = col2.selectbox(
        "Member of",
        [None, *org_names],
        format_func=lambda i: "Any alliance or organisation" if i is None else org_names[i],
        key="actors_member_of",
    )
    found = data("actors", actor_type, member_of)
    st.caption(f"{len(found)} actors")
    table(
        [{"label": e.label, "type": e.type_label, "IRI": e.curie} for e in found],
        ["label", "type", "IRI"],
        "actors_table",
    )
    labels = {e.iri: f"{e.label} ({e.type_label})" for e in found}
    st.selectbox(
        "Open an actor's page",
        list(labels),
        index=None,
        format_func=lambda i: labels[i],
        key="actors_open",
        on_change=open_from_select,
        args=("entity", "actors_open"),
    )


def actor_detail(iri: str) -> None:
    entity = data("entity_card", iri)
    st.page_link(PAGES["actors"], label="← all actors")
    st.title(explore.md_escape(entity.label if entity else explore.fallback_label(iri)))
    st.caption(
        explore.md_escape(f"{entity.type_label if entity else 'individual'} · {explore.curie(iri)}")
    )
    facts = data("entity_facts", iri)
    if not facts:
        st.info("No facts about this entity in the graph.")
        return
    st.caption(LEGEND)
    out_evidence = data("evidence_for", iri)
    mentions = [f for f in facts if explore.local_name(f["property"]) == "mentions"]
    facts = [f for f in facts if f not in mentions]
    for direction, title in (("out", "Facts about it"), ("in", "Facts pointing to it")):
        rows = [f for f in facts if f["direction"] == direction]
        if not rows:
            continue
        st.subheader(title)
        for n, fact in enumerate(rows):
            arrow = "→" if direction == "out" else "←"
            heading = (
                f"{explore.md_escape(fact['propertyLabel'])} {arrow} "
                f"**{explore.md_escape(fact['otherLabel'])}** {explore.badge_md(fact['origins'])}"
                + (f" · {fact['evidence']} evidence" if fact["evidence"] else "")
            )
            with st.expander(heading, expanded=False):
                if direction == "out":
                    evidence = [
                        e
                        for e in out_evidence
                        if e["predicate"] == fact["property"] and e["object"] == fact["other"]
                    ]
                elif fact["evidence"]:
                    evidence = data("evidence_for", fact["other"], fact["property"], iri)
                else:
                    evidence = []
                if evidence:
                    evidence_list(evidence, f"actor_evidence_{direction}_{n}")
                elif "curated" in fact["origins"]:
                    st.caption("Curated reference fact (the reference data cites its source).")
                elif "inferred" in fact["origins"]:
                    st.caption("Inferred by the reasoner from other facts.")
                else:
                    st.caption("No evidence sentences recorded.")
                link(fact["other"], fact["otherLabel"], "open")

    if mentions:
        with st.expander(f"Mentioned in {len(mentions)} document(s)", expanded=False):
            for fact in mentions[:MAX_LINKS]:
                link(fact["other"], fact["otherLabel"], fact["source"])

    st.subheader("Neighbourhood")
    col1, col2 = st.columns(2)
    depth = col1.radio("Depth", [1, 2], horizontal=True, key="actor_depth")
    cap = col2.number_input("Node limit", 5, 150, 40, step=5, key="actor_node_cap")
    hood = data("neighbourhood", iri, int(depth), int(cap), entity.label if entity else "")
    if hood.capped:
        st.caption(f"Showing {len(hood.nodes)} nodes; raise the node limit to see more.")
    st.graphviz_chart(explore.to_dot(hood.nodes, hood.edges, iri))
    st.caption(GRAPH_LEGEND)

    st.subheader("Timeline")
    timeline = data("actor_timeline", iri)
    timeline_chart(
        timeline, "relation", "relation", ["label", "dateText", "relation"], "actor_timeline_chart"
    )
    table(timeline, ["dateText", "label", "relation", "source"], "actor_timeline_table")


def threats_page() -> None:
    st.title("Threats")
    st.caption(LEGEND)
    st.subheader("Capability types and hazards")
    overview_rows = data("capability_overview")
    table(overview_rows, ["label", "type", "heldBy", "threatens"], "threats_table")
    caps = {r["capability"]: f"{r['label']} ({r['type']})" for r in overview_rows}
    chosen = selected("capability")
    options = list(caps)
    st.selectbox(
        "Capability",
        options,
        index=options.index(chosen) if chosen in options else None,
        format_func=lambda i: caps[i],
        key="threats_capability",
        on_change=open_from_select,
        args=("capability", "threats_capability"),
    )
    if chosen:
        detail = data("capability_detail", chosen)
        left, right = st.columns(2)
        with left:
            st.markdown(f"**Who has {explore.md_escape(caps.get(chosen, chosen))}**")
            table(
                detail["holders"],
                ["actorLabel", "evidence", "sources", "source"],
                "threats_holders",
            )
            for row in detail["holders"][:MAX_LINKS]:
                link(row["actor"], row["actorLabel"])
        with right:
            st.markdown("**What it threatens**")
            table(detail["threatens"], ["otherLabel", "evidence", "source"], "threats_targets")
            for row in detail["threatens"][:MAX_LINKS]:
                link(row["other"], row["otherLabel"])

    st.subheader("ASAT tests and attacks")
    events = data("incidents")
    timeline_chart(
        events, "type", "type", ["label", "dateText", "conductedBy", "targets"], "threats_timeline"
    )
    table(
        events, ["dateText", "label", "type", "conductedBy", "targets", "sources"], "threats_events"
    )
    for row in events[:MAX_LINKS]:
        link(row["event"], row["label"], row["dateText"])


def doctrine_page() -> None:
    doc = selected("doc")
    if doc:
        document_detail(doc)
        return
    st.title("Doctrine")
    documents = data("doctrine_documents")
    st.subheader("Documents over time")
    timeline_chart(
        documents,
        "kind",
        "origin",
        ["title", "dateText", "publishers", "declares"],
        "doctrine_timeline",
    )
    table(documents, ["dateText", "title", "kind", "publishers", "declares"], "doctrine_table")
    names = {r["document"]: f"{r['dateText']} · {r['title']}" for r in documents}
    st.selectbox(
        "Open a document",
        list(names),
        index=None,
        format_func=lambda i: names[i],
        key="doctrine_open",
        on_change=open_from_select,
        args=("doc", "doctrine_open"),
    )

    st.subheader("A concept across documents")
    concept_list = data("concepts")
    labels = {c.iri: c.label for c in concept_list}
    chosen = selected("concept")
    options = list(labels)
    concept = st.selectbox(
        "Concept",
        options,
        index=options.index(chosen) if chosen in options else (0 if options else None),
        format_func=lambda i: labels[i],
        key="doctrine_concept",
        on_change=open_from_select,
        args=("concept", "doctrine_concept"),
    )
    if concept:
        rows = data("concept_documents", concept)
        timeline_chart(
            rows, "relation", "relation", ["title", "dateText"], "doctrine_concept_chart"
        )
        table(rows, ["dateText", "title", "relation", "source"], "doctrine_concept_table")


def document_detail(iri: str) -> None:
    st.page_link(PAGES["doctrine"], label="← all documents")
    view = data("document_view", iri)
    st.title(explore.md_escape(view.title))
    st.caption(explore.md_escape(explore.curie(iri)))
    meta = [{"field": k, "value": v} for k, v in view.metadata.items()]
    table(meta, ["field", "value"], "document_metadata")
    st.subheader("Text with recognised entities")
    if view.text_note:
        st.caption(explore.md_escape(view.text_note))
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


def ask_page() -> None:
    st.title("Ask")
    library_tab, console_tab = st.tabs(["Query library", "SPARQL console"])
    with library_tab:
        ask_library()
    with console_tab:
        ask_console()


def show_result(result: Any, key: str, center: str | None = None) -> None:
    columns, rows = explore.display_table(result)
    if result.kind == "ask":
        st.metric("Answer", "yes" if result.boolean else "no")
    else:
        st.caption(f"{len(rows)} rows")
        table(rows, columns, f"{key}_table")
    col1, col2 = st.columns(2)
    col1.download_button(
        "Download CSV", format_result(result, "csv"), "result.csv", "text/csv", key=f"{key}_csv"
    )
    col2.download_button(
        "Download JSON",
        format_result(result, "json"),
        "result.json",
        "application/json",
        key=f"{key}_json",
    )
    rel = explore.relation_graph(result, center)
    if rel.edges:
        if center in rel.nodes:
            # the query returns only the other ends' labels: name the centre
            known = data("entity_card", center)
            rel.nodes[center] = known.label if known else rel.nodes[center]
        st.graphviz_chart(explore.to_dot(rel.nodes, rel.edges, center))
        st.caption(GRAPH_LEGEND)


def ask_library() -> None:
    specs = {spec.name: spec for spec in list_queries()}
    name = st.selectbox(
        "Query",
        list(specs),
        format_func=lambda n: f"{n} — {specs[n].summary}",
        key="ask_query",
    )
    spec = get_query(name)
    if spec.description:
        st.caption(spec.description)
    choices = data("param_choices", name)
    values: dict[str, Any] = {}
    with st.form(key=f"ask_form_{name}"):
        for choice in choices:
            label = choice.name + (" (required)" if choice.required else "")
            key = f"ask_{name}_{choice.name}"
            if choice.widget == "select":
                option_values = [o[0] for o in choice.options]
                names = dict(choice.options)
                if not choice.required:
                    option_values = ["", *option_values]
                    names[""] = "(any)"
                # a required entity has no sensible default: the user picks one
                index = (
                    option_values.index(choice.default)
                    if choice.default in option_values
                    else (None if choice.required else 0)
                )
                values[choice.name] = st.selectbox(
                    label,
                    option_values,
                    index=index,
                    format_func=lambda v, names=names: names.get(v, v),
                    help=choice.help or None,
                    key=key,
                    accept_new_options=True,
                )
            elif choice.widget == "date":
                values[choice.name] = st.date_input(
                    label, value=None, help=choice.help or None, key=key
                )
            elif choice.widget == "integer":
                values[choice.name] = st.number_input(
                    label, step=1, value=None, help=choice.help or None, key=key
                )
            else:
                values[choice.name] = st.text_input(
                    label, value=choice.default or "", help=choice.help or None, key=key
                )
        submitted = st.form_submit_button("Run query", key=f"ask_run_{name}")
    if submitted:
        st.session_state["ask_last"] = (
            name,
            tuple(sorted((k, v) for k, v in values.items() if v not in (None, ""))),
        )
    last = st.session_state.get("ask_last")
    if last and last[0] == name:
        result = data("run_library_query", name, dict(last[1]))
        params = dict(last[1])
        show_result(result, "ask_result", params.get("actor") or params.get("subject"))


def ask_console() -> None:
    config = settings()
    st.caption(
        f"Read-only SPARQL 1.1. Limits: {config.query_timeout_s:g} s, {config.query_row_limit:,} "
        "rows. SERVICE, FROM and updates are refused. The default graph is the union of all "
        "named graphs; GRAPH ?g tells curated (skgg:reference), asserted (skgg:source/…) and "
        "inferred (skgg:inferred) facts apart."
    )
    text = st.text_area(
        "SPARQL query", value=get_query("graph_stats").text, height=260, key="console_text"
    )
    exclude = st.multiselect(
        "Hide",
        ["inferred", "review"],
        key="console_exclude",
        help="inferred facts, review-only evidence",
    )
    if st.button("Run", key="console_run", type="primary"):
        try:
            st.session_state["console_result"] = store().user_query(
                text, QueryLimits.from_settings(config), frozenset(exclude)
            )
        except SpacekgError as exc:
            st.session_state.pop("console_result", None)
            st.error(str(exc))
    result = st.session_state.get("console_result")
    if result is not None:
        if result.truncated:
            st.warning(f"Only the first {config.query_row_limit:,} rows are shown.")
        st.caption(f"{result.seconds:.2f} s")
        show_result(result, "console_result")


def add_page() -> None:
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
        col1.selectbox("Kind", explore.DOCUMENT_KINDS, key="add_kind")
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
        st.success(f"Added to the graph: {explore.md_escape(committed[1])}")
        link(committed[0], committed[1], "open the document")

    prepared = st.session_state.get("add_prepared")
    if prepared is not None:
        preview(prepared)

    st.divider()
    st.subheader("Remove a document")
    docs = data("document_choices")
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
        st.success("Removed: " + "; ".join(explore.md_escape(t) for t in done))


def load_source(mode: str, upload: Any, config: Settings) -> Any:
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
    explore.check_metadata(metadata["date"], metadata["url"])
    return load_text(
        get("add_text", ""),
        **{k: v for k, v in metadata.items() if v},
        max_bytes=config.max_file_bytes,
    )


def preview(prepared: Any) -> None:
    source = prepared.source
    st.subheader(f"Preview: {explore.md_escape(source.title)}")
    st.caption(
        f"document id {source.docid}"
        + (f" · replaces {len(prepared.replaces)} older version(s)" if prepared.replaces else "")
    )
    markup, _ = highlight(source.text)
    st.html(markup)  # displaCy output: the document text is escaped by displaCy
    facts = explore.preview_facts(prepared)
    st.markdown(f"**Proposed facts** ({len(facts)})")
    table(
        facts,
        ["subject", "property", "object", "confidence", "source", "sentence"],
        "add_facts",
        confidence=st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
    )
    entities = explore.preview_entities(prepared)
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


PAGES = {
    "overview": st.Page(
        guarded(overview),
        title="Overview",
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    "actors": st.Page(
        guarded(actors_page), title="Actors", icon=":material/groups:", url_path="actors"
    ),
    "threats": st.Page(
        guarded(threats_page), title="Threats", icon=":material/warning:", url_path="threats"
    ),
    "doctrine": st.Page(
        guarded(doctrine_page), title="Doctrine", icon=":material/description:", url_path="doctrine"
    ),
    "ask": st.Page(guarded(ask_page), title="Ask", icon=":material/manage_search:", url_path="ask"),
    "add": st.Page(
        guarded(add_page), title="Add document", icon=":material/note_add:", url_path="add"
    ),
}


def main() -> None:
    current = st.navigation(list(PAGES.values()))
    requested = st.query_params.get("page")
    # `?page=actors&entity=...` links land on the default page: forward them.
    if (
        requested in PAGES
        and current.url_path == PAGES["overview"].url_path
        and requested != "overview"
    ):
        rest = {k: v for k, v in st.query_params.to_dict().items() if k != "page"}
        st.switch_page(PAGES[requested], query_params=rest)
    try:
        store()
    except SpacekgError as exc:
        st.error(str(exc))
        st.stop()
    current.run()


main()
