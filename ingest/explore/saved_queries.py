"""Saved console queries as `.rq` files in a folder, so they outlive the session.

One file per query, with the same `#+ summary:` header as the query library, so a saved query
opens in any SPARQL tool and can be moved into `queries/` as it is. Writes are atomic (a temp
file renamed into place): a crash never leaves half a query.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.config import Settings
from ingest.errors import InputError
from ingest.iri import slugify

MAX_QUERY_CHARS = 100_000
MAX_NAME_CHARS = 120
MAX_SAVED = 500
_HEADER = "#+ summary: "


@dataclass(frozen=True)
class SavedQuery:
    name: str
    text: str
    path: Path


def saved_queries_dir(settings: Settings) -> Path:
    """`SPACEKG_SAVED_QUERIES`, else `saved-queries/` beside the embedded store's folder."""
    configured = os.environ.get("SPACEKG_SAVED_QUERIES")
    return Path(configured) if configured else settings.store_dir.parent / "saved-queries"


def list_saved(folder: Path) -> list[SavedQuery]:
    """The saved queries, by name; files that are not readable UTF-8 are skipped."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.rq")):
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found.append(_parse(path, raw))
    return sorted(found, key=lambda saved: saved.name.casefold())


def save_query(folder: Path, name: str, text: str) -> SavedQuery:
    """Write (or overwrite) the query saved under `name`."""
    name = " ".join(name.split())
    if not name:
        raise InputError("a saved query needs a name", "Save query", "type a name first")
    if len(name) > MAX_NAME_CHARS:
        raise InputError(
            f"the name is {len(name)} characters long; at most {MAX_NAME_CHARS} are allowed",
            "Save query",
            "choose a shorter name",
        )
    if not text.strip():
        raise InputError("the query is empty", "Save query", "write a query before saving it")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(
            f"the query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} can be saved",
            "Save query",
            "shorten it",
        )
    path = folder / f"{slugify(name)}.rq"
    if not path.exists() and len(list(folder.glob("*.rq"))) >= MAX_SAVED:
        raise InputError(
            f"{MAX_SAVED} queries are saved already", str(folder), "delete some before saving more"
        )
    folder.mkdir(parents=True, exist_ok=True)
    body = f"{_HEADER}{name}\n{_strip_header(text)}"
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".saving-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return SavedQuery(name, _strip_header(text), path)


def delete_saved(folder: Path, name: str) -> bool:
    """Remove the query saved under `name`; False when there is none."""
    for saved in list_saved(folder):
        if saved.name == name:
            saved.path.unlink(missing_ok=True)
            return True
    return False


def _parse(path: Path, raw: str) -> SavedQuery:
    first, _, rest = raw.partition("\n")
    if first.startswith(_HEADER):
        return SavedQuery(first.removeprefix(_HEADER).strip() or path.stem, rest, path)
    return SavedQuery(path.stem, raw, path)


def _strip_header(text: str) -> str:
    """A query loaded from a saved file and saved again keeps one header, not two."""
    first, _, rest = text.partition("\n")
    return rest if first.startswith(_HEADER) else text
