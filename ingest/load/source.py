"""What loading produces (`SourceText`) and the limits and patterns every reader shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
MEDIA_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}
TEXT_MEDIA_TYPES = ("text/markdown", "text/plain", "text/html")
# `note` is a free remark about the source (the corpus uses it); it is passed on in `notes`.
FRONT_MATTER_KEYS = ("title", "publisher", "date", "url", "kind", "note")
MAX_FRONT_MATTER_CHARS = 16 * 1024
MAX_FRONT_MATTER_DEPTH = 1
MAX_TITLE_CHARS = 200
MAX_METADATA_CHARS = 500
# Share of control characters above which a "text" file is taken for binary data.
MAX_CONTROL_RATIO = 0.01
TITLE_SEARCH_LINES = 15

DROPPED_HTML_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "object",
    "embed",
    "canvas",
    "button",
    "select",
)
BLOCK_HTML_TAGS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
CELL_HTML_TAGS = frozenset({"td", "th"})
HTML_DATE_META = (
    ("name", "date"),
    ("name", "dcterms.date"),
    ("name", "dc.date"),
    ("property", "article:published_time"),
)
# NUL never survives the checks below (raw NUL bytes are refused, "&#0;" decodes to U+FFFD),
# so these markers cannot collide with document text.
_PARAGRAPH = "\x00p\x00"
_LINE = "\x00n\x00"

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PAGE_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$")


@dataclass(frozen=True)
class SourceText:
    """One document ready for the pipeline: its body text and what is known about it.

    `text` is the body the pipeline reads (front matter removed, HTML reduced to main text);
    `sha256` is the hex digest of the normalised `text`, so `docid` is a content id.
    `date` is ISO `YYYY[-MM[-DD]]` or None; `kind` is a document kind such as "official",
    "analysis", "news" (front matter) or "" when unknown; `notes` say what was guessed.
    """

    path: str
    text: str
    title: str
    publisher: str | None
    date: str | None
    url: str | None
    kind: str
    media_type: str
    sha256: str
    notes: tuple[str, ...] = field(default=())

    @property
    def docid(self) -> str:
        return self.sha256[:16]


# Characters per piece `word_count` splits at once.
WORD_COUNT_PIECE = 1 << 16


def word_count(text: str, piece: int = WORD_COUNT_PIECE) -> int:
    """`len(text.split())` without the list of every word, which on a 3 MB text is 450k
    strings (28 MB): the text is split a piece at a time, and a word cut by a piece's
    boundary is counted once."""
    count = 0
    for start in range(0, len(text), piece):
        count += len(text[start : start + piece].split())
        if start and not text[start - 1].isspace() and not text[start].isspace():
            count -= 1
    return count
