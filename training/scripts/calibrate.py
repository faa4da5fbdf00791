"""Fit the extractors' confidences to the dev split and write them into the pipeline.

    python training/scripts/calibrate.py [--split dev]

Runs the split through the shipped pipeline with every calibration set to identity, takes
every fact each extractor (the classifier, the rules, the event rules) proposed with whether
it matches the annotation
(`benchmarks/corpus_scoring.py`), fits Platt scaling with one more input, the number of the
fact's ends that are curated individuals or a date (confidence = sigmoid(a * logit(score) +
k * known_ends + b), maximum likelihood by damped Newton, a ridge towards the identity), and
saves a, k and b per extractor: the classifier's in its cfg, the rules' in the
`spacekg_confidence` component (`ingest/nlp/calibration.py`). Then it runs the split again, calibrated, and records
in the pipeline's meta.json the review threshold: the confidence at which the facts kept (all
extractors) have the highest F1 on the split. It is the default of `--min-confidence`.
Only dev is read: the test split is for reporting.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy

from benchmarks.corpus_run import THRESHOLDS, run_splits
from benchmarks.corpus_scoring import threshold_sweep
from ingest.extraction import EXTRACTOR_EVENT, EXTRACTOR_MODEL, EXTRACTOR_RELATE
from ingest.nlp import build_pipeline
from ingest.nlp.assemble import CLASSIFIER, CONFIDENCE, PIPELINE_DIR, file_digests
from ingest.nlp.calibration import IDENTITY

FIT_THRESHOLD = 0.05
# The extractors whose facts are scored against the annotation (the mention facts have the
# source document as an end: nothing to score them against).
CALIBRATED = (EXTRACTOR_MODEL, EXTRACTOR_RELATE, EXTRACTOR_EVENT)


def fit_platt(
    scores: numpy.ndarray,
    known_ends: numpy.ndarray,
    correct: numpy.ndarray,
    ridge: float = 1.0,
    steps: int = 100,
) -> tuple[float, float, float]:
    """a, k, b of P(correct) = sigmoid(a * logit(score) + k * known_ends + b): maximum
    likelihood with a ridge pulling towards the identity (a = 1, k = b = 0), so that a few
    hundred facts, or scores that separate them, cannot send the fit to infinity."""
    clipped = numpy.clip(scores, 1e-4, 1 - 1e-4)
    x = numpy.log(clipped / (1 - clipped))
    features = numpy.stack([x, known_ends.astype(float), numpy.ones_like(x)], axis=1)
    prior = numpy.array([1.0, 0.0, 0.0])

    def loss(w: numpy.ndarray) -> float:
        z = features @ w
        penalty = ridge / 2 * numpy.sum((w - prior) ** 2)
        return float(numpy.sum(numpy.logaddexp(0, z) - correct * z) + penalty)

    weights = prior.copy()
    for _ in range(steps):
        p = 1 / (1 + numpy.exp(-features @ weights))
        gradient = features.T @ (p - correct) + ridge * (weights - prior)
        hessian = features.T @ (features * (p * (1 - p))[:, None]) + ridge * numpy.eye(3)
        step = numpy.linalg.solve(hessian, gradient)
        size = 1.0
        while loss(weights - size * step) > loss(weights) and size > 1e-6:
            size /= 2  # damped Newton: never a step that makes the fit worse
        weights = weights - size * step
    return float(weights[0]), float(weights[1]), float(weights[2])


def _fit(facts: list) -> dict[str, float]:
    scores = numpy.array([f.confidence for f in facts])
    known = numpy.array([f.known_ends for f in facts])
    correct = numpy.array([float(f.correct) for f in facts])
    slope, per_end, intercept = fit_platt(scores, known, correct)
    return {
        "slope": round(slope, 4),
        "known_end": round(per_end, 4),
        "intercept": round(intercept, 4),
        "facts": len(facts),
        "correct": int(correct.sum()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    args = parser.parse_args()
    nlp = build_pipeline()
    classifier, confidence = nlp.get_pipe(CLASSIFIER), nlp.get_pipe(CONFIDENCE)
    classifier.cfg["calibration"] = dict(IDENTITY)
    confidence.calibration = {}
    threshold = classifier.cfg["threshold"]
    classifier.cfg["threshold"] = FIT_THRESHOLD  # see the low scores too
    facts = run_splits([args.split])[args.split]["calibration"]
    fits = {
        extractor: _fit([f for f in facts if f.extractor == extractor])  # type: ignore[union-attr]
        for extractor in CALIBRATED
    }
    params = {e: {k: fit[k] for k in IDENTITY} for e, fit in fits.items()}
    classifier.cfg["calibration"] = params[EXTRACTOR_MODEL]
    classifier.cfg["threshold"] = threshold
    confidence.calibration = {e: p for e, p in params.items() if e != EXTRACTOR_MODEL}
    result = run_splits([args.split])[args.split]
    sweep = threshold_sweep(result["calibration"], int(result["gold_total"]), THRESHOLDS)  # type: ignore[arg-type]
    review = max(sweep, key=lambda row: (row["f1"], row["threshold"]))
    classifier.to_disk(PIPELINE_DIR / CLASSIFIER)
    confidence.to_disk(PIPELINE_DIR / CONFIDENCE)
    meta_path = PIPELINE_DIR / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["spacekg"]["calibration"] = {"split": args.split, **fits}
    meta["spacekg"]["review_threshold"] = {
        "value": review["threshold"],
        "chosen_by": f"highest F1 of the facts kept on {args.split}, all extractors",
        "precision": round(review["precision"], 3),
        "recall": round(review["recall"], 3),
        "f1": round(review["f1"], 3),
    }
    meta["spacekg"]["files"] = file_digests(PIPELINE_DIR)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for extractor, fit in fits.items():
        print(
            f"{args.split}: {extractor}: {fit['facts']} facts, {fit['correct']} right; "
            f"confidence = sigmoid({fit['slope']:.3f} * logit(score) "
            f"+ {fit['known_end']:.3f} * known_ends + {fit['intercept']:.3f})"
        )
    print(
        f"review threshold {review['threshold']} "
        f"(P {review['precision']:.2f} R {review['recall']:.2f} F1 {review['f1']:.2f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
