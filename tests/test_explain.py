"""ingest.explain: an inferred fact's axiom and the facts it came from, on the real reference data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, URIRef

from ingest.config import ID_NS
from ingest.explain import MAX_DEPTH, explain, explain_chain
from ingest.iri import INFERRED_GRAPH
from ingest.reason import reason_store
from ingest.store import OxigraphStore
from ingest.vocab import SKG

TEST = URIRef(ID_NS + "event/russian-da-asat-test-2021-11-15")
KOSMOS = URIRef(ID_NS + "asset/kosmos-1408")
RUSSIA = URIRef(ID_NS + "actor/russia")
SPACE_CENTRE = URIRef(ID_NS + "actor/nato-space-centre")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = OxigraphStore(Path(tmp_path_factory.mktemp("explain")) / "store")
    store.ensure_reference()
    assert reason_store(store, engine="owlrl").consistent
    yield store
    store.close()


def rules(store: OxigraphStore, fact: tuple) -> dict[str, tuple]:  # type: ignore[type-arg]
    assert fact in store.graph(INFERRED_GRAPH), "the reasoner inferred it"
    return {
        e.rule: (e.axiom, [(p.triple, p.origin) for p in e.premises]) for e in explain(store, fact)
    }


def test_an_inverse_rests_on_the_curated_fact(store: OxigraphStore) -> None:
    found = rules(store, (KOSMOS, SKG.targetOf, TEST))
    assert found["inverse"] == (
        (SKG.targetOf, OWL.inverseOf, SKG.targeted),
        [((TEST, SKG.targeted, KOSMOS), "curated")],
    )


def test_a_superproperty_rests_on_its_subproperty(store: OxigraphStore) -> None:
    found = rules(store, (TEST, SKG.threatens, KOSMOS))
    assert found["subproperty"] == (
        (SKG.targeted, RDFS.subPropertyOf, SKG.threatens),
        [((TEST, SKG.targeted, KOSMOS), "curated")],
    )


def test_a_type_rests_on_a_subclass_and_on_domains(store: OxigraphStore) -> None:
    found = rules(store, (RUSSIA, RDF.type, SKG.Actor))
    assert found["subclass"] == (
        (SKG.State, RDFS.subClassOf, SKG.Actor),
        [((RUSSIA, RDF.type, SKG.State), "curated")],
    )
    assert found["domain"][0][1] == RDFS.domain
    ((subject, _, _), origin) = found["domain"][1][0]
    assert subject == RUSSIA and origin == "curated"


def test_a_transitive_step_has_two_premises(store: OxigraphStore) -> None:
    inferred = store.graph(INFERRED_GRAPH)
    fact = next(
        (s, p, o)
        for s, p, o in inferred.triples((SPACE_CENTRE, SKG.partOf, None))
        if any(e.rule == "transitive" for e in explain(store, (s, p, o)))
    )
    (axiom, premises) = rules(store, fact)["transitive"]
    assert axiom == (SKG.partOf, RDF.type, OWL.TransitiveProperty)
    (first, _), (second, _) = premises
    assert first[0] == SPACE_CENTRE and second[2] == fact[2] and first[2] == second[0]


def test_a_fact_nothing_supports_has_no_explanation(store: OxigraphStore) -> None:
    assert explain(store, (KOSMOS, SKG.partOf, RUSSIA)) == []
    assert explain(store, (RUSSIA, RDF.type, SKG.Satellite)) == []


def test_a_chain_explains_inferred_premises_until_a_stated_fact(store: OxigraphStore) -> None:
    nato_allies = URIRef(ID_NS + "actor/nato-allies")
    fact = (nato_allies, RDF.type, SKG.Actor)
    assert fact in store.graph(INFERRED_GRAPH)

    def leaves(explanations: list, depth: int = 0) -> list[tuple]:  # type: ignore[type-arg]
        found = []
        for explanation in explanations:
            for step in explanation.premises:
                if step.because:
                    found += leaves(list(step.because), depth + 1)
                else:
                    found.append((step.origin, depth))
        return found

    chain = explain_chain(store, fact)
    ends = leaves(chain)
    assert any(depth > 0 for _, depth in ends), "some premise is inferred and explained"
    # an unexplained leaf is a stated fact, unless the depth limit stopped the chain there
    assert all(origin != "inferred" or depth == MAX_DEPTH - 1 for origin, depth in ends), ends
    assert not any(step.because for e in explain_chain(store, fact, depth=1) for step in e.premises)
