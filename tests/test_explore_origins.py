"""ingest.explore.origins: where a fact comes from, and the evidence sentences behind it.

Evidence is read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real
embedded store: two source documents, one with a review-only fact.
"""

from __future__ import annotations

from ingest.explore.origins import origin_of_graph, origins_of

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
