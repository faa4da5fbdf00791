"""Free SPARQL from users, made safe: read-only, local-only, time-, memory- and row-limited.

The guard is one function, `run_guarded`, behind `Store.user_query`: the CLI's `sparql`, the
app's console and a SPARQL endpoint of our own all go through it, whatever the backend. It
starts a confined worker (`console_worker.py`) that vets the query (`ingest.sparql_check`) and
runs it, and holds it to one deadline from start to answer: starting, parsing, checking,
running and the transfer from a server. The worker cannot outlive its caller (parent-death
signal, own process group killed on every way out), cannot take more than the memory cap
(`RLIMIT_AS`) or the CPU time (`RLIMIT_CPU`), and on the embedded store has no network at all.

`dataset` is the SPARQL protocol's `default-graph-uri` / `named-graph-uri`: graphs of this
store (or server) by name, never fetched from the web; the embedded store refuses a name it
lacks (a server decides for itself).

`exclude` narrows what the query sees: "inferred" drops the skgg:inferred graph from both the
default graph and the named graphs; "review" hides review-only evidence nodes (status "review").
Review evidence lives inside the source-document graphs next to asserted facts, so it cannot be
dropped by graph: the worker builds an in-memory copy of the visible graphs without those nodes'
triples. That copy costs time linear in the store size; asserted facts are unaffected, since
review-only facts never have a plain triple.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .config import Settings
from .errors import QueryError, QueryLimitError, QueryUnavailableError
from .iri import INFERRED_GRAPH
from .sparql_check import WHERE, CheckedQuery, check_query
from .store import QueryTarget, Store, open_store, parse_sparql_json

WORKER = Path(__file__).with_name("console_worker.py")
EXCLUDE_OPTIONS = frozenset({"inferred", "review"})
MAX_DATASET_GRAPHS = 1000
_GRACE_S = 0.05


@dataclass(frozen=True)
class QueryLimits:
    """What one user query may take: wall-clock seconds, rows, and memory in MiB."""

    timeout_s: float
    row_limit: int
    memory_mb: int = 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        return cls(settings.query_timeout_s, settings.query_row_limit, settings.query_memory_mb)


@dataclass(frozen=True)
class ProtocolDataset:
    """The RDF dataset a SPARQL protocol request names: graph IRIs of the store, not URLs."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def check(self) -> None:
        """Refuse what is not an absolute IRI, or too many graphs, with the parameter named."""
        if len(self.default_graphs) + len(self.named_graphs) > MAX_DATASET_GRAPHS:
            raise QueryError(
                f"the request names more than {MAX_DATASET_GRAPHS} graphs",
                "default-graph-uri / named-graph-uri",
                "name fewer graphs, or query them with GRAPH ?g and a VALUES block",
            )
        for param, graphs in (
            ("default-graph-uri", self.default_graphs),
            ("named-graph-uri", self.named_graphs),
        ):
            for iri in graphs:
                try:
                    ox.NamedNode(iri)
                except ValueError:
                    raise QueryError(
                        f"'{iri[:200]}' is not an absolute IRI",
                        param,
                        "give the graph's full IRI, e.g. https://w3id.org/spacekg/graph/reference",
                    ) from None


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
    isolated: bool = False


def run_console_query(
    target: Store | Settings,
    text: str,
    *,
    timeout_s: float,
    row_limit: int,
    exclude: Iterable[str] = frozenset(),
    memory_mb: int | None = None,
) -> ConsoleResult:
    """Check and run one user query on the store (or the store the settings name)."""
    if isinstance(target, Settings):
        memory_mb = memory_mb or target.query_memory_mb
        query_target = (
            open_store(settings=target).query_target()
            if target.endpoint
            else QueryTarget(backend="embedded", store=str(target.store_dir))
        )
    else:
        query_target = target.query_target()
    limits = QueryLimits(timeout_s, row_limit, memory_mb or Settings.from_env().query_memory_mb)
    return run_guarded(query_target, text, limits, exclude)


def run_guarded(
    target: QueryTarget,
    text: str,
    limits: QueryLimits,
    exclude: Iterable[str] = frozenset(),
    dataset: ProtocolDataset | None = None,
) -> ConsoleResult:
    """The one guard for user queries: vetted and run in a confined worker under a deadline."""
    excluded = set(exclude)
    if dataset is not None:
        dataset.check()
        if excluded:
            raise QueryError(
                "a protocol dataset (default-graph-uri / named-graph-uri) cannot be combined "
                "with excluding graphs",
                WHERE,
                "name only the graphs you want",
            )
    unknown = excluded - EXCLUDE_OPTIONS
    if unknown:
        raise QueryError(
            f"cannot exclude {', '.join(sorted(unknown))}",
            WHERE,
            "exclude can be: " + ", ".join(sorted(EXCLUDE_OPTIONS)),
        )
    if limits.timeout_s <= 0 or limits.row_limit < 1 or limits.memory_mb < 64:
        raise QueryError(
            "the time, row and memory limits must be positive (memory at least 64 MiB)", WHERE
        )
    memory = limits.memory_mb * 1024 * 1024
    request = {
        **target.request(),
        "query": text,
        "row_limit": limits.row_limit,
        "exclude_graphs": [str(INFERRED_GRAPH)] if "inferred" in excluded else [],
        "exclude_review": "review" in excluded,
        "max_response_bytes": memory // 4,
        "dataset": None
        if dataset is None
        else {"default": list(dataset.default_graphs), "named": list(dataset.named_graphs)},
    }
    started = time.perf_counter()
    deadline = started + limits.timeout_s
    argv = [
        sys.executable,
        "-I",  # isolated: no user site, no PYTHON* variables, no script dir on sys.path
        str(WORKER),
        str(os.getpid()),
        str(memory),
        str(math.ceil(limits.timeout_s) + 1),
    ]
    # Its own process group: a terminal's Ctrl-C reaches only us, and we end the worker.
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(
            json.dumps(request).encode("utf-8"), timeout=max(deadline - time.perf_counter(), 0)
        )
    except subprocess.TimeoutExpired:
        raise _timeout_error(limits.timeout_s) from None
    finally:
        _end(process)
    seconds = time.perf_counter() - started
    answer = _decode_answer(process.returncode, out, err, limits)
    if "error" in answer:
        raise _worker_error(answer, target, limits)
    return _to_result(answer, seconds)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill the worker's process group if it still runs (deadline, Ctrl-C, any error); reap it."""
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    try:
        process.communicate(timeout=5)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        process.wait()


def _timeout_error(timeout_s: float) -> QueryError:
    return QueryLimitError(
        f"query ran past the {timeout_s:g} s limit and was stopped",
        WHERE,
        "narrow the patterns, add a LIMIT, or avoid cross joins and REGEX over many values; "
        "raise the limit with --timeout or SPACEKG_QUERY_TIMEOUT",
    )


def _memory_error(limits: QueryLimits) -> QueryError:
    return QueryLimitError(
        f"query needed more than the {limits.memory_mb:,} MiB memory limit and was stopped",
        WHERE,
        "narrow the patterns, add a LIMIT, avoid ORDER BY over cross joins; "
        "raise the limit with --memory or SPACEKG_QUERY_MEMORY_MB",
    )


def _decode_answer(code: int | None, out: bytes, err: bytes, limits: QueryLimits) -> dict:
    """The worker's JSON answer, or an error answer saying why it died."""
    try:
        answer = json.loads(out.decode("utf-8"))
        if isinstance(answer, dict):
            return answer
    except ValueError:
        pass
    stderr = err.decode("utf-8", "replace")
    if code == -signal.SIGXCPU:
        return {"error": "", "type": "time"}
    if (
        code == -signal.SIGKILL  # the kernel's OOM killer: only the deadline kills it otherwise
        or "memory allocation" in stderr
        or "MemoryError" in stderr
        or "bad_alloc" in stderr
        or "Resource temporarily unavailable" in stderr  # a thread found no address space
    ):
        return {"error": "", "type": "memory"}
    if "overflowed its stack" in stderr or code == -signal.SIGSEGV:
        return {"error": "", "type": "nested"}
    last = stderr.strip().splitlines()[-1:] or ["no output"]
    return {"error": f"exit {code}: {last[0][:300]}", "type": "worker"}


def _worker_error(answer: dict, target: QueryTarget, limits: QueryLimits) -> QueryError:
    kind, message = answer["type"], (answer["error"] or "").splitlines()[:1]
    text = message[0][:300] if message else ""
    where = target.store or target.endpoint or WHERE
    if kind == "refused":
        # Already a whole QueryError message (what, where, what to do).
        return QueryError(text)
    if kind == "time":
        return _timeout_error(limits.timeout_s)
    if kind == "memory":
        return _memory_error(limits)
    if kind == "nested":
        return QueryError("the query is nested too deeply to run", WHERE, "simplify it")
    if kind == "store":
        return QueryUnavailableError(
            f"cannot open the store read-only: {text}",
            where,
            "check the store directory (run spacekg ingest first)",
        )
    if kind == "server":
        return QueryError(text, where, "check the query and that the server runs")
    if kind == "worker":
        return QueryUnavailableError(f"the query worker failed ({text})", WHERE, "narrow the query")
    return QueryError(f"the store refused the query: {text}", WHERE, "fix the query")


def _to_result(answer: dict, seconds: float) -> ConsoleResult:
    isolated = bool(answer.get("isolated"))
    if answer["kind"] == "ask":
        return ConsoleResult(
            kind="ask", boolean=bool(answer["boolean"]), seconds=seconds, isolated=isolated
        )
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
            isolated=isolated,
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
        kind="construct",
        graph=graph,
        truncated=bool(answer["truncated"]),
        seconds=seconds,
        isolated=isolated,
    )


__all__ = [
    "EXCLUDE_OPTIONS",
    "CheckedQuery",
    "ConsoleResult",
    "ProtocolDataset",
    "QueryLimits",
    "check_query",
    "run_console_query",
    "run_guarded",
]
