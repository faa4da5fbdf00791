"""Source files -> SourceText: front matter, HTML main text, PDF text layer, bad-input checks.

Everything here reads untrusted input: files are size-checked before they are read, text must
be UTF-8 (never guessed), YAML front matter is parsed safely with aliases, anchors and tags
refused, HTML is parsed without executing anything, and PDFs are read only for their text
layer. Every refusal is an InputError saying what is wrong, where, and what to do.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import yaml

from . import boilerplate
from .config import Settings
from .dates import is_valid_iso, locate_dateline, parse_iso
from .errors import InputError

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


# --------------------------------------------------------------------------- public entry points


def load_file(path: Path, *, max_bytes: int | None = None) -> SourceText:
    """Read one file by its suffix; `max_bytes` defaults to Settings' SPACEKG_MAX_FILE_BYTES."""
    path = Path(path)
    where = str(path)
    limit = _limit(max_bytes)
    data = _read_file(path, where, limit)
    return _load_bytes(data, path.suffix.lower(), where, str(_resolved(path)), {}, limit)


def load_bytes(
    data: bytes,
    *,
    filename: str,
    max_bytes: int | None = None,
    title: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
    url: str | None = None,
    kind: str | None = None,
) -> SourceText:
    """An uploaded file's bytes, read by `filename`'s suffix; given metadata overrides the file's."""
    where = filename or "uploaded file"
    suffix = Path(filename).suffix.lower()
    _check_suffix(suffix, where)
    limit = _limit(max_bytes)
    _check_size(len(data), limit, where)
    given = _given(title=title, publisher=publisher, date=date, url=url, kind=kind)
    return _load_bytes(bytes(data), suffix, where, "", given, limit)


def load_text(
    text: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
    url: str | None = None,
    kind: str = "",
    media_type: str = "text/markdown",
    path: str = "",
    max_bytes: int | None = None,
    clean: bool = True,
) -> SourceText:
    """Pasted text with its metadata, under the same checks as a file; given metadata wins.

    `clean=False` keeps page furniture (`boilerplate`): for texts whose annotations point
    into them as they are (the training corpus).
    """
    where = path or "pasted text"
    if media_type not in TEXT_MEDIA_TYPES:
        raise InputError(
            f"cannot read pasted text as {media_type!r}",
            where=where,
            todo=f"use one of {', '.join(TEXT_MEDIA_TYPES)}; upload PDFs as files",
        )
    if not isinstance(text, str):
        raise InputError("the text is not a string", where=where, todo="pass the document text")
    limit = _limit(max_bytes)
    # len(text) <= bytes <= 4 * len(text): skip encoding huge text only to learn it is too big.
    if len(text) > limit:
        _check_size(len(text), limit, where)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InputError(
            f"the text holds an invalid character (a lone surrogate) at position {exc.start}",
            where=where,
            todo="copy the text again from its source, or save it as a UTF-8 file and upload that",
        ) from exc
    _check_size(size, limit, where)
    given = _given(title=title, publisher=publisher, date=date, url=url, kind=kind)
    text = text.removeprefix("\ufeff")
    _check_not_binary(text, where)
    if media_type == "text/html":
        return _from_html(text, where, path, given, clean=clean)
    return _from_markdown(text, where, path, media_type, given, clean=clean)


def iter_source_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Files as given, and folders' supported files recursively in sorted order; hidden ones skipped.

    A path given explicitly is yielded even when missing or unsupported, so `load_file` reports
    it; inside folders only SUPPORTED_SUFFIXES are taken and symlinked folders are not followed.
    Broken links, link loops and FIFOs are yielded like files (`load_file` says what they are),
    and so is a sub-folder that cannot be listed, so no file is skipped without a word.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            if _first_visit(path, seen):
                yield path
            continue
        found: list[Path] = []

        def unreadable(exc: OSError, found: list[Path] = found) -> None:
            if exc.filename:
                found.append(Path(exc.filename))

        for folder, dirnames, filenames in os.walk(path, onerror=unreadable):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append(Path(folder) / name)
        for file in sorted(found, key=lambda p: p.relative_to(path).parts):
            if _first_visit(file, seen):
                yield file


# --------------------------------------------------------------------------- reading bytes


def _limit(max_bytes: int | None) -> int:
    return Settings.from_env().max_file_bytes if max_bytes is None else max_bytes


def _resolved(path: Path) -> Path:
    """`path.resolve()`, or the absolute path when it cannot be resolved (a symlink loop).

    Python 3.11-3.12 raise RuntimeError on a loop even without strict=True; later versions
    raise OSError (ELOOP) with strict=True only.
    """
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _first_visit(path: Path, seen: set[Path]) -> bool:
    key = _resolved(path)
    if key in seen:
        return False
    seen.add(key)
    return True


def _check_suffix(suffix: str, where: str) -> None:
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "(no suffix)"
        raise InputError(
            f"unsupported file type {shown}",
            where=where,
            todo=f"give a file ending in one of {', '.join(SUPPORTED_SUFFIXES)}",
        )


def _check_size(size: int, limit: int, where: str) -> None:
    if size > limit:
        raise InputError(
            f"the document is too large: {size:,} bytes, the limit is {limit:,} bytes",
            where=where,
            todo="split it into smaller documents, or raise SPACEKG_MAX_FILE_BYTES",
        )


def _read_file(path: Path, where: str, limit: int) -> bytes:
    """The file's bytes, after checking what it is and how big it is, before reading it."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _os_error(exc, path, where) from exc
    if path.is_dir():
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise InputError(
                f"cannot read the folder: {exc.strerror or exc}; its files were not ingested",
                where=where,
                todo="check the folder's permissions (it must be readable and searchable)",
            ) from exc
        raise InputError(
            "this is a folder, not a file",
            where=where,
            todo="give a file, or ingest the folder as a whole (its supported files are read)",
        )
    if not path.is_file():
        raise InputError(
            "not a regular file (a device, pipe or socket)",
            where=where,
            todo="copy the content into a regular file and give that",
        )
    _check_suffix(path.suffix.lower(), where)
    _check_size(info.st_size, limit, where)
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _os_error(exc, path, where) from exc
    _check_size(len(data), limit, where)
    return data


def _os_error(exc: OSError, path: Path, where: str) -> InputError:
    """What an OSError from stat() or open() means for the user, as an InputError."""
    if exc.errno == errno.ELOOP:
        return InputError(
            f"symbolic link loop ({_link_chain(path)})",
            where=where,
            todo="point the link at a real file, or remove it",
        )
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return InputError(
                f"broken symbolic link: it points to {_show(os.readlink(path))}, "
                "which does not exist",
                where=where,
                todo="point the link at a real file, or remove it",
            )
        return InputError("file not found", where=where, todo="check the path")
    if isinstance(exc, PermissionError):
        return InputError(
            f"cannot read the file: {exc.strerror or 'Permission denied'}",
            where=where,
            todo="check the file's permissions and those of its folders",
        )
    return InputError(
        f"cannot read the file: {exc.strerror or exc}",
        where=where,
        todo="check the path and the file's permissions",
    )


def _link_chain(path: Path, hops: int = 8) -> str:
    """'a.md -> b.md -> a.md': the links followed from `path` until one repeats."""
    names = [path.name]
    seen = {os.path.abspath(path)}
    current = path
    for _ in range(hops):
        try:
            target = os.readlink(current)
        except OSError:
            break
        current = Path(os.path.join(os.path.dirname(os.path.abspath(current)), target))
        names.append(target)
        key = os.path.normpath(current)
        if key in seen:
            break
        seen.add(key)
    else:
        names.append("...")
    return " -> ".join(names)


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


def _decode(data: bytes, where: str) -> str:
    """UTF-8 text (a BOM is dropped); NUL bytes mean binary data, other encodings are refused."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"the file looks binary: it contains a NUL byte at offset {nul}",
            where=where,
            todo="give a text, Markdown, HTML or PDF file (UTF-16 text must be saved as UTF-8)",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded",
            where=where,
            todo="save the file as UTF-8 (spacekg does not guess other encodings)",
        ) from exc
    _check_not_binary(text, where)
    return text


def _check_not_binary(text: str, where: str) -> None:
    if "\x00" in text:
        raise InputError(
            f"the text looks binary: it contains a NUL character at position {text.index(chr(0))}",
            where=where,
            todo="give a text, Markdown, HTML or PDF document",
        )
    controls = len(_CONTROL.findall(text))
    if controls and controls > MAX_CONTROL_RATIO * len(text):
        raise InputError(
            f"the text looks binary: {controls:,} of its {len(text):,} characters are control "
            "characters",
            where=where,
            todo="give a text, Markdown, HTML or PDF document",
        )


def normalise(text: str) -> str:
    """NFC, LF line ends, no trailing spaces, no stray control characters, at most one blank line.

    The docid is the hash of this form, so the same content always gets the same id.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PAGE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    return _MANY_BLANK_LINES.sub("\n\n", text).strip("\n")


# --------------------------------------------------------------------------- metadata


def _show(value: object) -> str:
    """A value quoted for an error message, shortened so a hostile value cannot flood it."""
    shown = repr(value) if not isinstance(value, str) else "'" + value + "'"
    shown = _CONTROL.sub("?", shown.replace("\n", " "))
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _given(**values: str | None) -> dict[str, str]:
    """Metadata passed by a caller (app form, upload), without the empty ones."""
    return {k: v for k, v in values.items() if v not in (None, "")}  # type: ignore[misc]


def _check_metadata(raw: dict[str, Any], where: str, origin: str) -> dict[str, str]:
    """Validated metadata: text values, a real ISO date, an http(s) url."""
    checked: dict[str, str] = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key == "date":
            checked[key] = _check_date(value, where, origin)
            continue
        if not isinstance(value, str):
            raise InputError(
                f"{origin} '{key}' must be text, not {_type_name(value)} ({_show(value)})",
                where=where,
                todo=f"write {key} as text (quote it)",
            )
        text = " ".join(unicodedata.normalize("NFC", value).split())
        if len(text) > MAX_METADATA_CHARS:
            raise InputError(
                f"{origin} '{key}' is longer than {MAX_METADATA_CHARS} characters",
                where=where,
                todo=f"shorten the {key}",
            )
        if key == "url":
            text = _check_url(text, where, origin)
        if text:
            checked[key] = text
    return checked


def _check_date(value: object, where: str, origin: str) -> str:
    todo = "write the date as YYYY, YYYY-MM or YYYY-MM-DD (a real date between 1900 and 2100)"
    iso: str | None = None
    if isinstance(value, Date):
        # YAML reads an unquoted 2021-11-19 as a date (and a timestamp as a datetime).
        iso = value.isoformat()[:10]
    elif isinstance(value, int) and not isinstance(value, bool):
        iso = f"{value:04d}" if 0 <= value <= 9999 else None
    elif isinstance(value, str):
        iso = value.strip()
    else:
        raise InputError(
            f"{origin} 'date' must be a date, not {_type_name(value)} ({_show(value)})",
            where=where,
            todo=todo,
        )
    if iso is None or not is_valid_iso(iso):
        raise InputError(f"{origin} date {_show(value)} is not a valid date", where, todo)
    return iso


def _check_url(url: str, where: str, origin: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise InputError(
            f"{origin} url {_show(url)} is not an http(s) address",
            where=where,
            todo="give an address starting with http:// or https://, or leave the url out",
        )
    return url


# --------------------------------------------------------------------------- front matter


def _front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter as a dict and the text after it; ({}, text) when there is none."""
    opening = _FRONT_MATTER_OPEN.match(text)
    if opening is None:
        return {}, text
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end())
    if closing is None:
        raise InputError(
            "front matter is not closed: no line '---' after line 1",
            where=where,
            todo="add a closing '---' line or remove the front matter",
        )
    if closing.start() - opening.end() > MAX_FRONT_MATTER_CHARS:
        raise InputError(
            f"front matter is longer than {MAX_FRONT_MATTER_CHARS // 1024} KiB",
            where=where,
            todo=f"keep only the keys {', '.join(FRONT_MATTER_KEYS)} in the front matter",
        )
    source = text[opening.end() : closing.start()]
    _check_yaml_events(source, where)
    loader = _FrontMatterLoader(source)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:  # the event check parsed it already; kept as a safety net
        raise _yaml_error(exc, where) from exc
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            f"front matter is not a mapping of keys to values (found {_type_name(data)})",
            where=where,
            todo="write one 'key: value' line per key",
        )
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            raise InputError(
                f"unknown front-matter key {_show(key)}",
                where=where,
                todo=f"use only the keys {', '.join(FRONT_MATTER_KEYS)}",
            )
    return data, text[closing.end() :]


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader without timestamp resolution.

    SafeLoader turns `2021-02-30` into a ValueError deep inside the constructor; read as text,
    the date gets the same validation (and message) as every other date.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _yaml_error(exc: yaml.YAMLError, where: str) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    at = f" at line {mark.line + 2}" if mark is not None else ""  # +2: line 1 is '---'
    return InputError(
        f"front matter is not valid YAML{at}: {problem}",
        where=where,
        todo="fix the YAML (quote values that contain ': ' or start with a special character)",
    )


def _check_yaml_events(source: str, where: str) -> None:
    """Refuse aliases, anchors, tags, directives, nesting and repeated keys before building data.

    Walking the event stream never constructs objects, so an alias bomb or a
    `!!python/object` tag is refused before anything is expanded or called.
    """
    depth = 0
    keys: set[str] = set()
    expect_key = False
    try:
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise InputError(
                    f"front matter uses a YAML alias ('*{event.anchor}')",
                    where=where,
                    todo="write each value out in full: aliases and anchors are not allowed",
                )
            if getattr(event, "anchor", None):
                raise InputError(
                    f"front matter uses a YAML anchor ('&{event.anchor}')",
                    where=where,
                    todo="write each value out in full: aliases and anchors are not allowed",
                )
            if getattr(event, "tag", None):
                raise InputError(
                    f"front matter uses the YAML tag {_show(event.tag)}",
                    where=where,
                    todo="remove the tag: front matter holds plain values only",
                )
            if isinstance(event, yaml.DocumentStartEvent) and (event.tags or event.version):
                raise InputError(
                    "front matter uses a YAML directive (%YAML or %TAG)",
                    where=where,
                    todo="remove the directive: front matter holds plain values only",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                if depth >= MAX_FRONT_MATTER_DEPTH:
                    raise InputError(
                        "front matter holds a list or mapping as a value",
                        where=where,
                        todo="give each key a single text value",
                    )
                if isinstance(event, yaml.SequenceStartEvent):
                    raise InputError(
                        "front matter is not a mapping of keys to values (found a list)",
                        where=where,
                        todo="write one 'key: value' line per key",
                    )
                depth += 1
                expect_key = True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and depth == 1:
                if expect_key:
                    if event.value in keys:
                        raise InputError(
                            f"front-matter key {_show(event.value)} appears twice",
                            where=where,
                            todo="keep one line per key",
                        )
                    keys.add(event.value)
                expect_key = not expect_key
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, where) from exc


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
