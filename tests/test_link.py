"""The linker on the real model: curated links, demonyms, minted entities, junk, scores."""

from __future__ import annotations

import re

from rdflib import URIRef
from spacy.tokens import Span

from ingest.config import ID_NS
from ingest.nlp.link import (
    SCORE_DEMONYM,
    SCORE_MINTED,
    link_span,
    lookup,
    trim,
)
from ingest.nlp.link_tables import SCORE_LABEL, default_files, normalise
from ingest.vocab import SKG


def linked(nlp, text: str) -> dict[str, tuple[str, float]]:
    """Surface text -> (IRI, score) of every linked entity."""
    doc = nlp(text)
    return {e.text: (e._.iri, e._.link_score) for e in doc.ents if e._.iri}


def test_metonym_links_to_the_state_unless_it_is_the_place(spacekg_nlp) -> None:
    assert linked(spacekg_nlp, "Moscow tested a missile.")["Moscow"] == (
        ID_NS + "actor/russia",
        SCORE_DEMONYM,
    )
    assert linked(spacekg_nlp, "The talks were held in Moscow.")["Moscow"][0] == (
        ID_NS + "place/moscow"
    )
    found = linked(spacekg_nlp, "Leaders met in London to sign the London Declaration.")
    assert found["London"][0] == ID_NS + "place/london"
    assert found["London Declaration"][0] == ID_NS + "document/london-declaration"


def test_alliance_and_demonym_adjectives(spacekg_nlp) -> None:
    found = linked(spacekg_nlp, "The Alliance condemned the Russian missile test.")
    assert found["Alliance"][0] == ID_NS + "actor/nato"
    assert found["Russian"][0] == ID_NS + "actor/russia"


def test_unknown_company_is_minted_and_typed(spacekg_nlp) -> None:
    doc = spacekg_nlp("Acme Orbital Ltd launched a satellite for the Alliance.")
    iri = ID_NS + "actor/acme-orbital-ltd"
    (ent,) = [e for e in doc.ents if e._.iri == iri]
    assert ent._.curated is False
    assert ent._.link_score == SCORE_MINTED
    entity = doc._.entities[iri]
    assert entity.label == "Acme Orbital Ltd"
    assert {SKG.Company, SKG.Organization, SKG.Actor} <= set(entity.classes)
    assert doc._.entities[ID_NS + "actor/nato"].curated is True
    # "a satellite": one satellite of this document (asset/satellite-<document key>)
    (satellite,) = [e for i, e in doc._.entities.items() if i.startswith(ID_NS + "asset/sat")]
    assert SKG.Satellite in satellite.classes and not satellite.curated


def test_same_unknown_name_in_two_documents_gets_one_iri(spacekg_nlp) -> None:
    first = spacekg_nlp("Analysts at Zephyr Orbital Systems reported the jamming.")
    second = spacekg_nlp("Zephyr Orbital Systems's satellites were hacked in 2022.")
    iris = [{e._.iri for e in doc.ents if "zephyr" in (e._.iri or "")} for doc in (first, second)]
    assert iris[0] == iris[1] == {ID_NS + "actor/zephyr-orbital-systems"}


def test_surname_and_acronym_resolve_to_the_full_name(spacekg_nlp) -> None:
    doc = spacekg_nlp(
        "Hellmut Lagos is a diplomat. Mr. Lagos joined the ministry in 1995. Viasat bought "
        "Euro Broadband Infrastructure Sàrl (“EBI”). EBI sold broadband services."
    )
    by_text = {e.text: e._.iri for e in doc.ents}
    assert by_text["Lagos"] == by_text["Hellmut Lagos"] == ID_NS + "actor/hellmut-lagos"
    assert by_text["EBI"] == ID_NS + "actor/euro-broadband-infrastructure-sarl"


def test_dates_stay_without_iri_and_junk_is_dropped(spacekg_nlp) -> None:
    doc = spacekg_nlp("Download the PDF. On 15 November 2021 NATO condemned the test.")
    dates = [e for e in doc.ents if e.label_ == "DATE"]
    assert dates and all(e._.iri is None for e in dates)
    assert not [e for e in doc.ents if e.text in {"PDF", "Download"}]
    linked = {e.text: e._.iri for e in doc.ents if e._.iri}
    assert linked["NATO"] == ID_NS + "actor/nato"
    assert set(linked) <= {"NATO", "test"}


def test_a_generic_event_mention_is_an_event_of_its_document(spacekg_nlp) -> None:
    """ "the test" (an ASATTest span of the trained NER) is one test of this text, never one
    individual shared by every document that says "the test"."""

    def test_event(text: str) -> str:
        with spacekg_nlp.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler"]):
            doc = spacekg_nlp(text)
        start = next(t.i for t in doc if t.text == "test")
        link = link_span(Span(doc, start, start + 1, label="ASATTest"), default_files())
        assert link is not None and link.label == "test" and SKG.ASATTest in link.classes
        return str(link.iri)

    first = test_event("On 15 November 2021 NATO condemned the test.")
    assert first.startswith(ID_NS + "event/test-")
    assert first == test_event("On 15 November 2021 NATO condemned the test.")
    assert first != test_event("In 2007 China conducted the test.")
    named = "Mission Shakti test"
    with spacekg_nlp.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler"]):
        doc = spacekg_nlp(f"India announced the {named}.")
    link = link_span(Span(doc, 3, 6, label="ASATTest"), default_files())
    assert link is not None and not re.search(r"-[0-9a-f]{8}$", str(link.iri))  # a name: shared


def test_scores_follow_the_kind_of_match(spacekg_nlp) -> None:
    found = linked(spacekg_nlp, "Russia and the Russian Federation and Kosmos-1408.")
    assert found["Russia"] == (ID_NS + "actor/russia", SCORE_LABEL)
    assert found["Russian Federation"][1] == 0.9  # an alternative label, "the" trimmed
    assert found["Kosmos-1408"][1] == 0.9


def test_normalise_and_lookup() -> None:
    assert normalise("The Russian Federation’s") == "russian federation"
    assert normalise("Türkiye") == "turkiye"
    counterspace = URIRef(ID_NS + "capability/counterspace")
    assert (
        lookup("counter space", default_files())[0]
        == lookup("counterspace", default_files())[0]
        == counterspace
    )
    assert lookup("NATO's", default_files())[0] == URIRef(ID_NS + "actor/nato")
    assert lookup("us", default_files()) is None  # acronyms match exactly
    assert lookup("Nobody Knows This Org", default_files()) is None


def test_a_capital_as_place_is_labelled_place(spacekg_nlp) -> None:
    doc = spacekg_nlp("They signed the deal in Paris. Paris announced a new space strategy.")
    links = [(e.text, e.label_, e._.iri) for e in doc.ents if e.text == "Paris"]
    assert links == [
        ("Paris", "PLACE", ID_NS + "place/paris"),
        ("Paris", "ACTOR", ID_NS + "actor/france"),
    ]


def test_weapon_names_are_not_people(spacekg_nlp) -> None:
    doc = spacekg_nlp("The Pentagon said the Nudol system threatens GPS satellites.")
    iris = {e._.iri for e in doc.ents}
    assert ID_NS + "actor/nudol" not in iris
    # "GPS satellites" loses to the curated "GPS", and "satellites" still counts (as
    # satellites of this document: asset/satellite-<document key>).
    assert ID_NS + "asset/gps" in iris
    assert any(re.fullmatch(ID_NS + r"asset/satellite-[0-9a-f]{8}", i or "") for i in iris)


def test_a_name_run_into_a_copyright_sign_is_no_entity(spacekg_nlp) -> None:
    """A copyright line, "UK Ministry of Defence © Crown copyright": page furniture, no
    organisation named "UK Ministry of Defence © Crown"."""
    doc = spacekg_nlp("This publication is UK Ministry of Defence © Crown copyright (2021).")
    assert not [e for e in doc.ents if "©" in e.text]


def test_a_degree_subject_is_no_actor_whatever_the_model_labels_it(spacekg_nlp) -> None:
    """ "He studied Journalism": the trained NER says State; a subject's words are no actor."""
    doc = spacekg_nlp(
        "Hellmut Lagos is a career diplomat from Chile. He studied Journalism and holds a "
        "degree in Security and Defence."
    )
    assert "Journalism" not in {e.text for e in doc.ents if e._.iri}


def test_a_time_zone_after_a_clock_time_is_no_organisation(spacekg_nlp) -> None:
    """ "(07:00 UTC)": the model reads the zone as an organisation; the tz database's
    abbreviations after a clock time are a time's zone, and the launch's place still links."""
    doc = spacekg_nlp(
        "The launch took place at 10:00 MSK (07:00 UTC) from the Vostochny Cosmodrome."
    )
    linked_texts = {e.text for e in doc.ents if e._.iri}
    assert not linked_texts & {"UTC", "MSK"}
    assert any("Vostochny" in t for t in linked_texts)


def test_texts_run_together_are_no_name(spacekg_nlp) -> None:
    """An infobox key glued to a quoted title ('March"The U.S. Space Force March"') and a
    caption's label with an ISO date ("Vostochny 2016-04-28 011") are texts run together: no
    individual is minted for them, while the name inside a caption still is."""

    def link(text: str, name: str, label: str):  # type: ignore[no-untyped-def]
        with spacekg_nlp.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler"]):
            doc = spacekg_nlp(text)
        start = text.index(name)
        span = doc.char_span(start, start + len(name), label=label, alignment_mode="expand")
        return link_span(span, default_files())

    glued = 'March"The U.S. Space Force March" (interim) (Based on "The Invincible Eagle")'
    assert link(glued, 'March"The U.S. Space Force', "WORK_OF_ART") is None
    caption = "A launch of the Soyuz-2.1a from Vostochny 2016-04-28 011"
    assert link(caption, "Vostochny 2016-04-28 011", "GPE") is None
    named = link("A launch from Vostochny Cosmodrome", "Vostochny Cosmodrome", "GPE")
    assert named is not None and named.label == "Vostochny Cosmodrome"


def test_a_span_ending_in_an_article_is_a_cut_phrase(spacekg_nlp) -> None:
    """ "orbit around the" (of "orbit around the Earth") and "members of the" (of "members of
    the United Nations"): the model cut the phrase after its article, and no name ends in one;
    a leading article is only trimmed."""
    doc = spacekg_nlp.make_doc(
        "States must not place in orbit around the Earth any nuclear weapons, nor the members "
        "of the United Nations."
    )

    def span(text: str) -> Span:
        start = doc.text.index(text)
        found = doc.char_span(start, start + len(text), label="Place")
        assert found is not None
        return found

    assert trim(span("orbit around the")) is None
    assert trim(span("the members of the")) is None
    trimmed = trim(span("the Earth"))
    assert trimmed is not None and trimmed.text == "Earth"


def test_an_organisation_named_as_a_document_is_a_document(spacekg_nlp) -> None:
    """Both models read "National Space Strategy" as an organisation; its head is a Document
    class's label, so it is minted a strategy, and "Strategies" (several) is no individual."""
    doc = spacekg_nlp("The United Kingdom published its National Space Strategy in 2021.")
    iri = ID_NS + "document/national-space-strategy"
    assert iri in doc._.entities
    assert SKG.Strategy in doc._.entities[iri].classes
    assert not any(i.startswith(ID_NS + "actor/national-space") for i in doc._.entities)
    doc = spacekg_nlp("The government published its National and Defence Space Strategies.")
    assert not any("strategies" in i for i in doc._.entities)
    doc = spacekg_nlp("The Ministry of Defence published the strategy.")
    assert doc._.entities[ID_NS + "actor/ministry-of-defence"]  # headed by "Ministry"


def test_one_word_cut_from_the_name_it_heads_is_no_entity(spacekg_nlp) -> None:
    """The model marks "Secretary" of "the Secretary of Defense" as a place; alone it names no
    place. An event before its "of" ("the launch of Sputnik") keeps its mention."""
    found = linked(
        spacekg_nlp,
        "Pursuant to my authority as the Commander in Chief and under section 161 of title 10, "
        "United States Code, and in consultation with the Secretary of Defense and the Chairman "
        "of the Joint Chiefs of Staff, I direct the establishment.",
    )
    assert "Secretary" not in found
    assert found["United States"][0] == ID_NS + "actor/united-states"
    doc = spacekg_nlp("The launch of Sputnik in 1957 shocked the West.")
    assert any(e.text == "launch" and "/event/" in (e._.iri or "") for e in doc.ents)


def test_a_generic_asset_mention_is_an_asset_of_its_document(spacekg_nlp) -> None:
    """ "the satellite" (a generic phrase of the ruler) is one satellite of this text: two
    documents that each say "the satellite" speak of two satellites, not of one individual
    every fact about any satellite would pile onto. A proper noun still names one thing."""

    def asset(text: str, words: str) -> str:
        with spacekg_nlp.select_pipes(
            enable=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
        ):
            doc = spacekg_nlp(text)
        end = next(t.i for t in doc if t.text == words.split()[-1]) + 1
        span = Span(
            doc, end - len(words.split()), end, label="SpaceAsset", span_id=str(SKG.Satellite)
        )
        link = link_span(span, default_files())
        assert link is not None and SKG.Satellite in link.classes and not link.curated
        return str(link.iri)

    first = asset("Russia destroyed the satellite in November 2021.", "satellite")
    assert re.search(r"/satellite-[0-9a-f]{8}$", first)
    assert first == asset("Russia destroyed the satellite in November 2021.", "satellite")
    assert first != asset("China launched the satellite from Jiuquan.", "satellite")
    alliance = asset("France built NATO satellites for the alliance.", "NATO satellites")
    assert not re.search(r"-[0-9a-f]{8}$", alliance)  # "NATO satellite": a name, shared
