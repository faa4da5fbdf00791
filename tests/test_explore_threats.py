"""ingest.explore.threats: capability types and hazards, who has them, ASAT tests and attacks.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from ingest.explore.threats import capability_detail, capability_overview, incidents
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"


def test_every_capability_type_is_listed_with_its_holders(dataset_store: OxigraphStore) -> None:
    rows = {r["label"]: r for r in capability_overview(dataset_store)}
    assert {"direct-ascent ASAT", "co-orbital ASAT", "jamming", "cyber"} <= set(rows)
    assert rows["direct-ascent ASAT"]["heldBy"] == "China; Russia"
    assert rows["co-orbital ASAT"]["heldBy"] == ""  # only a review fact claims it
    assert rows["jamming"]["threatens"] == "GPS"  # curated: jamming threatens GPS


def test_a_capability_shows_who_has_it_and_what_it_threatens(dataset_store: OxigraphStore) -> None:
    detail = capability_detail(dataset_store, ID + "capability/jamming")
    assert [r["actorLabel"] for r in detail["holders"]] == ["Russia"]
    assert [r["otherLabel"] for r in detail["threatens"]] == ["GPS"]
    assert detail["threatens"][0]["origins"] == ["curated"]


def test_incidents_carry_their_date_actor_and_target(dataset_store: OxigraphStore) -> None:
    events = {r["event"]: r for r in incidents(dataset_store)}
    test = events[ID + "event/kosmos-1408-asat-test"]
    assert test["date"] == "2021-11-15" and test["type"] == "ASAT test"  # the ontology's label
    assert "Russia" in str(test["conductedBy"]) and "Kosmos 1408" in str(test["targets"])
    assert "KA-SAT network" in str(events[ID + "event/viasat-cyberattack"]["targets"])
    assert ID + "event/brussels-summit-2021" not in events  # a summit is no incident
