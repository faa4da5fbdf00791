"""Run the real pipeline over splits of the annotated corpus and score it (corpus_scoring)."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.corpus_scoring import (
    EntityScores,
    Scores,
    found_facts,
    gold_facts,
    labels,
    read_aliases,
)
from ingest.config import Settings
from ingest.corpus import TRAINING_DIR, Record, load_corpus, load_schema
from ingest.errors import SpacekgError
from ingest.iri import source_iri, term_name
from ingest.load import SourceText, load_text
from ingest.ontology import ontology_and_reference
from ingest.pipeline import PreparedDocument, prepare
from ingest.store import OxigraphStore

SPLITS_FILE = TRAINING_DIR / "splits.json"
BATCH = 16


def split_ids(name: str) -> set[str] | None:
    """Ids of a split (None: every annotated document)."""
    if name == "all":
        return None
    return set(json.loads(SPLITS_FILE.read_text(encoding="utf-8"))[name])


def source_for(record: Record) -> SourceText:
    """The record as the ingest pipeline would load it, with its metadata."""
    meta = record.meta
    return load_text(
        record.text,
        title=meta.get("title") or None,
        publisher=meta.get("publisher") or None,
        date=meta.get("date") or None,
        url=meta.get("url") or None,
        path=f"training/{record.id}",
    )


def _prepare_all(
    sources: list[SourceText], store: OxigraphStore, settings: Settings
) -> list[PreparedDocument | None]:
    """Prepared documents in order; one that fails the pipeline's checks is None."""
    out: list[PreparedDocument | None] = []
    for start in range(0, len(sources), BATCH):
        batch = sources[start : start + BATCH]
        try:
            out.extend(prepare(batch, store, settings))
        except SpacekgError:
            for source in batch:
                try:
                    out.extend(prepare([source], store, settings))
                except SpacekgError:
                    out.append(None)
    return out


def score_records(records: list[Record]) -> dict[str, object]:
    """Facts and entities of `records` against their annotations."""
    schema = load_schema()
    aliases = read_aliases()
    relations = set(schema.properties)  # the ontology's, read by the corpus schema
    facts, entities = Scores(), EntityScores()
    failed: list[str] = []
    sources = [source_for(r) for r in records]
    for record, source in zip(records, sources, strict=True):
        if source.text != record.text:
            raise SystemExit(
                f"{record.id}: the text is not in ingested form; run "
                "`python training/scripts/corpus_tool.py normalise`"
            )
    with tempfile.TemporaryDirectory(prefix="spacekg-corpus-") as tmp:
        settings = replace(Settings.from_env(), store_dir=Path(tmp) / "store")
        store = OxigraphStore(settings.store_dir)
        store.ensure_reference()
        started = time.perf_counter()
        prepared = _prepare_all(sources, store, settings)
        seconds = time.perf_counter() - started
        store.close()
    curated = labels([ontology_and_reference()])  # once: the curated graph is large
    for record, doc in zip(records, prepared, strict=True):
        gold = gold_facts(record)
        if doc is None:
            failed.append(record.id)
            facts.add(gold, [], aliases)
            continue
        graph = doc.graph.graph  # type: ignore[attr-defined]
        names = {**curated}
        for node, found in labels([graph]).items():
            names[node] = [*curated.get(node, []), *found]
        found, about_source = found_facts(
            record.id, graph, names, source_iri(doc.source.docid), relations
        )
        facts.about_source += about_source
        facts.add(gold, found, aliases)
        extraction = doc.extraction
        mentions = []
        if extraction is not None:
            for m in extraction.mentions:
                entity = extraction.entities.get(m.iri)
                classes = tuple(term_name(c) or "" for c in entity.classes) if entity else ()
                mentions.append((m.start_char, m.end_char, m.iri, classes))
        entities.add(record, mentions, schema)
    return {
        "documents": len(records),
        "failed": failed,
        "seconds": round(seconds, 1),
        "relations": facts.table(schema.properties),
        "entities": entities.table(),
        "about_source": facts.about_source,
        "misses": facts.misses,
        "wrong": facts.wrong,
    }


def run_splits(names: list[str]) -> dict[str, dict[str, object]]:
    records = load_corpus()
    report = {}
    for name in names:
        ids = split_ids(name)
        chosen = [r for r in records if ids is None or r.id in ids]
        report[name] = score_records(chosen)
    return report


def print_report(report: dict[str, dict[str, object]], show: int = 0) -> None:
    names = list(report)
    print(
        "documents: "
        + ", ".join(f"{n} {report[n]['documents']} ({report[n]['seconds']} s)" for n in names)
    )
    header = f"{'relation':<14}" + "".join(
        f"{n + ' gold':>10}{'found':>7}{'P':>6}{'R':>6}{'F1':>6}" for n in names
    )
    print(header)
    print("-" * len(header))
    tables = [report[n]["relations"] for n in names]
    for rows in zip(*tables, strict=True):
        line = f"{rows[0]['relation']:<14}"  # type: ignore[index]
        for row in rows:
            line += f"{row['gold']:>10}{row['found']:>7}{row['precision']:>6.2f}{row['recall']:>6.2f}{row['f1']:>6.2f}"  # type: ignore[index]
        print(line)
    print("\nentities        " + "".join(f"{n:>12}" for n in names))
    for key in ("span_precision", "span_recall", "span_f1", "type_f1", "link_accuracy"):
        print(f"{key:<16}" + "".join(f"{report[n]['entities'][key]:>12.2f}" for n in names))  # type: ignore[index]
    for key in ("gold_spans", "found_mentions", "gold_links"):
        print(f"{key:<16}" + "".join(f"{report[n]['entities'][key]:>12}" for n in names))  # type: ignore[index]
    if len(names) >= 2:
        a, b = names[0], names[1]
        fa = report[a]["relations"][-1]["f1"]  # type: ignore[index]
        fb = report[b]["relations"][-1]["f1"]  # type: ignore[index]
        ea = report[a]["entities"]["span_f1"]  # type: ignore[index]
        eb = report[b]["entities"]["span_f1"]  # type: ignore[index]
        print(f"\ngap {a} - {b}: relation F1 {fa - fb:+.2f}, entity span F1 {ea - eb:+.2f}")
    for n in names:
        print(
            f"{n}: {report[n]['about_source']} extracted facts have the ingested document "
            f"itself as an end (not scored); failed documents: {report[n]['failed'] or 'none'}"
        )
    if show:
        for n in names:
            if n == "test":
                continue  # never read test errors: nothing is tuned on test
            print(f"\n{n}: first {show} misses")
            for g in report[n]["misses"][:show]:  # type: ignore[index]
                print(
                    f"  [{g.document}] {g.head.text} | {g.relation} | {g.child.value or g.child.text}"
                )
            print(f"{n}: first {show} wrong facts")
            for f in report[n]["wrong"][:show]:  # type: ignore[index]
                print(f"  [{f.document}] {f.subject_names[0]} | {f.relation} | {f.object_names[0]}")
