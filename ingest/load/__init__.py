"""Source files -> SourceText: front matter, HTML main text, PDF text layer, bad-input checks.

Everything here reads untrusted input: files are size-checked before they are read, text must
be UTF-8 (never guessed), YAML front matter is parsed safely with aliases, anchors and tags
refused, HTML is parsed without executing anything, and PDFs are read only for their text
layer. Every refusal is an InputError saying what is wrong, where, and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.errors import InputError

from .formats import _from_html, _from_markdown, _load_bytes
from .metadata import _given
from .reading import (
    _check_not_binary,
    _check_size,
    _check_suffix,
    _first_visit,
    _limit,
    _read_file,
    _resolved,
    normalise,
)
from .source import MEDIA_TYPES, SUPPORTED_SUFFIXES, TEXT_MEDIA_TYPES, SourceText, word_count

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


__all__ = [
    "MEDIA_TYPES",
    "SUPPORTED_SUFFIXES",
    "TEXT_MEDIA_TYPES",
    "SourceText",
    "iter_source_files",
    "load_bytes",
    "load_file",
    "load_text",
    "normalise",
    "word_count",
]
