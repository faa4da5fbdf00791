"""Query-layer speed on a 1M-triple graph: embedded, on an Oxigraph server and on Virtuoso.

For each library query: the median latency through spacekg (`run_query`: parameter checks,
binding, conversion to rdflib terms) against the same query text sent straight to the
underlying store API (pyoxigraph, or an HTTP POST to the server). Virtuoso (Debian's
virtuoso-opensource, `make virtuoso`) gets the data with its bulk loader
(`spacekg virtuoso-load`); a query it refuses shows as "error". Also: the cost of ingesting one
more document into the 1M store against an empty store (skipped with --backends virtuoso).

    .venv/bin/python benchmarks/query.py [--triples 1000000] [--repeat 5]
        [--backends embedded,server,virtuoso]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import documents_for, synthetic_nquads  # noqa: E402
from ingest.config import CORPUS_DIR, Settings  # noqa: E402
from ingest.errors import StoreError  # noqa: E402
from ingest.iri import source_graph  # noqa: E402
from ingest.load import load_file  # noqa: E402
from ingest.pipeline import ingest_sources  # noqa: E402
from ingest.queries import bind_params, list_queries, run_query  # noqa: E402
from ingest.store import EndpointStore, OxigraphStore, inject_values  # noqa: E402
from ingest.virtuoso_load import virtuoso_ini  # noqa: E402

# Values for parameters that have no default, chosen to exist in the reference data.
SAMPLE_PARAMS = {
    "actor": "skgid:actor/russia",
    "target": "skgid:asset/kosmos-1408",
    "concept": "skgid:concept/operational-domain",
    "subject": "skgid:actor/finland",
    "predicate": "skg:memberOf",
    "object": "skgid:actor/nato",
    "since": "2020-01-01",
    "from": "skgid:actor/finland",
    "to": "skgid:actor/russia",
    "text": "space",
    "event": "skgid:event/ka-sat-cyber-attack",
}


def median_ms(fn, repeat: int) -> float:
    fn()  # warm caches (prepared queries, RocksDB blocks)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def params_for(spec) -> dict[str, str]:
    params = {}
    for param in spec.params:
        if param.name in SAMPLE_PARAMS and (
            getattr(param, "required", False) or param.default in (None, "")
        ):
            params[param.name] = SAMPLE_PARAMS[param.name]
    return params


def bound_text(spec, params):
    """The exact text and bindings `run_query` sends, to replay against the bare store API."""
    return spec.text, bind_params(spec, params)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_virtuoso(home: Path, load_dir: Path) -> tuple[subprocess.Popen, str, int]:
    """virtuoso-t with its own ini under `home`; returns the process, HTTP base and SQL port."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        raise SystemExit(
            "virtuoso-t not found: run `make virtuoso` or leave out --backends virtuoso"
        )
    (home / "db").mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(
        # 2 GiB of buffers, and time for the biggest aggregates
        virtuoso_ini(home / "db", load_dir, sql_port, http_port, buffers=250_000, max_query_s=600)
    )
    process = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    for _ in range(600):
        try:
            if requests.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                return process, base, sql_port
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("virtuoso did not start")


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    exe = shutil.which("oxigraph") or str(ROOT / ".venv/bin/oxigraph")
    process = subprocess.Popen(
        [
            exe,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("oxigraph server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="embedded,server,virtuoso")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    if unknown := set(backends) - {"embedded", "server", "virtuoso"}:
        raise SystemExit(f"unknown backends {sorted(unknown)}: use embedded, server, virtuoso")
    work = Path(tempfile.mkdtemp(prefix="spacekg-qbench-"))
    settings = Settings.from_env()
    processes: list[subprocess.Popen] = []

    print(f"generating ~{args.triples:,} triples ...", flush=True)
    data = synthetic_nquads(documents_for(args.triples))
    dump = work / "synthetic.nq"
    dump.write_bytes(data)

    # The embedded store also serves the ingest comparison; without it (a Virtuoso-only run at
    # 10M) rows are counted on the first backend.
    embedded = None
    if "embedded" in backends:
        embedded = OxigraphStore(work / "embedded")
        embedded.ensure_reference()
        start = time.perf_counter()
        embedded.bulk_load(data)
        load_s = time.perf_counter() - start
        total = len(embedded.raw)
        print(f"embedded store: {total:,} quads, bulk load {load_s:.1f} s", flush=True)
    else:
        total = data.count(b"\n")
    del data

    stores: dict[str, object] = {}  # backend -> store for run_query
    bare: dict[str, object] = {}  # backend -> function(bound text) on the bare store API
    session = requests.Session()

    def post(url: str):
        def send(bound: str):
            response = session.post(
                url, data={"query": bound}, headers={"Accept": "application/sparql-results+json"}
            )
            response.raise_for_status()
            return response.content

        return send

    try:
        if embedded is not None:
            stores["embedded"] = embedded
            bare["embedded"] = lambda bound: list(
                embedded.raw.query(bound, use_default_graph_as_union=True)
            )
        if "server" in backends:
            # The same dataset: reference graphs via the API, bulk data via `oxigraph load`.
            server_dir = work / "server"
            exe = shutil.which("oxigraph") or str(ROOT / ".venv/bin/oxigraph")
            subprocess.run(
                [exe, "load", "--location", str(server_dir), "--file", str(dump)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            process, base = start_server(server_dir)
            processes.append(process)
            remote = EndpointStore(base + "/query", base + "/update")
            remote.ensure_reference()
            stores["server"], bare["server"] = remote, post(base + "/query")
        if "virtuoso" in backends:
            process, base, sql_port = start_virtuoso(work / "virtuoso", work)
            processes.append(process)
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ingest.cli",
                    "virtuoso-load",
                    str(dump),
                    "--server",
                    f"127.0.0.1:{sql_port}",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                env={**os.environ, "VIRTUOSO_USER": "dba", "VIRTUOSO_PASSWORD": "dba"},
            )
            print(f"virtuoso: bulk load {time.perf_counter() - start:.1f} s", flush=True)
            virtuoso = EndpointStore(base + "/sparql", auth=("dba", "dba"))
            virtuoso.ensure_reference()
            stores["virtuoso"], bare["virtuoso"] = virtuoso, post(base + "/sparql")

        rows = []
        print(
            f"\nmedian latency over {args.repeat} runs, {total:,} quads "
            "(ms; ratio = spacekg / bare API)"
        )
        header = f"{'query':32} {'rows':>6}" + "".join(
            f" {b:>9} {'bare':>8} {'ratio':>6}" for b in stores
        )
        print(header, flush=True)
        for spec in list_queries():
            params = params_for(spec)
            text, bindings = bound_text(spec, params)
            bound = inject_values(text, bindings) if bindings else text
            first = next(iter(stores.values()))
            try:
                n = len(run_query(first, spec.name, params).rows)
            except StoreError:
                n = -1
            cells, timings, differ = [], {}, []
            for backend, store in stores.items():
                try:
                    lib = median_ms(
                        lambda store=store, spec=spec, params=params: run_query(
                            store, spec.name, params
                        ),
                        args.repeat,
                    )
                    raw = median_ms(lambda fn=bare[backend], bound=bound: fn(bound), args.repeat)
                except (StoreError, requests.HTTPError) as exc:
                    cells.append(f" {'error':>9} {'':>8} {'':>6}")
                    differ.append(f"{backend}: {str(exc)[:120]}")
                    continue
                timings[backend] = (lib, raw)
                got = len(run_query(store, spec.name, params).rows)
                if got != n:  # a backend that answers differently is not faster, it is wrong
                    differ.append(f"{backend}: {got} rows")
                cells.append(f" {lib:>9.1f} {raw:>8.1f} {lib / max(raw, 0.01):>6.2f}")
            rows.append(timings)
            note = f"  [{', '.join(differ)}]" if differ else ""
            print(f"{spec.name:32} {n:>6}" + "".join(cells) + note, flush=True)
        medians = ", ".join(
            f"{b} {statistics.median(r[b][0] / max(r[b][1], 0.01) for r in rows if b in r):.2f}"
            for b in stores
        )
        print(f"median ratio: {medians} (aim <= 1.5)")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)

    if embedded is None:
        shutil.rmtree(work, ignore_errors=True)
        return
    # One more document into the 1M store against an empty store, same document, same run.
    doc = load_file(sorted(CORPUS_DIR.glob("*.md"))[0], max_bytes=settings.max_file_bytes)
    empty = OxigraphStore(work / "empty")
    empty.ensure_reference()
    graph = source_graph(doc.docid)
    ingest_sources(empty, [doc], settings)  # warm the spaCy pipeline and caches
    empty.drop_graph(graph)
    t_empty = median_ms(
        lambda: (ingest_sources(empty, [doc], settings), empty.drop_graph(graph)), 3
    )
    t_full = median_ms(
        lambda: (ingest_sources(embedded, [doc], settings), embedded.drop_graph(graph)), 3
    )
    print(
        f"\ningest one document: empty store {t_empty:.0f} ms, 1M store {t_full:.0f} ms, "
        f"ratio {t_full / t_empty:.2f} (aim <= 2)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
