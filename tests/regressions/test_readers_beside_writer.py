"""Defect 11: the read-only verbs needed the writer's lock.

`docs`, `stats`, `export`, `query` and `sparql` failed while an ingest or the app held the store.
They now open it read-only beside the writer and see its last committed state.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ingest.store import OxigraphStore

LABEL = "Reader beside writer test satellite"


@pytest.fixture
def held_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A store that this test process holds open for writing, as the app does."""
    path = tmp_path / "store"
    writer = OxigraphStore(path)
    writer.ensure_reference()
    graph = Graph()
    graph.add((URIRef("urn:test:sat"), RDFS.label, Literal(LABEL)))
    writer.replace_graph(URIRef("https://w3id.org/spacekg/graph/source/00000000000000aa"), graph)
    yield path
    writer.close()


def spacekg(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("stats",), "source documents"),
        (("export", "--format", "nquads"), LABEL),
        (("query", "nato_members", "--format", "csv"), "Poland"),
        (("sparql", f'SELECT ?s WHERE {{ ?s ?p "{LABEL}" }}'), "urn:test:sat"),
        (("docs",), "title"),
    ],
)
def test_reader_works_while_a_writer_holds_the_store(
    held_store: Path, args: tuple[str, ...], expected: str
) -> None:
    done = spacekg(held_store, *args)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_writers_still_get_the_lock_error(held_store: Path) -> None:
    done = spacekg(held_store, "remove", "00000000000000aa")
    assert done.returncode == 1
    assert "another spacekg process" in done.stderr
