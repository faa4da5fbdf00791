"""Fix the train / dev / test split of the training corpus by document, stratified by kind
and publisher, from the documents' metadata only (never from their annotations).

    python training/scripts/make_splits.py > training/splits.json

Documents are ordered by kind, then publisher, then id, and dealt along one fixed, seeded
cycle of 20 places (12 train, 3 dev, 5 test) that runs on across kinds: every kind and every
publisher with several documents is spread over the splits, and about a quarter of the
documents are test. Rerunning gives the same file; a new document changes only the places
after it in its kind, so the split is regenerated only when documents are added, and the
test documents it names are then for reporting only (docs/annotation.md).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "sources"
SEED = 20261201
CYCLE = ["train"] * 12 + ["dev"] * 3 + ["test"] * 5


def documents() -> list[dict[str, str]]:
    found = []
    for path in sorted(SOURCES.glob("collected_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line))
    return found


def main() -> int:
    cycle = CYCLE[:]
    random.Random(SEED).shuffle(cycle)
    ordered = sorted(documents(), key=lambda d: (d["kind"], d["publisher"], d["id"]))
    splits: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    for place, doc in enumerate(ordered):
        splits[cycle[place % len(cycle)]].append(doc["id"])
    payload = {
        "about": "Split by document, stratified by kind and publisher "
        "(training/scripts/make_splits.py). The test split is for reporting only.",
        "seed": SEED,
        **{name: sorted(ids) for name, ids in splits.items()},
    }
    json.dump(payload, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
