"""ingest.nlp.resolve: one individual per name in a document; minted entities fit their class."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from ingest.config import ID_NS
from ingest.extraction import Entity, Extraction, Mention, Relation
from ingest.nlp import analyse
from ingest.nlp.resolve import fits_class, initials_fit, is_common_noun, resolve
from ingest.vocab import SKG

UKSC_TEXT = (
    "The United Kingdom Space Command (UKSC) was established in April 2021. "
    "UKSC operates the Skynet satellites. The Command is based at RAF High Wycombe."
)
UK_SPACE_COMMAND = URIRef(ID_NS + "actor/uk-space-command")


def iris_of(extraction: Extraction, text: str) -> set[URIRef]:
    return {m.iri for m in extraction.mentions if m.text == text}


def test_an_acronym_defined_in_the_text_is_its_long_form_everywhere() -> None:
    extraction = analyse(UKSC_TEXT, "2024-01-01")
    assert iris_of(extraction, "United Kingdom Space Command") == {UK_SPACE_COMMAND}
    assert iris_of(extraction, "UKSC") == {UK_SPACE_COMMAND}
    assert URIRef(ID_NS + "actor/uksc") not in extraction.entities
    assert all(
        URIRef(ID_NS + "actor/uksc") not in (r.subject, r.object) for r in extraction.relations
    )


def test_the_short_organisation_name_is_the_earlier_full_one() -> None:
    assert iris_of(analyse(UKSC_TEXT, "2024-01-01"), "Command") == {UK_SPACE_COMMAND}


def test_a_surname_is_the_earlier_full_name_across_chunks() -> None:
    text = (
        "Josep Borrell, the EU High Representative, condemned the attack.\n\n"
        + "The satellites kept working for a while. " * 12
        + "\n\nBorrell said Russia was responsible."
    )
    extraction = analyse(text, "2022-03-01", chunk_chars=200)
    assert iris_of(extraction, "Borrell") == iris_of(extraction, "Josep Borrell")
    assert len(iris_of(extraction, "Josep Borrell")) == 1


def test_a_byline_is_no_person_and_is_counted() -> None:
    extraction = analyse(
        "By Jane Sheridan DEFENCE CORRESPONDENT\n\nNATO condemned the test.", "2021-11-16"
    )
    assert not any("Sheridan" in e.label for e in extraction.entities.values())
    assert any("1 Person ('Jane Sheridan DEFENCE CORRESPONDENT')" in n for n in extraction.notes)


def test_initials() -> None:
    assert initials_fit("UKSC", "United Kingdom Space Command")
    assert initials_fit("NATO", "North Atlantic Treaty Organization")
    assert initials_fit("CSIS", "Center for Strategic and International Studies")
    assert not initials_fit("ESA", "United Kingdom Space Command")
    assert not initials_fit("UK", "United")


def minted(label: str, cls: URIRef) -> Entity:
    return Entity(URIRef(ID_NS + "actor/x"), label, (cls,), False)


def test_a_minted_person_or_document_must_be_named_as_one() -> None:
    nouns = frozenset({"strategy", "treaty"})
    assert fits_class(minted("Josep Borrell", SKG.Person), nouns)
    assert fits_class(minted("Ursula von der Leyen", SKG.Person), nouns)
    assert fits_class(minted("Putin", SKG.Person), nouns)
    assert fits_class(minted("DONALD J. TRUMP", SKG.Person), nouns)
    assert not fits_class(minted("text", SKG.Person), nouns)
    assert not fits_class(minted("Sheridan DEFENCE CORRESPONDENT", SKG.Person), nouns)
    assert not fits_class(minted("1 label", SKG.Person), nouns)
    assert fits_class(minted("Outer Space Treaty", SKG.Document), nouns)
    assert fits_class(minted("Artemis Accords", SKG.Document), nouns)
    assert not fits_class(minted("start date", SKG.Document), nouns)
    assert fits_class(minted("start date", SKG.Organization), nouns)  # not checked here


def test_resolving_merges_facts_and_drops_self_loops() -> None:
    long, short = URIRef(ID_NS + "actor/acme-orbital-systems"), URIRef(ID_NS + "actor/aos")
    text = "Acme Orbital Systems (AOS) built it. AOS is part of Acme Orbital Systems."
    organisation = (SKG.Organization,)
    extraction = Extraction(
        entities={
            long: Entity(long, "Acme Orbital Systems", organisation, False),
            short: Entity(short, "AOS", organisation, False),
        },
        mentions=[
            Mention("Acme Orbital Systems", 0, 20, 0, long, 0.7),
            Mention("AOS", 22, 25, 0, short, 0.7),
            Mention("AOS", 37, 40, 1, short, 0.7),
        ],
        relations=[Relation(short, SKG.partOf, long, 0.5, 1)],
    )
    resolved = resolve(extraction, text)
    assert {m.iri for m in resolved.mentions} == {long}
    assert resolved.relations == []
    assert set(resolved.entities) == {long}
    assert "AOS" in resolved.entities[long].alt_labels


def test_a_common_noun_asset_in_passing_is_no_individual() -> None:
    satellite, network = URIRef(ID_NS + "asset/satellite"), URIRef(ID_NS + "asset/network")
    russia = URIRef(ID_NS + "actor/russia")
    text = "A satellite passed overhead. Russia attacked the network."
    assets = (SKG.SpaceAsset,)
    extraction = Extraction(
        entities={
            satellite: Entity(satellite, "satellite", assets, False),
            network: Entity(network, "network", assets, False),
            russia: Entity(russia, "Russia", (SKG.State,), True),
        },
        mentions=[
            Mention("satellite", 2, 11, 0, satellite, 0.8),
            Mention("Russia", 29, 35, 1, russia, 0.9),
            Mention("network", 49, 56, 1, network, 0.8),
        ],
        relations=[Relation(russia, SKG.targeted, network, 0.6, 1)],
    )
    resolved = resolve(extraction, text)
    assert set(resolved.entities) == {network, russia}  # the network takes part in a fact
    assert {m.text for m in resolved.mentions} == {"Russia", "network"}
    assert any(
        "1 common nouns mentioned in passing" in n and "'satellite'" in n for n in resolved.notes
    )


def test_a_name_is_no_common_noun_unless_the_text_writes_it_in_lower_case() -> None:
    assert is_common_noun("satellite imagery", "")
    assert is_common_noun("Launch", "Launch day came. The launch failed.")
    assert not is_common_noun("Launch", "Launch day came.")
    assert not is_common_noun("Kosmos 1408", "the kosmos 1408 satellite")  # two words
    assert not is_common_noun("GPS", "gps")


_WORDS = st.sampled_from(["launch", "Launch", "space", "pre-launch", "launch-pad", "é", "Été"])
_GLUE = st.sampled_from([" ", "-", ".", ",", "_", "'", "(", "\n", "2", ""])


@settings(max_examples=300, deadline=None)
@given(
    label=st.sampled_from(["Launch", "Space", "Été", "O'Neill", "U.S."]),
    parts=st.lists(st.tuples(_WORDS, _GLUE), max_size=12),
)
def test_common_noun_from_the_text_words_is_the_search_it_replaced(
    label: str, parts: list[tuple[str, str]]
) -> None:
    """Regression: one search of the whole text per minted name made resolving a long
    document quadratic (merging minted names: 17 s of a 3 MB ingest); a set of the text's
    words, made once, must answer exactly as the search did."""
    text = "".join(word + glue for word, glue in parts)
    searched = (
        re.search(rf"(?<![\w-]){re.escape(label.lower())}(?![\w-])", text) is not None
        if label.istitle()
        else False
    )
    assert is_common_noun(label, text) == searched


def test_a_word_in_lower_case_is_no_surname() -> None:
    """Regression: "in space" became the person "Outer Space" (a headline's "Weighing Chance
    Outer Space" read as a name) because "space" is its last word."""
    person, place = URIRef(ID_NS + "actor/outer-space"), URIRef(ID_NS + "place/space")
    text = "Prevention of an Arms Race in Outer Space. Weapons in space."
    extraction = Extraction(
        entities={
            person: Entity(person, "Outer Space", (SKG.Person,), False),
            place: Entity(place, "space", (SKG.Place,), False),
        },
        mentions=[
            Mention("Outer Space", 30, 41, 0, person, 0.7),
            Mention("space", 54, 59, 1, place, 0.7),
        ],
        relations=[Relation(place, SKG.locatedIn, URIRef(ID_NS + "place/orbit"), 0.5, 1)],
    )
    resolved = resolve(extraction, text)
    assert [m.iri for m in resolved.mentions if m.text == "space"] == [place]


def test_a_minted_name_given_two_kinds_is_one_thing_in_a_document() -> None:
    group, document = (
        URIRef(ID_NS + "actor/guardians-of-peace"),
        URIRef(ID_NS + "document/guardians-of-peace"),
    )
    text = (
        'The hacker group "Guardians of Peace" leaked data. Then the Guardians of Peace '
        "threatened Sony. Guardians of Peace said more."
    )
    extraction = Extraction(
        entities={
            group: Entity(group, "Guardians of Peace", (SKG.Organization,), False),
            document: Entity(document, "Guardians of Peace", (SKG.Document,), False),
        },
        mentions=[
            Mention("Guardians of Peace", 18, 36, 0, document, 0.7),
            Mention("Guardians of Peace", 60, 78, 1, group, 0.7),
            Mention("Guardians of Peace", 96, 114, 2, group, 0.7),
        ],
        relations=[Relation(document, SKG.threatens, URIRef(ID_NS + "actor/sony"), 0.5, 1)],
    )
    resolved = resolve(extraction, text)
    assert {m.iri for m in resolved.mentions} == {group}  # the kind most mentions got
    assert document not in resolved.entities
    assert [r.subject for r in resolved.relations] == [group]


def test_a_definite_tail_of_an_earlier_name_is_that_name() -> None:
    text = (
        "NASA raised the orbit of the International Space Station on Tuesday. The fragment "
        "could have come within a mile of the station. Nothing changed aboard the space station."
    )
    extraction = analyse(text, "2021-11-20")
    station = URIRef(ID_NS + "asset/international-space-station")
    assert iris_of(extraction, "International Space Station") == {station}
    assert iris_of(extraction, "station") == {station}
    assert iris_of(extraction, "space station") == {station}


def test_a_tail_without_a_definite_article_or_with_two_owners_stays() -> None:
    iss, tiangong = (
        URIRef(ID_NS + "asset/international-space-station"),
        URIRef(ID_NS + "asset/tiangong-space-station"),
    )
    station = URIRef(ID_NS + "asset/station")
    assets = (SKG.SpaceStation,)

    def resolved_station(text: str, *names: tuple[URIRef, str, int]) -> set[URIRef]:
        entities = {
            iss: Entity(iss, "International Space Station", assets, True),
            tiangong: Entity(tiangong, "Tiangong Space Station", assets, False),
            station: Entity(station, "station", assets, False),
        }
        at = text.index("station ")
        mentions = [
            Mention(label, start, start + len(label), 0, iri, 0.9) for iri, label, start in names
        ]
        mentions.append(Mention("station", at, at + 7, 1, station, 0.8))
        # in a fact, so not dropped as a common noun in passing
        fact = Relation(station, SKG.operates, URIRef(ID_NS + "actor/nasa"), 0.5, 1)
        extraction = Extraction(entities=entities, mentions=mentions, relations=[fact])
        return {m.iri for m in resolve(extraction, text).mentions if m.text == "station"}

    both = "International Space Station and Tiangong Space Station passed. The station shone."
    assert resolved_station(
        both, (iss, "International Space Station", 0), (tiangong, "Tiangong Space Station", 32)
    ) == {station}
    one = "International Space Station passed. Any station shone."
    assert resolved_station(one, (iss, "International Space Station", 0)) == {station}
    definite = "International Space Station passed. The station shone."
    assert resolved_station(definite, (iss, "International Space Station", 0)) == {iss}


def test_the_head_of_an_earlier_name_before_its_of_or_on_is_that_name() -> None:
    text = (
        "The Conference on Disarmament is a multilateral disarmament forum based in Geneva. "
        "The Conference meets annually in three separate sessions."
    )
    extraction = analyse(text, "2021-01-01")
    (conference,) = iris_of(extraction, "Conference on Disarmament")
    assert iris_of(extraction, "Conference") == {conference}


def test_a_kind_of_organisation_alone_names_no_individual() -> None:
    text = (
        "The Ministry of Defence published the Defence Space Strategy in February 2022. "
        "In its reply the Department must explain the delays to the programme."
    )
    extraction = analyse(text, "2022-03-01")
    assert not any(e.label == "Department" for e in extraction.entities.values())
    assert not iris_of(extraction, "Department")
    assert iris_of(extraction, "Ministry of Defence")
    assert any("not kept as individuals" in n and "'Department'" in n for n in extraction.notes)


def test_a_word_heading_two_names_names_neither_and_one_name_is_kept() -> None:
    two = (
        "The First Committee and the Sixth Committee of the General Assembly met in New York. "
        "A high level of professionalism prevailed in the Committee, which approved the drafts."
    )
    extraction = analyse(two, "2022-12-07")
    assert not iris_of(extraction, "Committee")
    assert not any(e.label == "Committee" for e in extraction.entities.values())
    assert len(iris_of(extraction, "First Committee")) == 1
    # One name headed by the word before its "of": the short mention is that name.
    one = "The Sixth Committee of the General Assembly met in New York. The Committee agreed."
    extraction = analyse(one, "2022-12-07")
    assert iris_of(extraction, "Committee") == iris_of(
        extraction, "Sixth Committee of the General Assembly"
    )
    # A one-word name that is no kind and heads no other name is kept.
    pentagon = "The Pentagon announced that the United States Space Force will operate them."
    assert iris_of(analyse(pentagon, "2022-12-07"), "Pentagon")
