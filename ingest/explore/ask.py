"""The Ask page's data: the query library's forms, and the SPARQL console's prefixes, shared
links (`?q=`) and result views (table, graph, timeline, chart) with labels beside IRIs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ingest.errors import InputError
from ingest.queries import PREFIXES, expand_iri, get_query, run_query

from .actors import organisations
from .doctrine import concepts
from .entities import ACTOR_TYPES, TOP_CLASSES, Entity, entity_index
from .graphs import RELATION_COLUMNS, relation_graph
from .results import Answer, Param, Row, display_table
from .terms import curie, iso_date, skg, value

if TYPE_CHECKING:
    from ingest.store import QueryResult, Store


@dataclass(frozen=True)
class ParamChoice:
    """How to ask for one query parameter: a widget kind and its choices (value, label)."""

    name: str
    widget: str  # select | text | date | integer
    options: tuple[tuple[str, str], ...] = ()
    default: str | None = None
    required: bool = False
    help: str = ""


ENTITY_PARAMS = {"actor", "subject", "object", "from", "to", "target"}


def param_choices(store: Store, query_name: str) -> list[ParamChoice]:
    """Widgets for a library query's parameters, with entity choices where a param is an IRI."""
    spec = get_query(query_name)
    out: list[ParamChoice] = []
    index: dict[str, Entity] | None = None
    for param in spec.params:
        default = param.default
        help_text = param.description
        if param.type == "iri":
            if param.name in ("organization", "alliance"):
                options = [(e.iri, f"{e.label} ({e.type_label})") for e in organisations(store)]
            elif param.name == "concept":
                options = [(e.iri, e.label) for e in concepts(store)]
            elif param.name == "class":
                options = [(str(skg(v)), k) for k, v in TOP_CLASSES.items()]
                options += [(str(skg(t)), t) for t in ACTOR_TYPES]
            elif param.name == "predicate":
                from ingest.corpus import DATE_PROPERTY, load_schema

                # The relations a text states, as the ontology declares them (not a copy).
                relations = [p for p in load_schema().properties if p != DATE_PROPERTY]
                options = [(str(skg(p)), p) for p in relations]
            else:
                index = entity_index(store) if index is None else index
                entities = sorted(
                    index.values(), key=lambda e: (e.group != "Actor", e.group, e.label.lower())
                )
                if param.name == "actor" and query_name == "capability_matrix":
                    entities = [e for e in entities if e.group == "Actor"]
                options = [(e.iri, f"{e.label} ({e.group.lower()})") for e in entities]
            if default:
                default = str(expand_iri(default))
                if default not in {o[0] for o in options}:
                    options.insert(0, (default, curie(default)))
            out.append(
                ParamChoice(
                    param.name, "select", tuple(options), default, param.required, help_text
                )
            )
        elif param.type == "string" and param.name == "status":
            options = [("asserted", "asserted"), ("review", "review")]
            out.append(ParamChoice(param.name, "select", tuple(options), default, False, help_text))
        elif param.type in ("date", "integer"):
            out.append(ParamChoice(param.name, param.type, (), default, param.required, help_text))
        else:
            out.append(ParamChoice(param.name, "text", (), default, param.required, help_text))
    return out


def run_library_query(store: Store, name: str, params: Mapping[str, Param]) -> QueryResult:
    """Run a library query with form values; blank optional values mean 'any'."""
    given = {k: v for k, v in params.items() if v not in (None, "")}
    return run_query(store, name, given)


# --- the SPARQL console ---------------------------------------------------------------------

MAX_SHARED_CHARS = 8000
"""The longest query a shared link (`?q=`) may carry: browsers and proxies cut long URLs."""
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_DATE_TYPES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}
VIEWS = ("table", "graph", "timeline", "chart")


def prefix_lines() -> str:
    """The prefixes every console query has, as PREFIX lines (the query library's `PREFIXES`)."""
    return "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())


def with_prefixes(text: str) -> str:
    """The query with the project's prefixes it does not declare itself, on its first line.

    They go on the same line as the query's start, so an error's line number is the line the
    user typed (only columns on line 1 move).
    """
    declared = {m[1] or "" for m in _DECLARED.finditer(text)}
    missing = [f"PREFIX {n}: <{iri}>" for n, iri in PREFIXES.items() if n not in declared]
    return " ".join([*missing, text]) if missing else text


def share_link(text: str, base: str = "") -> str:
    """A link that reopens the console with `text` (`base` + `ask?q=...`)."""
    if len(text) > MAX_SHARED_CHARS:
        raise InputError(
            f"the query is {len(text):,} characters, too long for a link",
            "SPARQL console",
            f"shorten it below {MAX_SHARED_CHARS:,} characters or save it as a .rq file",
        )
    return base.rstrip("/") + "/ask?" + urlencode({"q": text}, quote_via=quote)


def shared_query(params: Mapping[str, str | list[str]]) -> str | None:
    """The query a shared link carries (`q`), or None; refuses one longer than a link may be."""
    found = params.get("q")
    if isinstance(found, list):
        found = found[-1] if found else None
    if not found or not found.strip():
        return None
    if len(found) > MAX_SHARED_CHARS:
        raise InputError(
            "the link's query is too long", "SPARQL console", "open the query from a file instead"
        )
    return found


@dataclass(frozen=True)
class ResultView:
    """What a console SELECT result can be drawn as, and from which columns."""

    views: tuple[str, ...]
    iri_columns: tuple[str, ...] = ()
    date_columns: tuple[str, ...] = ()
    number_columns: tuple[str, ...] = ()


def _is_date(term: object) -> bool:
    if isinstance(term, Literal):
        return term.datatype in _DATE_TYPES or (
            term.datatype in (None, XSD.string) and iso_date(str(term)) is not None
        )
    return False


def _is_number(term: object) -> bool:
    return (
        isinstance(term, Literal)
        and term.datatype is not None
        and term.datatype != XSD.boolean
        and isinstance(term.toPython(), int | float | Decimal)
    )


def result_views(result: Answer) -> ResultView:
    """The views a result supports (Wikidata Query Service-style): always a table; a graph from
    two IRI columns (subject/object-like); a timeline when a column holds dates; a bar chart when
    a column holds numbers. A column counts when every bound value in it is of that sort."""
    if result.kind == "construct":
        return ResultView(("table", "graph") if result.graph else ("table",))
    if result.kind != "select" or not result.rows:
        return ResultView(("table",))

    def every(test: Callable[[object], bool]) -> tuple[str, ...]:
        out = []
        for column in result.vars:
            bound = [r.get(column) for r in result.rows if r.get(column) is not None]
            if bound and all(test(t) for t in bound):
                out.append(column)
        return tuple(out)

    iris = every(lambda t: isinstance(t, URIRef))
    dates = every(_is_date)
    numbers = every(_is_number)
    views = ["table"]
    if len(iris) >= 2:
        views.append("graph")
    if dates:
        views.append("timeline")
    if numbers:
        views.append("chart")
    return ResultView(tuple(views), iris, dates, numbers)


def labelled_rows(store: Store, result: Answer) -> tuple[list[str], list[Row]]:
    """A SELECT result with a readable label beside every IRI column (`xLabel`), IRIs kept full.

    A label the query returned itself (`?xLabel`) wins; then the graph's individuals' labels;
    then the CURIE (ontology terms: `skg:conducted`).
    """
    if result.kind != "select":
        columns, rows = display_table(result)
        return columns, rows
    index = entity_index(store)
    shape = result_views(result)
    columns: list[str] = []
    for column in result.vars:
        columns.append(column)
        if column in shape.iri_columns and f"{column}Label" not in result.vars:
            columns.append(f"{column}Label")
    rows: list[Row] = []
    for row in result.rows:
        out: Row = {column: value(row.get(column)) for column in result.vars}
        for column in shape.iri_columns:
            iri = row.get(column)
            if iri is None or f"{column}Label" in result.vars:
                continue
            entity = index.get(str(iri))
            out[f"{column}Label"] = entity.label if entity else curie(iri)
        rows.append(out)
    return columns, rows


def label_of(row: Row, column: str) -> str:
    """The readable name of a cell: its label column when there is one."""
    found = row.get(f"{column}Label")
    return str(found if found not in (None, "") else row.get(column) or "")


def graph_of(result: Answer, rows: list[Row]) -> tuple[dict[str, str], list[tuple[str, ...]]]:
    """Nodes (IRI -> label) and edges from a result's first two IRI columns (or a CONSTRUCT).

    The edge label is a predicate-like IRI column (`p`, `predicate`, `property`) when there is
    one, else the second column's name.
    """
    rel = relation_graph(result)
    if rel.edges:
        return rel.nodes, rel.edges
    iris = [c for c in result_views(result).iri_columns if not c.endswith("Label")]
    prop = next((c for c in RELATION_COLUMNS if c in iris), None)
    ends = [c for c in iris if c != prop]
    if len(ends) < 2:
        return {}, []
    first, second = ends[0], ends[1]
    nodes: dict[str, str] = {}
    edges: list[tuple[str, ...]] = []
    for row in rows[:MAX_GRAPH_EDGES]:
        s, o = row.get(first), row.get(second)
        if not (isinstance(s, str) and isinstance(o, str)):
            continue
        nodes.setdefault(s, label_of(row, first))
        nodes.setdefault(o, label_of(row, second))
        label = label_of(row, prop) if prop else second
        edges.append((s, label, o, "other"))
    return nodes, edges


MAX_GRAPH_EDGES = 150
