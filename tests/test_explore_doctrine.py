"""ingest.explore.doctrine: documents over time, a doctrine concept across documents.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from ingest.explore.doctrine import concept_documents, concepts, doctrine_documents
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"


def test_curated_and_ingested_documents_in_date_order(dataset_store: OxigraphStore) -> None:
    rows = doctrine_documents(dataset_store)
    assert [r["date"] for r in rows] == sorted(str(r["date"]) for r in rows)
    origin = {r["title"]: r["origin"] for r in rows}
    assert origin["London Declaration"] == "curated"
    assert origin["NATO condemns Russian ASAT test"] == "asserted"
    policy = next(r for r in rows if r["title"] == "NATO's overarching Space Policy")
    assert (policy["dateText"], policy["date"]) == ("2022-01", "2022-01-01")  # a month only
    assert policy["declares"] == "resilience"


def test_a_concept_across_curated_and_ingested_documents(dataset_store: OxigraphStore) -> None:
    assert "resilience" in {c.label for c in concepts(dataset_store)}
    rows = concept_documents(dataset_store, ID + "concept/resilience")
    relation = {r["title"]: (r["relation"], r["source"]) for r in rows}
    assert relation == {
        "Brussels Summit Communiqué": ("mentions", "curated"),
        "NATO condemns Russian ASAT test": ("mentions", "asserted"),
        "NATO's overarching Space Policy": ("declares", "curated"),
        "Space Threat Assessment 2022": ("declares", "asserted"),
    }
    assert [r["date"] for r in rows] == sorted(str(r["date"]) for r in rows)


def test_document_kinds_read_as_the_ontology_labels_them(dataset_store: OxigraphStore) -> None:
    kinds = {r["title"]: r["kind"] for r in doctrine_documents(dataset_store)}
    assert kinds["London Declaration"] == "declaration"  # skg:Declaration's rdfs:label
    assert all(k == k.lower() or " " in k for k in map(str, kinds.values())), kinds
