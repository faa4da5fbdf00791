"""Page layout that a minted name must not come from, read on the raw line of a span.

`ingest.boilerplate` drops such lines before NLP when a document is cleaned; texts read as
they are (the annotated corpus, whose offsets point into the raw text) still hold them, and
one row that is not a whole furniture line escapes the cleaner. The constructions:
- an infobox row whose key runs into its value when a page is converted to text:
  "TypeSpace force", "HeadquartersPalais des Nations", "WebsiteOfficial Website" (a capitalised
  key of three or more letters glued to a capitalised value, at the start of its line);
- an item of a breadcrumb, three or more items joined by " / ": "Home  /  Newsroom  /  2020";
- a wiki section heading, whose edit link a converted page leaves at its end: "Neitron Radar
  System[edit]" (the section's prose names what the heading does);
- the site line a wiki prints under a page's title, "From <site>, the free encyclopedia";
- an interface control standing alone on its line ("Open main menu"), as the cleaner has it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from ingest.boilerplate import is_control

_GLUED_KEY = re.compile(r"^[\s•*-]*[A-Z][a-z]{2,}[A-Z][a-z]")
_CRUMB = re.compile(r"\s+/\s+")
_CRUMBS = 3
_EDIT_HEADING = re.compile(r"\[\s*edit(?:\s+source)?\s*\]\s*$", re.IGNORECASE)
_WIKI_SITE_LINE = re.compile(r"(?:^|/\s*)From [^,/]{1,40}, the free encyclopedia\s*$")


def line_of(span: Span) -> tuple[str, int]:
    """The line the span starts on, and the span's offset in it."""
    text = span.doc.text
    start = text.rfind("\n", 0, span.start_char) + 1
    end = text.find("\n", span.start_char)
    return text[start : end if end != -1 else len(text)], span.start_char - start


def is_layout(span: Span) -> bool:
    """The span is an infobox key run into its value, an item of a breadcrumb line, or on a
    wiki section heading, a wiki's site line or an interface control line."""
    line, offset = line_of(span)
    if not line[:offset].strip(" \t•*-") and _GLUED_KEY.match(line[offset:]):
        return True
    if _EDIT_HEADING.search(line) or is_control(line.strip()):
        return True
    site = _WIKI_SITE_LINE.search(line)
    if site is not None and offset >= site.start():
        return True
    items = [item.strip() for item in _CRUMB.split(line)]
    return len(items) >= _CRUMBS and span.text.strip() in items
