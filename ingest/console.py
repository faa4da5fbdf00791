"""Free SPARQL from users, made safe: read-only, local-only, time- and row-limited.

Every query is parsed by rdflib first. Updates are refused; `SERVICE` and `FROM`/`FROM NAMED`
are refused on the parse tree and the algebra, never by keyword search on the text (SPARQL
allows `SERV\\u0049CE`). Neither rdflib nor Oxigraph can stop a query in-process, so on the
embedded store the query runs in a child process (`console_worker.py`) that opens the store
read-only and is killed at the time limit. On a SPARQL endpoint the limit is the HTTP timeout and
the row limit is also sent as a LIMIT.

`exclude` narrows what the query sees: "inferred" drops the skgg:inferred graph from both the
default graph and the named graphs; "review" hides review-only evidence nodes (status "review").
Review evidence lives inside the source-document graphs next to asserted facts, so it cannot be
dropped by graph: the worker builds an in-memory copy of the visible graphs without those nodes'
triples. That copy costs time linear in the store size; asserted facts are unaffected, since
review-only facts never have a plain triple.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import requests
from rdflib import Graph, URIRef, Variable
from rdflib.term import Node

from .config import Settings
from .errors import QueryError
from .iri import INFERRED_GRAPH
from .store import EndpointStore, OxigraphStore, Store, parse_sparql_json

WORKER = Path(__file__).with_name("console_worker.py")
EXCLUDE_OPTIONS = frozenset({"inferred", "review"})
MAX_QUERY_CHARS = 100_000
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}
WHERE = "SPARQL console"


@dataclass
class ConsoleResult:
    """A console answer; `truncated` is True when rows beyond the row limit were dropped."""

    kind: Literal["select", "ask", "construct"]
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class CheckedQuery:
    """What the checks learnt about a query that may run."""

    kind: Literal["select", "ask", "construct"]
    has_limit: bool
    has_values_clause: bool


# --- checks ----------------------------------------------------------------------------------


def _position(text: str, loc: int) -> tuple[int, int]:
    """1-based line and column of character offset `loc`."""
    loc = max(0, min(loc, len(text)))
    line = text.count("\n", 0, loc) + 1
    column = loc - (text.rfind("\n", 0, loc) + 1) + 1
    return line, column


def _walk(node: Any) -> Iterable[Any]:
    """Every node of an rdflib parse tree or algebra (CompValues, ParseResults, lists, dicts)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):  # pyparsing ParseResults
            stack.extend(list(item))


def _term_text(term: Any) -> str:
    """An IRI, prefixed name or variable from the parse tree or algebra, as the user wrote it."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Variable):
        return f"?{term}"
    if getattr(term, "name", None) == "pname":
        return f"{term['prefix'] or ''}:{term['localname'] or ''}"
    return str(term)


def _refuse_remote(tree: Any) -> None:
    for item in _walk(tree):
        name = getattr(item, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryError(
                f"SERVICE {_term_text(item['term'])} is not allowed: the console only reads the "
                "local store",
                WHERE,
                "remove the SERVICE clause",
            )
        if name == "DatasetClause":
            # CompValue.get returns the key itself when it is missing: test membership.
            which = "FROM NAMED" if "named" in item else "FROM"
            iri = item["named"] if "named" in item else item.get("default")
            raise QueryError(
                f"{which} <{iri}> is not allowed: the console fixes the dataset (the union of "
                "the store's graphs)",
                WHERE,
                "remove the FROM clause; use GRAPH <iri> { ... } to read one named graph",
            )


def check_query(text: str) -> CheckedQuery:
    """Parse and vet a user query; raise a QueryError saying why it may not run."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        raise QueryError("the query is empty", WHERE, "type a SELECT, ASK, CONSTRUCT or DESCRIBE")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long (limit {MAX_QUERY_CHARS:,})",
            WHERE,
            "shorten it",
        )
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        try:
            update = parseUpdate(text)
        except Exception:
            update = None
        if update is not None and len(update.request):
            ops = sorted({_UPDATE_NAMES.get(op.name, op.name) for op in update.request})
            raise QueryError(
                f"updates are not allowed ({', '.join(ops)}): the console only reads the store",
                WHERE,
                "use SELECT, ASK, CONSTRUCT or DESCRIBE; change data with spacekg ingest",
            ) from None
        line, column = _position(exc.pstr, exc.loc)
        raise QueryError(
            f"syntax error at line {line}, column {column}: {exc.msg}",
            WHERE,
            "fix the query text there",
        ) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to parse", WHERE, "simplify it") from None
    # The algebra has prefixes resolved (clear messages); the parse tree is checked as well, so a
    # query rdflib cannot translate is still vetted.
    try:
        algebra = translateQuery(parsed)
    except Exception as exc:
        if "prefix" in str(exc).lower():
            raise QueryError(f"{exc}", WHERE, "declare it with a PREFIX line") from None
        algebra = None  # rdflib cannot translate some valid queries
    if algebra is not None:
        _refuse_remote(algebra.algebra)
    _refuse_remote(parsed)
    body = parsed[1]
    name = body.name
    kind: Literal["select", "ask", "construct"] = (
        "ask" if name == "AskQuery" else "select" if name == "SelectQuery" else "construct"
    )
    has_limit = "limitoffset" in body
    has_values = "valuesClause" in body
    return CheckedQuery(kind=kind, has_limit=has_limit, has_values_clause=has_values)


# --- running ---------------------------------------------------------------------------------


def run_console_query(
    target: Store | Settings,
    text: str,
    *,
    timeout_s: float,
    row_limit: int,
    exclude: Iterable[str] = frozenset(),
) -> ConsoleResult:
    """Check and run one user query on the store (or the store the settings name)."""
    excluded = set(exclude)
    unknown = excluded - EXCLUDE_OPTIONS
    if unknown:
        raise QueryError(
            f"cannot exclude {', '.join(sorted(unknown))}",
            WHERE,
            "exclude can be: " + ", ".join(sorted(EXCLUDE_OPTIONS)),
        )
    if timeout_s <= 0 or row_limit < 1:
        raise QueryError("the time limit and row limit must be positive", WHERE, "")
    checked = check_query(text)
    if isinstance(target, Settings):
        if target.endpoint:
            target = EndpointStore(target.endpoint, target.update_endpoint)
        else:
            return _run_embedded(target.store_dir, text, checked, timeout_s, row_limit, excluded)
    if isinstance(target, OxigraphStore):
        if target.path is None:
            raise QueryError(
                "the console needs an on-disk store (this one is in memory)",
                WHERE,
                "open the store with a directory",
            )
        return _run_embedded(target.path, text, checked, timeout_s, row_limit, excluded)
    if isinstance(target, EndpointStore):
        return _run_endpoint(target, text, checked, timeout_s, row_limit, excluded)
    raise QueryError(f"unsupported store {type(target).__name__}", WHERE, "")


def _timeout_error(timeout_s: float) -> QueryError:
    return QueryError(
        f"query ran past the {timeout_s:g} s limit and was stopped",
        WHERE,
        "narrow the patterns, add a LIMIT, or avoid cross joins and REGEX over many values",
    )


def _run_embedded(
    path: Path,
    text: str,
    checked: CheckedQuery,
    timeout_s: float,
    row_limit: int,
    excluded: set[str],
) -> ConsoleResult:
    request = {
        "store": str(path),
        "query": text,
        "row_limit": row_limit,
        "exclude_graphs": [str(INFERRED_GRAPH)] if "inferred" in excluded else [],
        "exclude_review": "review" in excluded,
    }
    started = time.perf_counter()
    # -I: isolated mode (no user site, no PYTHON* variables, no script dir on sys.path).
    process = subprocess.Popen(
        [sys.executable, "-I", str(WORKER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = process.communicate(json.dumps(request).encode("utf-8"), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise _timeout_error(timeout_s) from None
    seconds = time.perf_counter() - started
    try:
        answer = json.loads(out.decode("utf-8"))
    except ValueError:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise QueryError(
            f"the query worker failed (exit {process.returncode}): {last[0][:300]}",
            WHERE,
            "the query may need too much memory; narrow it",
        ) from None
    if "error" in answer:
        message = answer["error"].splitlines()[0][:300] if answer["error"] else ""
        if answer["type"] == "store":
            raise QueryError(
                f"cannot open the store read-only: {message}",
                str(path),
                "check the store directory (run spacekg ingest first)",
            )
        raise QueryError(f"the store refused the query: {message}", WHERE, "fix the query")
    return _to_result(answer, seconds)


def _to_result(answer: dict[str, Any], seconds: float) -> ConsoleResult:
    if answer["kind"] == "ask":
        return ConsoleResult(kind="ask", boolean=bool(answer["boolean"]), seconds=seconds)
    if answer["kind"] == "select":
        parsed = parse_sparql_json(
            {"head": {"vars": answer["vars"]}, "results": {"bindings": answer["rows"]}}
        )
        return ConsoleResult(
            kind="select",
            vars=parsed.vars,
            rows=parsed.rows,
            truncated=bool(answer["truncated"]),
            seconds=seconds,
        )
    names = ["s", "p", "o"]
    parsed = parse_sparql_json(
        {
            "head": {"vars": names},
            "results": {"bindings": [dict(zip(names, t, strict=True)) for t in answer["triples"]]},
        }
    )
    graph = Graph()
    for row in parsed.rows:
        graph.add((row["s"], row["p"], row["o"]))  # type: ignore[arg-type]
    return ConsoleResult(
        kind="construct", graph=graph, truncated=bool(answer["truncated"]), seconds=seconds
    )


def _run_endpoint(
    store: EndpointStore,
    text: str,
    checked: CheckedQuery,
    timeout_s: float,
    row_limit: int,
    excluded: set[str],
) -> ConsoleResult:
    """SPARQL server: the HTTP read timeout is the time limit; LIMIT caps what the server sends."""
    if "review" in excluded:
        raise QueryError(
            "excluding review evidence needs the embedded store",
            WHERE,
            'query the embedded store, or filter ?e skg:status "review" out in the query',
        )
    sent = text
    if checked.kind == "select" and not checked.has_limit and not checked.has_values_clause:
        wrapped = text + "\nLIMIT " + str(int(row_limit) + 1)  # an int of ours, not user text
        try:
            check_query(wrapped)
            sent = wrapped
        except QueryError:
            sent = text
    form: dict[str, Any] = {"query": sent}
    if "inferred" in excluded:
        graphs = [str(g) for g in store.graph_names() if g != INFERRED_GRAPH]
        form["default-graph-uri"] = graphs
        form["named-graph-uri"] = graphs
    accept = (
        "application/n-triples"
        if checked.kind == "construct"
        else "application/sparql-results+json"
    )
    session = getattr(store, "_session", None) or requests.Session()
    started = time.perf_counter()
    try:
        response = session.post(
            store.endpoint, data=form, headers={"Accept": accept}, timeout=timeout_s
        )
    except requests.Timeout:
        raise _timeout_error(timeout_s) from None
    except requests.RequestException as exc:
        raise QueryError(
            f"cannot reach the SPARQL server ({type(exc).__name__})",
            store.endpoint,
            "check that it runs",
        ) from None
    seconds = time.perf_counter() - started
    if response.status_code >= 400:
        detail = (response.text.strip().splitlines() or [""])[0][:300]
        raise QueryError(f"the SPARQL server refused the query: {detail}", store.endpoint, "")
    if checked.kind == "construct":
        graph = Graph()
        graph.parse(data=response.content.decode("utf-8"), format="nt")
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
        truncated = len(triples) > row_limit
        if truncated:
            kept = Graph()
            for triple in triples[:row_limit]:
                kept.add(triple)
            graph = kept
        return ConsoleResult(kind="construct", graph=graph, truncated=truncated, seconds=seconds)
    result = parse_sparql_json(json.loads(response.content))
    if result.kind == "ask":
        return ConsoleResult(kind="ask", boolean=result.boolean, seconds=seconds)
    truncated = len(result.rows) > row_limit
    return ConsoleResult(
        kind="select",
        vars=result.vars,
        rows=result.rows[:row_limit],
        truncated=truncated,
        seconds=seconds,
    )


__all__ = ["EXCLUDE_OPTIONS", "CheckedQuery", "ConsoleResult", "check_query", "run_console_query"]
