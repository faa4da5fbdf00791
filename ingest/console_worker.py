"""Run one already-checked SPARQL query on the embedded store, in a process that can be killed.

Started by `ingest.console` as `python -I console_worker.py`; reads one JSON request on stdin,
writes one JSON answer on stdout. It imports only the standard library and pyoxigraph (fast
start-up, no package import side effects) and opens the store READ-ONLY, so it can run while the
app or the CLI holds the store open for writing, and killing it can never damage the store.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

SKG_STATUS = "https://w3id.org/spacekg/ontology#status"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_json(term: Any) -> dict[str, str]:
    """A pyoxigraph term in SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # RDF-star triple terms: shown as text


def review_view(store: Any, graphs: list[Any]) -> Any:
    """An in-memory copy of `graphs` without review-only evidence nodes (their triples only)."""
    review = ox.Literal("review")
    hidden = {
        quad.subject
        for quad in store.quads_for_pattern(None, ox.NamedNode(SKG_STATUS), review, None)
    }

    def kept() -> Iterable[Any]:
        for graph in graphs:
            for quad in store.quads_for_pattern(None, None, None, graph):
                if quad.subject not in hidden and quad.object not in hidden:
                    yield quad

    view = ox.Store()
    view.bulk_extend(kept())
    return view


def run(request: dict[str, Any]) -> dict[str, Any]:
    store = ox.Store.read_only(request["store"])
    excluded = set(request.get("exclude_graphs", []))
    kwargs: dict[str, Any] = {}
    if excluded or request.get("exclude_review"):
        graphs = [
            g
            for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value not in excluded
        ]
        if request.get("exclude_review"):
            store = review_view(store, graphs)
        kwargs["default_graph"] = graphs or [ox.DefaultGraph()]
        kwargs["named_graphs"] = graphs
    else:
        kwargs["use_default_graph_as_union"] = True
    limit = int(request["row_limit"])
    answer = store.query(request["query"], **kwargs)
    if isinstance(answer, ox.QueryBoolean):
        return {"kind": "ask", "boolean": bool(answer)}
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[dict[str, Any]] = []
        truncated = False
        for solution in answer:
            if len(rows) == limit:
                truncated = True
                break
            rows.append({n: term_json(solution[n]) for n in names if solution[n] is not None})
        return {"kind": "select", "vars": names, "rows": rows, "truncated": truncated}
    triples: list[list[dict[str, str]]] = []
    truncated = False
    for triple in answer:
        if len(triples) == limit:
            truncated = True
            break
        triples.append(
            [term_json(triple.subject), term_json(triple.predicate), term_json(triple.object)]
        )
    return {"kind": "construct", "triples": triples, "truncated": truncated}


def main() -> None:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        answer = run(request)
    except SyntaxError as exc:
        answer = {"error": str(exc), "type": "syntax"}
    except OSError as exc:
        answer = {"error": str(exc), "type": "store"}
    except Exception as exc:  # report anything else as one line, never a traceback
        answer = {"error": f"{type(exc).__name__}: {exc}", "type": "other"}
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
