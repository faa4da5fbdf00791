"""ingest.explore.overview: headline counts, latest documents, the capability matrix.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from ingest.explore.overview import capability_matrix, latest_documents, overview_counts
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"


def test_counts_include_curated_and_ingested_documents(dataset_store: OxigraphStore) -> None:
    counts = overview_counts(dataset_store)
    # three curated documents (London, Brussels, the Space Policy) and two ingested ones
    assert counts["documents"] == 5
    assert counts["actors"] >= 6  # NATO, the United States, France, Germany, Russia, China...


def test_latest_documents_are_newest_first_with_their_facts(dataset_store: OxigraphStore) -> None:
    latest = latest_documents(dataset_store)
    assert [d["title"] for d in latest] == [
        "Space Threat Assessment 2022",  # 2022-04-04
        "NATO condemns Russian ASAT test",  # 2021-11-16
    ]
    news = latest[1]
    assert news["docid"] == "aaaaaaaaaaaaaaaa"
    assert (news["facts"], news["review"]) == (6, 1)  # six asserted sentences, one held back
    assert len(latest_documents(dataset_store, limit=1)) == 1


def test_a_capability_two_documents_state_counts_both(dataset_store: OxigraphStore) -> None:
    cells = {(c["actorLabel"], c["capabilityLabel"]): c for c in capability_matrix(dataset_store)}
    russia = cells[("Russia", "direct-ascent ASAT")]
    assert (russia["evidence"], russia["sources"]) == (2, 2)
    assert russia["origins"] == ["asserted"]
    assert cells[("China", "direct-ascent ASAT")]["sources"] == 1
    # China's co-orbital capability is only held for review: no cell
    assert ("China", "co-orbital ASAT") not in cells


def test_the_matrix_of_one_actor_is_its_row(dataset_store: OxigraphStore) -> None:
    rows = capability_matrix(dataset_store, ID + "actor/china")
    assert {r["actorLabel"] for r in rows} == {"China"}
    assert {r["capabilityLabel"] for r in rows} == {"direct-ascent ASAT"}
