"""The query library: one SPARQL query per `.rq` file in queries/, with a grlc-style header.

Header format (YAML inside leading `#+ ` comment lines, so each file still runs in any SPARQL
tool)::

    #+ summary: Who has which counterspace capability, with evidence counts
    #+ description: optional longer text
    #+ params:
    #+   - name: actor          # the query variable ?actor
    #+     type: iri            # iri | string | date | integer
    #+     required: false      # default false
    #+     default: skgid:actor/nato   # optional; without it an optional param stays unbound (= all)
    #+     description: ...

Parameters become rdflib terms and are handed to `store.query` as bindings: values never enter
the query text by string formatting.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .config import GRAPH_NS, ID_NS, ONTOLOGY_NS, QUERIES_DIR, SHAPES_NS
from .errors import QueryError

PARAM_TYPES = ("iri", "string", "date", "integer")
CHECKS_DIR = QUERIES_DIR / "checks"

# Prefixes accepted in IRI parameters and used to shorten IRIs in tables.
PREFIXES: dict[str, str] = {
    "skg": ONTOLOGY_NS,
    "skgid": ID_NS,
    "skgsh": SHAPES_NS,
    "skgg": GRAPH_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
}
ID_KINDS = (
    "actor",
    "asset",
    "capability",
    "event",
    "document",
    "concept",
    "place",
    "evidence",
    "membership",
    "source",
    "scheme",
)
# Characters that may not appear in an IRI (RFC 3987 / SPARQL IRIREF); also no controls.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
IRI_SCHEMES = ("http", "https", "urn")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_HEADER = re.compile(r"^#\+ ?(.*)$")


@dataclass(frozen=True)
class ParamSpec:
    """One query parameter as declared in the header."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class QuerySpec:
    """A library query: its name (file stem), header and SPARQL text."""

    name: str
    summary: str
    params: tuple[ParamSpec, ...]
    text: str
    path: Path
    description: str = ""

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


class _ResultLike(Protocol):
    kind: str
    vars: list[str]
    rows: list[dict[str, Node | None]]
    boolean: bool | None
    graph: Graph | None


# --- loading ---------------------------------------------------------------------------------


def parse_header(text: str, where: str) -> dict[str, Any]:
    """The YAML of the leading `#+` lines of a query file (empty dict when there is none)."""
    lines = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match is None:
            if line.strip() == "" or line.startswith("#"):
                continue
            break
        lines.append(match.group(1))
    if not lines:
        return {}
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        raise QueryError(f"bad query header: {exc}", where, "fix the '#+' lines") from exc
    if not isinstance(header, dict):
        raise QueryError("the query header is not a mapping", where, "use '#+ summary: ...'")
    return header


def load_query(path: Path) -> QuerySpec:
    """Read and check one `.rq` file; a bad header fails here, not when the query is run."""
    text = path.read_text(encoding="utf-8")
    where = str(path)
    header = parse_header(text, where)
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise QueryError("the query has no '#+ summary:' line", where, "add one")
    params: list[ParamSpec] = []
    for raw in header.get("params") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise QueryError("each param needs a 'name'", where, "fix the '#+ params:' list")
        name = raw["name"]
        ptype = raw.get("type")
        if ptype not in PARAM_TYPES:
            raise QueryError(
                f"param '{name}' has type {ptype!r}", where, "use one of " + ", ".join(PARAM_TYPES)
            )
        if not re.search(r"[?$]" + re.escape(name) + r"\b", text):
            raise QueryError(f"param '{name}' is not a variable of the query", where, "")
        default = raw.get("default")
        spec = ParamSpec(
            name=name,
            type=ptype,
            required=bool(raw.get("required", False)),
            default=None if default is None else str(default),
            description=str(raw.get("description", "")).strip(),
        )
        if spec.required and spec.default is not None:
            raise QueryError(f"param '{name}' is required and has a default", where, "drop one")
        if spec.default is not None:
            to_term(spec, spec.default, query=path.stem)  # a bad default fails at load time
        params.append(spec)
    return QuerySpec(
        name=path.stem,
        summary=summary.strip(),
        description=str(header.get("description", "")).strip(),
        params=tuple(params),
        text=text,
        path=path,
    )


@cache
def _load_dir(directory: Path) -> dict[str, QuerySpec]:
    return {path.stem: load_query(path) for path in sorted(directory.glob("*.rq"))}


def library() -> dict[str, QuerySpec]:
    """Every library query by name, read once per process."""
    return _load_dir(QUERIES_DIR)


def checks() -> dict[str, QuerySpec]:
    """The `*-violation` checks by name: each must return zero rows on a healthy store."""
    return _load_dir(CHECKS_DIR)


class _Library(Mapping[str, QuerySpec]):
    """`QUERY_LIBRARY`: a lazily loaded, cached mapping name -> QuerySpec."""

    def __getitem__(self, name: str) -> QuerySpec:
        return library()[name]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(library())

    def __len__(self) -> int:
        return len(library())


QUERY_LIBRARY: Mapping[str, QuerySpec] = _Library()


def list_queries() -> list[QuerySpec]:
    """Library queries sorted by name (for the CLI's `queries` listing and the app's menu)."""
    return [library()[name] for name in sorted(library())]


def get_query(name: str) -> QuerySpec:
    """The named library query, or a QueryError listing the names there are."""
    spec = library().get(name)
    if spec is None:
        raise QueryError(
            f"there is no query named '{name}'",
            "query library",
            "choose one of: " + ", ".join(sorted(library())),
        )
    return spec


# --- parameters ------------------------------------------------------------------------------


def expand_iri(value: str) -> URIRef:
    """An IRI from a full IRI, `<IRI>`, a CURIE (`skg:State`, `skgid:actor/russia`) or
    `kind/slug` (`actor/russia`). Raises ValueError with the reason."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    kind, _, rest = text.partition("/")
    prefix, colon, local = text.partition(":")
    if kind in ID_KINDS and rest and not colon:
        text = ID_NS + text
    elif colon and prefix in PREFIXES:
        text = PREFIXES[prefix] + local
    elif colon and prefix.lower() not in IRI_SCHEMES:
        raise ValueError(
            f"unknown prefix or scheme '{prefix}:' (prefixes: {', '.join(PREFIXES)}; "
            f"schemes: {', '.join(IRI_SCHEMES)})"
        )
    if not text or _BAD_IRI.search(text):
        raise ValueError("an IRI cannot contain spaces, quotes, <, >, {, }, |, ^, ` or \\")
    if not _ABSOLUTE_IRI.match(text):
        raise ValueError(
            "not an IRI: use a full IRI, a CURIE such as skgid:actor/russia or skg:State, "
            "or kind/slug such as actor/russia"
        )
    return URIRef(text)


def to_term(spec: ParamSpec, value: str | Node | int | dt.date, *, query: str) -> Node:
    """Convert and check one parameter value; a bad value is a QueryError naming the param."""
    where = f"query '{query}', param '{spec.name}'"
    try:
        if spec.type == "iri":
            if isinstance(value, BNode | Literal):
                raise ValueError(f"expected an IRI, got the {type(value).__name__} {value!r}")
            return expand_iri(str(value))
        if spec.type == "string":
            if isinstance(value, URIRef | BNode):
                raise ValueError("expected text, got an IRI")
            if isinstance(value, Literal) and value.datatype not in (None, XSD.string):
                raise ValueError(f"expected text, got a {value.datatype} literal")
            return Literal(str(value))
        if spec.type == "date":
            if isinstance(value, dt.datetime):
                raise ValueError("expected a date, got a date and time")
            if isinstance(value, dt.date):
                return Literal(value.isoformat(), datatype=XSD.date)
            text = str(value).strip()
            if not _DATE.match(text):
                raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}")
            dt.date.fromisoformat(text)  # rejects 2022-02-30
            return Literal(text, datatype=XSD.date)
        if spec.type == "integer":
            if isinstance(value, bool):
                raise ValueError("expected an integer, got a boolean")
            text = str(value).strip()
            if not _INTEGER.match(text):
                raise ValueError(f"expected an integer, got {text!r}")
            return Literal(int(text), datatype=XSD.integer)
    except ValueError as exc:
        raise QueryError(f"bad value: {exc}", where, "fix the parameter value") from exc
    raise QueryError(f"unknown param type {spec.type!r}", where, "fix the query header")


def bind_params(
    spec: QuerySpec, params: Mapping[str, str | Node | int | dt.date | None] | None
) -> dict[str, Node]:
    """Checked bindings for `spec`: unknown, missing or ill-typed params are QueryErrors."""
    given = {k: v for k, v in (params or {}).items() if v is not None}
    valid = [p.name for p in spec.params]
    for name in given:
        if spec.param(name) is None:
            raise QueryError(
                f"unknown parameter '{name}'",
                f"query '{spec.name}'",
                "valid parameters: " + (", ".join(valid) if valid else "none"),
            )
    bindings: dict[str, Node] = {}
    for param in spec.params:
        if param.name in given:
            bindings[param.name] = to_term(param, given[param.name], query=spec.name)
        elif param.default is not None:
            bindings[param.name] = to_term(param, param.default, query=spec.name)
        elif param.required:
            raise QueryError(
                f"missing required parameter '{param.name}' ({param.type})",
                f"query '{spec.name}'",
                f"give it, e.g. --param {param.name}=... ({param.description})",
            )
    return bindings


def run_query(
    store: Any,
    name: str,
    params: Mapping[str, str | Node | int | dt.date | None] | None = None,
    *,
    default_graph: list[URIRef] | None = None,
) -> Any:
    """Run a library (or check) query with bound parameters; returns the store's QueryResult."""
    spec = checks().get(name) or get_query(name)
    bindings = bind_params(spec, params)
    return store.query(spec.text, bindings, default_graph=default_graph)


def run_checks(store: Any) -> dict[str, list[dict[str, Node | None]]]:
    """Run every `*-violation` check; returns the rows of each (all empty on a healthy store)."""
    return {name: store.query(spec.text).rows for name, spec in sorted(checks().items())}


# --- formatting ------------------------------------------------------------------------------


def shorten(term: Node | None) -> str:
    """A term for display: IRIs as CURIEs where a prefix fits, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        best = ""
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def _rows_of(result: _ResultLike) -> tuple[list[str], list[list[Node | None]]]:
    if result.kind == "ask":
        return ["boolean"], [[Literal(bool(result.boolean))]]
    if result.kind == "construct":
        graph = result.graph if result.graph is not None else Graph()
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
        return ["subject", "predicate", "object"], [list(t) for t in triples]
    return list(result.vars), [[row.get(v) for v in result.vars] for row in result.rows]


@dataclass
class _Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


MAX_CELL = 60


def format_result(result: _ResultLike, fmt: str = "table") -> str:
    """Render a result as 'table' (aligned text, CURIEs), 'csv' (SPARQL CSV) or 'json'
    (SPARQL 1.1 JSON results; JSON-LD for CONSTRUCT/DESCRIBE).

    The text is plain and meant to be printed as it is: values are never markup ("[bold]",
    ":secret:" are data). Table cells put line breaks, tabs and other control characters as
    spaces (so the columns line up); csv and json carry values unchanged (json escapes them).
    """
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
        if result.kind == "construct":
            graph = result.graph if result.graph is not None else Graph()
            return graph.serialize(format="json-ld")
        payload = {
            "head": {"vars": list(result.vars)},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in row.items() if t is not None}
                    for row in result.rows
                ]
            },
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    header, rows = _rows_of(result)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if t is None else str(t) for t in row])
        return out.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown output format '{fmt}'", "format", "use table, csv or json")
    table = _Table(header)
    for row in rows:
        cells = []
        for term in row:
            # Line breaks, tabs and other control characters would break the columns.
            text = re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", " ", shorten(term))
            cells.append(text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…")
        table.rows.append(cells)
    widths = [max([len(h)] + [len(r[i]) for r in table.rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table.rows
    ]
    count = len(table.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines)


__all__ = [
    "PARAM_TYPES",
    "PREFIXES",
    "QUERY_LIBRARY",
    "ParamSpec",
    "QuerySpec",
    "bind_params",
    "checks",
    "expand_iri",
    "format_result",
    "get_query",
    "list_queries",
    "run_checks",
    "run_query",
    "shorten",
]
