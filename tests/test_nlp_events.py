"""Event resolution: one individual per real event, whatever document or wording names it."""

from __future__ import annotations

from rdflib import URIRef

from ingest.config import ID_NS
from ingest.extraction import Extraction
from ingest.nlp import analyse
from ingest.vocab import SKG

RUSSIAN_TEST = URIRef(ID_NS + "event/russian-da-asat-test-2021-11-15")


def events(extraction: Extraction) -> set[URIRef]:
    return {m.iri for m in extraction.mentions if "/event/" in m.iri}


def conducted_by(extraction: Extraction, actor: str) -> set[URIRef]:
    return {
        r.object  # type: ignore[misc]
        for r in extraction.relations
        if r.predicate == SKG.conducted and r.subject == URIRef(ID_NS + f"actor/{actor}")
    }


def test_an_explicit_date_beats_a_relative_one() -> None:
    relative = analyse("Last year Russia conducted an anti-satellite test.", "2023-06-01")
    dates = {str(r.object) for r in relative.relations if r.predicate == SKG.date}
    assert dates == {"2022"}  # "last year", counted from the document's date
    both = analyse(
        "Last year Russia conducted an anti-satellite test on November 15, 2021.", "2023-06-01"
    )
    assert RUSSIAN_TEST in conducted_by(both, "russia")
    assert not any("2022" in str(e) for e in events(both))


def test_the_test_after_a_named_test_is_that_test() -> None:
    extraction = analyse(
        "Russia's ASAT test on 15 November 2021 created debris. NATO condemned the test.",
        "2021-11-20",
    )
    condemned = {r.object for r in extraction.relations if r.predicate == SKG.condemns}
    assert condemned == {RUSSIAN_TEST}


def test_a_verb_the_model_marks_as_an_event_is_resolved_too() -> None:
    extraction = analyse(
        "Russia tested a direct-ascent anti-satellite missile on 15 November 2021.", "2022-06-01"
    )
    assert events(extraction) == {RUSSIAN_TEST}


def test_another_actor_on_the_same_day_is_another_event() -> None:
    extraction = analyse(
        "China conducted an anti-satellite missile test on 15 November 2021.", "2022-01-01"
    )
    assert RUSSIAN_TEST not in events(extraction) | conducted_by(extraction, "china")


def test_plural_mentions_are_no_events() -> None:
    extraction = analyse("Russia has conducted dozens of tests of its Nudol system.", "2022-06-01")
    assert events(extraction) == set()


def test_a_minted_event_is_the_same_individual_in_every_document() -> None:
    first = analyse("Iran conducted a missile test on 3 May 2023, officials said.", "2023-05-04")
    second = analyse(
        "On 3 May 2023 Iran conducted a missile test. The launch worried its neighbours.",
        "2023-06-01",
    )
    minted = conducted_by(first, "iran")
    assert minted and minted == conducted_by(second, "iran")
    assert all("2023-05-03" in str(e) for e in minted)


def test_a_clause_hung_on_the_date_does_not_hide_it() -> None:
    # The parser attaches "that destroyed Kosmos 1408" to "November"; the date is still read.
    extraction = analyse(
        "Russia conducted a direct-ascent anti-satellite missile test on 15 November 2021 "
        "that destroyed Kosmos 1408.",
        "2022-06-01",
    )
    assert events(extraction) == {RUSSIAN_TEST}
    assert RUSSIAN_TEST in conducted_by(extraction, "russia")


def test_a_common_noun_of_no_event_kind_is_no_event() -> None:
    # The model marks "purchase" as an event; no event kind names it, so no "Viasat event".
    extraction = analyse(
        "Viasat's purchase of Euro Broadband Infrastructure closed in April 2021.", "2022-03-30"
    )
    assert events(extraction) == set()
    assert "viasat" in {str(m.iri).rsplit("/", 1)[-1] for m in extraction.mentions}


def test_an_event_the_rules_find_is_mentioned_by_its_phrase() -> None:
    """The NER marks no span in "the recent anti-satellite missile test"; the rules find the
    test, and its mention is the phrase the guide spans: the kind of test kept, the plain
    adjective ("recent") left out, the capability inside it no mention of its own."""
    extraction = analyse(
        "NATO condemned the recent anti-satellite missile test conducted by the Russian "
        "Federation on 15 November 2021.",
        "2021-11-20",
    )
    mentioned = {m.text: m.iri for m in extraction.mentions}
    assert mentioned.get("anti-satellite missile test") == RUSSIAN_TEST
    assert "anti-satellite missile" not in mentioned
    assert (URIRef(ID_NS + "actor/russia"), SKG.conducted, RUSSIAN_TEST) in {
        (r.subject, r.predicate, r.object) for r in extraction.relations
    }


def test_the_head_of_an_organisations_name_is_no_event() -> None:
    """ "The Conference" after "the Conference on Disarmament" is the organisation, shortened:
    no meeting dated 1979. A summit the text names no organisation by is still an event."""
    extraction = analyse(
        "The Conference on Disarmament is the single multilateral disarmament negotiating "
        "forum. The Conference was first established in 1979 as the Committee on Disarmament.",
        "2024-01-01",
    )
    assert events(extraction) == set()
    assert not [r for r in extraction.relations if r.predicate == SKG.date]
    assert events(analyse("Allies met at the Summit in Vilnius in July 2023.", "2024-01-01"))
