"""The SourceText from a body: page furniture out, normalised, hashed, metadata merged, titled."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ingest import boilerplate
from ingest.dates import locate_dateline
from ingest.errors import InputError

from .metadata import _check_metadata, _show
from .reading import normalise
from .source import _HEADING, MAX_TITLE_CHARS, TITLE_SEARCH_LINES, SourceText

# --------------------------------------------------------------------------- assembling


def _guess_title(text: str, markdown: bool) -> tuple[str, str]:
    """The first Markdown heading near the top, else the first non-empty line; with a note."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if markdown:
        for line in lines[:TITLE_SEARCH_LINES]:
            heading = _HEADING.match(line)
            if heading:
                return _shorten(heading["title"]), "title taken from the first heading"
    return _shorten(lines[0].lstrip("#").strip() or lines[0]), "title taken from the first line"


def _shorten(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _build(
    body: str,
    where: str,
    path: str,
    media_type: str,
    found: dict[str, str],
    given: dict[str, str],
    *,
    notes: Sequence[str] = (),
    markdown: bool = False,
    clean: bool = True,
) -> SourceText:
    """The SourceText: normalised text without page furniture, its hash, metadata (given >
    found > guessed), notes."""
    dropped_note = None
    if clean:
        cleaned = boilerplate.clean(body, markdown=markdown)
        if cleaned.dropped and normalise(cleaned.text).strip():
            body, dropped_note = cleaned.text, cleaned.note()
    text = normalise(body)
    if not text.strip():
        raise InputError("the document is empty", where=where, todo="give a document with text")
    metadata = {**found, **_check_metadata(given, where, "metadata")}
    kept_notes = [n for n in notes if not _overridden(n, given)]
    if dropped_note is not None:
        kept_notes.append(dropped_note)
    if "title" not in metadata:
        metadata["title"], note = _guess_title(text, markdown)
        kept_notes.append(note)
    if "date" not in metadata:
        dateline = locate_dateline(text)
        if dateline is not None:
            metadata["date"] = dateline[0].iso
            kept_notes.append(f"date taken from the dateline {_show(dateline[1])}")
        else:
            kept_notes.append("no date found")
    return SourceText(
        path=path,
        text=text,
        title=metadata["title"],
        publisher=metadata.get("publisher"),
        date=metadata.get("date"),
        url=metadata.get("url"),
        kind=metadata.get("kind", ""),
        media_type=media_type,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        notes=tuple(kept_notes),
    )


def _overridden(note: str, given: dict[str, str]) -> bool:
    return any(note.startswith(f"{key} taken") for key in given)
