"""Fix the train / dev / test split of the training corpus by document, stratified by kind
and publisher, from the documents' metadata only (never from their annotations).

    python training/scripts/make_splits.py > training/splits.json

Each collection file (`training/sources/collected_*.jsonl`, in name order) is ordered by kind,
then publisher, then id, and dealt along one fixed, seeded cycle of 20 places (12 train,
3 dev, 5 test) that runs on across kinds and files: every kind and every publisher with several
documents is spread over the splits, and about a quarter of the documents are test. Rerunning
gives the same file, and a new collection file never moves a document of an earlier one. The
test documents are for reporting only (docs/annotation.md).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "sources"
SEED = 20261201
CYCLE = ["train"] * 12 + ["dev"] * 3 + ["test"] * 5


def batches() -> list[list[dict[str, str]]]:
    """The documents of each collection file, in file-name order."""
    found = []
    for path in sorted(SOURCES.glob("collected_*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found.append([json.loads(line) for line in lines if line.strip()])
    return found


def main() -> int:
    cycle = CYCLE[:]
    random.Random(SEED).shuffle(cycle)
    splits: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    place = 0
    # Batch by batch, so that a later collection file never moves an earlier document.
    for batch in batches():
        for doc in sorted(batch, key=lambda d: (d["kind"], d["publisher"], d["id"])):
            splits[cycle[place % len(cycle)]].append(doc["id"])
            place += 1
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
