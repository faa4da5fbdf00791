"""Regression #7: an import wrote graph by graph, so a late error or a kill left it half done.

(94 of 199 graphs written.) Now the whole file is parsed and checked first and then written in
one SPARQL update, which both backends apply as one transaction: all graphs or none.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from ingest.errors import StoreError
from ingest.iri import REFERENCE_GRAPH, source_graph
from ingest.store import OxigraphStore, Store, from_ox

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "tests" / "fixtures" / "restore" / "documents.nq"
DOCIDS = ("3d1d02b8f626d937", "de2ed4f142014de4")
SEED = source_graph("00000000000000aa")
VERSION_MARKER = "spacekg-version"  # the embedded store rewrites it after every write


def many_documents(copies: int) -> str:
    """`copies` x the two fixture documents, each under its own docid (valid graphs)."""
    text = DOCS.read_text(encoding="utf-8")
    parts = []
    for i in range(copies):
        copy = text
        for n, docid in enumerate(DOCIDS):
            copy = copy.replace(docid, f"{'ab'[n]}{i:015x}")
        parts.append(copy)
    return "".join(parts)


def file_graphs(text: str) -> dict[URIRef, set]:
    graphs: dict[URIRef, set] = {}
    for quad in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(URIRef(quad.graph_name.value), set()).add(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
        )
    return graphs


def snapshot(store: Store) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.graph_names()}


def seed(store: Store) -> dict[URIRef, Graph]:
    graph = Graph()
    graph.add((URIRef("https://example.org/x"), RDFS.label, Literal("before")))
    store.replace_graph(SEED, graph)
    return snapshot(store)


def assert_same(before: dict[URIRef, Graph], after: dict[URIRef, Graph]) -> None:
    assert sorted(after) == sorted(before)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name


# --- a late error ---------------------------------------------------------------------------------

BAD_LAST_GRAPHS = {
    # fails the shapes: confidence above 1
    "shapes": lambda docid: (
        DOCS.read_text(encoding="utf-8")
        .replace(DOCIDS[0], docid)
        .replace(
            '"0.95"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            '"9"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        )
    ),
    # not an IRI Oxigraph can store ('{'), on the file's last line
    "iri": lambda docid: (
        f'<https://example.org/a{{b}}> <https://example.org/p> "x" <{source_graph(docid)}> .\n'
    ),
    # a curated graph
    "reference": lambda docid: (
        '<https://example.org/a> <https://example.org/p> "x" ' + f"<{REFERENCE_GRAPH}> .\n"
    ),
}


@pytest.mark.parametrize("bad", sorted(BAD_LAST_GRAPHS))
def test_a_bad_last_graph_leaves_the_store_exactly_as_before(
    any_store: Store, tmp_path: Path, bad: str
) -> None:
    before = seed(any_store)
    path = tmp_path / "late-error.nq"
    path.write_text(many_documents(5) + BAD_LAST_GRAPHS[bad]("f" * 16), encoding="utf-8")
    with pytest.raises(StoreError):
        any_store.import_file(path)
    assert_same(before, snapshot(any_store))


# --- a kill ---------------------------------------------------------------------------------------


def _marker(store_dir: Path) -> str:
    try:
        return (store_dir / VERSION_MARKER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _import_process(store_dir: Path, path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    command = [sys.executable, "-m", "ingest.cli", "--store", str(store_dir), "import", str(path)]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@pytest.mark.slow
def test_a_killed_import_leaves_all_or_none_of_its_graphs(tmp_path: Path) -> None:
    text = many_documents(60)  # 120 document graphs
    expected = file_graphs(text)
    path = tmp_path / "big.nq"
    path.write_text(text, encoding="utf-8")
    template = tmp_path / "template"
    store = OxigraphStore(template)
    before = seed(store)
    store.close()

    # None: killed while it reads and checks. Kill on write: the moment the store changes.
    for run, delay in enumerate((0.5, 2.0, "first write")):
        store_dir = tmp_path / f"run{run}"
        shutil.copytree(template, store_dir)
        initial = _marker(store_dir)
        process = _import_process(store_dir, path)
        deadline = time.monotonic() + (delay if isinstance(delay, float) else 300)
        while time.monotonic() < deadline and process.poll() is None:
            if delay == "first write" and _marker(store_dir) != initial:
                break
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        store = OxigraphStore(store_dir)
        try:
            after = snapshot(store)
        finally:
            store.close()
        new = sorted(set(after) - set(before))
        assert new in ([], sorted(expected)), (
            f"run {run} ({delay}): {len(new)} of {len(expected)} graphs written"
        )
        for name, graph in before.items():
            assert isomorphic(graph, after[name]), name
        for name in new:
            assert set(after[name]) == expected[name], name
        if delay == "first write":
            assert new == sorted(expected)
