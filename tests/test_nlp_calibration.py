"""ingest.nlp.calibration: Platt scaling of the rule extractors' confidences, saved with the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from rdflib import Literal, URIRef

from ingest.extraction import EXTRACTOR_EVENT, EXTRACTOR_RELATE, Entity, Relation
from ingest.nlp.assemble import CONFIDENCE, PIPELINE_DIR
from ingest.nlp.calibration import IDENTITY, ConfidenceCalibration, known_ends, platt

CURATED = URIRef("https://w3id.org/spacekg/id/actor/russia")
MINTED = URIRef("https://w3id.org/spacekg/id/event/test-0000")
PROP = URIRef("https://w3id.org/spacekg/ontology#conducted")


def doc_with(relations: list[Relation]):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    doc = nlp("Russia conducted the test.")
    ConfidenceCalibration()  # registers the extensions
    doc._.entities = {
        str(CURATED): Entity(CURATED, "Russia", (), curated=True),
        str(MINTED): Entity(MINTED, "test", (), curated=False),
    }
    doc._.relations = relations
    return doc


def test_identity_keeps_the_score() -> None:
    for score in (0.05, 0.3, 0.9):
        assert platt(score, 2, IDENTITY) == pytest.approx(score, abs=1e-6)


def test_known_ends_count_curated_individuals_and_dates() -> None:
    doc = doc_with([])
    assert known_ends(Relation(CURATED, PROP, MINTED, 0.5, 0), doc) == 1
    assert known_ends(Relation(MINTED, PROP, Literal("2021-11-15"), 0.5, 0), doc) == 1
    assert known_ends(Relation(CURATED, PROP, CURATED, 0.5, 0), doc) == 2


def test_only_the_configured_extractors_are_rescaled() -> None:
    rule = Relation(CURATED, PROP, MINTED, 0.65, 0, extractor=EXTRACTOR_RELATE)
    event = Relation(CURATED, PROP, MINTED, 0.65, 0, extractor=EXTRACTOR_EVENT)
    params = {"slope": 1.0, "known_end": 0.0, "intercept": -1.0}
    step = ConfidenceCalibration(calibration={EXTRACTOR_RELATE: params})
    out = step(doc_with([rule, event]))._.relations
    assert out[0].confidence == round(platt(0.65, 1, params), 3) < 0.65
    assert out[1] == event


def test_to_disk_from_disk_round_trip(tmp_path: Path) -> None:
    params = {EXTRACTOR_RELATE: {"slope": 0.8, "known_end": 0.1, "intercept": -0.5}}
    ConfidenceCalibration(calibration=params).to_disk(tmp_path / "c")
    assert ConfidenceCalibration().from_disk(tmp_path / "c").calibration == params


def test_the_shipped_pipeline_carries_the_dev_fit(spacekg_nlp) -> None:  # type: ignore[no-untyped-def]
    shipped = ConfidenceCalibration().from_disk(PIPELINE_DIR / CONFIDENCE).calibration
    assert set(shipped) == {EXTRACTOR_RELATE, EXTRACTOR_EVENT}
    assert spacekg_nlp.get_pipe(CONFIDENCE).calibration == shipped
