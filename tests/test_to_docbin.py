"""training/scripts/to_docbin.py: what the trainer reads is what the classifier pairs at ingest."""

from __future__ import annotations

from pathlib import Path

import spacy
from conftest import training_script

from ingest.corpus import read_records
from ingest.nlp import MODEL
from ingest.nlp.candidates import candidate_pairs
from ingest.nlp.relations import gold_relations, gold_spans

TOY = Path(__file__).parent / "fixtures" / "corpus" / "toy.jsonl"


def test_reference_docs_carry_spans_dates_parse_and_relations() -> None:
    nlp = spacy.load(MODEL, exclude=["ner", "lemmatizer", "attribute_ruler"])
    record = next(read_records(TOY))
    doc = training_script("to_docbin").to_doc(nlp, record)
    assert doc.text == record.text
    assert doc.has_annotation("DEP") and len(list(doc.sents)) == 2
    assert "Date" not in {e.label_ for e in doc.ents}
    assert [d.text for d in doc.spans["dates"]] == ["15 November 2021"]
    assert {s.label_ for s in gold_spans(doc)} >= {"IntergovernmentalOrganization", "Date"}
    gold = gold_relations(doc)
    assert len(gold) == len({(r.head, r.child) for r in record.relations})
    pairs = {
        (p.head.start_char, p.head.end_char, p.child.start_char, p.child.end_char): p
        for p in candidate_pairs(doc, gold_spans(doc))
    }
    for key, props in gold.items():  # every annotated relation is a candidate with its property
        assert key in pairs and props <= pairs[key].allowed
        assert pairs[key].path_deps  # the dependency path between the ends is there
