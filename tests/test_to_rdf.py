"""Extraction -> document graph: metadata, evidence, the confidence threshold and shape checks."""

from __future__ import annotations

import hashlib

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ingest.extraction import Entity, Extraction, Mention, Relation, Sentence
from ingest.iri import mint, source_iri
from ingest.load import SourceText
from ingest.ontology import ontology_and_reference
from ingest.to_rdf import date_literal, document_class, document_graph, drop_facts
from ingest.validate import validate_graph
from ingest.vocab import SKG

TEXT = "NATO condemns the test. Russia conducted the test on 15 November 2021. Acme Orbital spoke."
RUSSIA = URIRef("https://w3id.org/spacekg/id/actor/russia")
NATO = URIRef("https://w3id.org/spacekg/id/actor/nato")
TEST = mint("event", "Russia ASAT test 2021-11-15")
ACME = mint("actor", "Acme Orbital")


def source(**changes: object) -> SourceText:
    fields: dict[str, object] = {
        "path": "/tmp/russia.md",
        "text": TEXT,
        "title": "Statement on the test",
        "publisher": "North Atlantic Council",
        "date": "2021-11-19",
        "url": "https://example.org/statement",
        "kind": "official",
        "media_type": "text/markdown",
        "sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
    }
    fields.update(changes)
    return SourceText(**fields)  # type: ignore[arg-type]


def extraction() -> Extraction:
    sentences = [Sentence("NATO condemns the test.", 0, 23)]
    sentences.append(Sentence("Russia conducted the test on 15 November 2021.", 24, 70))
    sentences.append(Sentence("Acme Orbital spoke.", 71, 90))
    entities = {
        RUSSIA: Entity(RUSSIA, "Russia", (SKG.State,), curated=True),
        NATO: Entity(NATO, "NATO", (SKG.Alliance,), curated=True),
        TEST: Entity(TEST, "Russia ASAT test 2021-11-15", (SKG.ASATTest,), curated=False),
        ACME: Entity(ACME, "Acme Orbital", (SKG.Company,), curated=False),
    }
    return Extraction(
        sentences=sentences,
        entities=entities,
        mentions=[
            Mention("NATO", 0, 4, 0, NATO, 0.95),
            Mention("Russia", 24, 30, 1, RUSSIA, 0.95),
            Mention("Acme Orbital", 71, 83, 2, ACME, 0.7),
        ],
        relations=[
            Relation(RUSSIA, SKG.conducted, TEST, 0.9, 1),
            Relation(TEST, SKG.date, Literal("2021-11-15", datatype=XSD.date), 0.8, 1),
            Relation(NATO, SKG.condemns, TEST, 0.3, 0),
        ],
    )


def build(min_confidence: float = 0.5):  # type: ignore[no-untyped-def]
    return document_graph(
        source(), extraction(), min_confidence=min_confidence, extractor_version="test"
    )


def test_metadata_and_publisher_link_to_the_curated_actor() -> None:
    nac = URIRef("https://w3id.org/spacekg/id/actor/north-atlantic-council")
    publisher = Entity(nac, "North Atlantic Council", (SKG.IntergovernmentalOrganization,), True)
    doc = document_graph(
        source(), extraction(), min_confidence=0.5, extractor_version="t", publisher=publisher
    )
    document = source_iri(source().docid)
    g = doc.graph
    assert (document, RDF.type, SKG.SourceDocument) in g
    assert g.value(document, DCTERMS.title) == Literal("Statement on the test")
    assert g.value(document, SKG.date) == Literal("2021-11-19", datatype=XSD.date)
    assert g.value(document, DCTERMS.publisher) == nac
    assert (nac, SKG.published, document) in g
    assert g.value(document, SKG.url) == Literal(
        "https://example.org/statement", datatype=XSD.anyURI
    )


def test_facts_below_the_threshold_are_review_only() -> None:
    doc = build()
    g = doc.graph
    assert (RUSSIA, SKG.conducted, TEST) in g
    assert (NATO, SKG.condemns, TEST) not in g
    statuses = {(f.p, f.status) for f in doc.facts if f.extractor == "spacekg.relate"}
    assert (SKG.condemns, "review") in statuses and (SKG.conducted, "asserted") in statuses
    review = next(f for f in doc.facts if f.p == SKG.condemns)
    assert g.value(review.evidence, SKG.status) == Literal("review")
    assert any("kept for review" in note for note in doc.notes)
    # with a lower threshold the same fact is asserted
    assert (NATO, SKG.condemns, TEST) in build(min_confidence=0.2).graph


def test_evidence_carries_sentence_offsets_and_confidence() -> None:
    doc = build()
    fact = next(f for f in doc.facts if f.p == SKG.conducted)
    g = doc.graph
    start, end = (
        int(g.value(fact.evidence, SKG.startChar)),
        int(g.value(fact.evidence, SKG.endChar)),
    )
    assert TEXT[start:end] == str(g.value(fact.evidence, SKG.sentence))
    assert g.value(fact.evidence, SKG.confidence).datatype == XSD.decimal
    assert str(g.value(fact.evidence, SKG.factObject)) == str(TEST)
    assert str(fact.evidence).startswith(f"https://w3id.org/spacekg/id/evidence/{source().docid}-")


def test_the_text_is_stored_and_evidence_offsets_point_into_it() -> None:
    doc = build()
    stored = str(doc.graph.value(doc.document, SKG.text))
    assert stored == TEXT
    for fact in doc.facts:
        start = int(doc.graph.value(fact.evidence, SKG.startChar))
        end = int(doc.graph.value(fact.evidence, SKG.endChar))
        assert stored[start:end] == str(doc.graph.value(fact.evidence, SKG.sentence))


def test_minted_entities_are_typed_and_labelled_curated_ones_are_not() -> None:
    g = build().graph
    assert (TEST, RDF.type, SKG.ASATTest) in g
    assert g.value(ACME, RDFS.label) == Literal("Acme Orbital")
    assert (RUSSIA, RDFS.label, None) not in g
    mentioned = set(g.objects(source_iri(source().docid), SKG.mentions))
    assert {NATO, RUSSIA, ACME} <= mentioned


def test_document_graph_conforms_and_is_deterministic() -> None:
    first, second = build(), build()
    assert set(first.graph) == set(second.graph)
    report = validate_graph(first.graph, extra=ontology_and_reference())
    assert report.conforms, report.summary()


def test_a_fact_with_the_wrong_classes_is_rejected_and_named() -> None:
    bad = extraction()
    place = mint("place", "Toulouse")
    bad.entities[place] = Entity(place, "Toulouse", (SKG.Place,), curated=False)
    bad.relations.append(Relation(place, SKG.conducted, TEST, 0.9, 1))
    doc = document_graph(source(), bad, min_confidence=0.5, extractor_version="t")
    report = validate_graph(doc.graph, extra=ontology_and_reference())
    assert not report.conforms
    cleaned = drop_facts(doc, report.violating_facts())
    assert (place, SKG.conducted, TEST) not in cleaned.graph
    assert (RUSSIA, SKG.conducted, TEST) in cleaned.graph
    assert any("rejected by the shapes" in n and "conducted" in n for n in cleaned.notes)
    assert validate_graph(cleaned.graph, extra=ontology_and_reference()).conforms


def test_document_class_from_kind_then_title() -> None:
    assert document_class(source(kind="news")) == SKG.NewsArticle
    assert document_class(source(kind="official", title="Washington Summit Declaration")) == (
        SKG.Declaration
    )
    assert document_class(source(kind="", title="Notes")) == SKG.Document
    assert date_literal("2019-12").datatype == XSD.gYearMonth
    assert date_literal("2019").datatype == XSD.gYear


def test_a_document_with_only_mentions_says_so() -> None:
    only_mentions = extraction()
    only_mentions.relations = []
    doc = document_graph(source(), only_mentions, min_confidence=0.5, extractor_version="t")
    assert {f.p for f in doc.facts} == {SKG.mentions}
    assert any(n.startswith("only mentions:") for n in doc.notes)
    assert not any(n.startswith("only mentions:") for n in build().notes)
