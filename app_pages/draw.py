"""Drawing helpers every page uses: tables, links to entity pages, evidence lists, timelines.

Untrusted text (labels, titles, sentences) reaches the page only as dataframe cells or escaped
markdown, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import ROUTES
from ingest.explore.results import Row, row_entities
from ingest.explore.terms import curie, md_escape, page_for

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

    from ingest.explore.events import EventPage


LEGEND = (
    "Where facts come from: :blue-badge[curated] reference data · :green-badge[asserted] by an "
    "ingested document · :violet-badge[inferred] by the reasoner · :orange-badge[review] "
    "extracted with low confidence and held back for a human (no plain fact)."
)

GRAPH_LEGEND = (
    "Edges: blue = curated, green = asserted, purple broken line = inferred, orange broken line "
    "= review."
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
    "actorRole": "how",
    "attributedTo": "attributed to",
    "capabilityLabel": "capability",
    "conductedBy": "conducted by",
    "dateText": "date",
    "declares": "declares",
    "heldBy": "held by",
    "objectLabel": "object",
    "otherLabel": "other end",
    "propertyLabel": "relation",
    "relationLabel": "relation",
    "responsible": "conducted by / held responsible",
    "subjectLabel": "subject",
    "threatLabel": "threat",
    "typeLabel": "type",
}
"""Column headers in words (a table never shows a query variable such as `condemnerLabel`)."""


def title_of(column: str) -> str:
    return COLUMN_TITLES.get(column, column)


def entity_url(iri: str, label: object) -> str:
    """A relative link to an entity's page, its label after `#` for a LinkColumn to show.

    Relative, so it works under any base path; the label is the fragment, which the page
    ignores and `LINK_TEXT` extracts for display.
    """
    page, param = page_for(iri)
    route = ROUTES.get(page)
    path = route.url_path if route is not None else page
    return f"{path}?{urlencode({param: curie(iri)})}#{label}"


LINK_TEXT = r"^[^#]*#(.*)$"
"""A LinkColumn's display_text: the label part of an `entity_url`."""


def table(
    rows: Sequence[Mapping[str, object]],
    columns: Sequence[str],
    key: str,
    links: Mapping[str, str] | None = None,
    lists: Mapping[str, tuple[str, str]] | None = None,
    **config: ColumnConfig,
) -> None:
    """Rows as a dataframe (cells are plain text: safe for untrusted labels), with a CSV download.

    `links` maps a label column to the column holding its entity's IRI: that column's cells
    become links to the entity's page. `lists` names multi-entity cells ("Russia; China"):
    column -> (IRI list column, label list column); a cell holds one link at most, so selecting
    a row lists every entity it names as links. The CSV keeps label and IRI side by side. The keyed
    container names the table for tests and the browser (`st-key-<key>`): a display dataframe
    keeps no key of its own.
    """
    links = dict(links or {})
    with st.container(key=key):
        if not rows:
            st.caption("Nothing to show.")
            return
        frame = pd.DataFrame(list(rows))
        shown = [c for c in columns if c in frame.columns]
        view = frame[shown].copy()
        link_config: dict[str, ColumnConfig] = {}
        for column, iri_column in links.items():
            if column in view.columns and iri_column in frame.columns:
                view[column] = [
                    entity_url(str(iri), label) if iri else str(label or "")
                    for iri, label in zip(frame[iri_column], frame[column], strict=True)
                ]
                link_config[column] = st.column_config.LinkColumn(
                    title_of(column), display_text=LINK_TEXT
                )
        titles = {c: title_of(c) for c in view.columns if c in COLUMN_TITLES}
        # never two columns under one header (Threats once showed two "actor" columns)
        used: set[str] = set()
        for c in view.columns:
            title = title_of(c)
            if title in used:
                titles[c] = f"{title} ({c})"
            used.add(titles.get(c, title))
        column_config = {**titles, **link_config, **config} or None
        lists = dict(lists or {})
        if lists:
            picked = st.dataframe(
                view,
                hide_index=True,
                column_config=column_config,
                key=f"{key}_rows",
                on_select="rerun",
                selection_mode="single-row",
            )
            chosen = list(picked.selection.rows) if picked is not None else []
            if chosen:
                row_links(rows[chosen[0]], links, lists)
            else:
                st.caption("Select a row to open every entity it names.")
        else:
            st.dataframe(view, hide_index=True, column_config=column_config)
        many = {c: i for c, (i, _) in lists.items() if c in shown and i in frame}
        export = frame[
            [*shown, *(i for c, i in links.items() if c in shown and i in frame), *many.values()]
        ]
        export = export.loc[:, ~export.columns.duplicated()]
        renamed = (
            {c: title_of(c) for c in shown}
            | {i: f"{title_of(c)} IRI" for c, i in links.items() if c in shown}
            | {i: f"{title_of(c)} IRIs" for c, i in many.items()}
        )
        csv = export.rename(columns=renamed).map(_csv_cell).to_csv(index=False)
        st.download_button(
            "Download CSV (labels and IRIs)",
            csv,
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",  # downloading does not rerun the page
        )


def row_links(
    row: Mapping[str, object], links: Mapping[str, str], lists: Mapping[str, tuple[str, str]]
) -> None:
    """Links to every entity one table row names (multi-entity cells included)."""
    entities = row_entities(row, links, lists)
    if not entities:
        st.caption("This row names no entity with a page.")
        return
    st.caption("In this row:")
    columns = st.columns(min(len(entities), 4))
    for n, (iri, label) in enumerate(entities):
        with columns[n % len(columns)]:
            link(iri, label)


def _csv_cell(cell: object) -> object:
    return "; ".join(map(str, cell)) if isinstance(cell, list | tuple) else cell


def link(iri: str, label: str, suffix: str = "") -> None:
    """A link to the page of an entity, event, document or capability (its reference in the URL)."""
    page, param = page_for(iri)
    text = md_escape(label) + (f" · {md_escape(suffix)}" if suffix else "")
    st.page_link(ROUTES[page], label=text, query_params={param: curie(iri)})


def source_links(urls: Sequence[str], key: str) -> None:
    """Curated `dct:source` addresses as links (the place to swap in the shared evidence
    component once it exists)."""
    with st.container(key=key):
        for url in urls:
            if url.startswith(("https://", "http://")):
                st.markdown(f"- [{md_escape(_short_url(url))}]({url.replace(')', '%29')})")
            else:
                st.markdown(f"- {md_escape(url)}")


def _short_url(url: str) -> str:
    host, _, rest = url.split("://", 1)[-1].partition("/")
    tail = rest.rstrip("/").rsplit("/", 1)[-1]
    return f"{host} › {tail}" if tail else host


def evidence_list(rows: list[Row], key: str) -> None:
    """Evidence sentences in full, each linked to its document with the sentence highlighted
    (the shared evidence component, `app_pages.evidence`)."""
    from app_pages.evidence import evidence_rows

    evidence_rows(rows, key, MAX_EVIDENCE)


OLD_YEARS = 15
"""A timeline whose oldest point lies this many years before most of the others opens on the
recent years (the range slider brings the old ones back)."""


def page_number(key: str) -> int:
    """The page a list's `pager` asks for: read before the list is fetched, drawn after it."""
    return int(st.session_state.get(key) or 1)


def pager(found: EventPage, noun: str, key: str) -> None:
    """Which events of how many the list shows, and a page number when there is more than one
    page (lists show `EVENTS_PER_PAGE` at a time: all 10,000 events of a 1M-triple graph took
    seconds to read and draw)."""
    if not found.rows:
        return
    last = found.first + len(found.rows) - 1
    st.caption(f"{noun} {found.first:,}–{last:,} of {found.total:,}, newest first.")
    if found.pages > 1:
        st.session_state[key] = found.page  # a page past the end (the graph shrank) shows the last
        st.number_input(f"Page (of {found.pages:,})", min_value=1, max_value=found.pages, key=key)


def tick_format(days: int) -> str:
    """Axis labels that always carry the year: years alone for long spans, month and year,
    then day, month and year as the span shrinks (never a bare "April October")."""
    if days > 3 * 365:
        return "%Y"
    if days > 120:
        return "%b %Y"
    return "%d %b %Y"


def timeline_chart(
    rows: Sequence[Row],
    y: str,
    color: str,
    tooltip: Sequence[str],
    key: str,
    label: str = "label",
    clip_old: bool = True,
) -> None:
    """Dated rows as labelled points in time, one line per `y` value, coloured by `color`
    (origins in their own colours).

    Every tick names its year; the chart zooms and pans (drag, scroll); a range slider clips
    the years shown, so one old treaty does not squash recent years into a corner (with
    `clip_old` it opens on the recent years and says what it hides).
    """
    dated = [r for r in rows if r.get("date")]
    if not dated:
        st.caption("No dated items to place on a timeline.")
        return
    frame = pd.DataFrame(dated)
    frame["day"] = pd.to_datetime(frame["date"])
    years_of = frame["day"].dt.year
    first, last = int(years_of.min()), int(years_of.max())
    if last > first:
        start = first
        recent = int(years_of.quantile(0.2))
        if clip_old and recent - first > OLD_YEARS:
            start = recent
        start, end = st.slider(
            "Years shown", first, last, (start, last), key=f"{key}_years", format="%d"
        )
        hidden = int(((years_of < start) | (years_of > end)).sum())
        if hidden:
            st.caption(f"{hidden} item(s) outside these years are hidden: widen the range.")
        frame = frame[(years_of >= start) & (years_of <= end)]
    if frame.empty:
        st.caption("No dated items in those years.")
        return
    frame = frame.sort_values(["day"]).reset_index(drop=True)
    # alternate labels above and below their points, per line, so neighbours overlap less
    frame["above"] = frame.groupby(y).cumcount() % 2 == 0
    days = int((frame["day"].max() - frame["day"].min()).days)
    present = [o for o in ORIGIN_COLOURS if o in set(frame[color])]
    scale = (
        alt.Scale(domain=present, range=[ORIGIN_COLOURS[o] for o in present])
        if color == "origin"
        else alt.Undefined
    )
    tips = [alt.Tooltip(f"{c}:N", title=title_of(c)) for c in tooltip if c in frame.columns]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "day:T",
            title=None,
            scale=alt.Scale(padding=90),
            axis=alt.Axis(format=tick_format(days), labelOverlap=True, grid=True, tickCount=8),
        ),
        y=alt.Y(f"{y}:N", title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=tips,
    )
    points = base.mark_circle(size=140, opacity=0.85, clip=True).encode(
        color=alt.Color(
            f"{color}:N", scale=scale, title=title_of(color), legend=alt.Legend(orient="bottom")
        )
    )
    layers: list[alt.Chart] = [points]
    if label in frame.columns:
        for above, dy in ((True, -11), (False, 13)):
            layers.append(
                base.transform_filter(alt.datum.above == above)
                .mark_text(align="left", dx=7, dy=dy, fontSize=11, limit=170, clip=True)
                .encode(text=f"{label}:N")
            )
    chart = (
        alt.layer(*layers)
        .properties(height=max(150, 64 * frame[y].nunique()))
        .interactive(bind_y=False)
    )
    with st.container(key=f"{key}_box"):  # names the chart for tests and the browser
        st.altair_chart(chart, key=key, width="stretch")
