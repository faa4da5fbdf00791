"""ingest.nlp.name_spans: model spans cut to the names they hold (real model)."""

from __future__ import annotations

from ingest.config import ID_NS


def linked(nlp, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Surface text -> IRI of every linked entity."""
    return {e.text: e._.iri for e in nlp(text).ents if e._.iri}


def test_an_unclosed_parenthesised_gloss_is_cut_off(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(
        spacekg_nlp,
        "several speakers in the First Committee (Disarmament and International Security said",
    )
    assert found.get("First Committee") == ID_NS + "actor/first-committee"
    assert not any("(" in text for text in found)


def test_a_trailing_finite_verb_is_no_part_of_the_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(spacekg_nlp, "The Conference meets annually in three separate sessions.")
    assert found.get("Conference") == ID_NS + "actor/conference"
    assert ID_NS + "actor/conference-meets" not in found.values()


def test_a_possessor_is_not_part_of_the_possessed_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(
        spacekg_nlp,
        "The creation of the National Space Council and the MoD’s Space Directorate were "
        "recognised by witnesses.",
    )
    assert found.get("Space Directorate") == ID_NS + "actor/space-directorate"
    assert ID_NS + "actor/mods-space-directorate" not in found.values()


def test_a_curated_name_with_a_possessive_stays_whole(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(spacekg_nlp, "The People's Liberation Army launched a satellite.")
    assert "People's Liberation Army" in found
    assert "Liberation Army" not in found


def test_a_serial_name_before_its_class_noun_is_that_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = spacekg_nlp("The photo was taken by the Noor-2 satellite. Noor-2 decayed in 2022.")
    iris = {e.text: e._.iri for e in doc.ents if e._.iri}
    assert iris["Noor-2 satellite"] == iris["Noor-2"] == ID_NS + "asset/noor-2"


def test_an_author_before_a_document_noun_is_two_things(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(
        spacekg_nlp,
        "Conference on Disarmament, EU Statement in Subsidiary Body 3. We align with this "
        "statement.",
    )
    assert found["EU"] == ID_NS + "actor/european-union"
    assert found["Statement"] == found["statement"] == ID_NS + "document/statement"


def test_a_document_named_after_a_place_stays_one(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(spacekg_nlp, "The Washington Treaty and the Pyongyang Declaration were signed.")
    assert found["Washington Treaty"] == ID_NS + "document/north-atlantic-treaty"
    assert "Pyongyang Declaration" in found and "Declaration" not in found


def test_a_headlines_imperative_is_no_part_of_the_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(spacekg_nlp, "Station Maneuvers to Avoid Orbital Debris\n\nThe crew is safe.")
    assert found.get("Orbital Debris") == ID_NS + "capability/space-debris"
    assert ID_NS + "actor/avoid-orbital-debris" not in found.values()
