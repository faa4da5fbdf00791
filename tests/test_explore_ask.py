"""ingest.explore.ask: widgets for a library query's parameters, and running it.

Choices are read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real
embedded store.
"""

from __future__ import annotations

from ingest.explore.ask import param_choices, run_library_query
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"


def test_an_entity_parameter_offers_the_graphs_individuals(dataset_store: OxigraphStore) -> None:
    (actor,) = param_choices(dataset_store, "actor_profile")
    assert actor.widget == "select" and actor.required
    names = dict(actor.options)
    assert names[ID + "actor/russia"] == "Russia (actor)"
    assert names[ID + "asset/kosmos-1408"] == "Kosmos 1408 (space asset)"


def test_the_capability_matrix_offers_actors_only(dataset_store: OxigraphStore) -> None:
    (actor,) = param_choices(dataset_store, "capability_matrix")
    assert not actor.required
    assert all(label.endswith("(actor)") for _, label in actor.options)
    assert ID + "actor/china" in dict(actor.options)


def test_blank_optional_values_mean_any(dataset_store: OxigraphStore) -> None:
    every = run_library_query(dataset_store, "capability_matrix", {"actor": ""})
    china = run_library_query(dataset_store, "capability_matrix", {"actor": ID + "actor/china"})
    assert len(china.rows) < len(every.rows)
    assert {str(r["actor"]) for r in every.rows} == {ID + "actor/china", ID + "actor/russia"}
