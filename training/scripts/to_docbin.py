"""Convert the annotated corpus to spaCy DocBin files, one per split (`make corpus`).

    python training/scripts/to_docbin.py [--out training/corpus]

Each Doc has the entity spans as `doc.ents` (label = ontology class) with the curated IRI as
`kb_id_`, the Date spans in `doc.spans["dates"]` (dates are left to the English model's NER and
`ingest.dates`), the English model's parse (the relation classifier pairs entities within a
sentence and reads the dependency path between them, as at ingest), and the relations in `doc.user_data["relations"]`
as (head start, head end, child start, child end, property) character offsets. The loader's
checks run first, so a file is written only from a valid corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import spacy
from spacy.tokens import Doc, DocBin

from ingest.corpus import DATE_LABEL, TRAINING_DIR, Record, load_corpus
from ingest.nlp import MODEL


def to_doc(nlp: spacy.language.Language, record: Record) -> spacy.tokens.Doc:
    parsed = nlp(record.text)
    doc = Doc(
        nlp.vocab,
        words=[t.text for t in parsed],
        spaces=[bool(t.whitespace_) for t in parsed],
        heads=[t.head.i for t in parsed],
        deps=[t.dep_ for t in parsed],
    )
    ents, dates = [], []
    for span in record.spans:
        ent = doc.char_span(span.start, span.end, label=span.label, kb_id=span.iri or "")
        if ent is None:  # the loader checked token boundaries: this cannot happen
            raise SystemExit(f"{record.id}: span {span.start}-{span.end} is off the tokens")
        (dates if span.label == DATE_LABEL else ents).append(ent)
    doc.ents = ents
    doc.spans["dates"] = dates
    doc.user_data["id"] = record.id
    doc.user_data["relations"] = [
        (
            record.spans[r.head].start,
            record.spans[r.head].end,
            record.spans[r.child].start,
            record.spans[r.child].end,
            r.label,
        )
        for r in record.relations
    ]
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TRAINING_DIR / "corpus")
    args = parser.parse_args()
    nlp = spacy.load(MODEL, exclude=["ner", "lemmatizer", "attribute_ruler"])
    records = {r.id: r for r in load_corpus()}
    splits = json.loads((TRAINING_DIR / "splits.json").read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("train", "dev", "test"):
        docs = DocBin(store_user_data=True)
        ids = [i for i in splits[name] if i in records]
        for doc_id in ids:
            docs.add(to_doc(nlp, records[doc_id]))
        path = args.out / f"{name}.spacy"
        docs.to_disk(path)
        missing = len(splits[name]) - len(ids)
        note = f" ({missing} not annotated yet)" if missing else ""
        print(f"{path}: {len(ids)} documents{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
