"""ingest.nlp.modifiers: no minted individual from a word that only modifies another."""

from __future__ import annotations

from ingest.nlp import analyse
from ingest.nlp.modifiers import holds
from ingest.vocab import SKG


def minted(nlp, text: str) -> set[str]:
    return {e.text for e in nlp(text).ents if e._.iri and not e._.curated}


def test_a_common_noun_modifying_a_noun_is_no_asset(spacekg_nlp) -> None:
    """ "satellite inspection activities", "the space service branch": the words name the
    activities' and the branch's kind; the satellite a sentence speaks of is still one."""
    found = minted(
        spacekg_nlp,
        "The behaviour was inconsistent with other Russian satellite inspection activities. "
        "The United States Space Force is the space service branch of the U.S. Armed Forces. "
        "The satellite was launched by Russia.",
    )
    assert not found & {"space service"}
    assert [name for name in found if "satellite" in name] == ["satellite"]


def test_adjectives_with_no_noun_are_no_name(spacekg_nlp) -> None:
    """The trained NER cuts "outer" off "outer space weapons" and "military and civilian" off
    "military and civilian spacecraft": modifiers, while the noun phrases still count."""
    found = minted(
        spacekg_nlp,
        "He urged them to stop positioning that realm as an area of conflict by not deploying "
        "outer space weapons or using outer space objects to strike targets on Earth. The "
        "United States has long operated military and civilian spacecraft.",
    )
    assert not found & {"outer", "military and civilian"}
    assert {"outer space", "spacecraft"} <= found


def test_a_place_name_modifying_a_noun_is_no_mention_of_the_place(spacekg_nlp) -> None:
    """ "low Earth orbit", "a Hollywood comedy": the orbit's name (a curated place of its own,
    not the Earth) and the comedy's kind, while "orbits the Earth" names the Earth, and "the
    Energia system" (a system's name the model takes for a place) stays."""

    def places(text: str) -> list[str]:
        doc = spacekg_nlp(text)
        return [e.text for e in doc.ents if e._.iri and "/place/" in e._.iri]

    assert places(
        "Such collisions could render parts of low Earth orbit unusable. The regime "
        "threatened countermeasures over a Hollywood comedy."
    ) == ["low Earth orbit"]
    assert places("The satellite orbits the Earth once every 90 minutes.") == ["Earth"]
    assert places("Polyus was part of the first flight of the Energia system.") == ["Energia"]


def test_a_common_noun_saying_what_a_thing_is_is_no_second_asset(spacekg_nlp) -> None:
    """A copula's attribute ("Kosmos 2553 is a Russian military reconnaissance satellite") and
    an apposition ("Noor-1, the first Iranian military satellite,") name the named thing's
    class: no generic satellite is minted beside them."""
    found = minted(
        spacekg_nlp,
        "Kosmos 2553 is a Russian military reconnaissance satellite. Noor-1, the first "
        "Iranian military satellite, was launched on 22 April 2020.",
    )
    assert not [name for name in found if name.endswith("satellite")]
    assert "Noor-1" in found


def _span(doc, text: str):  # type: ignore[no-untyped-def]
    (span,) = [e for e in doc.ents if e.text == text]
    return span


KINDS = frozenset({"capability", "weapon", "system"})


def test_a_capability_modifying_a_noun_is_its_owners(spacekg_nlp) -> None:
    """'cyber' of "the cyber campaign" is the campaign's means: the capability of who owns
    or carries out the campaign, not of another actor of the sentence."""
    doc = spacekg_nlp(
        "We stand in solidarity with Germany following the malicious cyber campaign against "
        "a political party."
    )
    assert not holds(_span(doc, "Germany"), _span(doc, "cyber"), KINDS)
    doc = spacekg_nlp("We strongly condemn Russia's malicious cyber activities.")
    assert holds(_span(doc, "Russia"), _span(doc, "cyber"), KINDS)
    doc = spacekg_nlp("On 11 January 2007, China conducted an anti-satellite missile test.")
    assert holds(_span(doc, "China"), _span(doc, "anti-satellite missile"), KINDS)
    doc = spacekg_nlp("Germany warned about the jamming systems that Russia fields.")
    assert holds(_span(doc, "Germany"), _span(doc, "jamming"), KINDS)  # the systems: itself
    assert not holds(_span(doc, "Germany"), _span(doc, "jamming"), frozenset())


def test_the_relation_model_gives_no_capability_to_a_bystander() -> None:
    extraction = analyse(
        "We stand in solidarity with Germany following the malicious cyber campaign against "
        "a political party, in this case the Social Democratic Party of Germany.",
        "2024-05-03",
    )
    assert not [
        r
        for r in extraction.relations
        if r.predicate == SKG.hasCapability and str(r.subject).endswith("/germany")
    ]
