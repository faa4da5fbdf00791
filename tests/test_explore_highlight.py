"""ingest.explore.highlight: displaCy markup of recognised entities, the text escaped."""

from __future__ import annotations

import spacy

from ingest.explore.highlight import entity_html, text_html


def test_displacy_markup_escapes_the_document_text() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ASSET", "pattern": "Kosmos 1408"}])
    markup, found = entity_html(nlp, "Kosmos 1408 <script>alert(1)</script> was destroyed.")
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert '<mark class="entity"' in markup and "ASSET" in markup
    assert found == [{"text": "Kosmos 1408", "label": "ASSET", "entity": ""}]


def test_only_the_first_characters_are_read() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ASSET", "pattern": "Kosmos 1408"}])
    text = "Kosmos 1408 was hit. " + "x " * 50 + "Kosmos 1408 again."
    _, found = entity_html(nlp, text, max_chars=30)
    assert len(found) == 1  # the second mention lies beyond the limit


def test_plain_text_is_escaped_and_keeps_its_line_breaks() -> None:
    markup = text_html("Kosmos <b>1408</b>\n\nwas hit & destroyed.")
    assert "<b>" not in markup and "&lt;b&gt;1408&lt;/b&gt;" in markup
    assert "\n\nwas hit &amp; destroyed." in markup and "pre-wrap" in markup
