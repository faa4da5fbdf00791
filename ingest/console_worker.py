"""Check and run one user SPARQL query in a confined process that the console can kill.

Started by `ingest.console` as `python -I console_worker.py PARENT_PID MEMORY_BYTES CPU_SECONDS`;
reads one JSON request on stdin, writes one JSON answer on stdout. Before it reads anything it
confines itself: it dies with its parent (parent-death signal, checked against the pid it was
given, so a parent that died first is noticed), caps its CPU time and how far its address
space may grow (`RLIMIT_CPU`, `RLIMIT_AS`), and for the embedded store moves into a network namespace of its
own, so that no query, whatever the checks missed, can reach another host. Then it vets the
query (`ingest.sparql_check`) and runs it: on the embedded store opened READ-ONLY (killing it
cannot damage the store), or against a SPARQL server over HTTP (the only thing it sends is the
vetted text). Everything, parsing included, happens under the parent's deadline.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
SKG_STATUS = "https://w3id.org/spacekg/ontology#status"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_NAMES_QUERY = Path(__file__).parents[1] / "queries" / "internal" / "graph_names.rq"


# --- confinement -------------------------------------------------------------------------------


def confine(parent_pid: int, cpu_seconds: int) -> None:
    """Die with the parent; cap CPU time. Runs before anything is read or imported."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(3)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def uncap_memory() -> None:
    """Lift the soft address-space limit for a step no query controls (opening the store)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def cap_memory(budget_bytes: int) -> None:
    """Let the process grow by at most `budget_bytes` of address space from here (RLIMIT_AS).

    Measured from what it holds now, because opening the store reserves address space (thread
    stacks, caches) that depends on the machine, not on the query. Called again after the store
    is open; only the soft limit moves, and nothing a query can do calls setrlimit.
    """
    held = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                held = int(line.split()[1]) * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = held + budget_bytes
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard < 0 else min(soft, hard), hard))


def isolate_network() -> bool:
    """Move into an empty network namespace (as root; else in a new user namespace too)."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(CLONE_NEWNET) == 0 or libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0


# --- answers -----------------------------------------------------------------------------------


def term_json(term: Any) -> dict[str, str]:
    """A pyoxigraph term in SPARQL 1.1 JSON results form."""
    import pyoxigraph as ox

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


def _capped(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    kept: list[Any] = []
    for item in items:
        if len(kept) == limit:
            return kept, True
        kept.append(item)
    return kept, False


def _answer(result: Any, limit: int) -> dict[str, Any]:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return {"kind": "ask", "boolean": bool(result)}
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        solutions, truncated = _capped(result, limit)
        rows = [{n: term_json(s[n]) for n in names if s[n] is not None} for s in solutions]
        return {"kind": "select", "vars": names, "rows": rows, "truncated": truncated}
    triples, truncated = _capped(result, limit)
    return {
        "kind": "construct",
        "triples": [
            [term_json(t.subject), term_json(t.predicate), term_json(t.object)] for t in triples
        ],
        "truncated": truncated,
    }


# --- the embedded store ------------------------------------------------------------------------


def review_view(store: Any, graphs: list[Any]) -> Any:
    """An in-memory copy of `graphs` without review-only evidence nodes (their triples only)."""
    import pyoxigraph as ox

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


def unknown_graphs(
    store: Any, dataset: dict[str, list[str]], hidden: frozenset[str] = frozenset()
) -> str | None:
    """A refusal naming the protocol dataset's graphs this store lacks, or None.

    Refused rather than read as empty graphs: a misspelt graph IRI (or rdflib's Dataset,
    which names its default graph urn:x-rdflib:default) would otherwise get an empty answer
    that looks like a true one.
    """
    import pyoxigraph as ox

    from ingest.errors import QueryError
    from ingest.sparql_check import WHERE

    for param in ("default", "named"):
        missing = [
            g
            for g in dataset[param]
            if g in hidden or not store.contains_named_graph(ox.NamedNode(g))
        ]
        if missing:
            return str(
                QueryError(
                    f"{param}-graph-uri <{missing[0]}> is not a graph of this store"
                    + (f" (nor {len(missing) - 1} more)" if len(missing) > 1 else ""),
                    WHERE,
                    "list the graphs with SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
                )
            )
    return None


def run_embedded(request: dict[str, Any], text: str) -> dict[str, Any]:
    import pyoxigraph as ox

    uncap_memory()
    try:
        store = ox.Store.read_only(request["store"])
    except OSError as exc:
        return {"error": str(exc), "type": "store"}
    cap_memory(int(request["memory_bytes"]))
    excluded = set(request.get("exclude_graphs", []))
    from ingest.staged_write import STAGING_GRAPH, hidden_graphs

    hidden = hidden_graphs(store)  # an ingest is writing or replacing these (staged_write)
    if hidden:
        excluded |= {g.value for g in (*hidden, STAGING_GRAPH)}
    kwargs: dict[str, Any] = {}
    dataset = request.get("dataset")
    if dataset is not None:
        # a graph an ingest is still writing (or has just replaced) is not one yet
        missing = unknown_graphs(store, dataset, frozenset(g.value for g in hidden))
        if missing:
            return {"error": missing, "type": "refused"}
        # The protocol's dataset: only these graphs. With no default graph named, the store's
        # own default graph (empty in spacekg: every triple lives in a named graph).
        kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset["default"]] or [
            ox.DefaultGraph()
        ]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset["named"]]
    elif excluded or request.get("exclude_review"):
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
    return _answer(store.query(text, **kwargs), int(request["row_limit"]))


# --- a SPARQL server ---------------------------------------------------------------------------


class ServerError(Exception):
    """The server answered with an HTTP error or could not be reached."""


def _opener(request: dict[str, Any]) -> urllib.request.OpenerDirector:
    """An HTTP client that answers the server's login challenge, Digest (Virtuoso's
    /sparql-auth) or Basic, with the configured credentials, and sends them nowhere else."""
    if not request.get("user"):
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(
        None, request["endpoint"], request["user"], request.get("password") or ""
    )
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


def _post(request: dict[str, Any], form: list[tuple[str, str]], accept: str) -> bytes:
    headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
    http = urllib.request.Request(
        request["endpoint"], data=urllib.parse.urlencode(form).encode(), headers=headers
    )
    cap = int(request["max_response_bytes"])
    try:
        with _opener(request).open(http) as response:  # the parent's deadline bounds it
            body = response.read(cap + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace").strip().splitlines()[:1]
        raise ServerError(
            f"the SPARQL server answered {exc.code}: {''.join(detail)[:300]}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(f"cannot reach the SPARQL server ({exc})") from None
    if len(body) > cap:
        raise MemoryError(f"the server's answer is larger than {cap:,} bytes")
    return body


def run_endpoint(request: dict[str, Any], text: str, checked: Any) -> dict[str, Any]:
    import pyoxigraph as ox

    if request.get("exclude_review"):
        raise ServerError(
            "excluding review evidence needs the embedded store; query it there, or filter "
            '?e skg:status "review" out in the query'
        )
    limit = int(request["row_limit"])
    sent = text
    if checked.kind == "select" and not checked.has_limit and not checked.has_values_clause:
        sent = text + "\nLIMIT " + str(limit + 1)  # an int of ours after the vetted text
    form = [("query", sent)]
    dataset = request.get("dataset")
    if dataset is not None:
        form += [("default-graph-uri", g) for g in dataset["default"]]
        form += [("named-graph-uri", g) for g in dataset["named"]]
    elif request.get("exclude_graphs"):
        names = _post(
            request,
            [("query", GRAPH_NAMES_QUERY.read_text(encoding="utf-8"))],
            "application/sparql-results+json",
        )
        excluded = set(request["exclude_graphs"])
        graphs = [
            b["g"]["value"]
            for b in json.loads(names)["results"]["bindings"]
            if b["g"]["value"] not in excluded
        ]
        form += [("default-graph-uri", g) for g in graphs] + [
            ("named-graph-uri", g) for g in graphs
        ]
    if checked.kind == "construct":
        body = _post(request, form, "application/n-triples")
        return _answer(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), limit)
    payload = json.loads(_post(request, form, "application/sparql-results+json"))
    if "boolean" in payload:
        return {"kind": "ask", "boolean": bool(payload["boolean"])}
    rows = payload.get("results", {}).get("bindings", [])
    return {
        "kind": "select",
        "vars": list(payload.get("head", {}).get("vars", [])),
        "rows": rows[:limit],
        "truncated": len(rows) > limit,
    }


# --- main --------------------------------------------------------------------------------------


def run(request: dict[str, Any]) -> dict[str, Any]:
    from ingest.errors import QueryError
    from ingest.sparql_check import check_query

    try:
        checked = check_query(request["query"])
    except QueryError as exc:
        return {"error": str(exc), "type": "refused"}
    if request["backend"] == "embedded":
        answer = run_embedded(request, checked.text)
    else:
        cap_memory(int(request["memory_bytes"]))
        try:
            answer = run_endpoint(request, checked.text, checked)
        except ServerError as exc:
            return {"error": str(exc), "type": "server"}
    answer["isolated"] = request.get("isolated", False)
    return answer


def main() -> None:
    parent_pid, memory_bytes, cpu_seconds = (int(arg) for arg in sys.argv[1:4])
    confine(parent_pid, cpu_seconds)
    cap_memory(memory_bytes)  # parsing and checking are capped too
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    request["memory_bytes"] = memory_bytes
    if request["backend"] == "embedded":
        request["isolated"] = isolate_network()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this tree's `ingest`
    try:
        answer = run(request)
    except MemoryError as exc:
        answer = {"error": str(exc), "type": "memory"}
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
