"""Assemble and version the shipped pipeline from a `spacy train` output (`make train`).

    python training/scripts/package.py TRAINED_DIR [--out ingest/nlp/pipeline]

Writes `nlp.to_disk(out)` of `ingest.nlp.assemble.assemble`, and records in its meta.json
(`spacekg` key) the sha256 of the training data, of the config, of the trained weights'
scores, and of every shipped file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import spacy

from ingest.nlp.assemble import (
    CONFIG_FILE,
    PIPELINE_DIR,
    assemble,
    file_digests,
    register_factories,
    sha256,
    training_data_sha256,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trained", type=Path)
    parser.add_argument("--out", type=Path, default=PIPELINE_DIR)
    args = parser.parse_args()
    register_factories()
    trained = spacy.load(args.trained)
    nlp = assemble(trained)
    nlp.meta["name"] = "spacekg"
    nlp.meta["description"] = "spacekg: en_core_web_sm + trained NER and relation classifier"
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    meta_path = args.out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["spacekg"] = {
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_sha256": sha256(CONFIG_FILE),
        "training_data_sha256": training_data_sha256(),
        "training_scores": trained.meta.get("performance", {}),
        "files": file_digests(args.out),
    }
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"{args.out}: {size / 1e6:.1f} MB, pipeline {nlp.pipe_names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
