"""Page furniture out of a document's text before NLP: bylines, credits, captions, file names,
navigation and infobox rows.

Copied or converted pages carry lines that are not the document's prose, and the pipeline
reads them as sentences: "By Jane Sheridan DEFENCE CORRESPONDENT" becomes a person, "start
date" a document, "viasat-logo.jpg" part of an evidence sentence. Each rule below names a
construction of page layout, not a phrase of one page, and works on whole lines (file names
are cut out of the line they stand in). What is dropped is counted for the ingest report. The
stored text is the cleaned one, so evidence offsets point into it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# "By Jane Sheridan", "By Jane Sheridan, Defence Correspondent", "Words by A and B":
# "by" and two to five capitalised names, optionally a role, and nothing that ends a sentence.
_BYLINE = re.compile(
    r"^(?i:(?:written|words|reporting|story)\s+)?(?i:by)\s+"
    r"(?:[A-Z][\w'’-]*\.?\s*){1,5}(?:(?:and|&)\s+(?:[A-Z][\w'’-]*\.?\s*){1,4})?"
    r"(?:[,|–—-]\s*[\w'’ ,&-]{0,60})?$"
)
# A credit or caption label opening the line: "Photo: Reuters", "Image credit: ESA", "© NATO".
_CREDIT = re.compile(
    r"^(?:\(?\s*(?:photo(?:graph)?|image|picture|illustration|credit|caption|video|graphic|"
    r"source\s+image)s?(?:\s+(?:credit|courtesy|by))?\s*[:|/]|fig(?:ure)?\.?\s*\d+\s*[:.–—-]\s|"
    r"©|\(c\)\s|copyright\s)",
    re.IGNORECASE,
)
# A file name of an image or a page asset, anywhere in a line.
_FILE_NAME = re.compile(
    r"(?<![\w/])[\w.-]+\.(?:jpe?g|png|gif|svg|webp|tiff?|bmp|ico)\b", re.IGNORECASE
)
# A breadcrumb or menu row: three or more short items joined by " | ", " > ", " / ", or by
# ›, » or • ("GA/DIS/3238" and "22/10/2002" are symbols and dates, not menus).
_NAVIGATION = re.compile(
    r"^[^|›»>/•.!?]{1,30}(?:(?:\s+[|>/]\s+|\s*[›»•]\s*)[^|›»>/•.!?]{1,30}){2,}$"
)
# Interface controls that stand alone on a line.
_CONTROL = re.compile(
    r"^(?:skip to (?:main )?content|share(?: this)?(?: article| page| story)?|read more|"
    r"print(?: this page)?|subscribe|sign (?:in|up)|log ?in|menu|search|back to top|"
    r"advertisement|cookie settings|accept(?: all)? cookies|"
    r"(?:open|close|toggle|show|hide)(?: the)?(?: main)? (?:menu|navigation|sidebar))$",
    re.IGNORECASE,
)
# An infobox or table row: "key | value" or "key<TAB>value", the key a few words.
_KEY_WORDS = 4
_ROW = re.compile(r"^\|?\s*[^|\t.!?]{1,40}?\s*(?:\||\t)\s*[^|\t]{0,80}\|?$")
# A short lower-case fragment standing alone (a paragraph of its own) that no sentence or
# heading is: "start date", "1 label". A wrapped line inside a paragraph is never one.
_FRAGMENT = re.compile(r"^[a-z0-9][a-z0-9 ]{0,30}$")
_FRAGMENT_WORDS = 3


@dataclass(frozen=True)
class Cleaned:
    """The text without page furniture, and how many of each kind were dropped."""

    text: str
    dropped: dict[str, int]

    def note(self) -> str | None:
        """A line for the ingest report, or None when nothing was dropped."""
        if not self.dropped:
            return None
        parts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.dropped.items()))
        return f"page furniture dropped before reading: {parts}"


def _kind(line: str, markdown: bool, alone: bool) -> str | None:
    """What kind of furniture the stripped line is, or None for text; `alone`: a blank line
    (or the text's edge) on both sides."""
    if markdown and line.startswith("#"):
        return None  # a heading: the title and the document's structure
    if _BYLINE.match(line) and len(line.split()) <= 14:
        return "bylines"
    if _CREDIT.match(line) and len(line.split()) <= 20:
        return "credits and captions"
    if _CONTROL.match(line):
        return "navigation"
    if _NAVIGATION.match(line) and not markdown_table(line):
        return "navigation"
    if _ROW.match(line) and len(line.split()) <= 14:
        key = next(part for part in re.split(r"[|\t]", line) if part.strip())
        if len(key.split()) <= _KEY_WORDS:
            return "table and infobox rows"
    if alone and _FRAGMENT.match(line) and len(line.split()) <= _FRAGMENT_WORDS:
        return "fragments"
    return None


def is_control(line: str) -> bool:
    """The stripped line is an interface control standing alone ("Skip to content", "Open
    main menu")."""
    return _CONTROL.match(line) is not None


def markdown_table(line: str) -> bool:
    return line.startswith("|") and line.endswith("|")


def clean(text: str, *, markdown: bool = False) -> Cleaned:
    """`text` line by line without page furniture; blank lines are kept (paragraphs)."""
    dropped: Counter[str] = Counter()
    kept: list[str] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append(line)
            continue
        if _FILE_NAME.search(stripped):
            without = _FILE_NAME.sub("", line)
            dropped["image file names"] += len(_FILE_NAME.findall(stripped))
            if not without.strip(" \t()[]|,;:-"):
                continue
            line, stripped = without, without.strip()
        alone = (number == 0 or not lines[number - 1].strip()) and (
            number == len(lines) - 1 or not lines[number + 1].strip()
        )
        kind = _kind(stripped, markdown, alone)
        if kind is None:
            kept.append(line)
        else:
            dropped[kind] += 1
    return Cleaned("\n".join(kept), dict(dropped))
