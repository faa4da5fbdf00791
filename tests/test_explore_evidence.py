"""ingest.explore.evidence: where one fact comes from, against a real store built by the pipeline.

The store holds the reference data, the Russian ASAT fixture document (real spaCy model), a
short text whose facts all wait for review, a copy of a curated document, and the reasoner's
output (owlrl).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef

from ingest.config import ID_NS, Settings
from ingest.explore.documents import document_view
from ingest.explore.evidence import (
    fact_evidence,
    recent_decisions,
    review_facts_about,
    review_queue,
)
from ingest.explore.highlight import SENTENCE_ANCHOR, sentence_html, sentence_span
from ingest.explore.origins import origin_of_graph
from ingest.iri import review_graph
from ingest.load import load_file, load_text
from ingest.pipeline import ingest_sources
from ingest.reason import reason_store
from ingest.review import decide
from ingest.store import OxigraphStore

FIXTURES = Path(__file__).parent / "fixtures" / "docs"
SKG = "https://w3id.org/spacekg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ACTOR = ID_NS + "actor/"
RUSSIA = ACTOR + "russia"
TEST_2021 = ID_NS + "event/russian-da-asat-test-2021-11-15"
KOSMOS = ID_NS + "asset/kosmos-1408"
REVIEW_TEXT = "China operates the Yaogan-30 satellites."
COPY_TEXT = (
    "We, the Heads of State and Government of the North Atlantic Alliance, have gathered in "
    "London. We have declared space an operational domain for NATO."
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = OxigraphStore(tmp_path_factory.mktemp("evidence") / "store")
    store.ensure_reference()
    settings = Settings.from_env()
    ingest_sources(store, [load_file(FIXTURES / "russia_asat.md")], settings)
    review = load_text(REVIEW_TEXT, title="Review test", date="2021-11-16", path="notes/x.txt")
    ingest_sources(store, [review], replace(settings, min_confidence=1.0))
    copy = load_text(
        COPY_TEXT,
        title="London Declaration",
        date="2019-12-04",
        url="https://www.nato.int/cps/en/natohq/official_texts_171584.htm",
    )
    ingest_sources(store, [copy], settings)
    reason_store(store, engine="owlrl")
    yield store
    store.close()


def test_curated_fact_cites_the_reference_sources_and_note(store: OxigraphStore) -> None:
    found = fact_evidence(
        store, ACTOR + "nato-space-centre", SKG + "locatedIn", ID_NS + "place/ramstein"
    )
    assert found.origins == ["curated"]
    assert (found.subject_label, found.predicate_label, found.object_label) == (
        "NATO Space Centre",
        "located in",
        "Ramstein",
    )
    assert "https://ac.nato.int/archive/2020/NATO_Space_Centre_at_AIRCOM" in found.sources
    assert "Ramstein" in found.note
    assert not found.sentences and not found.reasons


def test_membership_cites_the_membership_record(store: OxigraphStore) -> None:
    found = fact_evidence(store, ACTOR + "belgium", SKG + "memberOf", ACTOR + "nato")
    assert "curated" in found.origins
    # the membership record's source first, then Belgium's own
    assert found.sources[0] == "https://www.nato.int/cps/en/natohq/topics_52044.htm"


def test_asserted_fact_has_its_sentence_at_offsets_into_the_stored_text(
    store: OxigraphStore,
) -> None:
    found = fact_evidence(
        store, RUSSIA, SKG + "hasCapability", ID_NS + "capability/direct-ascent-asat"
    )
    assert found.origins[:2] == ["curated", "asserted"]
    assert "https://www.state.gov/russia-conducts-destructive-anti-satellite-missile-test/" in (
        found.sources
    )
    (sentence,) = [s for s in found.sentences if "direct-ascent" in s.text]
    assert sentence.title == "Allies condemn Russia's anti-satellite test"
    assert sentence.date == "2021-11-19"
    view = document_view(store, sentence.document)
    assert view.text is not None and sentence.start is not None and sentence.end is not None
    assert view.text[sentence.start : sentence.end].strip() == sentence.text.strip()


def test_inferred_fact_is_explained_in_plain_words(store: OxigraphStore) -> None:
    found = fact_evidence(store, TEST_2021, SKG + "threatens", KOSMOS, ["inferred"])
    reasons = {r.axiom: r for r in found.reasons}
    reason = reasons["“targeted” is a narrower kind of “threatens”"]
    (premise,) = reason.premises
    assert (premise.predicate_label, premise.object_label, premise.origin) == (
        "targeted",
        "Kosmos 1408",
        "curated",
    )
    typed = fact_evidence(store, RUSSIA, RDF_TYPE, SKG + "Actor", ["inferred"])
    subclass = next(r for r in typed.reasons if r.rule == "subclass")
    assert subclass.axiom == "State is a kind of Actor"
    assert subclass.premises[0].object_label == "State"


def test_an_inferred_premise_is_explained_in_turn_down_to_a_stated_fact(
    store: OxigraphStore,
) -> None:
    # NATO Allies is an Actor because it is the object of hasMember (range), and "NATO has
    # member NATO Allies" is itself inferred: the inverse of the curated "memberOf"
    found = fact_evidence(store, ACTOR + "nato-allies", RDF_TYPE, SKG + "Actor", ["inferred"])
    by_range = next(r for r in found.reasons if r.rule == "range")
    has_member = next(p for p in by_range.premises if p.predicate == SKG + "hasMember")
    assert has_member.origin == "inferred"
    (inverse,) = has_member.because
    assert inverse.rule == "inverse"
    (member_of,) = inverse.premises
    assert (member_of.subject_label, member_of.predicate, member_of.object_label) == (
        "NATO Allies",
        SKG + "memberOf",
        "NATO",
    )
    assert member_of.origin in {"curated", "asserted"} and not member_of.because


def test_without_origins_an_inferred_only_fact_is_found_inferred(store: OxigraphStore) -> None:
    found = fact_evidence(store, RUSSIA, RDF_TYPE, SKG + "Actor")
    assert found.origins == ["inferred"] and found.reasons


def test_document_page_reads_the_stored_text_when_the_file_is_gone(store: OxigraphStore) -> None:
    (item,) = [i for i in review_queue(store) if i.predicate == SKG + "operates"][:1]
    view = document_view(store, item.document)
    assert view.text == REVIEW_TEXT  # the path notes/x.txt never existed
    assert (item.start, item.end) == (0, len(REVIEW_TEXT))


def test_copy_of_a_curated_document_shows_both_sources(store: OxigraphStore) -> None:
    curated = ID_NS + "document/london-declaration"
    copies = document_view(store, curated).copies
    assert [title for _, title in copies] == ["London Declaration"]
    view = document_view(store, copies[0][0])
    assert view.curated == curated
    assert view.curated_sources == ["https://www.nato.int/cps/en/natohq/official_texts_171584.htm"]
    assert view.text == COPY_TEXT


def test_sentence_html_marks_the_span_and_escapes_everything() -> None:
    text = "<b>one</b>. Two & three."
    span = sentence_span(text, "12", str(len(text)))
    assert span == (12, len(text))
    markup = sentence_html(text, *span)
    assert f'<mark id="{SENTENCE_ANCHOR}"' in markup
    assert "&lt;b&gt;one&lt;/b&gt;. " in markup and "Two &amp; three.</mark>" in markup
    assert "<b>" not in markup
    assert sentence_span(text, "5", "999") is None and sentence_span(text, "x", "3") is None


def test_accepting_a_review_fact_makes_it_asserted_with_the_reviewer(
    store: OxigraphStore,
) -> None:
    china = ACTOR + "china"
    held = review_facts_about(store, china)
    fact = next(f for f in held if f[1] == SKG + "operates")
    item = next(i for i in review_queue(store) if (i.subject, i.predicate, i.object) == fact)
    assert (item.subject_label, item.predicate_label) == ("China", "operates")
    assert item.title == "Review test" and item.sentence == REVIEW_TEXT
    before = fact_evidence(store, *fact)
    assert before.origins == ["review"] and before.review[0].evidence == item.evidence

    decision = decide(store, URIRef(item.evidence), "accepted", "A. Analyst")

    assert origin_of_graph(review_graph(decision.decision)) == "asserted"
    after = fact_evidence(store, *fact)
    assert "asserted" in after.origins and "review" not in after.origins
    assert [a.reviewer for a in after.accepted] == ["A. Analyst"]
    assert fact not in review_facts_about(store, china)
    assert all((i.subject, i.predicate, i.object) != fact for i in review_queue(store))
    (logged,) = recent_decisions(store)
    assert (logged.subject_label, logged.verdict, logged.reviewer) == (
        "China",
        "accepted",
        "A. Analyst",
    )
