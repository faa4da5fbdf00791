"""Reading a SPARQL 1.1 Protocol request: which query, which dataset, or why not (a status).

Pure functions over the method, the raw query string, the Content-Type and the body, so every
rule of the protocol's section 2.1 is tested without a network: exactly one `query`; GET, form
POST (`application/x-www-form-urlencoded`) or direct POST (`application/sparql-query`); UTF-8
only; `default-graph-uri` / `named-graph-uri` taken from the URL (and the form body). The
update operation is refused whichever way it arrives: this endpoint only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from .console import MAX_DATASET_GRAPHS, ProtocolDataset
from .errors import RequestError

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
WHERE = "SPARQL protocol"
# Parameters of the protocol's update operation: their presence makes a request an update.
UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})
_MAX_FIELDS = MAX_DATASET_GRAPHS + 50
_READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
_READ_ONLY_TODO = "change the graph with spacekg ingest, remove or import"


@dataclass(frozen=True)
class ProtocolQuery:
    """A protocol request's query text and its dataset (None: the store's own dataset)."""

    text: str
    dataset: ProtocolDataset | None = None


def media_type(header: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header, lower-cased; ("", None) when absent."""
    if not header:
        return "", None
    media, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(
            400,
            f"the {what} is not valid UTF-8 (byte {exc.start})",
            WHERE,
            "send the query encoded as UTF-8, the protocol's only encoding",
        ) from None


def form_fields(data: bytes, what: str) -> list[tuple[str, str]]:
    """Name/value pairs of a URL query string or a form body, decoded strictly as UTF-8."""
    try:
        return parse_qsl(
            _utf8(data, what),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=_MAX_FIELDS,
        )
    except UnicodeDecodeError as exc:
        raise RequestError(
            400,
            f"a percent-encoded value in the {what} is not valid UTF-8 (byte {exc.start})",
            WHERE,
            "percent-encode the query's UTF-8 bytes",
        ) from None
    except ValueError:
        raise RequestError(
            400,
            f"the {what} has more than {_MAX_FIELDS} fields",
            WHERE,
            "send one query and at most " + f"{MAX_DATASET_GRAPHS} graph IRIs",
        ) from None


def _refuse_update(fields: list[tuple[str, str]]) -> None:
    names = sorted({name for name, _ in fields} & UPDATE_PARAMS)
    if names:
        raise RequestError(403, f"{_READ_ONLY} (parameter {', '.join(names)})", "", _READ_ONLY_TODO)


def _post_fields(
    url_fields: list[tuple[str, str]], content_type: str | None, body: bytes
) -> list[tuple[str, str]]:
    media, charset = media_type(content_type)
    if media == UPDATE:
        raise RequestError(403, f"{_READ_ONLY} ({UPDATE})", "", _READ_ONLY_TODO)
    if charset not in (None, "utf-8", "utf8"):
        raise RequestError(
            415,
            f"charset {charset} is not supported",
            "Content-Type",
            "send the query encoded as UTF-8 (charset=utf-8, or no charset)",
        )
    if media == FORM:
        return url_fields + form_fields(body, "form body")
    if media == DIRECT:
        if any(name == "query" for name, _ in url_fields):
            raise RequestError(
                400,
                "a direct POST carries its query in the body, but the URL has a query parameter too",
                WHERE,
                "send exactly one query",
            )
        return [*url_fields, ("query", _utf8(body, "request body"))]
    what = (
        f"Content-Type {media} is not a SPARQL query" if media else "the POST has no Content-Type"
    )
    raise RequestError(
        415,
        what,
        "Content-Type",
        f"send the query as {DIRECT} (the query as the body) or {FORM} (query=...)",
    )


def read_protocol(
    method: str, query_string: bytes, content_type: str | None, body: bytes
) -> ProtocolQuery:
    """The query of a protocol request; RequestError (with its status) when it breaks a rule."""
    url_fields = form_fields(query_string, "URL's query string")
    if method == "POST":
        fields = _post_fields(url_fields, content_type, body)
    elif method in ("GET", "HEAD"):
        fields = url_fields
    else:
        raise RequestError(
            405,
            f"{method} is not a SPARQL query method",
            WHERE,
            "query with GET (?query=...) or POST",
        )
    _refuse_update(fields)
    queries = [value for name, value in fields if name == "query"]
    if not queries:
        raise RequestError(
            400,
            "the request has no query",
            WHERE,
            "pass ?query=SELECT... (GET), query=... (form POST) or the query as the body "
            f"({DIRECT}); the page at / shows an example",
        )
    if len(queries) > 1:
        raise RequestError(
            400, f"the request has {len(queries)} queries", WHERE, "send exactly one query"
        )
    default = tuple(value for name, value in fields if name == "default-graph-uri")
    named = tuple(value for name, value in fields if name == "named-graph-uri")
    dataset = ProtocolDataset(default, named) if default or named else None
    return ProtocolQuery(queries[0], dataset)


__all__ = ["DIRECT", "FORM", "UPDATE", "ProtocolQuery", "media_type", "read_protocol"]
