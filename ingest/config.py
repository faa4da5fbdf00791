"""Paths and settings, read once from the environment so the CLI and the app agree."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "spacekg.ttl"
REFERENCE_FILE = ONTOLOGY_DIR / "reference.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
EXAMPLES_DIR = ONTOLOGY_DIR / "examples"
QUERIES_DIR = ROOT / "queries"
CORPUS_DIR = ROOT / "corpus"
DEFAULT_STORE_DIR = ROOT / "data" / "store"
PIPELINE_META = ROOT / "ingest" / "nlp" / "pipeline" / "meta.json"
# Below this a fact is kept for review, not asserted, unless the shipped pipeline records the
# threshold chosen on dev (`training/scripts/calibrate.py`).
FALLBACK_MIN_CONFIDENCE = 0.5

BASE = "https://w3id.org/spacekg/"
ONTOLOGY_NS = BASE + "ontology#"
ID_NS = BASE + "id/"
SHAPES_NS = BASE + "shapes#"
GRAPH_NS = BASE + "graph/"


@lru_cache(maxsize=1)
def review_threshold() -> float:
    """The review threshold recorded with the shipped pipeline (chosen on dev)."""
    try:
        meta = json.loads(PIPELINE_META.read_text(encoding="utf-8"))
        return float(meta["spacekg"]["review_threshold"]["value"])
    except (OSError, ValueError, KeyError, TypeError):
        return FALLBACK_MIN_CONFIDENCE


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    """Tunable limits; each has an environment variable so the app and CLI share them."""

    store_dir: Path
    endpoint: str | None
    update_endpoint: str | None
    endpoint_user: str | None
    endpoint_password: str | None
    min_confidence: float
    max_file_bytes: int
    query_timeout_s: float
    query_row_limit: int
    query_memory_mb: int
    # spaCy worker processes for the English model and the trained NER on long batches (the
    # CLI); the app runs in one process (forking a threaded server is not safe).
    processes: int = 1

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            store_dir=Path(os.environ.get("SPACEKG_STORE") or DEFAULT_STORE_DIR),
            endpoint=os.environ.get("SPACEKG_ENDPOINT") or None,
            update_endpoint=os.environ.get("SPACEKG_UPDATE_ENDPOINT") or None,
            endpoint_user=os.environ.get("SPACEKG_ENDPOINT_USER") or None,
            endpoint_password=os.environ.get("SPACEKG_ENDPOINT_PASSWORD") or None,
            min_confidence=_env_float("SPACEKG_MIN_CONFIDENCE", review_threshold()),
            max_file_bytes=_env_int("SPACEKG_MAX_FILE_BYTES", 10 * 1024 * 1024),
            query_timeout_s=_env_float("SPACEKG_QUERY_TIMEOUT", 10.0),
            query_row_limit=_env_int("SPACEKG_QUERY_ROW_LIMIT", 10_000),
            query_memory_mb=_env_int("SPACEKG_QUERY_MEMORY_MB", 1024),
            processes=max(1, _env_int("SPACEKG_PROCESSES", min(os.cpu_count() or 1, 4))),
        )
