"""ingest.nlp.title_case: known names cut from title-cased run-ons (real model)."""

from __future__ import annotations

from ingest.config import ID_NS
from ingest.nlp.title_case import is_title_cased


def linked(nlp, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Surface text -> IRI of every linked entity."""
    return {e.text: e._.iri for e in nlp(text).ents if e._.iri}


def test_a_headline_name_run_into_the_next_words_is_the_documents_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(
        spacekg_nlp,
        "Stronger Rules Must Guarantee Outer Space Remains Conflict-Free, First Committee "
        "Delegates Stress, Calling for New Laws\n\nThe First Committee met today.",
    )
    assert found.get("First Committee") == ID_NS + "actor/first-committee"
    assert not any("Delegates" in text for text in found)


def test_a_name_in_a_title_cased_list_is_the_documents_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = spacekg_nlp(
        "General Assembly Adopts over 100 Texts of First, Sixth Committees Tackling Threats "
        "from Nuclear Weapons, International Security, Global Law, Transitional Justice\n\n"
        "The Committee discussed the threat posed by nuclear weapons."
    )
    iris = {e.text: e._.iri for e in doc.ents if e._.iri}
    assert "Nuclear Weapons" in iris and iris["Nuclear Weapons"] == iris["nuclear weapons"]
    assert not any("International Security" in text for text in iris)


def test_a_clause_run_into_a_curated_name_is_cut_off(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(
        spacekg_nlp,
        "President to the Secretary of Defense Regarding the Establishment of the United "
        "States Space Command\nMEMORANDUM FOR THE SECRETARY OF DEFENSE\n",
    )
    command = ID_NS + "actor/united-states-space-command"
    assert found.get("United States Space Command") == command
    assert not any("Regarding" in text for text in found)


def test_a_name_built_on_a_known_one_stays_whole(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    found = linked(
        spacekg_nlp,
        "People's Liberation Army Strategic Support Force\n\nThe People's Liberation Army "
        "created a new force in 2015.",
    )
    assert "People's Liberation Army Strategic Support Force" in found


def test_a_title_cased_line_has_every_content_word_capitalised() -> None:
    assert is_title_cased("UN Security Council Briefing on the November 21 Launch by the DPRK")
    assert not is_title_cased("The UN Security Council met on the launch by the DPRK.")
    assert not is_title_cased("OUTER SPACE ARMS RACE RESOLUTION")


def test_a_span_ending_inside_a_known_name_is_that_name(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = spacekg_nlp(
        "‘We Have Not Passed the Point of No Return’, Disarmament Committee Told, Weighing "
        "Chance Outer Space Could Become Next Battlefield\n\n"
        "Delegates warned against an arms race in outer space."
    )
    iris = {e.text: e._.iri for e in doc.ents if e._.iri}
    assert iris.get("Outer Space") == iris["outer space"]
    assert not any("Chance" in text for text in iris)
