"""Extraction quality: precision, recall and F1 per relation, and entity scores.

On the annotated corpus (default): for each split asked (`--split dev --split test` by default),
every document goes through the real pipeline (spaCy, linking, relations, RDF, SHACL) and the
facts of its own graph are compared with its annotations; matching is described in
`benchmarks/corpus_scoring.py`. Dev and test are printed side by side with the gap. The test
split is for reporting only: tune nothing on it (docs/annotation.md).

With `--gold FILE` (the 58 development facts of `../shared/gold/facts.tsv`), the nine texts of
`corpus/` are ingested and compared with those facts instead: same relation; subject and object
match when their normalised names overlap by token Jaccard >= 0.5 or one contains the other.

    .venv/bin/python benchmarks/extraction.py [--split dev|test|train|all ...] [--show N] [--json]
    .venv/bin/python benchmarks/extraction.py --gold FILE [--corpus DIR] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Literal, URIRef  # noqa: E402

from benchmarks.corpus_scoring import normalise  # noqa: E402
from ingest.config import Settings  # noqa: E402
from ingest.iri import term_name  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from ingest.store import OxigraphStore, Store  # noqa: E402

DEFAULT_CORPUS = ROOT / "corpus"
RELATIONS = [
    "memberOf",
    "partOf",
    "locatedIn",
    "hasCapability",
    "conducted",
    "threatens",
    "targeted",
    "attributedTo",
    "published",
    "declares",
    "establishes",
    "condemns",
    "operates",
    "mentions",
    "date",
]
LABELS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?name WHERE { ?s rdfs:label|skos:altLabel|skos:prefLabel ?name . }
"""
SOURCE_PATH_QUERY = """
PREFIX skg: <https://w3id.org/spacekg/ontology#>
SELECT ?g ?path WHERE { GRAPH ?g { ?doc skg:sourcePath ?path . } }
"""


@dataclass(frozen=True)
class Fact:
    """One fact in comparable form: names of both ends, or an ISO value for dates."""

    document: str
    subject: str
    relation: str
    object: str
    subject_names: tuple[str, ...] = ()
    object_names: tuple[str, ...] = ()
    evidence: str = ""


def names_match(gold: str, names: tuple[str, ...]) -> bool:
    """Jaccard >= 0.5 or containment between the gold name and any of the entity's names."""
    target = normalise(gold)
    if not target:
        return False
    for name in names:
        tokens = normalise(name)
        if not tokens:
            continue
        overlap = len(target & tokens)
        if overlap / len(target | tokens) >= 0.5 or target <= tokens or tokens <= target:
            return True
    return False


def matches(gold: Fact, found: Fact) -> bool:
    if gold.relation != found.relation or not names_match(gold.subject, found.subject_names):
        return False
    if gold.relation == "date":
        return gold.object.strip() == found.object.strip()
    return names_match(gold.object, found.object_names)


def read_gold(path: Path) -> list[Fact]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Fact(
                document=row["document"],
                subject=row["subject"],
                relation=row["relation"],
                object=row["object"],
                evidence=row.get("evidence_sentence") or "",
            )
            for row in rows
        ]


def extracted_facts(store: Store) -> list[Fact]:
    """Asserted facts of every source graph, with the names of both ends from the store."""
    names: dict[URIRef, list[str]] = defaultdict(list)
    for row in store.query(LABELS_QUERY).rows:
        names[row["s"]].append(str(row["name"]))
    documents = {
        row["g"]: Path(str(row["path"])).name for row in store.query(SOURCE_PATH_QUERY).rows
    }
    found: list[Fact] = []
    for graph_iri, document in sorted(documents.items()):
        graph = store.graph(graph_iri)
        for s, p, o in graph:
            relation = term_name(p)
            if relation not in RELATIONS:
                continue
            subject_names = tuple(names.get(s, [])) or (str(s),)
            if isinstance(o, Literal):
                object_text, object_names = str(o), (str(o),)
            else:
                object_names = tuple(names.get(o, [])) or (str(o),)  # type: ignore[arg-type]
                object_text = object_names[0]
            found.append(
                Fact(
                    document=document,
                    subject=subject_names[0],
                    relation=relation,
                    object=object_text,
                    subject_names=subject_names,
                    object_names=object_names,
                )
            )
    return sorted(found, key=lambda f: (f.document, f.relation, f.subject, f.object))


def score(gold: list[Fact], found: list[Fact]) -> dict[str, object]:
    """Per-relation and overall precision, recall and F1, with the misses and the extras."""
    gold_docs = {g.document for g in gold}
    gold_relations = {g.relation for g in gold}
    candidates = [f for f in found if f.document in gold_docs and f.relation in gold_relations]
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for fact in candidates:
        by_doc[fact.document].append(fact)
    gold_by_doc: dict[str, list[Fact]] = defaultdict(list)
    for fact in gold:
        gold_by_doc[fact.document].append(fact)
    hit_gold = [any(matches(g, f) for f in by_doc[g.document]) for g in gold]
    hit_found = [any(matches(g, f) for g in gold_by_doc[f.document]) for f in candidates]
    table = []
    for relation in [*sorted(gold_relations), "overall"]:
        g_idx = [i for i, g in enumerate(gold) if relation in ("overall", g.relation)]
        f_idx = [i for i, f in enumerate(candidates) if relation in ("overall", f.relation)]
        recall_hits = sum(hit_gold[i] for i in g_idx)
        precision_hits = sum(hit_found[i] for i in f_idx)
        precision = precision_hits / len(f_idx) if f_idx else 0.0
        recall = recall_hits / len(g_idx) if g_idx else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table.append(
            {
                "relation": relation,
                "gold": len(g_idx),
                "extracted": len(f_idx),
                "gold_found": recall_hits,
                "extracted_correct": precision_hits,
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
            }
        )
    misses = [g for g, hit in zip(gold, hit_gold, strict=True) if not hit]
    extras = [f for f, hit in zip(candidates, hit_found, strict=True) if not hit]
    return {"table": table, "misses": misses, "unmatched": extras}


def run(gold_path: Path, corpus: Path) -> tuple[dict[str, object], float, int]:
    gold = read_gold(gold_path)
    with tempfile.TemporaryDirectory(prefix="spacekg-extraction-") as tmp:
        settings = replace(Settings.from_env(), store_dir=Path(tmp) / "store")
        store = OxigraphStore(settings.store_dir)
        try:
            started = time.perf_counter()
            report = ingest_paths(store, [corpus], settings)
            elapsed = time.perf_counter() - started
            failed = [o for o in report.outcomes if o.status == "failed"]
            for outcome in failed:
                print(f"FAILED {outcome.source}: {outcome.error}", file=sys.stderr)
            found = extracted_facts(store)
        finally:
            store.close()
    return score(gold, found), elapsed, len(found)


def corpus_main(args: argparse.Namespace) -> int:
    from benchmarks.corpus_run import (
        COMPONENTS,
        print_ablation,
        print_calibration,
        print_report,
        run_splits,
    )

    splits = args.split or ["dev", "test"]
    if args.ablation:
        print_ablation({c: run_splits(splits, c) for c in COMPONENTS})
        return 0
    report = run_splits(splits, args.components)
    if args.calibration:
        print_calibration(report)
        return 0
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0
    print_report(report, show=args.show)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, help="the 58 development facts (gold TSV)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--split", action="append", choices=["train", "dev", "test", "all"], help="repeatable"
    )
    parser.add_argument("--show", type=int, default=0, help="print N misses and N wrong facts")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--components",
        choices=["both", "rules", "model"],
        default="both",
        help="the shipped pipeline, or its rule or trained components alone",
    )
    parser.add_argument(
        "--ablation", action="store_true", help="overall figures for both, rules and model"
    )
    parser.add_argument(
        "--calibration",
        action="store_true",
        help="reliability table and threshold sweep of the proposed facts",
    )
    args = parser.parse_args(argv)
    if args.gold is None:
        return corpus_main(args)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}; pass --gold FILE", file=sys.stderr)
        return 2
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}; pass --corpus DIR", file=sys.stderr)
        return 2
    result, elapsed, total = run(args.gold, args.corpus)
    if args.json:
        payload = {
            "table": result["table"],
            "misses": [asdict(f) for f in result["misses"]],  # type: ignore[union-attr]
            "unmatched": [asdict(f) for f in result["unmatched"]],  # type: ignore[union-attr]
            "asserted_facts": total,
            "ingest_seconds": round(elapsed, 2),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(f"ingested {args.corpus} in {elapsed:.1f} s; {total} asserted skg facts in the store")
    header = f"{'relation':<14}{'gold':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}"
    print(header)
    print("-" * len(header))
    for row in result["table"]:  # type: ignore[union-attr]
        print(
            f"{row['relation']:<14}{row['gold']:>6}{row['extracted']:>7}"
            f"{row['precision']:>8.2f}{row['recall']:>8.2f}{row['f1']:>8.2f}"
        )
    print("\nMisses (gold facts not found):")
    for fact in result["misses"]:  # type: ignore[union-attr]
        print(f"  [{fact.document}] {fact.subject} | {fact.relation} | {fact.object}")
    print("\nExtracted facts that matched no gold fact (gold relations, gold documents):")
    for fact in result["unmatched"]:  # type: ignore[union-attr]
        print(f"  [{fact.document}] {fact.subject} | {fact.relation} | {fact.object}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
