"""Vetting a user's SPARQL query before any engine runs it: read-only, local-only.

Two independent checks, because the parser that vets a query (rdflib's) is not the one that
runs it (Oxigraph, or a remote server), and the two disagree on details: rdflib ends a `#`
comment only at `\\n`, Oxigraph also at `\\r`, so `# x\\r SERVICE <...>` hid a SERVICE call
from rdflib that Oxigraph then made.

1. The text is normalised first (every line ending becomes `\\n`); the normalised text is what is
   checked *and* what is sent, so both parsers read the same lines.
2. rdflib parses it: updates, SERVICE and FROM are refused on the parse tree and the algebra,
   with the IRI as written, and syntax errors get a line and column.
3. A lexical scan after the SPARQL grammar's own token rules (codepoint escapes expanded;
   comments, strings and IRIs skipped) refuses any bare SERVICE, FROM or update keyword that
   is left. A bare keyword cannot be anything else in SPARQL, so the scan errs only towards
   refusing; it does not depend on any parser's quirks.

This module imports only rdflib's parser and the standard library: the query worker loads it at
every start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef, Variable

from .errors import QueryError

WHERE = "SPARQL console"
MAX_QUERY_CHARS = 100_000
QueryKind = Literal["select", "ask", "construct"]
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
# Words that are keywords of SPARQL Update only (never of a query).
_UPDATE_WORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"]
)
_REMOTE_WORDS = frozenset({"SERVICE", "FROM"})
_FORM_WORDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "construct"}

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The grammar's terminals that can hide a word: comments, the four string forms, IRIREF.
_SKIPPED = re.compile(
    r"""\#[^\n]*
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | "(?:[^"\\\n]|\\.)*"
    | '(?:[^'\\\n]|\\.)*'
    | <[^<>"{}|^`\\\x00-\x20]*>""",
    re.VERBOSE | re.DOTALL,
)
# A bare word: not part of a variable, prefixed name, blank node label or language tag.
_BARE_WORD = re.compile(r"(?<![\w?$:@\-])[A-Za-z]+(?![\w:\-])")


@dataclass(frozen=True)
class CheckedQuery:
    """What the checks learnt about a query that may run; `text` is what must be sent."""

    text: str
    kind: QueryKind
    has_limit: bool
    has_values_clause: bool


def normalise(text: str) -> str:
    """Every line ending as `\\n`, so that all parsers agree where a comment ends."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _expand_codepoints(text: str) -> str:
    """SPARQL's `\\uXXXX` / `\\UXXXXXXXX` escapes, which apply before parsing."""

    def one(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"

    return _CODEPOINT.sub(one, text)


def bare_words(text: str) -> list[str]:
    """Upper-cased bare words of a (normalised) query: its keywords and function names."""
    visible = _SKIPPED.sub(" ", _expand_codepoints(text))
    return [word.upper() for word in _BARE_WORD.findall(visible)]


def query_form(text: str) -> QueryKind | None:
    """The form of a (normalised) query, by its first form keyword; None when it has none.

    Cheap (a lexical scan, no parser): a server uses it to choose a response format before the
    query runs; only `check_query` says whether it may run.
    """
    return next((_FORM_WORDS[w] for w in bare_words(text) if w in _FORM_WORDS), None)  # type: ignore[return-value]


def lexical_check(text: str) -> tuple[QueryKind, bool, bool]:
    """Refuse remote access and updates by keyword; the query form, LIMIT and VALUES seen."""
    words = bare_words(text)
    updates = sorted(_UPDATE_WORDS.intersection(words))
    if updates:
        raise QueryError(
            f"updates are not allowed ({', '.join(updates)}): the console only reads the store",
            WHERE,
            "use SELECT, ASK, CONSTRUCT or DESCRIBE; change data with spacekg ingest",
        )
    remote = sorted(_REMOTE_WORDS.intersection(words))
    if remote:
        raise QueryError(
            f"{' and '.join(remote)} is not allowed: the console only reads the local store",
            WHERE,
            "remove the SERVICE or FROM clause; use GRAPH <iri> { ... } to read one named graph",
        )
    form = next((_FORM_WORDS[w] for w in words if w in _FORM_WORDS), None)
    if form is None:
        raise QueryError(
            "this is not a query (no SELECT, ASK, CONSTRUCT or DESCRIBE)",
            WHERE,
            "type a SELECT, ASK, CONSTRUCT or DESCRIBE",
        )
    return form, "LIMIT" in words, "VALUES" in words  # type: ignore[return-value]


# --- the parse-tree check ----------------------------------------------------------------------


def _position(text: str, loc: int) -> tuple[int, int]:
    """1-based line and column of character offset `loc`."""
    loc = max(0, min(loc, len(text)))
    line = text.count("\n", 0, loc) + 1
    column = loc - (text.rfind("\n", 0, loc) + 1) + 1
    return line, column


def _walk(node: object) -> Iterable[object]:
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
            stack.extend(list(item))  # type: ignore[call-overload]


def _term_text(term: object) -> str:
    """An IRI, prefixed name or variable from the parse tree or algebra, as the user wrote it."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Variable):
        return f"?{term}"
    if getattr(term, "name", None) == "pname":
        return f"{term['prefix'] or ''}:{term['localname'] or ''}"  # type: ignore[index]
    return str(term)


def _refuse_remote(tree: object) -> None:
    for item in _walk(tree):
        name = getattr(item, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryError(
                f"SERVICE {_term_text(item['term'])} is not allowed: the console only reads the "  # type: ignore[index]
                "local store",
                WHERE,
                "remove the SERVICE clause",
            )
        if name == "DatasetClause":
            # CompValue.get returns the key itself when it is missing: test membership.
            which = "FROM NAMED" if "named" in item else "FROM"  # type: ignore[operator]
            iri = item["named"] if "named" in item else item.get("default")  # type: ignore[index,operator,attr-defined]
            raise QueryError(
                f"{which} <{iri}> is not allowed: the console fixes the dataset (the union of "
                "the store's graphs)",
                WHERE,
                "remove the FROM clause; use GRAPH <iri> { ... } to read one named graph",
            )


def _parse_check(text: str) -> None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        try:
            update = parseUpdate(text)
        except Exception:
            update = None
        requests = getattr(update, "request", None)  # None for a text of comments only
        if requests:
            ops = sorted({_UPDATE_NAMES.get(op.name, op.name) for op in requests})
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
    except RecursionError:
        raise QueryError("the query is nested too deeply to parse", WHERE, "simplify it") from None
    except Exception as exc:
        if "prefix" in str(exc).lower():
            raise QueryError(f"{exc}", WHERE, "declare it with a PREFIX line") from None
        algebra = None  # rdflib cannot translate some valid queries
    if algebra is not None:
        _refuse_remote(algebra.algebra)
    _refuse_remote(parsed)


def check_query(text: str) -> CheckedQuery:
    """Vet a user query; raise a QueryError saying why it may not run.

    Costs up to seconds on hostile input (rdflib's parser): call it where a deadline holds,
    as the query worker does.
    """
    if not text.strip():
        raise QueryError("the query is empty", WHERE, "type a SELECT, ASK, CONSTRUCT or DESCRIBE")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long (limit {MAX_QUERY_CHARS:,})",
            WHERE,
            "shorten it",
        )
    text = normalise(text)
    _parse_check(text)  # first: its messages name the IRI and the position
    kind, has_limit, has_values = lexical_check(text)
    return CheckedQuery(text=text, kind=kind, has_limit=has_limit, has_values_clause=has_values)


__all__ = [
    "MAX_QUERY_CHARS",
    "CheckedQuery",
    "bare_words",
    "check_query",
    "normalise",
    "query_form",
]
