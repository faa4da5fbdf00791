"""training/scripts/calibrate.py: the Platt fit finds the parameters behind the data and never
diverges (undamped Newton steps did, on separable scores)."""

from __future__ import annotations

import numpy
import pytest
from conftest import training_script


def test_fit_recovers_the_generating_parameters() -> None:
    rng = numpy.random.default_rng(7)
    scores = rng.uniform(0.02, 0.98, 20_000)
    known = rng.integers(0, 3, scores.size)
    z = 0.5 * numpy.log(scores / (1 - scores)) + 0.8 * known - 1.5
    correct = (rng.uniform(size=scores.size) < 1 / (1 + numpy.exp(-z))).astype(float)
    slope, per_end, intercept = training_script("calibrate").fit_platt(
        scores, known, correct, ridge=1e-3
    )
    assert (slope, per_end, intercept) == pytest.approx((0.5, 0.8, -1.5), abs=0.08)


def test_fit_stays_finite_on_separable_scores() -> None:
    scores = numpy.array([0.05, 0.1, 0.2, 0.8, 0.9, 0.95] * 20)
    correct = (scores > 0.5).astype(float)
    slope, per_end, intercept = training_script("calibrate").fit_platt(
        scores, numpy.zeros(scores.size), correct
    )
    assert all(abs(v) < 20 for v in (slope, per_end, intercept))
    assert slope > 1  # the scores separate: the fit sharpens them
