"""Query-layer speed on a 1M-triple graph, embedded and on an Oxigraph server, in one run.

For each library query: the median latency through spacekg (`run_query`: parameter checks,
binding, conversion to rdflib terms) against the same query text sent straight to the
underlying store API (pyoxigraph, or an HTTP POST to the server). Also: the cost of ingesting
one more document into the 1M store against an empty store.

    .venv/bin/python benchmarks/query.py [--triples 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
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
from ingest.iri import source_graph  # noqa: E402
from ingest.load import load_file  # noqa: E402
from ingest.pipeline import ingest_sources  # noqa: E402
from ingest.queries import bind_params, list_queries, run_query  # noqa: E402
from ingest.store import EndpointStore, OxigraphStore, inject_values  # noqa: E402

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
    "event": "skgid:event/russian-da-asat-test-2021-11-15",
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


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
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
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="spacekg-qbench-"))
    settings = Settings.from_env()

    print(f"generating ~{args.triples:,} triples ...", flush=True)
    data = synthetic_nquads(documents_for(args.triples))
    dump = work / "synthetic.nq"
    dump.write_bytes(data)

    embedded = OxigraphStore(work / "embedded")
    embedded.ensure_reference()
    start = time.perf_counter()
    embedded.bulk_load(data)
    load_s = time.perf_counter() - start
    total = len(embedded.raw)
    print(f"embedded store: {total:,} quads, bulk load {load_s:.1f} s", flush=True)

    # The server gets the same dataset: reference graphs via the API, bulk data via `oxigraph load`.
    server_dir = work / "server"
    exe = shutil.which("oxigraph") or str(ROOT / ".venv/bin/oxigraph")
    subprocess.run(
        [exe, "load", "--location", str(server_dir), "--file", str(dump)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process, base = start_server(server_dir)
    try:
        remote = EndpointStore(base + "/query", base + "/update")
        remote.ensure_reference()
        session = requests.Session()

        rows = []
        print(
            f"\nmedian latency over {args.repeat} runs, {total:,} quads (ms; ratio = spacekg / bare API)"
        )
        print(
            f"{'query':32} {'rows':>6} {'embedded':>9} {'bare':>8} {'ratio':>6} {'server':>9} {'bare':>8} {'ratio':>6}",
            flush=True,
        )
        for spec in list_queries():
            params = params_for(spec)
            text, bindings = bound_text(spec, params)
            bound = inject_values(text, bindings) if bindings else text

            def bare_embedded(bound=bound):
                answer = embedded.raw.query(bound, use_default_graph_as_union=True)
                return list(answer) if not isinstance(answer, bool) else answer

            def bare_remote(bound=bound):
                response = session.post(
                    base + "/query",
                    data={"query": bound},
                    headers={"Accept": "application/sparql-results+json"},
                )
                response.raise_for_status()
                return response.content

            lib_e = median_ms(
                lambda spec=spec, params=params: run_query(embedded, spec.name, params), args.repeat
            )
            raw_e = median_ms(bare_embedded, args.repeat)
            lib_r = median_ms(
                lambda spec=spec, params=params: run_query(remote, spec.name, params), args.repeat
            )
            raw_r = median_ms(bare_remote, args.repeat)
            n = len(run_query(embedded, spec.name, params).rows)
            rows.append((spec.name, n, lib_e, raw_e, lib_r, raw_r))
            print(
                f"{spec.name:32} {n:>6} {lib_e:>9.1f} {raw_e:>8.1f} {lib_e / max(raw_e, 0.01):>6.2f} "
                f"{lib_r:>9.1f} {raw_r:>8.1f} {lib_r / max(raw_r, 0.01):>6.2f}",
                flush=True,
            )
        ratios_e = [r[2] / max(r[3], 0.01) for r in rows]
        ratios_r = [r[4] / max(r[5], 0.01) for r in rows]
        print(
            f"median ratio: embedded {statistics.median(ratios_e):.2f}, server {statistics.median(ratios_r):.2f} (aim <= 1.5)"
        )
    finally:
        process.terminate()

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
