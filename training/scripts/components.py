"""`spacy train --code` file: registers spacekg's factories and architectures for training."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import ingest.nlp.relations  # noqa: F401
