"""Parameters bound into query text as rdflib terms serialised with `.n3()`: VALUES blocks or
constants, placed by a scanner that skips comments, strings and IRIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from ingest.errors import StoreError


def inject_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables for a remote endpoint: a VALUES block at the start of the outer WHERE group.

    Values are rdflib terms serialised with `.n3()` (escaped by rdflib), so no user text is
    formatted into the query. The position is found by a scanner that skips comments, strings
    and IRIs; only our own library queries take bindings.
    """
    names = sorted(bindings)
    for name in names:
        if not name.isidentifier():
            raise StoreError(f"invalid variable name {name!r}", "query bindings", "")
    block = (
        " VALUES ("
        + " ".join("?" + n for n in names)
        + ") { ("
        + " ".join(bindings[n].n3() for n in names)
        + ") } "
    )
    position = _outer_group_start(sparql)
    return sparql[: position + 1] + block + sparql[position + 1 :]


def inject_value_rows(sparql: str, name: str, terms: Sequence[Node]) -> str:
    """Bind one variable to many values (a batch lookup): `VALUES ?name { t1 t2 ... }`.

    Placed and escaped like `inject_values`: terms are serialised with `.n3()`.
    """
    if not name.isidentifier():
        raise StoreError(f"invalid variable name {name!r}", "query bindings", "")
    block = " VALUES ?" + name + " { " + " ".join(term.n3() for term in terms) + " } "
    position = _outer_group_start(sparql)
    return sparql[: position + 1] + block + sparql[position + 1 :]


def bind_constant(sparql: str, name: str, term: RDFLiteral) -> str:
    """The query with the variable `?name` replaced by the literal `term`, serialised (and so
    escaped) with `.n3()`, outside comments, strings and IRIs.

    For a REGEX pattern only: Oxigraph compiles a pattern once when it is a constant, but again
    for every row when it comes from a VALUES block (6x slower on a tiny pattern at 1M triples).
    """
    if not name.isidentifier():
        raise StoreError(f"invalid variable name {name!r}", "query bindings", "")
    out: list[str] = []
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch in "#\"'<":  # a comment, string or IRI (a '<' operator is passed over)
            end = _skip_token(sparql, i)
            out.append(sparql[i:end])
            i = end
            continue
        if ch in "?$" and sparql.startswith(name, i + 1):
            end = i + 1 + len(name)
            if end == n or not (sparql[end].isalnum() or sparql[end] == "_"):
                out.append(term.n3())
                i = end
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _skip_token(sparql: str, i: int) -> int:
    """End of the comment, string or IRI starting at `i` (i + 1 for a '<' that is an operator)."""
    n = len(sparql)
    ch = sparql[i]
    if ch == "#":
        end = sparql.find("\n", i)
        return n if end < 0 else end
    if ch == "<":
        end = sparql.find(">", i)
        if end > 0 and " " not in sparql[i:end] and "\n" not in sparql[i:end]:
            return end + 1
        return i + 1
    triple = sparql[i : i + 3]
    if triple in ('"""', "'''"):
        end = sparql.find(triple, i + 3)
        return n if end < 0 else end + 3
    j = i + 1
    while j < n and sparql[j] != ch:
        j += 2 if sparql[j] == "\\" else 1
    return j + 1


def _outer_group_start(sparql: str) -> int:
    """Index of the '{' opening the outer WHERE group (the first '{' after WHERE at depth 0)."""
    i, n = 0, len(sparql)
    seen_where = False
    depth = 0
    first_brace = -1
    upper = sparql.upper()
    while i < n:
        ch = sparql[i]
        if ch in "#\"'<":  # a comment, string or IRI (a '<' operator is passed over)
            i = _skip_token(sparql, i)
            continue
        if upper.startswith("WHERE", i) and depth == 0:
            seen_where = True
        if ch == "{":
            if depth == 0 and seen_where:
                return i
            if depth == 0 and first_brace < 0:
                first_brace = i
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    if first_brace >= 0:
        return first_brace
    raise StoreError("cannot find the query's WHERE group", "query", "add a WHERE clause")
