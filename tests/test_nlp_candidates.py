"""ingest.nlp.candidates: pairs within a sentence, limited by the ontology's domains and ranges."""

from __future__ import annotations

import spacy
from rdflib import URIRef
from spacy.tokens import Doc, Span

from ingest.config import ONTOLOGY_NS
from ingest.corpus import load_schema
from ingest.extraction import register_extensions
from ingest.nlp.candidates import (
    MAX_GAP,
    allowed_properties,
    candidate_pairs,
    feature_names,
    pair_features,
    span_classes,
)

NLP = spacy.blank("en")


def doc_with(words: list[str], sent_starts: list[int], ents: list[tuple[int, int, str]]) -> Doc:
    starts = [i in sent_starts for i in range(len(words))]
    doc = Doc(NLP.vocab, words=words, sent_starts=starts)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def two_sentences() -> Doc:
    words = [
        "Russia",
        "conducted",
        "a",
        "missile",
        "test",
        "on",
        "15",
        "November",
        "2021",
        ".",
        "NATO",
        "condemned",
        "the",
        "test",
        ".",
    ]
    return doc_with(
        words,
        [0, 10],
        [
            (0, 1, "State"),
            (3, 5, "ASATTest"),
            (6, 9, "DATE"),
            (10, 11, "Alliance"),
            (13, 14, "ASATTest"),
        ],
    )


def by_text(doc: Doc) -> dict[tuple[str, str], frozenset[str]]:
    return {(p.head.text, p.child.text): p.allowed for p in candidate_pairs(doc)}


def test_every_allowed_property_fits_domain_and_range() -> None:
    schema = load_schema()
    pairs = candidate_pairs(two_sentences())
    assert pairs
    for pair in pairs:
        head, child = span_classes(pair.head, schema), span_classes(pair.child, schema)
        for prop in pair.allowed:
            assert head & schema.domains[prop], (pair.head.text, prop)
            assert child & schema.ranges[prop], (pair.child.text, prop)


def test_pairs_read_the_ontology() -> None:
    pairs = by_text(two_sentences())
    assert "conducted" in pairs[("Russia", "missile test")]
    assert "conducted" not in pairs[("missile test", "Russia")]  # Event is not an Actor
    assert "attributedTo" in pairs[("missile test", "Russia")]
    assert pairs[("missile test", "15 November 2021")] == {"date"}
    assert not any(head == "15 November 2021" for head, _ in pairs)  # a date is never a head
    assert "memberOf" not in pairs.get(("Russia", "missile test"), set())


def test_pairs_stay_in_their_sentence() -> None:
    pairs = by_text(two_sentences())
    assert ("NATO", "test") in pairs
    assert ("Russia", "NATO") not in pairs and ("NATO", "missile test") not in pairs


def test_far_apart_ends_are_not_paired() -> None:
    words = ["Finland"] + ["and"] * (MAX_GAP + 1) + ["NATO"]
    doc = doc_with(words, [0], [(0, 1, "State"), (len(words) - 1, len(words), "Alliance")])
    assert candidate_pairs(doc) == []
    near = doc_with(["Finland", "joined", "NATO"], [0], [(0, 1, "State"), (2, 3, "Alliance")])
    assert "memberOf" in by_text(near)[("Finland", "NATO")]


def test_linked_classes_win_over_the_label() -> None:
    register_extensions()
    schema = load_schema()
    doc = doc_with(["Paris", "hosted", "it"], [0], [(0, 1, "GPE")])
    span = doc.ents[0]
    assert span_classes(span, schema) == frozenset()  # a spaCy label alone is no class
    span._.classes = (str(URIRef(ONTOLOGY_NS + "Place")),)
    assert span_classes(span, schema) == {"Place"}


def test_allowed_properties_of_classes() -> None:
    schema = load_schema()
    state = schema.superclasses["State"]
    alliance = schema.superclasses["Alliance"]
    assert "memberOf" in allowed_properties(state, alliance, schema)
    assert "published" not in allowed_properties(state, alliance, schema)


def test_features_mark_classes_gap_and_order() -> None:
    schema = load_schema()
    doc = two_sentences()
    pairs = candidate_pairs(doc)
    names = feature_names(schema)
    features = pair_features(pairs, schema)
    assert features.shape == (len(pairs), len(names))
    row = next(
        i for i, p in enumerate(pairs) if (p.head.text, p.child.text) == ("Russia", "missile test")
    )
    on = {names[c] for c in range(len(names)) if features[row, c]}
    assert {"head:State", "head:Actor", "child:ASATTest", "child:Event", "head_first"} <= on
    assert "gap<=2" in on and "child:State" not in on
