"""Large graphs written in parts: readers see the old graphs or the new one, a failure or a
killed writer leaves the store as it was. Real embedded stores on disk, real processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ingest import staged_write
from ingest.console import QueryLimits
from ingest.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
OLD = URIRef("https://w3id.org/spacekg/graph/source/00000000000000aa")
NEW = URIRef("https://w3id.org/spacekg/graph/source/00000000000000bb")
OTHER = URIRef("https://w3id.org/spacekg/graph/source/00000000000000cc")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def _triples(name: str, n: int) -> list[tuple[URIRef, URIRef, Literal]]:
    return [
        (URIRef(f"https://w3id.org/spacekg/id/test/{name}-{i}"), RDFS.label, Literal(f"{name} {i}"))
        for i in range(n)
    ]


def _graph(triples: list[tuple[URIRef, URIRef, Literal]]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _quads(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.raw.quads_for_pattern(None, None, None, None))


def _seen(store: OxigraphStore) -> tuple[int, list[URIRef]]:
    """What a reader sees: the union's size and the graphs a GRAPH pattern finds."""
    count = int(store.query(COUNT).rows[0]["n"])  # type: ignore[arg-type]
    return count, [row["g"] for row in store.query(GRAPHS).rows]  # type: ignore[misc]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OxigraphStore]:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(OLD, _graph(_triples("old", 30)))
    store.replace_graph(OTHER, _graph(_triples("other", 5)))
    yield store
    if "_ox" in vars(store):  # the crash tests close it themselves
        store.close()


def test_readers_see_the_old_graphs_until_the_swap(store: OxigraphStore, tmp_path: Path) -> None:
    before = _seen(store)
    assert before == (35, [OLD, OTHER])
    during: list[tuple[int, list[URIRef]]] = []

    def parts() -> Iterator[list[tuple[URIRef, URIRef, Literal]]]:
        for k in range(4):
            yield _triples(f"new{k}", 10)
            during.append(_seen(store))  # this process, between two parts
            reader = OxigraphStore(tmp_path / "store", read_only=True)  # another reader
            during.append(_seen(reader))
            assert reader.graph_names() == [OLD, OTHER]
            assert len(reader.graph(NEW)) == 0
            reader.close()

    store.write_graph_parts(NEW, parts(), also_drop=[OLD])
    assert during == [before] * 8
    assert _seen(store) == (45, [NEW, OTHER])
    assert len(store.graph(NEW)) == 40
    assert not store.raw.contains_named_graph(staged_write.STAGING_GRAPH)
    assert not store.raw.contains_named_graph(ox.NamedNode(str(OLD)))


def test_user_queries_do_not_see_a_graph_being_written(store: OxigraphStore) -> None:
    limits = QueryLimits(timeout_s=30, row_limit=100)
    seen: list[list[str]] = []

    def parts() -> Iterator[list[tuple[URIRef, URIRef, Literal]]]:
        yield _triples("new", 10)
        result = store.user_query(GRAPHS, limits)  # the confined worker process
        seen.append([str(row["g"]) for row in result.rows])
        yield _triples("more", 10)

    store.write_graph_parts(NEW, parts(), also_drop=[OLD])
    assert seen == [[str(OLD), str(OTHER)]]
    assert [str(r["g"]) for r in store.user_query(GRAPHS, limits).rows] == [str(NEW), str(OTHER)]


def test_a_protocol_dataset_cannot_name_a_graph_being_written(store: OxigraphStore) -> None:
    """`spacekg serve`'s default-graph-uri names graphs directly: a half-written one is
    refused like a graph the store lacks, not read in part."""
    from ingest.console import ProtocolDataset, run_guarded
    from ingest.errors import QueryError

    limits = QueryLimits(timeout_s=30, row_limit=100)
    refused: list[str] = []

    def parts() -> Iterator[list[tuple[URIRef, URIRef, Literal]]]:
        yield _triples("new", 10)
        try:
            run_guarded(store.query_target(), COUNT, limits, dataset=ProtocolDataset((str(NEW),)))
        except QueryError as exc:
            refused.append(str(exc))
        yield _triples("more", 10)

    store.write_graph_parts(NEW, parts(), also_drop=[OLD])
    assert len(refused) == 1 and "is not a graph of this store" in refused[0]
    after = run_guarded(store.query_target(), COUNT, limits, dataset=ProtocolDataset((str(NEW),)))
    assert int(after.rows[0]["n"]) == 20  # type: ignore[arg-type]


def test_a_failing_part_leaves_the_store_as_it_was(store: OxigraphStore) -> None:
    before, version = _quads(store), store.version()

    def parts() -> Iterator[list[tuple[URIRef, URIRef, Literal]]]:
        yield _triples("new", 25_000)  # more than one transaction's worth
        raise RuntimeError("validation of part 2 failed")

    with pytest.raises(RuntimeError, match="part 2"):
        store.write_graph_parts(NEW, parts(), also_drop=[OLD])
    assert _quads(store) == before
    assert store.graph_names() == [OLD, OTHER]
    assert store.version() == version
    assert not store.raw.contains_named_graph(staged_write.STAGING_GRAPH)


def _writer_killed(path: Path, when: str) -> None:
    """Run a writer in another process and kill it (SIGKILL) `when` it gets there."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from rdflib import Literal, URIRef
        from rdflib.namespace import RDFS
        from ingest import staged_write
        from ingest.store import OxigraphStore

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        def parts():
            for k in range(3):
                yield [(URIRef(f"https://w3id.org/spacekg/id/test/new{{k}}-{{i}}"), RDFS.label,
                        Literal(f"new {{i}}")) for i in range(10)]
                if {when!r} == "between parts" and k == 1:
                    die()

        if {when!r} == "deleting the old graph":
            staged_write._delete_graph = die
        store = OxigraphStore(Path({str(path)!r}))
        store.write_graph_parts(URIRef({str(NEW)!r}), parts(), also_drop=[URIRef({str(OLD)!r})])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()


def test_a_writer_killed_between_parts_leaves_no_half_graph(
    store: OxigraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    before = _quads(store)
    store.close()
    _writer_killed(path, "between parts")
    reader = OxigraphStore(path, read_only=True)
    assert _seen(reader) == (35, [OLD, OTHER])  # the half graph is there, but hidden
    assert len(set(reader.raw.quads_for_pattern(None, None, None, None))) > len(before)
    reader.close()
    writer = OxigraphStore(path)  # the next writer deletes what the crash left
    assert _quads(writer) == before
    writer.close()


def test_a_writer_killed_after_the_swap_leaves_the_new_graph(
    store: OxigraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    store.close()
    _writer_killed(path, "deleting the old graph")
    reader = OxigraphStore(path, read_only=True)
    assert _seen(reader) == (35, [NEW, OTHER])  # the old graph is there, but hidden
    reader.close()
    writer = OxigraphStore(path)
    assert writer.graph_names() == [NEW, OTHER]
    assert not writer.raw.contains_named_graph(ox.NamedNode(str(OLD)))
    assert not writer.raw.contains_named_graph(staged_write.STAGING_GRAPH)
    assert len(writer.graph(NEW)) == 30
    writer.close()


def test_drop_graph_deletes_a_large_graph_in_pieces(store: OxigraphStore) -> None:
    store.write_graph_parts(NEW, [_triples("big", 45_000)])
    assert len(store.graph(NEW)) == 45_000
    store.drop_graph(NEW)
    assert store.graph_names() == [OLD, OTHER]
    assert not store.raw.contains_named_graph(ox.NamedNode(str(NEW)))
    assert not store.raw.contains_named_graph(staged_write.STAGING_GRAPH)
