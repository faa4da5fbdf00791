"""The Ask page: the query library as forms, and the free SPARQL console."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from streamlit_ace import st_ace

from app_pages.common import data, settings, store
from app_pages.draw import GRAPH_LEGEND, table, timeline_chart
from ingest.console import QueryLimits
from ingest.errors import SpacekgError
from ingest.explore.ask import (
    graph_of,
    label_of,
    labelled_rows,
    param_choices,
    prefix_lines,
    result_views,
    run_library_query,
    share_link,
    shared_query,
    with_prefixes,
)
from ingest.explore.entities import entity_card
from ingest.explore.graphs import relation_graph, to_dot
from ingest.explore.results import Param, display_table
from ingest.explore.saved_queries import delete_saved, list_saved, save_query, saved_queries_dir
from ingest.explore.terms import iso_date
from ingest.queries import format_result, get_query, list_queries

if TYPE_CHECKING:
    from ingest.explore.results import Answer


def page() -> None:
    st.title("Ask")
    library_tab, console_tab = st.tabs(["Query library", "SPARQL console"])
    with library_tab:
        library()
    with console_tab:
        console()


def show_result(result: Answer, key: str, center: str | None = None) -> None:
    """A result as a table with CSV and JSON downloads, and as a graph when its rows are relations."""
    columns, rows = display_table(result)
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
    rel = relation_graph(result, center)
    if rel.edges:
        if center in rel.nodes:
            # the query returns only the other ends' labels: name the centre
            known = data(entity_card, center)
            rel.nodes[center] = known.label if known else rel.nodes[center]
        st.graphviz_chart(to_dot(rel.nodes, rel.edges, center))
        st.caption(GRAPH_LEGEND)


def library() -> None:
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
    choices = data(param_choices, name)
    values: dict[str, Param] = {}
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
        result = data(run_library_query, name, dict(last[1]))
        params = dict(last[1])
        show_result(result, "ask_result", params.get("actor") or params.get("subject"))


def console() -> None:
    config = settings()
    st.caption(
        f"Read-only SPARQL 1.1. Limits: {config.query_timeout_s:g} s, {config.query_row_limit:,} "
        "rows. SERVICE, FROM and updates are refused. The default graph is the union of all "
        "named graphs; GRAPH ?g tells curated (skgg:reference), asserted (skgg:source/…) and "
        "inferred (skgg:inferred) facts apart. The prefixes below are declared for you "
        "(`SELECT ?x WHERE { ?x a skg:State }` runs as it is)."
    )
    with st.expander("Predeclared prefixes"):
        st.code(prefix_lines(), language="sparql")
    run_now = False
    try:
        linked = shared_query(st.query_params.to_dict())
    except SpacekgError as exc:
        st.error(str(exc))
        linked = None
    # A shared link (`?q=`) fills the console and runs once, under the same limits as Run.
    if linked is not None and st.session_state.get("console_linked") != linked:
        set_query(linked)
        st.session_state["console_linked"] = linked
        run_now = True
    if "console_query" not in st.session_state:
        set_query(get_query("graph_stats").text)
    saved_picker()
    text = editor()
    exclude = st.multiselect(
        "Hide",
        ["inferred", "review"],
        key="console_exclude",
        help="inferred facts, review-only evidence",
    )
    col1, col2, col3 = st.columns([1, 2, 1])
    if col1.button("Run", key="console_run", type="primary") or run_now:
        try:
            st.session_state["console_result"] = store().user_query(
                with_prefixes(text), QueryLimits.from_settings(config), frozenset(exclude)
            )
            st.session_state["console_ran"] = text
        except SpacekgError as exc:
            st.session_state.pop("console_result", None)
            st.error(str(exc))
    name = col2.text_input(
        "Name", key="console_save_name", placeholder="a name to save the query under"
    )
    if col3.button("Save query", key="console_save", disabled=not name.strip()):
        try:
            saved = save_query(saved_queries_dir(config), name, text)
            st.toast(f"Saved as {saved.name!r} in {saved.path.name}")
        except SpacekgError as exc:
            st.error(str(exc))
    result = st.session_state.get("console_result")
    if result is not None:
        ran = st.session_state.get("console_ran", text)
        try:
            link_text = share_link(ran, base_url())
            if st.query_params.get("q") != ran:
                st.query_params["q"] = ran  # the address bar is the shareable link too
                st.session_state["console_linked"] = ran  # ours: do not reopen it on rerun
            st.caption("Link to this query (it runs read-only with the same limits when opened):")
            st.code(link_text, language=None)
        except SpacekgError as exc:
            st.caption(str(exc))
        if result.truncated:
            st.warning(f"Only the first {config.query_row_limit:,} rows are shown.")
        st.caption(f"{result.seconds:.2f} s")
        show_views(result)


def set_query(text: str) -> None:
    """Put `text` into the console: a new generation remounts the editor with it."""
    st.session_state["console_query"] = text
    st.session_state["console_generation"] = st.session_state.get("console_generation", 0) + 1


def editor() -> str:
    """The query text: a SPARQL-highlighting Ace editor, or a plain text area (screen readers,
    very long pastes). Both edit `console_query`, so switching keeps the text."""
    generation = st.session_state.get("console_generation", 0)
    if st.toggle("Plain text editor", key="console_plain"):
        if "console_text" not in st.session_state or (
            st.session_state.get("console_text_generation") != generation
        ):
            st.session_state["console_text"] = st.session_state["console_query"]
            st.session_state["console_text_generation"] = generation
        text = st.text_area("SPARQL query", height=260, key="console_text")
    else:
        st.caption("SPARQL query")
        text = st_ace(
            st.session_state["console_query"],
            language="sparql",
            theme="chrome",
            min_lines=12,
            auto_update=True,  # the text reaches Run without an extra Apply step
            key=f"console_editor_{generation}",
        )
    st.session_state["console_query"] = text if text is not None else ""
    return st.session_state["console_query"]


def saved_picker() -> None:
    """Saved queries (`.rq` files beside the store): load one into the editor, or delete it."""
    folder = saved_queries_dir(settings())
    saved = list_saved(folder)
    if not saved:
        return
    by_name = {query.name: query for query in saved}
    col1, col2 = st.columns([4, 1])
    chosen = col1.selectbox(
        f"Saved queries ({folder})",
        list(by_name),
        index=None,
        key="console_saved",
        on_change=load_saved,
    )
    if chosen and col2.button("Delete", key="console_saved_delete"):
        delete_saved(folder, chosen)
        st.toast(f"Deleted {chosen!r}")
        st.rerun()


def load_saved() -> None:
    """on_change: put the saved query chosen into the editor."""
    chosen = st.session_state.get("console_saved")
    for query in list_saved(saved_queries_dir(settings())):
        if query.name == chosen:
            set_query(query.text)


def base_url() -> str:
    """The app's address as the browser sees it (empty in tests without a browser)."""
    url = str(getattr(st.context, "url", "") or "")
    return url.split("?", 1)[0].removesuffix("/ask").rstrip("/")


def show_views(result: Answer) -> None:
    """A console answer as table, graph, timeline or chart (what its columns support)."""
    if result.kind == "ask":
        st.metric("Answer", "yes" if result.boolean else "no")
        return
    shape = result_views(result)
    if st.session_state.get("console_view") not in shape.views:
        st.session_state["console_view"] = "table"
    view = st.radio("View", shape.views, horizontal=True, key="console_view")
    columns, rows = labelled_rows(store(), result)  # labels: memoised per store version
    st.caption(f"{len(rows)} rows")
    if view == "graph":
        nodes, edges = graph_of(result, rows)
        if edges:
            st.graphviz_chart(to_dot(nodes, edges))
        else:
            st.caption("No two IRI columns to draw.")
    elif view == "timeline":
        when = shape.date_columns[0]
        what = next((c for c in result.vars if c != when), when)
        dated = [
            {"date": iso_date(r.get(when)), "item": label_of(r, what), "column": when} for r in rows
        ]
        timeline_chart(dated, "item", "column", ["item", "date"], "console_timeline")
    elif view == "chart":
        number = shape.number_columns[0]
        what = next((c for c in result.vars if c not in shape.number_columns), None)
        frame = pd.DataFrame(
            {
                "name": [label_of(r, what) if what else str(i) for i, r in enumerate(rows)],
                number: [r.get(number) for r in rows],
            }
        )
        st.bar_chart(frame, x="name", y=number, horizontal=True)
    else:
        if result.kind == "select":
            shown = [
                {c: label_of(r, c) if c in shape.iri_columns else r.get(c) for c in result.vars}
                for r in rows
            ]
            table(shown, list(result.vars), "console_result_table")
        else:
            table(rows, columns, "console_result_table")  # CONSTRUCT triples as CURIEs
    col1, col2 = st.columns(2)
    col1.download_button(
        "Download CSV (IRIs and labels)",
        pd.DataFrame(rows, columns=columns).to_csv(index=False),
        "result.csv",
        "text/csv",
        key="console_result_csv",
    )
    col2.download_button(
        "Download JSON",
        format_result(result, "json"),
        "result.json",
        "application/json",
        key="console_result_json",
    )
