"""Shared session fixtures: real stores (embedded and a real Oxigraph server process)."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import requests

from ingest.store import EndpointStore, OxigraphStore, Store

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
QUERY_DATASET = FIXTURES / "queries" / "dataset.trig"
OXIGRAPH = shutil.which("oxigraph") or str(Path(__file__).parents[1] / ".venv/bin/oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server on 127.0.0.1 (PyPI package `oxigraph`); yields its base URL."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError as exc:
            if process.poll() is not None:
                stderr = process.stderr.read() if process.stderr else b""
                raise RuntimeError(f"oxigraph server exited: {stderr!r}") from exc
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("oxigraph server did not start within 30 s")
    yield base
    process.terminate()
    process.wait(timeout=10)


def training_script(name: str) -> ModuleType:
    """A script of training/scripts/ imported as a module, to test its functions."""
    path = Path(__file__).parents[1] / "training" / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_dataset(store: Store, path: Path) -> None:
    """Load a trusted TriG fixture graph by graph, curated graphs included.

    `spacekg import` refuses curated and inferred graphs from a file; test fixtures that stand
    for a whole store are written with the store's own primitive instead.
    """
    from rdflib import Dataset, URIRef

    dataset = Dataset()
    dataset.parse(path, format="trig")
    for graph in dataset.graphs():
        if isinstance(graph.identifier, URIRef) and len(graph):
            store.replace_graph(graph.identifier, graph)


def _clear_endpoint(base: str) -> None:
    requests.post(
        base + "/update",
        data=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )


@pytest.fixture(params=["embedded", "endpoint"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend: the same tests must pass on both."""
    if request.param == "embedded":
        store: Store = OxigraphStore(tmp_path / "store")
    else:
        base = request.getfixturevalue("oxigraph_server")
        _clear_endpoint(base)
        store = EndpointStore(base + "/query", base + "/update")
    yield store
    store.close()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    """An empty embedded store in a temporary directory."""
    store = OxigraphStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(scope="session")
def dataset_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.

    Shared by the explore tests, which only read it; a test that writes takes `embedded_store`
    and loads the dataset itself.
    """
    store = OxigraphStore(tmp_path_factory.mktemp("dataset") / "store")
    load_dataset(store, QUERY_DATASET)
    yield store
    store.close()


@pytest.fixture(scope="session")
def app_store_factory(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Builds closed embedded stores for the app tests: reference data plus the fixture docs.

    Returns a function name -> store directory. The store is closed before it is handed over,
    because the app (in-process AppTest or a `streamlit run` process) opens it itself and
    Oxigraph allows one writer per directory.
    """
    from ingest.config import Settings
    from ingest.load import load_file
    from ingest.pipeline import ingest_sources

    def build(name: str) -> Path:
        path = tmp_path_factory.mktemp(name) / "store"
        store = OxigraphStore(path)
        try:
            store.ensure_reference()
            sources = [load_file(p) for p in sorted((FIXTURES / "docs").glob("*.md"))]
            report = ingest_sources(store, sources, Settings.from_env())
            assert not report.failed, [o.error for o in report.failed]
        finally:
            store.close()
        return path

    return build


@pytest.fixture(scope="session")
def spacekg_nlp():  # type: ignore[no-untyped-def]
    """The full spaCy pipeline (real model, ruler, linker, relations), loaded once per session."""
    from ingest.nlp import build_pipeline

    return build_pipeline()
