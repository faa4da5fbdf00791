"""Confidences that mean what they say: Platt scaling of a fact's score, fitted on dev.

A fact's confidence is `sigmoid(slope * logit(score) + known_end * known_ends + intercept)`,
where `known_ends` counts the fact's ends that are curated individuals or a date (a minted end
is more often wrong). `training/scripts/calibrate.py` fits the three numbers per extractor on
the dev split, so that of the facts given 0.3 about three in ten are right. The trained
classifier applies its own (`relations.RelationClassifier.confidence`); the component here,
last in the pipeline, applies them to the rule-based extractors' facts, whose scores are
hand-set.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import srsly
from rdflib import Literal
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extraction import Relation, register_extensions

FACTORY = "spacekg_confidence"
IDENTITY = {"slope": 1.0, "known_end": 0.0, "intercept": 0.0}
Params = dict[str, float]


def platt(score: float, known_ends: int, params: Params) -> float:
    """The calibrated confidence of a score (the identity parameters return the score)."""
    p = {**IDENTITY, **params}
    clipped = min(max(score, 1e-4), 1 - 1e-4)
    z = p["slope"] * math.log(clipped / (1 - clipped)) + p["known_end"] * known_ends
    return 1 / (1 + math.exp(-(z + p["intercept"])))


def known_ends(relation: Relation, doc: Doc) -> int:
    """How many of the relation's ends are curated individuals or a literal (a date)."""
    entities = doc._.entities or {}
    count = 0
    for end in (relation.subject, relation.object):
        if isinstance(end, Literal):
            count += 1
        else:
            entity = entities.get(str(end))
            count += bool(entity is not None and entity.curated)
    return count


class ConfidenceCalibration:
    """Rewrites the confidence of each rule-extracted Relation with its extractor's fit."""

    def __init__(self, name: str = FACTORY, calibration: dict[str, Params] | None = None) -> None:
        self.name = name
        self.calibration: dict[str, Params] = dict(calibration or {})
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        relations = doc._.relations or []
        doc._.relations = [self.calibrated(r, doc) for r in relations]
        return doc

    def calibrated(self, relation: Relation, doc: Doc) -> Relation:
        params = self.calibration.get(relation.extractor)
        if params is None:
            return relation
        value = platt(relation.confidence, known_ends(relation, doc), params)
        return replace(relation, confidence=round(value, 3))

    def to_disk(self, path: Path, *, exclude: tuple[str, ...] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "calibration.json", self.calibration)

    def from_disk(self, path: Path, *, exclude: tuple[str, ...] = ()) -> ConfidenceCalibration:
        file = Path(path) / "calibration.json"
        self.calibration = srsly.read_json(file) if file.exists() else {}
        return self


@Language.factory(FACTORY, requires=["doc._.relations"], assigns=["doc._.relations"])
def make_confidence_calibration(nlp: Language, name: str) -> ConfidenceCalibration:
    """Factory of the calibration step (last); its fits are saved by `nlp.to_disk`."""
    return ConfidenceCalibration(name)
