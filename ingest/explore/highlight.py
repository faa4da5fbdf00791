"""Recognised entities in a text as displaCy HTML, with nothing from the text left unescaped."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .results import Row

if TYPE_CHECKING:
    from spacy.language import Language


ENT_COLORS = {
    "ACTOR": "#a5d8ff",
    "ASSET": "#b2f2bb",
    "CAPABILITY": "#ffc9c9",
    "EVENT": "#ffe066",
    "DOCUMENT": "#d0bfff",
    "CONCEPT": "#99e9f2",
    "PLACE": "#e9ecef",
}


def entity_html(nlp: Language, text: str, max_chars: int = 100_000) -> tuple[str, list[Row]]:
    """displaCy HTML of the recognised entities (text escaped by displaCy) and the entity list.

    Spans are passed to displaCy by hand so that nothing from the document but the escaped
    text reaches the HTML: labels are escaped too and no entity ids or links are rendered.
    """
    from spacy import displacy

    clipped = text[:max_chars]
    doc = nlp(clipped)
    spans = []
    found = []
    for ent in doc.ents:
        spans.append(
            {"start": ent.start_char, "end": ent.end_char, "label": html.escape(ent.label_)}
        )
        found.append({"text": ent.text, "label": ent.label_, "entity": ent.ent_id_ or ""})
    markup = displacy.render(
        {"text": clipped, "ents": spans, "title": None},
        style="ent",
        manual=True,
        jupyter=False,
        options={"colors": ENT_COLORS},
    )
    return str(markup), found


SENTENCE_ANCHOR = "spacekg-sentence"
"""The id of the highlighted sentence on a document page (the page scrolls to it)."""


def sentence_span(text: str, start: object, end: object) -> tuple[int, int] | None:
    """Offsets from a shared link as a valid span of `text`, or None."""
    try:
        first, last = int(str(start)), int(str(end))
    except ValueError:
        return None
    if 0 <= first < last <= len(text):
        return first, last
    return None


def text_html(text: str) -> str:
    """The text, escaped, its line breaks kept: shown without the language model."""
    return f'<div style="white-space: pre-wrap; line-height: 1.6">{html.escape(text)}</div>'


def sentence_html(text: str, start: int, end: int) -> str:
    """The text with one sentence marked (`<mark id=SENTENCE_ANCHOR>`), everything escaped."""
    before, sentence, after = text[:start], text[start:end], text[end:]
    return (
        '<div style="white-space: pre-wrap; line-height: 1.6">'
        f"{html.escape(before)}"
        f'<mark id="{SENTENCE_ANCHOR}" style="background: #ffe066; padding: 0 2px">'
        f"{html.escape(sentence)}</mark>{html.escape(after)}</div>"
    )
