"""benchmarks/corpus_scoring.py on the toy record: strict relations, lenient names, dates."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from benchmarks.corpus_scoring import (
    EntityScores,
    Scores,
    found_facts,
    gold_facts,
    labels,
    names_match,
    read_aliases,
)
from ingest.config import ID_NS, ONTOLOGY_NS
from ingest.corpus import load_schema, read_records

FIXTURE = Path(__file__).parent / "fixtures" / "corpus" / "toy.jsonl"
SKG = ONTOLOGY_NS
NAC = URIRef(ID_NS + "actor/north-atlantic-council")
RUSSIA = URIRef(ID_NS + "actor/russia")
TEST = URIRef(ID_NS + "event/russian-asat-test")
KOSMOS = URIRef(ID_NS + "asset/kosmos-1408")
SOURCE = URIRef(ID_NS + "source/0000000000000000")
PROPERTIES = set(load_schema().properties)


def toy_record():  # type: ignore[no-untyped-def]
    return next(iter(read_records(FIXTURE)))


def graph_of(*triples: tuple) -> Graph:
    graph = Graph()
    graph.add((TEST, RDFS.label, Literal("anti-satellite missile test")))
    graph.add((KOSMOS, RDFS.label, Literal("Kosmos-1408")))
    for triple in triples:
        graph.add(triple)
    return graph


def score(graph: Graph) -> Scores:
    record = toy_record()
    found, _ = found_facts(record.id, graph, labels([graph]), SOURCE, PROPERTIES)
    scores = Scores()
    scores.add(gold_facts(record), found, read_aliases())
    return scores


def overall(scores: Scores) -> dict:
    return scores.table(sorted(PROPERTIES))[-1]


def test_gold_facts_one_per_relation() -> None:
    facts = gold_facts(toy_record())
    assert [(f.head.text, f.relation, f.child.value or f.child.text) for f in facts] == [
        ("North Atlantic Council", "condemns", "anti-satellite missile test"),
        ("Russian Federation", "conducted", "anti-satellite missile test"),
        ("anti-satellite missile test", "date", "2021-11-15"),
        ("test", "targeted", "Kosmos 1408"),
    ]


def test_everything_right() -> None:
    scores = score(
        graph_of(
            (NAC, URIRef(SKG + "condemns"), TEST),
            (RUSSIA, URIRef(SKG + "conducted"), TEST),
            (TEST, URIRef(SKG + "date"), Literal("2021-11-15", datatype=XSD.date)),
            (TEST, URIRef(SKG + "targeted"), KOSMOS),
        )
    )
    assert overall(scores)["precision"] == 1.0 and overall(scores)["recall"] == 1.0


def test_curated_ends_must_be_the_annotated_individual() -> None:
    other_state = URIRef(ID_NS + "actor/china")
    scores = score(graph_of((other_state, URIRef(SKG + "conducted"), TEST)))
    row = overall(scores)
    assert (row["found"], row["precision"], row["recall"]) == (1, 0.0, 0.0)


def test_relations_match_strictly_and_dates_on_their_value() -> None:
    scores = score(
        graph_of(
            (RUSSIA, URIRef(SKG + "threatens"), TEST),  # wrong property
            (TEST, URIRef(SKG + "date"), Literal("2021-11", datatype=XSD.gYearMonth)),  # vaguer
        )
    )
    assert overall(scores)["precision"] == 0.0
    assert len(scores.misses) == 4


def test_facts_about_the_ingested_document_are_not_scored() -> None:
    graph = graph_of(
        (SOURCE, URIRef(SKG + "mentions"), RUSSIA), (NAC, URIRef(SKG + "published"), SOURCE)
    )
    record = toy_record()
    found, about_source = found_facts(record.id, graph, labels([graph]), SOURCE, PROPERTIES)
    assert found == [] and about_source == 2


def test_names_match_on_content_words() -> None:
    aliases = read_aliases()
    assert names_match("Kosmos 1408", ["Kosmos-1408"], aliases)
    assert names_match("the anti-satellite tests", ["anti-satellite missile test"], aliases)
    assert names_match("the test", ["anti-satellite missile test"], aliases)  # a short reference
    assert not names_match("Space Force", ["Space Command"], aliases)
    assert not names_match("anti-satellite missile test", ["test"], aliases)


def test_entity_scores() -> None:
    record = toy_record()
    schema = load_schema()
    entities = EntityScores()
    mentions = [
        (4, 26, NAC, ("IntergovernmentalOrganization",)),  # right span, right type, right link
        (40, 58, URIRef(ID_NS + "actor/china"), ("State",)),  # right span and type, wrong link
        (61, 80, TEST, ("ASATTest",)),  # wrong span
        (129, 140, KOSMOS, ("Place",)),  # right span, wrong type
    ]
    entities.add(record, mentions, schema)
    table = entities.table()
    assert (entities.gold, entities.found) == (5, 4)  # the Date span is not an entity
    assert entities.same_offsets == 3 and entities.same_type == 2
    assert table["link_accuracy"] == 0.5  # NAC right, Russia wrong


def test_reliability_counts_right_facts_per_confidence_bin() -> None:
    from benchmarks.corpus_scoring import ScoredFact, reliability

    facts = [
        ScoredFact("d", "conducted", "x", c, right, str(i))
        for i, (c, right) in enumerate([(0.12, False), (0.15, True), (0.31, True), (1.0, True)])
    ]
    rows = {r["bin"]: (r["facts"], r["correct"]) for r in reliability(facts)}
    assert rows == {"0.1-0.2": (2, 1), "0.3-0.4": (1, 1), "0.9-1.0": (1, 1)}


def test_threshold_sweep_counts_a_triple_once_at_its_best_confidence() -> None:
    from benchmarks.corpus_scoring import ScoredFact, threshold_sweep

    facts = [
        ScoredFact("d", "conducted", "rules", 0.6, True, "a"),
        ScoredFact("d", "conducted", "model", 0.2, True, "a"),  # the same triple
        ScoredFact("d", "memberOf", "model", 0.3, False, "b"),
    ]
    low, high = threshold_sweep(facts, gold_total=4, thresholds=(0.1, 0.5))
    assert (low["kept"], low["precision"], low["recall"]) == (2, 0.5, 0.25)
    assert (high["kept"], high["precision"], high["recall"]) == (1, 1.0, 0.25)
