"""ingest.explore.origins: where a fact comes from, and the evidence sentences behind it.

Evidence is read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real
embedded store: two source documents, one with a review-only fact.
"""

from __future__ import annotations

from ingest.explore.origins import badge, evidence_for, origin_of_graph, origins_of
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"
SKG = "https://w3id.org/spacekg/ontology#"
ASSESSMENT = ID + "source/bbbbbbbbbbbbbbbb"  # "Space Threat Assessment 2022"
NEWS = ID + "source/aaaaaaaaaaaaaaaa"  # "NATO condemns Russian ASAT test"


def test_origin_badges_follow_the_graph_names() -> None:
    base = "https://w3id.org/spacekg/graph/"
    assert origin_of_graph(base + "reference") == "curated"
    assert origin_of_graph(base + "inferred") == "inferred"
    assert origin_of_graph(base + "source/0123456789abcdef") == "asserted"
    assert origins_of("asserted curated inferred") == ["curated", "asserted", "inferred"]
    assert origins_of("", "review") == ["review"]


def test_a_review_status_outranks_every_graph() -> None:
    # evidence held for review is not a plain fact, whatever graph the triple sits in
    assert origins_of("curated asserted", "review") == ["review"]
    assert badge([]) == "—"


def test_evidence_names_the_document_it_comes_from(dataset_store: OxigraphStore) -> None:
    rows = evidence_for(
        dataset_store, ID + "actor/russia", SKG + "hasCapability", ID + "capability/jamming"
    )
    assert [r["document"] for r in rows] == [ASSESSMENT]  # only the assessment says so
    (row,) = rows
    assert row["title"] == "Space Threat Assessment 2022"
    assert row["date"] == "2022-04-04"
    assert "jammed GPS signals" in str(row["sentence"])
    assert row["source"] == "asserted"


def test_a_fact_two_documents_state_has_evidence_from_both(dataset_store: OxigraphStore) -> None:
    rows = evidence_for(
        dataset_store,
        ID + "actor/russia",
        SKG + "hasCapability",
        ID + "capability/direct-ascent-asat",
    )
    assert {r["document"] for r in rows} == {NEWS, ASSESSMENT}


def test_review_only_evidence_is_shown_as_review(dataset_store: OxigraphStore) -> None:
    rows = evidence_for(dataset_store, ID + "actor/china")
    by_object = {r["object"]: r for r in rows}
    assert by_object[ID + "capability/co-orbital-asat"]["source"] == "review"
    assert by_object[ID + "capability/co-orbital-asat"]["document"] == NEWS
    assert by_object[ID + "capability/direct-ascent-asat"]["source"] == "asserted"
