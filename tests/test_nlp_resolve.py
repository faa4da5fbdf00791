"""ingest.nlp.resolve: one individual per name in a document; minted entities fit their class."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from ingest.config import ID_NS
from ingest.extraction import Entity, Extraction, Mention, Relation
from ingest.nlp import analyse
from ingest.nlp.resolve import (
    asset_words,
    fits_class,
    head_in,
    initials_fit,
    is_common_noun,
    names_event_type,
    resolve,
)
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


def test_a_common_noun_is_no_actor_even_in_a_relation() -> None:
    """ "this country", "the government of North Korea": a reference, not a minted State; its
    facts have no end and go, counted."""
    extraction = analyse(
        "In recent years, malicious cyber activities linked to this country and targeting "
        "the EU and its Member States have increased.",
        "2022-01-01",
    )
    assert not any(e.label == "country" for e in extraction.entities.values())
    assert any("'country'" in n and "2 facts with them dropped" in n for n in extraction.notes)
    extraction = analyse(
        "Investigators concluded that the attack was sponsored by the government of North "
        "Korea, which has since denied all responsibility.",
        "2022-01-01",
    )
    assert not any(e.label == "government" for e in extraction.entities.values())


def test_a_capital_inside_a_sentence_is_a_name() -> None:
    """'Space' opening a sentence in a text that writes "space" is a common noun; 'Earth'
    after "the" is a name even where the text also writes "earth"."""
    space, earth = URIRef(ID_NS + "place/space"), URIRef(ID_NS + "place/earth")
    text = "Space is vast. Satellites orbit the Earth. Weapons in space hit the earth."
    places = (SKG.Place,)
    extraction = Extraction(
        entities={
            space: Entity(space, "Space", places, False),
            earth: Entity(earth, "Earth", places, False),
        },
        mentions=[Mention("Space", 0, 5, 0, space, 0.7), Mention("Earth", 36, 41, 1, earth, 0.7)],
    )
    resolved = resolve(extraction, text)
    assert set(resolved.entities) == {earth}
    assert any("in passing" in n and "'Space'" in n for n in resolved.notes)


def test_analysed_bare_space_in_no_relation_is_no_place() -> None:
    extraction = analyse(
        "Space is extremely important for all Allies. We will not deploy weapons in space.",
        "2019-11-20",
    )
    assert not any(e.label.casefold() == "space" for e in extraction.entities.values())


def test_a_common_noun_event_needs_an_event_type_and_an_actor_or_a_date() -> None:
    """ "the launch" on a date is one launch; "the creation" conducted by Russia names no event
    type, "the launch" with only a place has neither actor nor date: both are dropped."""
    from rdflib.namespace import XSD  # here: pytest's collection trips on the namespace

    russia = URIRef(ID_NS + "actor/russia")
    creation, dated, placed = (URIRef(ID_NS + f"event/{n}") for n in ("c", "d", "p"))
    text = "Russia announced the creation. The launch came in 2021. The launch was in Plesetsk."
    extraction = Extraction(
        entities={
            russia: Entity(russia, "Russia", (SKG.State,), True),
            creation: Entity(creation, "creation", (SKG.Event,), False),
            dated: Entity(dated, "launch", (SKG.Launch,), False),
            placed: Entity(placed, "launch", (SKG.Launch,), False),
        },
        mentions=[
            Mention("Russia", 0, 6, 0, russia, 0.9),
            Mention("creation", 21, 29, 0, creation, 0.7),
            Mention("launch", 35, 41, 1, dated, 0.7),
            Mention("launch", 61, 67, 2, placed, 0.7),
        ],
        relations=[
            Relation(russia, SKG.conducted, creation, 0.6, 0),
            Relation(dated, SKG.date, Literal("2021", datatype=XSD.gYear), 0.6, 1),
            Relation(placed, SKG.locatedIn, URIRef(ID_NS + "place/plesetsk"), 0.6, 2),
        ],
    )
    resolved = resolve(extraction, text, event_nouns=frozenset({"launch", "test"}))
    assert set(resolved.entities) == {russia, dated}
    assert [r.subject for r in resolved.relations] == [dated]
    assert any("2 common nouns not kept" in n and "2 facts" in n for n in resolved.notes)
    assert names_event_type("launched", frozenset({"launch"}))
    assert not names_event_type("establishment", frozenset({"launch"}))


def test_analysed_creation_is_no_event() -> None:
    extraction = analyse(
        "Ministers are expected to agree the creation of the space strategy at their regular "
        "meeting in Brussels on 20 November.",
        "2019-11-01",
    )
    assert not any(e.label == "creation" for e in extraction.entities.values())


def test_a_common_noun_asset_needs_the_noun_of_a_space_asset_class() -> None:
    """ "its own deadlines" taken for a space asset: no word of the ontology's SpaceAsset
    labels heads it, so it is no asset even in a relation; "the satellite" is one."""
    extraction = analyse("The Ministry is unable to meet its own deadlines.", "2022-01-01")
    assert not any(e.label == "deadlines" for e in extraction.entities.values())
    assert head_in("military satellites", asset_words())
    assert not head_in("speaker", asset_words())


def test_a_one_word_event_names_its_type_or_is_none() -> None:
    """A dateline "19 November 2021 News" read as a meeting: one word that is no event noun
    names no event, whatever its case."""
    extraction = analyse(
        "NATO condemned the test.\n\n19 November 2021 News\n\n1. The North Atlantic Council "
        "strongly condemns the test conducted by Russia on 15 November 2021.",
        "2021-11-19",
    )
    assert not any(e.label == "News" for e in extraction.entities.values())
    assert any(e.label == "test" for e in extraction.entities.values())


def test_a_common_noun_asset_is_mentioned_only_where_it_takes_part_in_a_relation() -> None:
    """ "The satellite was delivered into orbit" states nothing of it: that mention is left out
    (the annotation guide gives short references spans in a relation of their sentence)."""
    extraction = analyse(
        "Kosmos 2553 is a Russian satellite launched on February 5, 2022. The satellite was "
        "delivered into orbit by a Soyuz rocket. Russia operates the satellite.",
        "2022-03-01",
    )
    sentences = {m.sentence for m in extraction.mentions if m.text == "satellite"}
    assert sentences == {0, 2}
    assert any("1 mentions of common-noun assets" in n for n in extraction.notes)
