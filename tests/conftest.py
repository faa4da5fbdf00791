"""Shared session fixtures: real stores (embedded, and real Oxigraph and Virtuoso server processes)."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

import pytest
import requests

from ingest.config import Settings
from ingest.store import EndpointStore, OxigraphStore, Store, open_store
from ingest.virtuoso_load import virtuoso_ini

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
QUERY_DATASET = FIXTURES / "queries" / "dataset.trig"
OXIGRAPH = shutil.which("oxigraph") or str(Path(__file__).parents[1] / ".venv/bin/oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")


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


# A Virtuoso of the tests' own (`virtuoso_ini`: every file in a temp dir, both servers on
# loopback ports, the settings spacekg needs).


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso: its HTTP base URL, its SQL port (for isql) and the directory it may
    bulk-load from (`DirsAllowed`). dba/dba is a fresh database's login."""

    base: str
    sql_port: int
    load_dir: Path
    system_graphs: frozenset[str]
    user: str = "dba"
    password: str = "dba"

    def store(self) -> EndpointStore:
        """spacekg on this server as a user configures it: reads on the anonymous /sparql,
        updates guessed to /sparql-auth with SPACEKG_ENDPOINT_USER / _PASSWORD."""
        settings = replace(
            Settings.from_env(), endpoint_user=self.user, endpoint_password=self.password
        )
        store = open_store(endpoint=self.base + "/sparql", settings=settings)
        assert isinstance(store, EndpointStore)
        return store

    def clear(self) -> None:
        """Drop every graph but the server's own (Virtuoso keeps its metadata in RDF graphs)."""
        store = self.store()
        rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        for row in rows:
            if str(row["g"]) not in self.system_graphs:
                store.drop_graph(row["g"])  # type: ignore[arg-type]
        store.close()


def _sparql_ask(base: str) -> bool:
    try:
        response = requests.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2)
    except requests.ConnectionError:
        return False
    return response.status_code == 200


@contextmanager
def running_virtuoso(home: Path, *, case_mode: int = 2) -> Iterator[VirtuosoServer]:
    """Start a Virtuoso of its own under `home`, wait until /sparql answers, stop it after."""
    if VIRTUOSO is None or ISQL is None:
        raise RuntimeError("virtuoso-t / isql-vt not found: run `make virtuoso` (needs root)")
    db, load = home / "db", home / "load"
    db.mkdir()
    load.mkdir()
    sql_port, http_port = _free_port(), _free_port()
    ini = home / "virtuoso.ini"
    text = virtuoso_ini(db, load, sql_port, http_port, threads_per_query=2, case_mode=case_mode)
    ini.write_text(text, "utf-8")
    log = (home / "stdout.log").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{http_port}"
        deadline = time.monotonic() + 90
        while not _sparql_ask(base):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (home / "stdout.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso did not start (see {home}):\n{tail}")
            time.sleep(0.2)
        answer = requests.post(
            base + "/sparql",
            data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()
        system = frozenset(b["g"]["value"] for b in answer["results"]["bindings"])
        yield VirtuosoServer(base=base, sql_port=sql_port, load_dir=load, system_graphs=system)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A real Virtuoso (Debian's virtuoso-opensource, `make virtuoso`) on 127.0.0.1."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


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


@pytest.fixture(params=["embedded", "endpoint", "virtuoso"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend (embedded, Oxigraph server, Virtuoso): the same tests
    must pass on all three."""
    store: Store = (
        OxigraphStore(tmp_path / "store")
        if request.param == "embedded"
        else _empty_server_store(request, request.param)
    )
    yield store
    store.close()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server_store(request: pytest.FixtureRequest) -> Iterator[EndpointStore]:
    """An empty store on each real SPARQL server, for tests of the endpoint path only."""
    store = _empty_server_store(request, request.param)
    yield store
    store.close()


def _empty_server_store(request: pytest.FixtureRequest, server_name: str) -> EndpointStore:
    """The session's Virtuoso or Oxigraph server, emptied, as a store."""
    if server_name == "virtuoso":
        server: VirtuosoServer = request.getfixturevalue("virtuoso_server")
        server.clear()
        return server.store()
    base = request.getfixturevalue("oxigraph_server")
    _clear_endpoint(base)
    return EndpointStore(base + "/query", base + "/update")


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
