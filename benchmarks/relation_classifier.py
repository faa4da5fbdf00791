"""The relation classifier alone: given the annotated entity spans, how well does it score pairs?

    .venv/bin/python benchmarks/relation_classifier.py [--split dev] [--split test]

Each annotated document is parsed by the shipped pipeline's English model, its gold spans are
set as the entities (dates as DATE), and only the classifier runs: every candidate pair's raw
score (before calibration) is compared with the annotated relations, by character offsets, at
several thresholds. Against the end-to-end figures of `extraction.py` this separates what the
classifier misses from what the entities cost. Needs `make corpus` (the DocBin files).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spacy.tokens import DocBin
from spacy.util import filter_spans

from ingest.corpus import DATE_LABEL, TRAINING_DIR
from ingest.nlp import build_pipeline
from ingest.nlp.assemble import CLASSIFIER
from ingest.nlp.calibration import IDENTITY
from ingest.nlp.relations import gold_relations, gold_spans

PARSE = ["tok2vec", "tagger", "parser"]
THRESHOLDS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.9)


def scored(split: str) -> tuple[list[tuple[float, bool]], int]:
    """(raw score, is it annotated) for every candidate property, and the annotated total."""
    nlp = build_pipeline()
    classifier = nlp.get_pipe(CLASSIFIER)
    path = TRAINING_DIR / "corpus" / f"{split}.spacy"
    if not path.exists():
        raise SystemExit(f"{path} not found: run `make corpus` first")
    rows: list[tuple[float, bool]] = []
    total = 0
    saved = classifier.cfg["calibration"]
    classifier.cfg["calibration"] = dict(IDENTITY)
    try:
        for reference in DocBin().from_disk(path).get_docs(nlp.vocab):
            with nlp.select_pipes(enable=PARSE):
                doc = nlp(reference.text)
            spans = []
            for span in gold_spans(reference):
                label = "DATE" if span.label_ == DATE_LABEL else span.label_
                found = doc.char_span(span.start_char, span.end_char, label=label)
                if found is not None:
                    spans.append(found)
            doc.ents = filter_spans(spans)
            classifier(doc)
            gold = {(k, p) for k, props in gold_relations(reference).items() for p in props}
            total += len(gold)
            for pair in doc._.relation_scores:
                for prop, score in pair.scores.items():
                    rows.append((score, ((*pair.head, *pair.child), prop) in gold))
    finally:
        classifier.cfg["calibration"] = saved
    return rows, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", choices=["train", "dev", "test"])
    args = parser.parse_args()
    for split in args.split or ["dev", "test"]:
        rows, total = scored(split)
        print(f"{split}: {total} annotated relations, {len(rows)} scored candidate properties")
        print(f"{'score >=':<10}{'kept':>6}{'P':>6}{'R':>6}{'F1':>6}")
        for t in THRESHOLDS:
            kept = [right for score, right in rows if score >= t]
            hits = sum(kept)
            p = hits / len(kept) if kept else 0.0
            r = hits / total if total else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"{t:<10}{len(kept):>6}{p:>6.2f}{r:>6.2f}{f1:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
