"""One individual per real thing? Individuals per curated thing, junk, links: before and after.

Over the annotated corpus (training/annotated/, every split, read raw as the annotations'
offsets need) and corpus/ (read as an analyst's files are), through `ingest.pipeline.prepare`:

- individuals per real thing: for every curated individual the annotators linked (their
  `iri`), the distinct individuals the pipeline gave the mentions of it, over all documents;
  and, inside one document, for the same unlinked name written again. Target: exactly one.
  Each thing or name that got more than one is listed with its extra individuals and the
  mention texts that gave them (at most three each), to read where resolution failed.
- link accuracy: annotated mentions of a curated individual linked to it.
- unsupported minted entities per 100 documents: minted by the pipeline where no annotated
  span is (junk, or things the annotators did not mark), with a sample of labels to read.
- corpus/: documents counted in the app's overview, and the minted events and actors.

    .venv/bin/python benchmarks/resolution.py [--baseline REV] [--split dev] [--sample 25]

`--baseline REV` runs this same script on a git worktree of REV (the same machine, the same
run) and prints both columns.
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("Actor", "Event", "Document", "SpaceAsset", "Capability", "Place", "DoctrineConcept")


def _kind(classes: frozenset[str]) -> str:
    return next((k for k in KINDS if k in classes), "other")


def measure(sample: int, split: str = "all") -> dict[str, object]:
    from ingest.config import CORPUS_DIR, ID_NS, Settings
    from ingest.corpus import load_corpus, load_schema
    from ingest.load import load_file, load_text
    from ingest.pipeline import commit, prepare
    from ingest.store import OxigraphStore

    settings = Settings.from_env()
    schema = load_schema()
    records = load_corpus()
    if split != "all":
        chosen = set(json.loads((ROOT / "training" / "splits.json").read_text())[split])
        records = [r for r in records if r.id in chosen]
    raw = {"clean": False} if "clean" in inspect.signature(load_text).parameters else {}
    sources = [
        load_text(
            r.text,
            title=r.meta.get("title") or r.id,
            date=r.meta.get("date") or None,
            url=r.meta.get("url") or None,
            path=f"training/{r.id}",
            **raw,
        )
        for r in records
    ]
    work = Path(tempfile.mkdtemp(prefix="spacekg-resolution-"))
    store = OxigraphStore(work / "store")
    store.ensure_reference()
    from ingest.errors import SpacekgError

    prepared: list = []
    for start in range(0, len(sources), 16):
        batch = sources[start : start + 16]
        try:
            done = prepare(batch, store, settings)
        except SpacekgError:  # one bad document: the others one at a time, it as None
            done = []
            for source in batch:
                try:
                    done += prepare([source], store, settings)
                except SpacekgError:
                    done.append(None)
        for doc in done:  # committed, so later batches see the names minted so far
            if doc is not None:
                commit(store, doc)
        prepared += done
    merged = [
        note
        for doc in prepared
        if doc is not None and doc.extraction is not None
        for note in doc.extraction.notes
        if "minted names merged" in note
    ]
    per_thing: dict[str, set[str]] = defaultdict(set)  # curated IRI -> predicted IRIs
    kind_of: dict[str, str] = {}
    in_doc: dict[tuple[str, str], set[str]] = defaultdict(set)  # (doc, name) -> predicted
    # predicted IRI -> the mention texts that gave it, to read where a thing split
    said: dict[tuple[str, str], set[str]] = defaultdict(set)
    linked = gold_linked = 0
    unsupported: list[str] = []
    for record, doc in zip(records, prepared, strict=True):
        extraction = doc.extraction if doc is not None else None
        mentions = extraction.mentions if extraction is not None else []
        entities = extraction.entities if extraction is not None else {}
        covered: set[int] = set()
        for span in record.spans:
            if span.label == "Date":
                continue
            best = max(
                (m for m in mentions if m.start_char < span.end and span.start < m.end_char),
                key=lambda m: min(m.end_char, span.end) - max(m.start_char, span.start),
                default=None,
            )
            if best is not None:
                covered.add(id(best))
            classes = schema.superclasses.get(span.label, frozenset({span.label}))
            if span.iri:
                iri = ID_NS + span.iri.removeprefix("skgid:")
                kind_of[iri] = _kind(classes)
                gold_linked += 1
                if best is not None:
                    per_thing[iri].add(str(best.iri))
                    said[(iri, str(best.iri))].add(f"{record.id}: {best.text}")
                    linked += str(best.iri) == iri
            elif best is not None:
                name = " ".join(record.text[span.start : span.end].casefold().split())
                in_doc[(record.id, name)].add(str(best.iri))
                said[(f"{record.id} {name}", str(best.iri))].add(best.text)
        for mention in mentions:
            entity = entities.get(mention.iri)
            if entity is not None and not entity.curated and id(mention) not in covered:
                unsupported.append(entity.label)
    table: dict[str, list[int]] = defaultdict(list)
    for iri, found in per_thing.items():
        table[kind_of[iri]].append(len(found))
    repeated = [len(v) for v in in_doc.values()]
    split_things = {
        iri.removeprefix(ID_NS): {
            p.removeprefix(ID_NS): sorted(said[(iri, p)])[:3] for p in sorted(found) if p != iri
        }
        for iri, found in sorted(per_thing.items())
        if len(found) > 1
    }
    split_names = {
        f"{doc_id} '{name}'": {
            p.removeprefix(ID_NS): sorted(said[(f"{doc_id} {name}", p)])[:3] for p in sorted(found)
        }
        for (doc_id, name), found in sorted(in_doc.items())
        if len(found) > 1
    }
    corpus = [load_file(p) for p in sorted(CORPUS_DIR.glob("*.md"))]
    corpus_store = OxigraphStore(work / "corpus")
    from ingest.pipeline import ingest_sources

    ingest_sources(corpus_store, corpus, settings)
    try:
        try:
            from ingest.explore.overview import overview_counts
        except ImportError:  # a --baseline revision from before ingest/explore/ was split
            from ingest.explore import overview_counts  # type: ignore[attr-defined,no-redef]

        documents = overview_counts(corpus_store)["documents"]
    except ImportError:
        documents = -1
    corpus_prepared = prepare(corpus, corpus_store, settings)
    minted = defaultdict(set)
    for doc in corpus_prepared:
        for entity in (doc.extraction.entities if doc.extraction else {}).values():
            if not entity.curated:
                minted[_kind(frozenset(c.split("#")[-1] for c in map(str, entity.classes)))].add(
                    entity.label
                )
    store.close()
    corpus_store.close()
    shutil.rmtree(work, ignore_errors=True)
    rng = random.Random(7)
    return {
        "documents": len(records),
        "per_thing": {k: v for k, v in sorted(table.items())},
        "in_document": repeated,
        "split_things": split_things,
        "split_names": split_names,
        "link_accuracy": linked / gold_linked if gold_linked else 0.0,
        "unsupported_per_100": 100 * len(unsupported) / len(records),
        "unsupported_sample": rng.sample(unsupported, min(sample, len(unsupported))),
        "merged_across_documents": sum(int(note.split()[0]) for note in merged),
        "merge_notes": merged,
        "corpus_documents_counted": documents,
        "corpus_minted_events": sorted(minted["Event"]),
        "corpus_minted_actors": sorted(minted["Actor"]),
    }


def _row(found: list[int]) -> str:
    if not found:
        return "-"
    one = sum(1 for n in found if n == 1)
    return f"{sum(found) / len(found):.2f} per thing, exactly one {one}/{len(found)}"


def show(results: dict[str, dict[str, object]]) -> None:
    names = list(results)
    print(f"{'':34}" + "".join(f"{n:>44}" for n in names))
    first = results[names[0]]
    kinds = sorted({k for r in results.values() for k in r["per_thing"]})  # type: ignore[union-attr]
    for kind in kinds:
        cells = [_row(r["per_thing"].get(kind, [])) for r in results.values()]  # type: ignore[union-attr]
        print(f"{'curated ' + kind + ' individuals':34}" + "".join(f"{c:>44}" for c in cells))
    cells = [_row(r["in_document"]) for r in results.values()]  # type: ignore[arg-type]
    print(f"{'a name repeated in one document':34}" + "".join(f"{c:>44}" for c in cells))
    for key, label in (
        ("link_accuracy", "link accuracy"),
        ("unsupported_per_100", "unsupported minted per 100 docs"),
        ("corpus_documents_counted", "corpus/: documents in overview"),
        ("merged_across_documents", "minted names merged across docs"),
    ):
        print(
            f"{label:34}"
            + "".join(
                f"{r.get(key, '-'):>44.2f}"
                if isinstance(r.get(key), float)
                else f"{r.get(key, '-'):>44}"
                for r in results.values()
            )
        )
    print(f"\nannotated documents: {first['documents']}")
    for name, result in results.items():
        print(f"\n[{name}] minted events in corpus/: {result['corpus_minted_events']}")
        print(f"[{name}] minted actors in corpus/: {result['corpus_minted_actors']}")
        print(f"[{name}] unsupported minted sample: {result['unsupported_sample']}")
        for note in result.get("merge_notes", []):  # type: ignore[union-attr]
            print(f"[{name}] merged: {note}")
        # Where one thing got more than one individual: the extras and the mentions behind them.
        for title, key in (("curated thing split", "split_things"), ("name split", "split_names")):
            for thing, extras in result.get(key, {}).items():  # type: ignore[union-attr]
                shown = "; ".join(f"{iri} <- {texts}" for iri, texts in extras.items())
                print(f"[{name}] {title}: {thing}: {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="git revision to measure beside the checkout")
    parser.add_argument("--sample", type=int, default=25)
    parser.add_argument("--split", default="all", help="train, dev, test or all (default)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.sample, args.split)))
        return 0
    results: dict[str, dict[str, object]] = {}
    if args.baseline:
        tree = Path(tempfile.mkdtemp(prefix="spacekg-baseline-")) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline],
            check=True,
            capture_output=True,
        )
        try:
            (tree / "benchmarks").mkdir(exist_ok=True)
            shutil.copy(__file__, tree / "benchmarks" / "resolution.py")
            out = subprocess.run(
                [
                    sys.executable,
                    str(tree / "benchmarks" / "resolution.py"),
                    "--json",
                    "--sample",
                    str(args.sample),
                    "--split",
                    args.split,
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=tree,
            ).stdout
            results[f"before ({args.baseline})"] = json.loads(out.strip().splitlines()[-1])
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )
    results["now"] = measure(args.sample, args.split)
    show(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
