"""Copy the rule components' pattern files from ingest/nlp/patterns/ into the shipped pipeline.

    python training/scripts/refresh_patterns.py [--pipeline ingest/nlp/pipeline]

The pipeline runs on the copies `nlp.to_disk` saved with it (`make train` writes them); after
editing a pattern file, this (`make patterns`) brings the copies up to date without
retraining, since no trained weight reads them, and re-records the file digests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ingest.nlp.assemble import PIPELINE_DIR, refresh_pattern_files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", type=Path, default=PIPELINE_DIR)
    args = parser.parse_args()
    changed = refresh_pattern_files(args.pipeline)
    print(
        f"{args.pipeline}: {len(changed)} pattern files updated"
        + "".join(f"\n  {c}" for c in changed)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
