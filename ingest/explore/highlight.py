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
