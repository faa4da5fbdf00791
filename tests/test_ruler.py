"""The entity ruler on the real model: curated names, spelling variants, case, generic phrases."""

from __future__ import annotations

from rdflib import URIRef

from ingest.config import ID_NS, ONTOLOGY_NS
from ingest.nlp.ruler import (
    case_policy,
    curated_patterns,
    default_files,
    generic_patterns,
    is_generic_event_name,
    name_variants,
)
from ingest.ontology import labels_index, ontology_graph

NATO = ID_NS + "actor/nato"
RUSSIA = ID_NS + "actor/russia"
KOSMOS = ID_NS + "asset/kosmos-1408"


def ents(nlp, text: str) -> list[tuple[str, str, str]]:
    """(text, label, ent_id) of each entity after the ruler, before the linker changes them."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == "spacekg_ruler":
            break
    return [(e.text, e.label_, e.id_) for e in doc.ents]


def test_curated_names_override_the_model(spacekg_nlp) -> None:
    found = ents(
        spacekg_nlp,
        "NATO said the Alliance condemns the Russian Federation. COSMOS 1408 and "
        "Kosmos-1408 are the same satellite, hit by anti-satellite weapons.",
    )
    assert ("NATO", "ACTOR", NATO) in found
    assert ("the Alliance", "ACTOR", NATO) in found
    assert ("the Russian Federation", "ACTOR", RUSSIA) in found
    assert ("COSMOS 1408", "ASSET", KOSMOS) in found
    assert ("Kosmos-1408", "ASSET", KOSMOS) in found
    assert ("anti-satellite weapons", "CAPABILITY", ID_NS + "capability/asat") in found
    # The model's PERSON / CARDINAL guesses for "Kosmos 1408" are gone.
    assert not [f for f in found if f[1] in {"PERSON", "CARDINAL"}]


def test_possessive_and_hyphen_variants(spacekg_nlp) -> None:
    found = ents(spacekg_nlp, "Russia's counterspace and counter space programmes worry Allies.")
    assert ("Russia", "ACTOR", RUSSIA) in found
    ids = [f[2] for f in found]
    assert ids.count(ID_NS + "capability/counterspace") == 2


def test_case_policy_keeps_words_apart_from_names(spacekg_nlp) -> None:
    found = ents(spacekg_nlp, "Tell us how an alliance of firms could act. The US will act.")
    assert [f for f in found if f[2] == ID_NS + "actor/united-states"] == [
        ("US", "ACTOR", ID_NS + "actor/united-states")
    ]
    assert not [f for f in found if f[2] in {NATO, ID_NS + "actor/allied-command-transformation"}]


def test_generic_phrases_carry_a_class_or_a_capability(spacekg_nlp) -> None:
    found = ents(
        spacekg_nlp,
        "Satellites and one satellite were jammed, and ground stations were hacked by "
        "counter-space technologies.",
    )
    satellite = ONTOLOGY_NS + "Satellite"
    assert ("Satellites", "ASSET", satellite) in found
    assert ("satellite", "ASSET", satellite) in found
    assert ("ground stations", "ASSET", ONTOLOGY_NS + "GroundSegment") in found
    assert ("jammed", "CAPABILITY", ID_NS + "capability/jamming") in found
    assert ("hacked", "CAPABILITY", ID_NS + "capability/cyber") in found
    assert ("counter-space technologies", "CAPABILITY", ID_NS + "capability/counterspace") in found


def test_a_longer_model_name_keeps_the_state_inside(spacekg_nlp) -> None:
    found = ents(spacekg_nlp, "Mr. Lagos joined the Ministry of Foreign Affairs of Chile in 1995.")
    assert not [f for f in found if f[2] == ID_NS + "actor/chile"]
    assert any(f[0].endswith("Ministry of Foreign Affairs of Chile") for f in found)


def test_an_article_is_no_word_of_the_name_it_precedes(spacekg_nlp) -> None:
    """ "of the UN Charter": the curated "the UN" and "UN Charter" are both two tokens, but
    "the UN" is one word of a name after an article; the Charter is the longer name."""
    found = ents(spacekg_nlp, "Ukraine acts in accordance with Article 51 of the UN Charter.")
    assert ("UN Charter", "DOCUMENT", ID_NS + "document/un-charter") in found
    assert not [f for f in found if f[2] == ID_NS + "actor/united-nations"]
    found = ents(spacekg_nlp, "The UN said the EU must act.")
    assert ("The UN", "ACTOR", ID_NS + "actor/united-nations") in found


def test_generic_event_descriptions_are_not_linked_to_a_past_event(spacekg_nlp) -> None:
    found = ents(spacekg_nlp, "A Russian ASAT test in 2030 would create debris.")
    assert not [f for f in found if f[1] == "EVENT"]
    assert ("Russian", "ACTOR", RUSSIA) in found
    assert is_generic_event_name("India's anti-satellite missile test", default_files())
    assert not is_generic_event_name("Kosmos 1408 ASAT test", default_files())
    assert not is_generic_event_name("Russia's invasion of Ukraine", default_files())


def test_name_variants_and_case_policy() -> None:
    assert {"counter space", "counterspace"} <= set(name_variants("counter-space"))
    assert "Kosmos-1408" in name_variants("Kosmos 1408")
    assert "NATO's Commercial Space Strategy" in name_variants("NATO’s Commercial Space Strategy")
    assert case_policy("US") == "exact"
    assert case_policy("the Alliance") == "capitalised"
    assert case_policy("jamming") == "any"


def test_a_term_is_found_in_british_and_american_spelling_a_name_is_not() -> None:
    assert "responsible state behavior" in name_variants("responsible state behaviour")
    assert "weaponisation of outer space" in name_variants("weaponization of outer space")
    assert {"collective defense", "theater of operations"} <= {
        *name_variants("collective defence"),
        *name_variants("theatre of operations"),
    }
    assert name_variants("Defence Space Strategy") == ["Defence Space Strategy"]
    assert name_variants("four") == ["four"]


def test_the_other_spelling_of_a_curated_term_links_to_it() -> None:
    from ingest.nlp import analyse

    extraction = analyse(
        "The ministers called on all states to uphold responsible state behavior in space.",
        "2023-05-01",
    )
    concept = URIRef(ID_NS + "concept/responsible-behaviour")
    assert {m.iri for m in extraction.mentions if "behavior" in m.text} == {concept}


def test_patterns_are_unambiguous_and_point_at_known_terms() -> None:
    owners: dict[str, set[str]] = {}
    for pattern in curated_patterns(default_files()):
        owners.setdefault(pattern.text.casefold(), set()).add(pattern.iri)
    assert all(len(iris) == 1 for iris in owners.values())
    curated = {str(e.iri) for e in labels_index()}
    classes = set(ontology_graph().subjects())
    for generic in generic_patterns(default_files()):
        assert generic.target in curated or URIRef(generic.target) in classes, generic


def test_orbit_regimes_are_the_curated_places_by_name_and_acronym() -> None:
    """ "LEO" was minted an organisation and "GSO" a space station: they are orbits."""
    from ingest.nlp import analyse

    extraction = analyse(
        "Debris from the test spread through low Earth orbit (LEO), while the Luch satellite "
        "manoeuvred near commercial satellites in GEO, the geostationary belt above the equator.",
        "2022-01-01",
    )
    linked = {m.text: str(m.iri).removeprefix(ID_NS) for m in extraction.mentions}
    assert linked["low Earth orbit"] == linked["LEO"] == "place/low-earth-orbit"
    assert linked["GEO"] == linked["geostationary belt"] == "place/geostationary-orbit"
    assert all(extraction.entities[m.iri].curated for m in extraction.mentions if "orbit" in m.text)
