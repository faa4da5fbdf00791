"""Metadata given or found (front matter, HTML and PDF fields), checked; YAML read safely."""

from __future__ import annotations

import unicodedata
from datetime import date as Date
from typing import Any, ClassVar
from urllib.parse import urlsplit

import yaml

from ingest.dates import is_valid_iso
from ingest.errors import InputError

from .source import (
    _CONTROL,
    _FRONT_MATTER_CLOSE,
    _FRONT_MATTER_OPEN,
    FRONT_MATTER_KEYS,
    MAX_FRONT_MATTER_CHARS,
    MAX_FRONT_MATTER_DEPTH,
    MAX_METADATA_CHARS,
)

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
