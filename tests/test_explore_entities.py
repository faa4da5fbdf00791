"""ingest.explore.entities: the index of individuals, an entity's card, the label search.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from ingest.explore.entities import entity_card, entity_index, individuals, search_entities
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"


def test_an_alternative_name_finds_the_entity(dataset_store: OxigraphStore) -> None:
    hits = search_entities(dataset_store, "Article 5")
    assert [h["entity"] for h in hits] == [ID + "concept/collective-defence"]
    assert hits[0]["label"] == "collective defence" and hits[0]["matched"] == ["Article 5"]
    assert search_entities(dataset_store, "   ") == []


def test_one_row_per_entity_however_many_names_match(dataset_store: OxigraphStore) -> None:
    hits = search_entities(dataset_store, "russia")
    entities = [h["entity"] for h in hits]
    assert len(entities) == len(set(entities))
    assert ID + "actor/russia" in entities


def test_subclasses_count_and_groups_follow_the_top_class(dataset_store: OxigraphStore) -> None:
    commands = {e.label: e for e in individuals(dataset_store, "Organization")}
    assert "NATO Space Centre" in commands  # a MilitaryCommand is an Organization
    assert commands["NATO Space Centre"].group == "Actor"
    index = entity_index(dataset_store)
    assert index[ID + "asset/kosmos-1408"].group == "Space asset"
    assert index[ID + "concept/resilience"].group == "Doctrine concept"


def test_a_card_names_curated_and_found_individuals(dataset_store: OxigraphStore) -> None:
    card = entity_card(dataset_store, ID + "actor/russia")
    assert card is not None and card.label == "Russia"
    assert entity_card(dataset_store, ID + "actor/nobody-at-all") is None
