"""ingest/restore.py: `spacekg import` reads and checks a whole file, then writes it at once.

Writing tests run on every backend (embedded store, real Oxigraph and Virtuoso servers); the file is
real `spacekg ingest` output (tests/fixtures/restore/documents.nq, two document graphs).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from ingest.errors import StoreError
from ingest.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_graph
from ingest.restore import (
    IMPORT_FORMATS,
    ImportPlan,
    read_import,
    replace_graphs_update,
    restore_file,
    write_plan,
)
from ingest.store import OxigraphStore, Store, from_ox

ROOT = Path(__file__).resolve().parents[1]
DOCS = Path(__file__).parent / "fixtures" / "restore" / "documents.nq"
DOC_A = source_graph("3d1d02b8f626d937")
DOC_B = source_graph("de2ed4f142014de4")
EX = "https://example.org/"
SKG = "https://w3id.org/spacekg/ontology#"
SUFFIX = {"nquads": "nq", "trig": "trig", "jsonld": "jsonld"}


def fixture_graphs() -> dict[URIRef, Graph]:
    graphs: dict[URIRef, Graph] = {}
    for quad in ox.parse(path=str(DOCS), format=ox.RdfFormat.N_QUADS):
        target = graphs.setdefault(URIRef(quad.graph_name.value), Graph())
        target.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graphs


def snapshot(store: Store) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.graph_names()}


def assert_same(before: dict[URIRef, Graph], after: dict[URIRef, Graph]) -> None:
    assert sorted(before) == sorted(after)
    for name in before:
        assert isomorphic(before[name], after[name]), name


def seeded(store: Store) -> dict[URIRef, Graph]:
    """A store that already holds something: one unrelated document graph."""
    graph = Graph()
    graph.add((URIRef(EX + "x"), RDFS.label, Literal("before")))
    store.replace_graph(source_graph("00000000000000aa"), graph)
    return snapshot(store)


def lines_with(old: str, new: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


# --- what is written ----------------------------------------------------------------------------


def test_restores_document_graphs_exactly(any_store: Store) -> None:
    result = restore_file(any_store, DOCS)
    assert result.restored == [DOC_A, DOC_B]
    assert result.skipped == []
    for name, graph in fixture_graphs().items():
        assert set(any_store.graph(name)) == set(graph), name
    assert any_store.graph_names() == [DOC_A, DOC_B]


def test_import_replaces_a_stored_version_and_leaves_other_graphs(any_store: Store) -> None:
    before = seeded(any_store)
    stale = Graph()
    stale.add((URIRef(EX + "stale"), RDFS.label, Literal("old version")))
    any_store.replace_graph(DOC_A, stale)
    assert any_store.import_file(DOCS) == [DOC_A, DOC_B]
    assert (URIRef(EX + "stale"), None, None) not in any_store.graph(DOC_A)
    assert len(any_store.graph(DOC_A)) == len(fixture_graphs()[DOC_A])
    other = source_graph("00000000000000aa")
    assert isomorphic(any_store.graph(other), before[other])


@pytest.mark.parametrize("fmt", IMPORT_FORMATS)
def test_export_of_spacekg_round_trips_and_skips_the_project_graphs(
    any_store: Store, tmp_path: Path, fmt: str
) -> None:
    any_store.ensure_reference()
    restore_file(any_store, DOCS)
    inferred = Graph()
    inferred.add((URIRef(EX + "a"), RDF.type, URIRef(SKG + "Actor")))
    any_store.replace_graph(INFERRED_GRAPH, inferred)
    out = io.BytesIO()
    any_store.export(fmt, out)
    dump = tmp_path / f"dump.{SUFFIX[fmt]}"
    dump.write_bytes(out.getvalue())

    restored = OxigraphStore(tmp_path / "restored")
    try:
        result = restore_file(restored, dump)
        assert result.restored == [DOC_A, DOC_B]
        reasons = {s.graph: s.reason for s in result.skipped}
        assert sorted(reasons) == sorted([ONTOLOGY_GRAPH, REFERENCE_GRAPH, INFERRED_GRAPH])
        assert "identical to ontology/spacekg.ttl" in reasons[ONTOLOGY_GRAPH]
        assert "identical to ontology/reference.ttl" in reasons[REFERENCE_GRAPH]
        assert "spacekg reason" in reasons[INFERRED_GRAPH]
        assert restored.graph_names() == [DOC_A, DOC_B]
        for name in (DOC_A, DOC_B):
            assert isomorphic(restored.graph(name), any_store.graph(name)), name
        assert result.lines()[0] == f"restored 2 graph(s) from {dump}"
    finally:
        restored.close()


def test_jsonld_with_inline_contexts_is_accepted(any_store: Store, tmp_path: Path) -> None:
    out = io.BytesIO()
    source = OxigraphStore(None)
    source.raw.load(path=str(DOCS), format=ox.RdfFormat.N_QUADS)
    source.export("jsonld", out)
    document = {
        "@context": [{"ex": EX}, None, {"title": {"@id": "http://purl.org/dc/terms/title"}}],
        "@graph": json.loads(out.getvalue()),
    }
    path = tmp_path / "inline.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert restore_file(any_store, path).restored == [DOC_A, DOC_B]
    assert set(any_store.graph(DOC_B)) == set(fixture_graphs()[DOC_B])


def test_one_update_keeps_a_blank_node_shared_by_two_graphs(
    any_store: Store, request: pytest.FixtureRequest
) -> None:
    node = ox.BlankNode("shared")
    label = ox.NamedNode(str(RDFS.label))
    graphs = {
        DOC_A: [ox.Triple(node, label, ox.Literal("in a"))],
        DOC_B: [ox.Triple(node, label, ox.Literal("in b"))],
    }
    if request.node.callspec.params["any_store"] == "virtuoso":
        # Virtuoso 7.2 writes one blank node into two graphs, then answers 500 (an internal
        # error), and has no BNODE(): the import says so before writing anything.
        plan = ImportPlan(path=Path("shared.nq"), fmt="nquads", graphs=graphs)
        with pytest.raises(StoreError, match=r"blank nodes shared by two graphs \(_:shared\)"):
            write_plan(any_store, plan)
        assert any_store.graph_names() == []
        return
    any_store.update(replace_graphs_update(graphs))
    rows = any_store.query(
        "SELECT ?s WHERE { GRAPH ?a { ?s ?p 'in a' } GRAPH ?b { ?s ?q 'in b' } }"
    ).rows
    assert len(rows) == 1 and isinstance(rows[0]["s"], BNode)


# --- what is refused ----------------------------------------------------------------------------


def test_refuses_foreign_and_badly_named_graphs_listing_all(
    any_store: Store, tmp_path: Path
) -> None:
    before = seeded(any_store)
    text = DOCS.read_text(encoding="utf-8")
    text += f'<{EX}s> <{EX}p> "x" <{EX}graph> .\n'
    text += f'<{EX}s> <{EX}p> "x" <{source_graph("ABCDEF0123456789")}> .\n'
    path = tmp_path / "foreign.nq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        restore_file(any_store, path)
    message = str(caught.value)
    assert f"<{EX}graph> (not a graph spacekg restores)" in message
    assert f"<{source_graph('ABCDEF0123456789')}> (not a document graph" in message
    assert str(DOC_A) not in message  # the valid graphs are not listed
    assert "\n" not in message
    assert_same(before, snapshot(any_store))


def test_refuses_a_graph_without_document_metadata(any_store: Store, tmp_path: Path) -> None:
    before = seeded(any_store)
    path = tmp_path / "nometa.nq"
    path.write_text(
        DOCS.read_text(encoding="utf-8")
        + f'<{EX}s> <{RDFS.label}> "x" <{source_graph("0123456789abcdef")}> .\n',
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"has no document metadata") as caught:
        restore_file(any_store, path)
    assert str(source_graph("0123456789abcdef")) in str(caught.value)
    assert_same(before, snapshot(any_store))


def test_refuses_a_graph_that_violates_the_shapes(any_store: Store, tmp_path: Path) -> None:
    before = seeded(any_store)
    path = tmp_path / "shapes.nq"
    path.write_text(
        lines_with(
            '"0.95"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        ),
        encoding="utf-8",
    )
    with pytest.raises(StoreError) as caught:
        restore_file(any_store, path)
    message = str(caught.value)
    assert f"graph <{DOC_A}> violates the shapes" in message
    assert "Evidence-confidence" in message and "1.5" in message
    assert_same(before, snapshot(any_store))


def test_refuses_a_document_whose_digest_is_not_its_docid(tmp_path: Path) -> None:
    path = tmp_path / "renamed.nq"
    # The graph and document are renamed, the digest still names the old text.
    path.write_text(
        DOCS.read_text(encoding="utf-8")
        .replace("graph/source/3d1d02b8f626d937>", "graph/source/1111111111111111>")
        .replace("id/source/3d1d02b8f626d937>", "id/source/1111111111111111>"),
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"skg:sha256 does not start with its docid"):
        read_import(path)


def test_refuses_triples_outside_named_graphs_and_blank_graph_names(tmp_path: Path) -> None:
    default = tmp_path / "default.nq"
    default.write_text(f'<{EX}s> <{EX}p> "x" .\n', encoding="utf-8")
    with pytest.raises(StoreError, match="outside any named graph"):
        read_import(default)
    blank = tmp_path / "blank.trig"
    blank.write_text(f'_:g {{ <{EX}s> <{EX}p> "x" . }}\n', encoding="utf-8")
    with pytest.raises(StoreError, match="blank-node graph name"):
        read_import(blank)


@pytest.mark.parametrize(
    "context",
    [
        "https://example.org/context.jsonld",
        ["https://example.org/context.jsonld"],
        [{"ex": EX}, "context.jsonld"],
        {"@import": "https://example.org/context.jsonld"},
        {"term": {"@id": EX + "term", "@context": "https://example.org/scoped.jsonld"}},
    ],
)
def test_refuses_every_context_that_would_be_loaded(tmp_path: Path, context: object) -> None:
    path = tmp_path / "ctx.jsonld"
    path.write_text(
        json.dumps({"@id": str(DOC_A), "@graph": [{"@id": EX + "s", "@context": context}]}),
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match="contexts must be inline") as caught:
        read_import(path)
    assert "example.org" in str(caught.value) or "context.jsonld" in str(caught.value)


def test_refuses_a_duplicate_context_key_hidden_behind_an_inline_one(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonld"
    path.write_text(
        '{"@context": "https://example.org/c.jsonld", "@context": {}, "@id": "' + str(DOC_A) + '"}',
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"'https://example.org/c.jsonld' refused"):
        read_import(path)


def test_file_is_size_bounded_and_must_be_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"more than the import limit of 1000"):
        read_import(DOCS, max_bytes=1000)
    with pytest.raises(StoreError, match="not a regular file"):
        read_import(tmp_path, "nquads")
    fifo = tmp_path / "pipe.nq"
    os.mkfifo(fifo)  # nothing ever writes to it: reading it would block
    with pytest.raises(StoreError, match="not a regular file"):
        read_import(fifo)
    with pytest.raises(StoreError, match="file not found"):
        read_import(tmp_path / "missing.nq")
    empty = tmp_path / "empty.nq"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(StoreError, match="the file is empty"):
        read_import(empty)


def test_syntax_and_encoding_errors_give_line_and_column(tmp_path: Path) -> None:
    latin = tmp_path / "latin.nq"
    second = f'<{EX}s> <{EX}p> "caf'
    latin.write_bytes(
        f'<{EX}s> <{EX}p> "ok" <{DOC_A}> .\n{second}\xe9" <{DOC_A}> .\n'.encode("latin-1")
    )
    with pytest.raises(StoreError, match=rf"not UTF-8 at line 2, column {len(second) + 1}\b"):
        read_import(latin)
    broken = tmp_path / "broken.jsonld"
    broken.write_text('[\n  {"@id": "x",\n   "y": [1, }\n]', encoding="utf-8")
    with pytest.raises(
        StoreError, match=r"cannot parse jsonld at line 3, column 13: Expecting value"
    ):
        read_import(broken)


def test_formats_accepted_and_refused(tmp_path: Path) -> None:
    with pytest.raises(
        StoreError, match=r"unknown import format 'xml' — use one of: nquads, trig, jsonld"
    ):
        read_import(DOCS, "xml")
    with pytest.raises(StoreError, match="Turtle holds no named graphs"):
        read_import(tmp_path / "x.ttl")
    odd = tmp_path / "dump.rdf"
    with pytest.raises(StoreError, match=r"cannot tell the RDF format of '.rdf'.*--format nquads"):
        read_import(odd)
    assert read_import(DOCS, "nquads").fmt == "nquads"


def test_cli_prints_what_was_restored_and_skipped(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "a")
    try:
        store.ensure_reference()
        restore_file(store, DOCS)
        dump = tmp_path / "all.trig"
        with dump.open("wb") as handle:
            store.export("trig", handle)
    finally:
        store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    result = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "--store", str(tmp_path / "b"), "import", str(dump)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"restored 2 graph(s) from {dump}"
    assert f"skipped <{ONTOLOGY_GRAPH}>: identical to ontology/spacekg.ttl" in result.stdout
    assert f"skipped <{REFERENCE_GRAPH}>: identical to ontology/reference.ttl" in result.stdout


# --- random input (property-based) -----------------------------------------------------------

_RDF_TOKENS = st.sampled_from(
    [
        "<https://w3id.org/spacekg/graph/source/0123456789abcdef>",
        "<https://w3id.org/spacekg/graph/reference>",
        "<urn:a>",
        '"x"',
        '"x"@en',
        "_:b",
        ".",
        "{",
        "}",
        "@base <https://w3id.org/spacekg/graph/> .",
        "@prefix a: <urn:a:> .",
        "a:b",
        '{"@context": "http://127.0.0.1:9/c.jsonld"}',
        '"@id"',
        "\n",
        " ",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(_RDF_TOKENS, max_size=30).map(lambda t: " ".join(t).encode()),
    ),
    suffix=st.sampled_from([".nq", ".trig", ".jsonld"]),
)
def test_random_files_are_refused_with_a_store_error_or_read(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    """Whatever the bytes, the reader answers with a plan or a one-line StoreError."""
    path = tmp_path_factory.mktemp("random") / f"input{suffix}"
    path.write_bytes(data)
    try:
        plan = read_import(path)
    except StoreError as exc:
        assert "\n" not in str(exc)
        return
    for name in plan.graphs:  # only document graphs can get through
        assert str(name).startswith("https://w3id.org/spacekg/graph/source/")
