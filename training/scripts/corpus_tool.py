"""Annotators' tool for the training corpus: resolve drafts, check records, list individuals.

    python training/scripts/corpus_tool.py resolve DRAFT.json [--out training/annotated]
    python training/scripts/corpus_tool.py check [FOLDER]
    python training/scripts/corpus_tool.py individuals > training/individuals.tsv
    python training/scripts/corpus_tool.py schema
    python training/scripts/corpus_tool.py normalise [FOLDER ...]

A draft is a record whose spans may give `text` and `occurrence` (1-based, counted at token
boundaries) instead of `start`/`end`, and whose relations need no `sentence`. `resolve` checks
it against the schema (docs/annotation.md) and writes `{id}.jsonl`; it prints every problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ingest.corpus import (
    ANNOTATED_DIR,
    CorpusError,
    load_corpus,
    load_schema,
)
from ingest.corpus_drafts import rebase, resolve_draft, write_records


def _individuals() -> None:
    from rdflib import RDFS, SKOS, Graph

    from ingest.config import ID_NS, ONTOLOGY_FILE, REFERENCE_FILE

    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    graph.parse(REFERENCE_FILE, format="turtle")
    schema = load_schema()
    print("iri\tclass\tlabel\talt_labels")
    for curie in sorted(schema.individuals):
        node = graph.resource(ID_NS + curie.removeprefix("skgid:")).identifier
        label = graph.value(node, RDFS.label) or ""
        alts = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
        classes = "/".join(sorted(schema.individuals[curie]))
        print(f"{curie}\t{classes}\t{label}\t{'; '.join(alts)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    resolve = sub.add_parser("resolve")
    resolve.add_argument("drafts", nargs="+", type=Path)
    resolve.add_argument("--out", type=Path, default=ANNOTATED_DIR)
    check = sub.add_parser("check")
    check.add_argument("folder", nargs="?", type=Path, default=ANNOTATED_DIR)
    norm = sub.add_parser("normalise")
    norm.add_argument("folders", nargs="*", type=Path)
    sub.add_parser("individuals")
    sub.add_parser("schema")
    args = parser.parse_args()
    if args.verb == "individuals":
        _individuals()
        return 0
    if args.verb == "schema":
        schema = load_schema()
        print("span labels:", ", ".join(sorted(schema.labels)))
        for prop in schema.properties:
            print(f"{prop}: {sorted(schema.domains[prop])} -> {sorted(schema.ranges[prop])}")
        return 0
    if args.verb == "normalise":
        from ingest.load import normalise

        folders = args.folders or [
            ANNOTATED_DIR,
            *sorted((ANNOTATED_DIR.parent / "agreement").glob("*")),
        ]
        for folder in folders:
            changed = [
                rebase(r, normalise(r.text))
                for r in load_corpus(folder)
                if normalise(r.text) != r.text
            ]
            write_records(changed, folder)
            print(f"{folder}: {len(changed)} record(s) moved onto the ingested form of their text")
        return 0
    if args.verb == "check":
        try:
            records = load_corpus(args.folder)
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        spans = sum(len(r.spans) for r in records)
        relations = sum(len(r.relations) for r in records)
        print(f"{len(records)} documents, {spans} spans, {relations} relations: all valid")
        return 0
    failed = 0
    for path in args.drafts:
        try:
            record = resolve_draft(json.loads(path.read_text(encoding="utf-8")))
        except (CorpusError, ValueError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        (written,) = write_records([record], args.out)
        print(f"{written}: {len(record.spans)} spans, {len(record.relations)} relations")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
