"""Run the real pipeline over splits of the annotated corpus and score it (corpus_scoring)."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from rdflib import Literal, URIRef

from benchmarks.corpus_scoring import (
    EntityScores,
    FoundFact,
    ScoredFact,
    Scores,
    fact_matches,
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
from ingest.nlp import build_pipeline
from ingest.nlp.assemble import RULE_COMPONENTS, TRAINED
from ingest.ontology import ontology_and_reference
from ingest.pipeline import PreparedDocument, prepare
from ingest.store import OxigraphStore

SPLITS_FILE = TRAINING_DIR / "splits.json"
BATCH = 16
# What each ablation leaves out of the shipped pipeline.
COMPONENTS = {"both": (), "rules": TRAINED, "model": RULE_COMPONENTS}


def split_ids(name: str) -> set[str] | None:
    """Ids of a split (None: every annotated document)."""
    if name == "all":
        return None
    return set(json.loads(SPLITS_FILE.read_text(encoding="utf-8"))[name])


def source_for(record: Record) -> SourceText:
    """The record as the ingest pipeline would load it, with its metadata; page furniture is
    kept, since the annotations' offsets point into the text as it is."""
    meta = record.meta
    return load_text(
        record.text,
        clean=False,
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


def scored_facts(
    record_id: str,
    doc: PreparedDocument,
    gold: list,
    names: dict[URIRef, list[str]],
    source: URIRef,
    relations: set[str],
    aliases: dict,
    curated: set[URIRef],
) -> list[ScoredFact]:
    """Every fact the document graph proposes (asserted or for review), one per triple and
    extractor with its best confidence, marked right or wrong against the gold facts."""
    best: dict[tuple, float] = {}
    for fact in doc.graph.facts:  # type: ignore[attr-defined]
        relation = term_name(fact.p) or ""
        if relation not in relations or source in (fact.s, fact.o):
            continue
        key = (fact.s, relation, fact.o, fact.extractor)
        best[key] = max(best.get(key, 0.0), fact.confidence)
    out = []
    for (s, relation, o, extractor), confidence in best.items():
        object_names = (str(o),) if isinstance(o, Literal) else tuple(names.get(o, [])) or (str(o),)
        found = FoundFact(
            record_id, s, relation, o, tuple(names.get(s, [])) or (str(s),), object_names
        )
        correct = any(fact_matches(g, found, aliases) for g in gold)
        triple = f"{s} {relation} {o}"
        known = int(s in curated) + int(isinstance(o, Literal) or o in curated)
        out.append(ScoredFact(record_id, relation, extractor, confidence, correct, triple, known))
    return out


def score_records(records: list[Record], components: str = "both") -> dict[str, object]:
    """Facts and entities of `records` against their annotations, with the pipeline's
    components chosen by `components` (both, rules, model: see COMPONENTS)."""
    schema = load_schema()
    aliases = read_aliases()
    relations = set(schema.properties)  # the ontology's, read by the corpus schema
    facts, entities = Scores(), EntityScores()
    calibration: list[ScoredFact] = []
    gold_total = 0
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
        with build_pipeline().select_pipes(disable=list(COMPONENTS[components])):
            prepared = _prepare_all(sources, store, settings)
        seconds = time.perf_counter() - started
        store.close()
    curated = labels([ontology_and_reference()])  # once: the curated graph is large
    curated_nodes = set(curated)
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
        gold_total += len(gold)
        calibration += scored_facts(
            record.id,
            doc,
            gold,
            names,
            source_iri(doc.source.docid),
            relations,
            aliases,
            curated_nodes,
        )
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
        "calibration": calibration,
        "gold_total": gold_total,
    }


def run_splits(names: list[str], components: str = "both") -> dict[str, dict[str, object]]:
    records = load_corpus()
    report = {}
    for name in names:
        ids = split_ids(name)
        chosen = [r for r in records if ids is None or r.id in ids]
        report[name] = score_records(chosen, components)
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


THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(4, 20))


def print_calibration(report: dict[str, dict[str, object]]) -> None:
    """Reliability per extractor and split, then the threshold sweep of every split."""
    from benchmarks.corpus_scoring import reliability, threshold_sweep

    for name, result in report.items():
        facts: list[ScoredFact] = result["calibration"]  # type: ignore[assignment]
        for extractor in sorted({f.extractor for f in facts}):
            print(f"\n{name}: reliability of {extractor} (facts proposed, asserted or review)")
            print(f"{'confidence':<12}{'facts':>7}{'right':>7}{'share':>7}")
            for row in reliability(f for f in facts if f.extractor == extractor):
                print(
                    f"{row['bin']:<12}{row['facts']:>7}{row['correct']:>7}{row['precision']:>7.2f}"
                )
        print(f"\n{name}: facts kept at each threshold (all extractors)")
        print(f"{'threshold':<11}{'kept':>6}{'P':>6}{'R':>6}{'F1':>6}")
        for row in threshold_sweep(facts, int(result["gold_total"]), THRESHOLDS):  # type: ignore[arg-type]
            print(
                f"{row['threshold']:<11.2f}{row['kept']:>6}{row['precision']:>6.2f}"
                f"{row['recall']:>6.2f}{row['f1']:>6.2f}"
            )


def print_ablation(reports: dict[str, dict[str, dict[str, object]]]) -> None:
    """Overall relation and entity figures per component choice and split."""
    print(f"{'components':<12}{'split':<7}{'P':>6}{'R':>6}{'F1':>6}{'span F1':>9}{'link acc':>10}")
    for components, report in reports.items():
        for name, result in report.items():
            total = result["relations"][-1]  # type: ignore[index]
            ents = result["entities"]
            print(
                f"{components:<12}{name:<7}{total['precision']:>6.2f}{total['recall']:>6.2f}"  # type: ignore[index]
                f"{total['f1']:>6.2f}{ents['span_f1']:>9.2f}{ents['link_accuracy']:>10.2f}"  # type: ignore[index]
            )
