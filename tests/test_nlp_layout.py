"""ingest.nlp.layout: no minted name from an infobox key run into its value or a breadcrumb."""

from __future__ import annotations


def minted(nlp, text: str) -> set[str]:
    return {e.text for e in nlp(text).ents if e._.iri and not e._.curated}


def test_an_infobox_key_run_into_its_value_is_no_name(spacekg_nlp) -> None:
    """A converted infobox row, "HeadquartersPalais des Nations": the key "Headquarters" is
    glued to its value, and the model reads "HeadquartersPalais" as an organisation."""
    text = (
        "Conference on Disarmament\n\nHeadquartersPalais des Nations\nWebsiteOfficial Website"
        "\n\nThe Conference on Disarmament met in Geneva."
    )
    assert not any(
        name.startswith(("Headquarters", "Website")) for name in minted(spacekg_nlp, text)
    )
    assert "Geneva" in minted(spacekg_nlp, text)


def test_a_breadcrumb_item_is_no_name(spacekg_nlp) -> None:
    text = (
        "Search our content\n\nHome  /  Newsroom  /  2020  /  NATO agrees new Space Centre\n\n"
        "NATO agreed a new Space Centre."
    )
    found = minted(spacekg_nlp, text)
    assert not found & {"Home", "Newsroom"}
    assert "Space Centre" in found
