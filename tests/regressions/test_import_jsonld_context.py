"""Regression #6: JSON-LD import fetched `@context` URLs and opened local context files.

A context URL that never answered hung the import while it held the store lock. Now no
context is ever loaded: a JSON-LD file must carry its contexts inline.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from ingest.errors import StoreError
from ingest.iri import source_graph
from ingest.store import Store

GRAPH = str(source_graph("0123456789abcdef"))
SEED = source_graph("00000000000000aa")


class Listener:
    """A loopback TCP listener that records (and drops) every connection it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()  # answer nothing, so an old fetch fails at once instead of hanging

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def seeded(store: Store) -> dict[URIRef, Graph]:
    graph = Graph()
    graph.add((URIRef("https://example.org/x"), RDFS.label, Literal("before")))
    store.replace_graph(SEED, graph)
    return {name: store.graph(name) for name in store.graph_names()}


def assert_unchanged(store: Store, before: dict[URIRef, Graph]) -> None:
    assert store.graph_names() == sorted(before)
    for name, graph in before.items():
        assert isomorphic(store.graph(name), graph)


def document(context: object) -> str:
    return json.dumps(
        {
            "@context": context,
            "@id": GRAPH,
            "@graph": [{"@id": "https://example.org/s", "title": "from a loaded context"}],
        }
    )


def test_remote_context_is_refused_without_a_connection(
    any_store: Store, tmp_path: Path, listener: Listener
) -> None:
    before = seeded(any_store)
    url = f"http://127.0.0.1:{listener.port}/context.jsonld"
    path = tmp_path / "remote.jsonld"
    path.write_text(document(url), encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        any_store.import_file(path)
    assert listener.connections == 0
    message = str(caught.value)
    assert url in message and "contexts must be inline" in message
    assert_unchanged(any_store, before)


def test_remote_context_in_a_list_or_nested_is_refused(
    any_store: Store, tmp_path: Path, listener: Listener
) -> None:
    before = seeded(any_store)
    url = f"http://127.0.0.1:{listener.port}/nested.jsonld"
    path = tmp_path / "nested.jsonld"
    path.write_text(
        json.dumps(
            {
                "@context": [{"dct": "http://purl.org/dc/terms/"}],
                "@id": GRAPH,
                "@graph": [{"@id": "https://example.org/s", "@context": [url]}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(StoreError) as caught:
        any_store.import_file(path)
    assert listener.connections == 0
    assert url in str(caught.value) and "contexts must be inline" in str(caught.value)
    assert_unchanged(any_store, before)


@pytest.mark.parametrize("relative", [True, False])
def test_local_context_file_is_refused(any_store: Store, tmp_path: Path, relative: bool) -> None:
    before = seeded(any_store)
    context = tmp_path / "context.jsonld"
    context.write_text(
        json.dumps({"@context": {"title": {"@id": "http://purl.org/dc/terms/title"}}}),
        encoding="utf-8",
    )
    reference = "context.jsonld" if relative else context.as_uri()
    path = tmp_path / "local.jsonld"
    path.write_text(document(reference), encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        any_store.import_file(path)
    message = str(caught.value)
    assert reference in message and "contexts must be inline" in message
    assert_unchanged(any_store, before)
