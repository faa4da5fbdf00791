"""ingest.boilerplate and the HTML main text: page furniture never reaches the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.boilerplate import clean
from ingest.load import load_file, load_text

FIXTURES = Path(__file__).parent / "fixtures" / "load"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("By Jane Sheridan DEFENCE CORRESPONDENT", "bylines"),
        ("By Jane Sheridan, Defence Correspondent", "bylines"),
        ("By U.S. Space Command Public Affairs Office", "bylines"),
        ("Photo: Reuters / John Smith", "credits and captions"),
        ("Credits : TSV-art/Shutterstock", "credits and captions"),
        ("© NATO 2021", "credits and captions"),
        ("Figure 1: Counterspace capabilities by country", "credits and captions"),
        ("Home  /   News  /  2024  /  Washington Summit Declaration", "navigation"),
        ("Skip to main content", "navigation"),
        ("Headquarters\tBrussels", "table and infobox rows"),
        ("Start Date: | 1 April 2021 |", "table and infobox rows"),
        ("start date", "fragments"),
        ("1 label", "fragments"),
    ],
)
def test_page_furniture_is_dropped_by_kind(line: str, kind: str) -> None:
    text = f"NATO condemned the test.\n\n{line}\n\nThe debris threatens satellites."
    cleaned = clean(text)
    assert cleaned.dropped == {kind: 1}
    assert line not in cleaned.text
    assert "NATO condemned the test." in cleaned.text
    assert "The debris threatens satellites." in cleaned.text


@pytest.mark.parametrize(
    "line",
    [
        "By contrast, the Alliance acted within hours.",
        "By 2030 NATO will have a space centre.",
        "Russia conducted the test on 15 November 2021.",
        "GA/DIS/3238",
        "22/10/2002",
        "Background",
        "Space is an operational domain | NATO",  # a title with a site name: two parts only
    ],
)
def test_prose_symbols_dates_and_headings_stay(line: str) -> None:
    assert clean(f"Intro.\n\n{line}\n\nOutro.").text == f"Intro.\n\n{line}\n\nOutro."


def test_a_wrapped_line_inside_a_paragraph_is_not_a_fragment() -> None:
    text = "The Strategy stresses the use of technological\nof technological\nadvances in orbit."
    assert clean(text).text == text


def test_image_file_names_are_cut_out_of_the_line() -> None:
    cleaned = clean("viasat-logo.jpg\n\nThe logo viasat-logo.jpg was shown on the KA-SAT page.")
    assert cleaned.text == "\nThe logo  was shown on the KA-SAT page."
    assert cleaned.dropped == {"image file names": 2}


def test_markdown_headings_are_kept() -> None:
    assert clean("# start date", markdown=True).text == "# start date"


def test_loaded_text_has_no_furniture_and_says_what_went() -> None:
    text = (
        "NATO condemns Russian test\n\nBy Jane Sheridan DEFENCE CORRESPONDENT\n\n"
        "Photo: Reuters\n\nNATO condemned the test Russia conducted on 15 November 2021."
    )
    source = load_text(text, media_type="text/plain", title="T")
    assert source.text == (
        "NATO condemns Russian test\n\nNATO condemned the test Russia conducted on 15 November 2021."
    )
    assert (
        "page furniture dropped before reading: 1 bylines, 1 credits and captions" in source.notes
    )
    raw = load_text(text, media_type="text/plain", title="T", clean=False)
    assert raw.text == text and not any("furniture" in n for n in raw.notes)


def test_a_news_page_keeps_its_article_and_headline_only() -> None:
    source = load_file(FIXTURES / "news_page.html")
    assert source.title == "NATO condemns Russia's anti-satellite test"
    assert source.date == "2021-11-16"
    assert source.text.startswith("NATO Allies on Tuesday condemned the test")
    assert source.text.endswith("Secretary General Jens Stoltenberg called it reckless.")
    for furniture in (
        "Sheridan",
        "CORRESPONDENT",
        "Photo",
        "viasat-logo",
        "start date",
        "Headquarters",
        "Home",
        "Related",
        "rights reserved",
    ):
        assert furniture not in source.text, furniture


def test_a_menu_control_line_is_navigation() -> None:
    cleaned = clean("Open main menu\n\nThe Conference on Disarmament met in Geneva.")
    assert "menu" not in cleaned.text
    assert cleaned.dropped == {"navigation": 1}
