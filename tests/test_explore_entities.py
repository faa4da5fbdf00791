"""ingest.explore.entities: the index of individuals, an entity's card, the label search.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ingest.explore.entities import entity_card, entity_index, individuals, search_entities
from ingest.store import OxigraphStore
from ingest.vocab import SKG

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


def test_a_card_is_one_lookup_that_prefers_the_curated_name(embedded_store: OxigraphStore) -> None:
    # Russia is curated (reference graph) and also named differently by an ingested document;
    # a synthetic entity shares its slug's words with many others (the old label search on
    # "synthetic" stopped at 200 hits); an evidence node is no entity the app links to.
    embedded_store.ensure_reference()
    doc_graph = URIRef("https://w3id.org/spacekg/graph/source/00000000000000aa")
    graph = Graph()
    russia = URIRef(ID + "actor/russia")
    graph.add((russia, RDFS.label, Literal("Federation of Russia")))
    for n in range(250):
        state = URIRef(ID + f"actor/synthetic-state-{n}")
        graph.add((state, RDF.type, SKG.State))
        graph.add((state, RDFS.label, Literal(f"Synthetic state {n}")))
    place = URIRef(ID + "place/synthetic-place-1")  # no label anywhere
    graph.add((place, RDF.type, SKG.Place))
    evidence = URIRef(ID + "evidence/00000000000000aa-1")
    graph.add((evidence, RDF.type, SKG.Evidence))
    embedded_store.replace_graph(doc_graph, graph)

    card = entity_card(embedded_store, str(russia))
    assert card is not None and (card.label, card.type) == ("Russia", "State")
    card = entity_card(embedded_store, ID + "actor/synthetic-state-249")
    assert card is not None and (card.label, card.type) == ("Synthetic state 249", "State")
    card = entity_card(embedded_store, str(place))
    assert card is not None and (card.label, card.type) == ("synthetic place 1", "Place")
    assert entity_card(embedded_store, str(evidence)) is None
    assert entity_card(embedded_store, "2021-11-15") is None  # a fact's literal object
