"""The Ask page: the query library as forms, and the free SPARQL console."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from app_pages.common import data, settings, store
from app_pages.draw import GRAPH_LEGEND, table
from ingest.console import QueryLimits
from ingest.errors import SpacekgError
from ingest.explore.ask import param_choices, run_library_query
from ingest.explore.entities import entity_card
from ingest.explore.graphs import relation_graph, to_dot
from ingest.explore.results import Param, display_table
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
