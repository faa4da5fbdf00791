"""Bytes from a file, checked before and while they are read; decoded as UTF-8, never guessed."""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path

from ingest.config import Settings
from ingest.errors import InputError

from .metadata import _show
from .source import (
    _CONTROL,
    _MANY_BLANK_LINES,
    _PAGE_BREAKS,
    _TRAILING_SPACE,
    MAX_CONTROL_RATIO,
    SUPPORTED_SUFFIXES,
)

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
