"""Regression #5: `spacekg import` replaced the curated and inferred graphs from a file.

A TriG file with `@base <https://w3id.org/spacekg/graph/>` and a `<reference>` block (the curated
data plus "Russia member of NATO", with the reference checksum copied in) replaced the
reference graph, and `validate` still passed. Only document graphs may come from a file, and
each is validated like an ingested document.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from ingest.errors import StoreError
from ingest.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_graph
from ingest.store import Store, to_ox

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "restore" / "documents.nq"
RUSSIA = "https://w3id.org/spacekg/id/actor/russia"
NATO = "https://w3id.org/spacekg/id/actor/nato"
MEMBER_OF = "https://w3id.org/spacekg/ontology#memberOf"
FORGED = f"<{RUSSIA}> <{MEMBER_OF}> <{NATO}> .\n"
ASK_FORGED = f"ASK {{ <{RUSSIA}> <{MEMBER_OF}> <{NATO}> }}"


def ntriples(graph: Graph) -> str:
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def snapshot(store: Store) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.graph_names()}


def assert_unchanged(store: Store, before: dict[URIRef, Graph]) -> None:
    after = snapshot(store)
    assert sorted(after) == sorted(before)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name
    assert store.query(ASK_FORGED).boolean is False


def test_trig_with_base_cannot_replace_the_reference_or_inferred_graph(
    any_store: Store, tmp_path: Path
) -> None:
    any_store.ensure_reference()
    before = snapshot(any_store)
    # The stored reference graph, checksum triple included, plus one forged fact.
    reference = ntriples(any_store.graph(REFERENCE_GRAPH))
    attack = tmp_path / "attack.trig"
    attack.write_text(
        "@base <https://w3id.org/spacekg/graph/> .\n"
        f"<reference> {{\n{reference}{FORGED}}}\n"
        f"<inferred> {{\n{FORGED}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(StoreError) as caught:
        any_store.import_file(attack)
    message = str(caught.value)
    assert f"<{REFERENCE_GRAPH}> (differs from ontology/reference.ttl" in message
    assert "\n" not in message
    assert_unchanged(any_store, before)
    # The checksum still matches the file, and the curated data is what it was.
    assert any_store.ensure_reference() is False
    assert_unchanged(any_store, before)


def test_a_changed_ontology_graph_refuses_the_whole_file(any_store: Store, tmp_path: Path) -> None:
    any_store.ensure_reference()
    before = snapshot(any_store)
    ontology = any_store.graph(ONTOLOGY_GRAPH)
    ontology.remove((None, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), None))
    attack = tmp_path / "attack.nq"
    text = DOCS.read_text(encoding="utf-8")
    text += "".join(
        line[: -len(" .")] + f" <{ONTOLOGY_GRAPH}> .\n"
        for line in ntriples(ontology).splitlines()
        if line
    )
    attack.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError, match=r"differs from ontology/spacekg.ttl"):
        any_store.import_file(attack)
    assert_unchanged(any_store, before)


def test_the_inferred_graph_in_a_file_is_not_written(any_store: Store, tmp_path: Path) -> None:
    dump = tmp_path / "with-inferred.nq"
    dump.write_text(
        DOCS.read_text(encoding="utf-8") + FORGED[: -len(" .\n")] + f" <{INFERRED_GRAPH}> .\n",
        encoding="utf-8",
    )
    restored = any_store.import_file(dump)
    assert INFERRED_GRAPH not in restored
    assert INFERRED_GRAPH not in any_store.graph_names()
    assert any_store.query(ASK_FORGED).boolean is False


def test_other_graphs_are_refused(any_store: Store, tmp_path: Path) -> None:
    dump = tmp_path / "other.nq"
    dump.write_text(
        DOCS.read_text(encoding="utf-8")
        + FORGED[: -len(" .\n")]
        + " <https://w3id.org/spacekg/graph/curated> .\n",
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"<https://w3id.org/spacekg/graph/curated>"):
        any_store.import_file(dump)
    assert any_store.graph_names() == []


def test_a_document_graph_is_validated_like_an_ingested_document(
    any_store: Store, tmp_path: Path
) -> None:
    forged = source_graph("0123456789abcdef")
    no_metadata = tmp_path / "no-metadata.nq"
    no_metadata.write_text(FORGED[: -len(" .\n")] + f" <{forged}> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"has no document metadata") as caught:
        any_store.import_file(no_metadata)
    assert str(forged) in str(caught.value)
    assert any_store.graph_names() == []

    invalid = tmp_path / "invalid.nq"
    text = DOCS.read_text(encoding="utf-8")
    decimal = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
    assert f'"0.95"{decimal}' in text
    invalid.write_text(text.replace(f'"0.95"{decimal}', f'"7"{decimal}'), encoding="utf-8")
    with pytest.raises(StoreError, match=r"violates the shapes.*Evidence-confidence"):
        any_store.import_file(invalid)
    assert any_store.graph_names() == []
