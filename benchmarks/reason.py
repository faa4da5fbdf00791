"""Reasoning speed and memory: HermiT and owlrl on the curated graphs plus synthetic source graphs.

Each run is a separate process (killed, with its Java child, after `--timeout` seconds), so
peak memory is per run: `py MB` is the Python process (RUSAGE_SELF), `java MB` the largest
child (RUSAGE_CHILDREN: HermiT's JVM). Prints a table and the `hermit_max_triples` threshold
this machine suggests: the largest size at which HermiT finished within `--budget` seconds.

    .venv/bin/python benchmarks/reason.py [--sizes 1000,10000,50000,100000] [--timeout 300]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Dataset, Graph  # noqa: E402

from benchmarks.synthetic import documents_for, synthetic_nquads  # noqa: E402
from ingest.ontology import ontology_graph, reference_graph  # noqa: E402
from ingest.reason import DEFAULT_HERMIT_MAX_TRIPLES, reason  # noqa: E402


def _graphs(synthetic_triples: int) -> list[Graph]:
    """Ontology + reference, plus about `synthetic_triples` triples of synthetic source graphs."""
    graphs = [ontology_graph(), reference_graph()]
    if synthetic_triples:
        dataset = Dataset()
        dataset.parse(data=synthetic_nquads(documents_for(synthetic_triples)), format="nquads")
        graphs += [dataset.graph(name) for name in dataset.graphs() if len(dataset.graph(name))]
    return graphs


def run_one(engine: str, synthetic_triples: int) -> dict[str, object]:
    """One reasoning run in this process; the figures as a dict."""
    graphs = _graphs(synthetic_triples)
    started = time.perf_counter()
    result = reason(graphs, engine=engine, hermit_max_triples=10**9)  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    return {
        "engine": result.engine,
        "triples_in": result.triples_in,
        "inferred": len(result.inferred),
        "consistent": result.consistent,
        "seconds": round(wall, 2),
        "py_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "java_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def run_isolated(engine: str, synthetic_triples: int, timeout: float) -> dict[str, object]:
    """`run_one` in a child process with its own session, killed whole on timeout."""
    command = [sys.executable, __file__, "--one", engine, str(synthetic_triples)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"engine": engine, "timeout": True}
    if process.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines()
        return {"engine": engine, "error": lines[-1] if lines else f"exit {process.returncode}"}
    return dict(json.loads(out.decode().strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000,50000,100000")
    parser.add_argument("--engines", default="hermit,owlrl")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds HermiT may take in auto mode"
    )
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "TRIPLES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    print(
        f"{'synthetic':>10} {'engine':>7} {'triples_in':>10} {'inferred':>9} "
        f"{'seconds':>8} {'py MB':>6} {'java MB':>7}"
    )
    hermit_ok: list[int] = []
    hermit_slow = False
    for size in sizes:
        for engine in engines:
            if engine == "hermit" and hermit_slow:
                print(f"{size:>10} {engine:>7}  skipped: a smaller size already timed out")
                continue
            row = run_isolated(engine, size, args.timeout)
            if row.get("timeout"):
                print(f"{size:>10} {engine:>7}  timed out after {args.timeout:.0f} s")
                hermit_slow = hermit_slow or engine == "hermit"
                continue
            if "error" in row:
                print(f"{size:>10} {engine:>7}  failed: {row['error']}")
                continue
            print(
                f"{size:>10} {engine:>7} {row['triples_in']:>10} {row['inferred']:>9} "
                f"{row['seconds']:>8} {row['py_mb']:>6} {row['java_mb']:>7}"
                + ("" if row["consistent"] else "  INCONSISTENT")
            )
            if engine == "hermit" and float(row["seconds"]) <= args.budget:  # type: ignore[arg-type]
                hermit_ok.append(int(row["triples_in"]))  # type: ignore[call-overload]
    suggested = max(hermit_ok) if hermit_ok else 0
    print(
        f"\nHermiT within {args.budget:.0f} s up to {suggested} input triples here; "
        f"ingest.reason.DEFAULT_HERMIT_MAX_TRIPLES = {DEFAULT_HERMIT_MAX_TRIPLES}"
    )


if __name__ == "__main__":
    main()
