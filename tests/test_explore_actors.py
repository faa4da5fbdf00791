"""ingest.explore.actors: actor filters, an actor's facts with origins, neighbourhood, timeline.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from ingest.explore.actors import (
    actor_timeline,
    actors,
    entity_facts,
    members_of,
    neighbourhood,
    without_restated_inverses,
)
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"
SKG = "https://w3id.org/spacekg/ontology#"
RUSSIA = ID + "actor/russia"
NATO = ID + "actor/nato"


def test_inferred_inverse_facts_are_not_shown_twice() -> None:
    cyber, group = "skgid-cyber", "skgid-group"
    facts = [
        {
            "direction": "out",
            "property": SKG + "hasCapability",
            "other": cyber,
            "origins": ["curated"],
        },
        {
            "direction": "in",
            "property": SKG + "capabilityOf",
            "other": cyber,
            "origins": ["inferred"],
        },
        {"direction": "out", "property": SKG + "memberOf", "other": group, "origins": ["inferred"]},
    ]
    kept = without_restated_inverses(facts)  # type: ignore[arg-type]
    assert kept == [facts[0], facts[2]]  # the restated inverse goes, a new inference stays


def test_states_of_an_alliance_are_its_curated_members(dataset_store: OxigraphStore) -> None:
    allies = [e.label for e in actors(dataset_store, "State", NATO)]
    assert sorted(allies) == ["France", "Germany", "United States"]
    assert "Russia" in {e.label for e in actors(dataset_store, "State")}
    accession = {r["label"]: r["accession"] for r in members_of(dataset_store, NATO)}
    assert accession["Germany"] == "1955-05-06"


def test_an_actors_facts_say_where_each_comes_from(dataset_store: OxigraphStore) -> None:
    facts = entity_facts(dataset_store, RUSSIA)
    by_other = {(f["direction"], f["other"]): f for f in facts}
    # the ASAT test is curated and restated by the news article
    test = by_other[("out", ID + "event/kosmos-1408-asat-test")]
    assert test["origins"] == ["curated", "asserted"]
    assert test["otherLabel"] == "Russian ASAT test of November 2021"
    assert by_other[("out", ID + "asset/gps")]["origins"] == ["inferred"]  # the reasoner's
    assert by_other[("in", ID + "actor/roscosmos")]["propertyLabel"] == "part of"
    # a review-only fact about China is not a fact about Russia, nor a fact at all
    assert ("out", ID + "capability/co-orbital-asat") not in by_other


def test_the_neighbourhood_stays_within_its_node_limit(dataset_store: OxigraphStore) -> None:
    near = neighbourhood(dataset_store, RUSSIA, depth=1, max_nodes=40, label="Russia")
    assert not near.capped
    assert near.nodes[RUSSIA] == "Russia"
    assert {ID + "asset/kosmos-1408", ID + "actor/roscosmos"} <= set(near.nodes)
    small = neighbourhood(dataset_store, RUSSIA, depth=2, max_nodes=3)
    assert small.capped and len(small.nodes) == 3
    assert all(s in small.nodes and o in small.nodes for s, _, o, _ in small.edges)


def test_expanding_a_node_brings_in_its_own_neighbours(dataset_store: OxigraphStore) -> None:
    near = neighbourhood(dataset_store, RUSSIA, depth=1, max_nodes=60)
    grew = 0
    for node in set(near.nodes) - {RUSSIA}:
        opened = neighbourhood(dataset_store, RUSSIA, depth=1, max_nodes=60, expanded=(node,))
        assert set(near.nodes) <= set(opened.nodes)
        new = set(opened.nodes) - set(near.nodes)
        ends = {o for s, _, o, _ in opened.edges if s == node}
        ends |= {s for s, _, o, _ in opened.edges if o == node}
        assert new <= ends, f"{node}: every new node is a neighbour of the expanded one"
        grew += bool(new)
    assert grew, "some neighbour of Russia has neighbours of its own"


def test_the_timeline_lists_dated_events_in_order(dataset_store: OxigraphStore) -> None:
    rows = actor_timeline(dataset_store, RUSSIA)
    labels = [r["label"] for r in rows]
    assert labels.index("Russian ASAT test of November 2021") < labels.index("KA-SAT cyberattack")
    assert [r["date"] for r in rows] == sorted(str(r["date"]) for r in rows)
