"""ingest.nlp.fit: a minted entity fits its class, or `resolve` drops it and counts it."""

from __future__ import annotations

from rdflib import Literal, URIRef

from ingest.config import ID_NS
from ingest.extraction import Entity, Extraction, Mention, Relation
from ingest.nlp import analyse
from ingest.nlp.fit import (
    asset_words,
    document_heads,
    head_in,
    name_head,
    names_a_class,
    names_event_type,
    singular,
)
from ingest.nlp.resolve import resolve
from ingest.vocab import SKG


def test_a_common_noun_is_no_actor_even_in_a_relation() -> None:
    """ "this country", "the government of North Korea": a reference, not a minted State; its
    facts have no end and go, counted."""
    extraction = analyse(
        "In recent years, malicious cyber activities linked to this country and targeting "
        "the EU and its Member States have increased.",
        "2022-01-01",
    )
    assert not any(e.label == "country" for e in extraction.entities.values())
    # the fact left with it (the cyber activities "linked to" it no longer give it the
    # capability: `modifiers.holds`) goes, counted
    assert any("'country'" in n and "1 facts with them dropped" in n for n in extraction.notes)
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
    type, "a test" with only a place has neither actor nor date: both are dropped."""
    from rdflib.namespace import XSD  # here: pytest's collection trips on the namespace

    russia = URIRef(ID_NS + "actor/russia")
    creation, dated, placed = (URIRef(ID_NS + f"event/{n}") for n in ("c", "d", "p"))
    text = "Russia announced the creation. The launch came in 2021. A test was in Plesetsk."
    extraction = Extraction(
        entities={
            russia: Entity(russia, "Russia", (SKG.State,), True),
            creation: Entity(creation, "creation", (SKG.Event,), False),
            dated: Entity(dated, "launch", (SKG.Launch,), False),
            placed: Entity(placed, "test", (SKG.ASATTest,), False),
        },
        mentions=[
            Mention("Russia", 0, 6, 0, russia, 0.9),
            Mention("creation", 21, 29, 0, creation, 0.7),
            Mention("launch", 35, 41, 1, dated, 0.7),
            Mention("test", text.index("test"), text.index("test") + 4, 2, placed, 0.7),
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
        "Russia launched the satellite on February 5, 2022. The satellite was "
        "delivered into orbit by a Soyuz rocket. Russia operates the satellite.",
        "2022-03-01",
    )
    sentences = {m.sentence for m in extraction.mentions if m.text == "satellite"}
    assert sentences == {0, 2}
    assert any("1 mentions of common-noun assets" in n for n in extraction.notes)


def test_a_one_word_person_the_text_writes_in_lower_case_is_a_role() -> None:
    """ "Mr. Coordinator" in a text that also thanks "the coordinator": a role, no person."""
    role = "Mr. Coordinator,\n\nI have the honour to speak on behalf of the European Union."
    assert any(e.label == "Coordinator" for e in analyse(role, "2022-01-01").entities.values())
    extraction = analyse(role + " We thank the coordinator for his work.", "2022-01-01")
    assert not any(e.label == "Coordinator" for e in extraction.entities.values())


def test_a_place_named_by_a_class_noun_is_no_place() -> None:
    """ "all States" read as a place: "state" is the label of an ontology class, a noun of a
    kind, and names no place; it is dropped and counted, and Geneva is kept."""
    extraction = analyse(
        "The Conference on Disarmament met in Geneva. We call on all States, including "
        "Russia, to respect their international obligations.",
        "2022-01-01",
    )
    labels = {e.label for e in extraction.entities.values()}
    assert "States" not in labels
    assert "Geneva" in labels
    assert any("1 Place ('States')" in n for n in extraction.notes)
    assert names_a_class("States") and names_a_class("treaty")
    assert not names_a_class("Geneva")


def test_a_name_head_and_the_document_heads() -> None:
    """The head stands before a name's first "of"; the Document heads come from the
    ontology's class labels, one-word labels first."""
    assert name_head("Ministry of Foreign Affairs") == "ministry"
    assert name_head("Defence Space Strategy") == "strategy"
    assert singular("strategies") == "strategy" and singular("speeches") == "speech"
    assert singular("analysis") is None and singular("status") is None
    heads = document_heads()
    assert heads["strategy"] == SKG.Strategy and heads["article"] == SKG.NewsArticle
    assert heads["document"] == SKG.Document
