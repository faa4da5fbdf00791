"""Markdown, HTML (main text by trafilatura) and PDF (text layer only) to body text and metadata."""

from __future__ import annotations

import io
from typing import Any

from ingest.dates import parse_iso
from ingest.errors import InputError

from .assemble import _build
from .metadata import _check_metadata, _front_matter
from .reading import _decode, normalise
from .source import (
    _LINE,
    _PARAGRAPH,
    BLOCK_HTML_TAGS,
    CELL_HTML_TAGS,
    DROPPED_HTML_TAGS,
    HTML_DATE_META,
    MEDIA_TYPES,
    SourceText,
)

# --------------------------------------------------------------------------- formats


def _from_markdown(
    text: str, where: str, path: str, media_type: str, given: dict[str, str], *, clean: bool = True
) -> SourceText:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw, body = _front_matter(text, where)
    found = _check_metadata(raw, where, "front-matter key")
    remark = found.pop("note", None)
    if raw and not normalise(body).strip():
        raise InputError(
            "the document has no text after its front matter",
            where=where,
            todo="add the document's text below the closing '---'",
        )
    notes = [f"front-matter note: {remark}"] if remark else []
    return _build(
        body,
        where,
        path,
        media_type,
        found,
        given,
        notes=notes,
        markdown=media_type == "text/markdown",
        clean=clean,
    )


def _main_text(root: Any) -> str | None:
    """The main text of `root` (a page's <main>, <article> or <body>) by trafilatura, which
    leaves out what is not the text (bylines, captions, related links, sharing, tables),
    paragraphs separated by blank lines; None when it finds none (a page too short or too
    unusual for it: the caller then reads every visible block).

    What the page hides (scripts, forms, `hidden`, templates) is removed first, and a `<br>`
    becomes a space: trafilatura would make it a paragraph break inside a sentence.
    """
    import trafilatura
    from bs4 import Tag

    for node in list(root.descendants):
        if isinstance(node, Tag) and node.parent is not None:
            if node.name in DROPPED_HTML_TAGS or node.has_attr("hidden"):
                node.decompose()
            elif node.name == "br":
                node.replace_with(" ")
    try:
        extracted = trafilatura.extract(
            f"<html><body>{root}</body></html>",
            output_format="txt",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, RecursionError):
        return None
    if not extracted or not extracted.strip():
        return None
    return "\n\n".join(line.strip() for line in extracted.split("\n") if line.strip())


def _headline(html: str) -> str:
    """The page's headline (og:title, or <title> without the site's name, or <h1>)."""
    import trafilatura

    try:
        metadata = trafilatura.extract_metadata(html)
    except (ValueError, TypeError, RecursionError):
        return ""
    return metadata.title if metadata is not None and metadata.title else ""


def _from_html(
    text: str, where: str, path: str, given: dict[str, str], *, clean: bool = True
) -> SourceText:
    from bs4 import BeautifulSoup, Tag

    main: str | None = None
    try:
        soup = BeautifulSoup(text, "html.parser")
        # One pass over the tree: every find() would be another full scan.
        first: dict[str, Any] = {}
        metas: list[Any] = []
        for node in soup.descendants:
            if not isinstance(node, Tag):
                continue
            if node.name == "meta":
                metas.append(node)
            elif node.name in ("title", "h1", "main", "article", "body"):
                first.setdefault(node.name, node)
        root = first.get("main") or first.get("article") or first.get("body") or soup
        main = _main_text(root) if clean else None
        body = main if main is not None else _html_text(root)
    except RecursionError as exc:
        raise InputError(
            "the HTML is nested too deeply to read",
            where=where,
            todo="save the page's main text as Markdown or plain text and give that",
        ) from exc
    if not body.strip():
        raise InputError(
            "the HTML page has no readable text (after removing scripts, navigation and forms)",
            where=where,
            todo="check the page has its text in the HTML, or paste the text instead",
        )
    found: dict[str, str] = {}
    notes: list[str] = []
    headline = _headline(text) if main is not None else ""
    if main is not None:
        notes.append("main text by trafilatura")
    if headline:
        found["title"] = headline
        notes.append("title taken from the page's headline")
    for name in ("title", "h1") if "title" not in found else ():
        title = first[name].get_text(" ", strip=True) if name in first else ""
        if title:
            found["title"] = title
            notes.append(f"title taken from the HTML <{name}>")
            break
    for attr, name in HTML_DATE_META:
        content = next(
            (
                m.get("content")
                for m in metas
                if str(m.get(attr, "")).lower() == name and m.get("content")
            ),
            None,
        )
        value = parse_iso(content) if isinstance(content, str) else None
        if value is not None:
            found["date"] = value.iso
            notes.append(f'date taken from <meta {attr}="{name}">')
            break
    checked = _check_metadata(found, where, "HTML")
    return _build(body, where, path, "text/html", checked, given, notes=notes, clean=clean)


def _html_text(root: Any) -> str:
    """The visible text of `root`, blocks separated by blank lines, `<br>` by line breaks.

    An explicit stack (no recursion, no tree edits: bs4's insert is linear in the siblings)
    keeps this linear in the size of the page, however deep or wide it is.
    """
    from bs4 import CData, NavigableString, Tag

    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            parts.append(_PARAGRAPH if node.name in BLOCK_HTML_TAGS else " ")
        elif isinstance(node, Tag):
            if node.name in DROPPED_HTML_TAGS or node.has_attr("hidden"):
                continue
            if node.name == "br":
                parts.append(_LINE)
                continue
            if node.name in BLOCK_HTML_TAGS:
                parts.append(_PARAGRAPH)
            if node.name in BLOCK_HTML_TAGS or node.name in CELL_HTML_TAGS:
                stack.append((node, True))
            if node.name == "pre":
                # Preformatted text keeps its line breaks.
                parts.append(node.get_text().replace("\n", _LINE))
                continue
            stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) in (NavigableString, CData):  # not comments, doctypes, scripts
            parts.append(str(node))
    flat = " ".join("".join(parts).split())
    paragraphs = []
    for block in flat.split(_PARAGRAPH):
        lines = [line.strip() for line in block.split(_LINE)]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _from_pdf(data: bytes, where: str, path: str, given: dict[str, str]) -> SourceText:
    if b"%PDF-" not in data[:1024]:
        raise InputError(
            "not a PDF file (no '%PDF-' header)",
            where=where,
            todo="give a real PDF, or rename the file with the suffix of its actual format",
        )
    from pypdf import PdfReader

    todo_damaged = "re-download or re-export the PDF, or paste its text instead"
    todo_encrypted = "save an unencrypted copy of the PDF, or paste its text instead"
    encrypted = False
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        # Many PDFs are encrypted with an empty user password (owner restrictions only).
        if encrypted and not reader.decrypt(""):
            raise InputError("the PDF is encrypted with a password", where, todo_encrypted)
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata_title = reader.metadata.title if reader.metadata is not None else None
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError...)
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if len(reason) > 120:
            reason = reason[:117] + "..."
        if encrypted:
            raise InputError(
                f"the PDF is encrypted and cannot be decrypted: {reason}", where, todo_encrypted
            ) from exc
        raise InputError(f"the PDF is damaged or truncated: {reason}", where, todo_damaged) from exc
    if not pages:
        raise InputError("the PDF has no pages", where=where, todo=todo_damaged)
    body = "\n\n".join(page.strip() for page in pages)
    if not normalise(body).strip():
        raise InputError(
            f"the PDF has no text layer ({len(pages)} page(s) without text; scanned images?)",
            where=where,
            todo="run OCR on it first (for example with ocrmypdf), or paste its text instead",
        )
    found: dict[str, str] = {}
    notes: list[str] = []
    if isinstance(metadata_title, str) and metadata_title.strip():
        found["title"] = metadata_title
        notes.append("title taken from the PDF's metadata")
    checked = _check_metadata(found, where, "PDF metadata")
    return _build(body, where, path, "application/pdf", checked, given, notes=notes)


def _load_bytes(
    data: bytes, suffix: str, where: str, path: str, given: dict[str, str], limit: int
) -> SourceText:
    if not data:
        raise InputError(
            "the file is empty (0 bytes)", where=where, todo="give a document with text"
        )
    if not data.strip():
        raise InputError(
            "the file holds only whitespace", where=where, todo="give a document with text"
        )
    if suffix == ".pdf":
        return _from_pdf(data, where, path, given)
    text = _decode(data, where)
    if MEDIA_TYPES[suffix] == "text/html":
        return _from_html(text, where, path, given)
    return _from_markdown(text, where, path, MEDIA_TYPES[suffix], given)
