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


def test_a_wiki_section_heading_is_no_name(spacekg_nlp) -> None:
    """A converted wiki page keeps a section's edit link: "Neitron Radar System[edit]" is a
    heading, and the section's prose names the radar where it says something of it."""
    text = (
        "Kosmos 2542 was launched from Plesetsk.\n\nNeitron Radar System[edit]\n\n"
        "The Conference on Disarmament met in Geneva."
    )
    heading = text.index("Neitron")
    doc = spacekg_nlp(text)
    minted_at = {e.start_char for e in doc.ents if e._.iri and not e._.curated}
    assert not any(heading <= start < heading + 26 for start in minted_at)
    assert "Geneva" in {e.text for e in doc.ents if e._.iri}


def test_a_wikis_site_line_is_no_name(spacekg_nlp) -> None:
    """ "From Wikipedia, the free encyclopedia" under a page's title names the site, not an
    organisation of the page."""
    text = (
        "Kessler syndrome\n\nFrom Wikipedia, the free encyclopedia\n\n"
        "Donald Kessler described the syndrome in 1978."
    )
    found = minted(spacekg_nlp, text)
    assert "Wikipedia" not in found
    assert "Donald Kessler" in found


def test_an_interface_control_line_is_no_name(spacekg_nlp) -> None:
    text = "Open main menu\n\nThe Conference on Disarmament met in Geneva."
    assert not any("menu" in name for name in minted(spacekg_nlp, text))
