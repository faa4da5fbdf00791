"""OWL reasoning with the real ontology and reference data, real Java/HermiT and real owlrl."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import IsomorphicGraph, to_isomorphic
from rdflib.namespace import OWL, RDF

from ingest.config import EXAMPLES_DIR, ID_NS, ONTOLOGY_NS
from ingest.errors import ReasoningError
from ingest.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_graph
from ingest.ontology import load_turtle, ontology_graph, reference_graph
from ingest.reason import ReasoningResult, merge, reason, reason_store
from ingest.store import Store

REASONING = EXAMPLES_DIR / "reasoning"
SKG = ONTOLOGY_NS
ENGINES = ["hermit", "owlrl"]

# The individual each inconsistent fixture puts in a clash (its first comment says why).
INCONSISTENT = {
    "inconsistent-disjoint-types.ttl": ID_NS + "actor/orbital-gazette",
    "inconsistent-domain-clash.ttl": ID_NS + "document/launch-report",
    "inconsistent-union-range.ttl": ID_NS + "document/london-declaration",
}


def skg(name: str) -> URIRef:
    return URIRef(SKG + name)


def ind(path: str) -> URIRef:
    return URIRef(ID_NS + path)


def curated() -> list[Graph]:
    return [ontology_graph(), reference_graph()]


def fixture(name: str) -> Graph:
    return load_turtle(REASONING / name)


Run = Callable[[tuple[str, ...], str], ReasoningResult]


@pytest.fixture(scope="module")
def run() -> Run:
    """`run(extras, engine)`: curated graphs plus example files, reasoned once per module and
    engine (each run starts Java or a pure-Python closure: seconds, not milliseconds)."""
    results: dict[tuple[tuple[str, ...], str], ReasoningResult] = {}

    def reasoned(extras: tuple[str, ...], engine: str) -> ReasoningResult:
        if (extras, engine) not in results:
            graphs = [*curated(), *(fixture(name) for name in extras)]
            results[extras, engine] = reason(graphs, engine=engine)  # type: ignore[arg-type]
        return results[extras, engine]

    return reasoned


@pytest.fixture(scope="module")
def on_reference(run: Run) -> dict[str, ReasoningResult]:
    """Both engines on ontology + reference data."""
    return {engine: run((), engine) for engine in ENGINES}


@pytest.fixture(scope="module")
def on_inferences_fixture(run: Run) -> dict[str, ReasoningResult]:
    """Both engines on ontology + reference + the fixture of one-way, partly untyped facts."""
    return {engine: run(("inferences.ttl",), engine) for engine in ENGINES}


# --- consistency and specific inferences on the real data -----------------------------------


def test_reference_data_is_consistent_under_hermit(on_reference: dict[str, ReasoningResult]):
    result = on_reference["hermit"]
    assert result.engine == "hermit"
    assert result.consistent, result.clashes
    assert result.clashes == []
    assert result.triples_in == len(merge(curated()))
    assert result.seconds > 0


@pytest.mark.parametrize("engine", ENGINES)
def test_membership_inverse_is_inferred(on_reference: dict[str, ReasoningResult], engine: str):
    stated = (ind("actor/france"), skg("memberOf"), ind("actor/nato"))
    inverse = (ind("actor/nato"), skg("hasMember"), ind("actor/france"))
    assert stated in reference_graph() and inverse not in reference_graph()
    assert inverse in on_reference[engine].inferred


@pytest.mark.parametrize("engine", ENGINES)
def test_part_of_chain_is_closed(on_reference: dict[str, ReasoningResult], engine: str):
    # Reference chain: NATO Space Centre ⊑ Allied Air Command ⊑ ACO ⊑ NATO.
    centre, aircom, aco, nato = (
        ind("actor/nato-space-centre"),
        ind("actor/allied-air-command"),
        ind("actor/allied-command-operations"),
        ind("actor/nato"),
    )
    part_of = skg("partOf")
    for lower, upper in ((centre, aircom), (aircom, aco), (aco, nato)):
        assert (lower, part_of, upper) in reference_graph()
    assert (centre, part_of, nato) not in reference_graph()
    inferred = on_reference[engine].inferred
    assert (centre, part_of, nato) in inferred
    assert (centre, part_of, aco) in inferred
    assert (nato, skg("hasPart"), centre) in inferred


@pytest.mark.parametrize("engine", ENGINES)
def test_subclass_and_subproperty_inferences(on_reference: dict[str, ReasoningResult], engine: str):
    inferred = on_reference[engine].inferred
    assert (ind("actor/russia"), RDF.type, skg("State")) in reference_graph()
    assert (ind("actor/russia"), RDF.type, skg("Actor")) in inferred
    # targeted ⊑ threatens, and threatens has the inverse threatenedBy.
    test = ind("event/russian-da-asat-test-2021-11-15")
    kosmos = ind("asset/kosmos-1408")
    assert (test, skg("targeted"), kosmos) in reference_graph()
    assert (test, skg("threatens"), kosmos) in inferred
    assert (kosmos, skg("threatenedBy"), test) in inferred


def test_owlrl_agrees_with_hermit_on_reference(on_reference: dict[str, ReasoningResult]):
    hermit, owlrl = on_reference["hermit"], on_reference["owlrl"]
    assert owlrl.engine == "owlrl" and owlrl.consistent
    # OWL RL is sound, so what it infers HermiT (complete for OWL 2 DL) infers too; on property
    # values (inverses, transitivity, sub-properties) the two must match exactly.
    assert set(owlrl.inferred) <= set(hermit.inferred)

    def properties(graph: Graph) -> set[tuple]:
        return {t for t in graph if t[1] != RDF.type}

    assert properties(owlrl.inferred) == properties(hermit.inferred)
    assert len(properties(hermit.inferred)) > 50


def test_owlrl_agrees_with_hermit_on_property_values_of_the_fixture(
    on_inferences_fixture: dict[str, ReasoningResult],
):
    # Regression: owlready2 keeps none of HermiT's values that follow from an inverse
    # (nato hasMember france was missing); the HermiT path must restore every one of them.
    hermit, owlrl = on_inferences_fixture["hermit"], on_inferences_fixture["owlrl"]
    assert {t for t in owlrl.inferred if t[1] != RDF.type} == {
        t for t in hermit.inferred if t[1] != RDF.type
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_domain_range_and_chain_on_fixture(
    on_inferences_fixture: dict[str, ReasoningResult], engine: str
):
    result = on_inferences_fixture[engine]
    assert result.consistent, result.clashes
    inferred = result.inferred
    agency, launch = ind("actor/lunar-launch-agency"), ind("event/lunar-launch-2030")
    # Only used as subject of skg:conducted: an Actor by the domain; its object an Event.
    assert (agency, RDF.type, skg("Actor")) in inferred
    assert (launch, RDF.type, skg("Event")) in inferred
    assert (launch, skg("conductedBy"), agency) in inferred
    cell, command = ind("actor/orbital-watch-cell"), ind("actor/orbital-watch-command")
    assert (cell, skg("partOf"), command) in inferred
    assert (command, skg("hasPart"), cell) in inferred
    # The range of targeted is a union: no single class follows, so none may be claimed.
    relay = ind("asset/relay-satellite")
    assert (relay, skg("threatenedBy"), launch) in inferred
    assert not set(inferred.objects(relay, RDF.type))


# --- what the inferred graph may hold --------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("extra", ["", "inferences.ttl", "source-with-evidence.ttl"])
def test_inferred_holds_only_new_useful_triples(run: Run, engine: str, extra: str):
    extras = (extra,) if extra else ()
    result = run(extras, engine)
    assert result.consistent, result.clashes
    merged = merge([*curated(), *(fixture(name) for name in extras)])
    assert len(result.inferred) > 0
    ontology_terms = set(ontology_graph().subjects())
    for s, p, o in result.inferred:
        assert (s, p, o) not in merged
        assert not isinstance(s, BNode) and not isinstance(o, BNode)
        assert o not in (OWL.Thing, OWL.NamedIndividual)
        assert not (p == OWL.sameAs and s == o)
        assert s not in ontology_terms or str(s).startswith(ID_NS)
        assert not str(s).startswith(ID_NS + "evidence/")


def test_source_graph_with_evidence_reasons_under_hermit(run: Run):
    result = run(("source-with-evidence.ttl",), "hermit")
    assert result.consistent, result.clashes
    satellite = ind("asset/syracuse-4b")
    assert (satellite, RDF.type, skg("SpaceAsset")) in result.inferred
    assert (satellite, skg("operatedBy"), ind("actor/france")) in result.inferred


# --- inconsistency ------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_inconsistent_fixture_names_the_culprit(engine: str, name: str):
    result = reason([*curated(), fixture(name)], engine=engine)  # type: ignore[arg-type]
    assert result.engine == engine
    assert not result.consistent
    assert len(result.inferred) == 0
    culprit = INCONSISTENT[name]
    assert any(culprit in clash for clash in result.clashes), result.clashes
    assert any("skg:Document" in clash for clash in result.clashes), result.clashes


@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_inconsistent_fixture_says_why_on_its_first_line(name: str):
    first = (REASONING / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Inconsistent on purpose:")


def test_a_run_does_not_leak_into_the_next():
    bad = reason([*curated(), fixture("inconsistent-disjoint-types.ttl")], engine="hermit")
    good = reason(curated(), engine="hermit")
    assert not bad.consistent
    assert good.consistent, good.clashes
    assert not any("orbital-gazette" in str(s) for s in good.inferred.subjects())


# --- engine choice and errors ---------------------------------------------------------------


def test_auto_switches_to_owlrl_above_the_threshold():
    triples = len(merge(curated()))
    above = reason(curated(), engine="auto", hermit_max_triples=triples - 1)
    at = reason(curated(), engine="auto", hermit_max_triples=triples)
    assert above.engine == "owlrl" and above.consistent
    assert at.engine == "hermit" and at.consistent


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReasoningError) as caught:
        reason(curated(), engine="hermit")
    message = str(caught.value)
    assert "Java 17 not found" in message
    assert "openjdk-17-jre-headless" in message and "--engine owlrl" in message
    # owlrl needs no Java.
    assert reason(curated(), engine="owlrl").consistent


def test_unknown_engine_is_refused():
    with pytest.raises(ReasoningError, match="unknown reasoning engine 'pellet'"):
        reason(curated(), engine="pellet")  # type: ignore[arg-type]


# --- the store ------------------------------------------------------------------------------


def _snapshot(store: Store) -> dict[URIRef, IsomorphicGraph]:
    # Canonical forms: the SPARQL endpoint renames blank nodes on every read.
    names = [name for name in store.graph_names() if name != INFERRED_GRAPH]
    return {name: to_isomorphic(store.graph(name)) for name in names}


def test_reason_store_writes_only_the_inferred_graph(any_store: Store):
    any_store.ensure_reference()
    any_store.replace_graph(source_graph("00000000000000aa"), fixture("source-with-evidence.ttl"))
    before = _snapshot(any_store)
    assert {ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_graph("00000000000000aa")} <= set(before)

    result = reason_store(any_store)

    assert result.consistent, result.clashes
    assert result.engine == "hermit"
    assert _snapshot(any_store) == before
    stored = any_store.graph(INFERRED_GRAPH)
    assert len(stored) == len(result.inferred) > 0
    assert (ind("actor/nato"), skg("hasMember"), ind("actor/france")) in stored
    assert (ind("asset/syracuse-4b"), skg("operatedBy"), ind("actor/france")) in stored


def test_reason_store_keeps_the_old_inferred_graph_when_inconsistent(embedded_store: Store):
    embedded_store.ensure_reference()
    first = reason_store(embedded_store, engine="owlrl")
    assert first.consistent
    kept = set(embedded_store.graph(INFERRED_GRAPH))
    assert kept

    bad = fixture("inconsistent-disjoint-types.ttl")
    embedded_store.replace_graph(source_graph("00000000000000bb"), bad)
    second = reason_store(embedded_store, engine="owlrl")

    assert not second.consistent
    assert any(INCONSISTENT["inconsistent-disjoint-types.ttl"] in c for c in second.clashes)
    assert set(embedded_store.graph(INFERRED_GRAPH)) == kept
    assert set(embedded_store.graph(source_graph("00000000000000bb"))) == set(bad)


def test_reason_store_ignores_and_replaces_the_old_inferred_graph(embedded_store: Store):
    # A stale inferred graph that would clash if read back in (a State that is also a
    # NewsArticle): the run must neither see it nor keep any of it.
    embedded_store.ensure_reference()
    stale = fixture("inconsistent-disjoint-types.ttl")
    embedded_store.replace_graph(INFERRED_GRAPH, stale)

    result = reason_store(embedded_store, engine="hermit")

    assert result.consistent, result.clashes
    curated_in_store = [embedded_store.graph(g) for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH)]
    assert result.triples_in == len(merge(curated_in_store))
    stored = set(embedded_store.graph(INFERRED_GRAPH))
    assert stored == set(result.inferred)
    assert not stored & set(stale)


def test_reason_store_loads_the_ontology_into_a_new_store(embedded_store: Store):
    assert ONTOLOGY_GRAPH not in set(embedded_store.graph_names())
    result = reason_store(embedded_store, engine="owlrl")
    assert result.consistent
    assert {ONTOLOGY_GRAPH, REFERENCE_GRAPH, INFERRED_GRAPH} <= set(embedded_store.graph_names())
    # NATO's members become members of NATO's inverse (hasMember), read from the new graph
    nato, finland = URIRef(ID_NS + "actor/nato"), URIRef(ID_NS + "actor/finland")
    inferred = embedded_store.graph(INFERRED_GRAPH)
    assert (nato, URIRef(ONTOLOGY_NS + "hasMember"), finland) in inferred
