#!/usr/bin/env python3
"""Golden reference cases for src/stats/{metrics,significance} and src/stats/random.ts.

Run:  bash scripts/golden/generate-metrics.sh   (or, with the venv in place,
      .venv/bin/python scripts/golden/metrics_cases.py)

Every expected value comes from a tool people trust, run on the same inputs:
  * scikit-learn: accuracy/precision/recall/f1, roc_auc_score, average_precision_score,
    log_loss, brier_score_loss, calibration_curve (for ECE), MAE/RMSE/R²;
  * fairlearn: demographic_parity_difference, equal_opportunity_difference;
  * statsmodels: mcnemar(exact=..., correction=True);
  * scipy: erfc, chi2.sf, norm.sf;
  * DeLong: an independent numpy implementation of the fast midrank algorithm of
    Sun & Xu (2014), checked here against a slow O(m·n) structural-components version
    and sklearn's AUC before anything is written.
The fixture is deterministic: numpy's seeded Generator drives all data.
"""
from __future__ import annotations

import json
import math
import sys
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np
import scipy.special
import scipy.stats
from fairlearn.metrics import demographic_parity_difference, equal_opportunity_difference
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    log_loss,
    mean_absolute_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    root_mean_squared_error,
)
from statsmodels.stats.contingency_tables import mcnemar

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "golden-metrics.json"
PINNED = ROOT / "scripts" / "golden" / "requirements-metrics.txt"

warnings.simplefilter("ignore")  # sklearn warns on degenerate slices; we record None there
rng = np.random.default_rng(20261122)


def check_versions() -> dict[str, str]:
    """Refuse to write a fixture from versions other than the pinned ones."""
    found = {}
    for line in PINNED.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, version = line.split("==")
        found[name] = metadata.version(name)
        if found[name] != version:
            sys.exit(f"{name} {found[name]} installed but {version} pinned; re-run ensure-venv.sh")
    return found


def floats(a) -> list[float]:
    return [float(x) for x in a]


def ints(a) -> list[int]:
    return [int(x) for x in a]


# ---------------------------------------------------------------- binary metrics

def ece_reference(y, p, bins):
    """ECE on sklearn's calibration_curve bins, weighted by bin count."""
    prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy="uniform", pos_label=1)
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=bins)
    counts = counts[counts != 0]
    assert len(counts) == len(prob_true)
    return float(np.sum(counts / len(p) * np.abs(prob_true - prob_pred)))


def binary_expected(y, p, threshold=0.5, bins=10):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    pred = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "accuracy": float(accuracy_score(y, pred)),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "rocAuc": float(roc_auc_score(y, p)) if both else None,
        "averagePrecision": float(average_precision_score(y, p)) if y.sum() > 0 else None,
        "logLoss": float(log_loss(y, p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p, pos_label=1)),
        "expectedCalibrationError": ece_reference(y, p, bins),
        "confusion": {
            "truePositives": int(((pred == 1) & (y == 1)).sum()),
            "falsePositives": int(((pred == 1) & (y == 0)).sum()),
            "trueNegatives": int(((pred == 0) & (y == 0)).sum()),
            "falseNegatives": int(((pred == 0) & (y == 1)).sum()),
        },
    }


def synthetic_binary(n, prevalence, separation, decimals=None):
    y = (rng.random(n) < prevalence).astype(int)
    logits = rng.normal(size=n) + separation * (2 * y - 1)
    p = 1 / (1 + np.exp(-logits))
    if decimals is not None:
        p = np.round(p, decimals)  # ties
    return y, p


def binary_cases():
    cases = []

    def add(name, y, p, threshold=0.5, bins=10):
        cases.append({
            "name": name, "yTrue": ints(y), "probability": floats(p), "threshold": threshold,
            "calibrationBins": bins, "expected": binary_expected(y, p, threshold, bins),
        })

    add("tiny hand case", [0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8])
    add("single row positive", [1], [0.7])
    add("two rows", [0, 1], [0.2, 0.9])
    add("perfect separation", [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    add("perfectly wrong", [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])
    add("all tied scores", [0, 1, 0, 1, 1], [0.5] * 5)
    add("hard 0/1 probabilities (log loss clipping)", [0, 1, 1, 0, 1, 0], [0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    add("probabilities on bin edges", [0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0],
        [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    add("single class negative", [0, 0, 0, 0], [0.1, 0.6, 0.3, 0.2])
    add("single class positive", [1, 1, 1], [0.9, 0.4, 0.6])
    add("nothing predicted positive", [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4])
    add("threshold 0.3", [0, 1, 1, 0, 1], [0.25, 0.3, 0.31, 0.29, 0.9], threshold=0.3)
    add("five bins", [0, 1, 1, 0, 1, 0, 0, 1], [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.95], bins=5)
    for n in [3, 7, 10, 25, 50, 100, 250, 1000, 3000]:
        y, p = synthetic_binary(n, 0.4, 1.0)
        add(f"synthetic n={n}", y, p)
    for n, decimals in [(20, 1), (100, 1), (200, 2), (1000, 2), (2000, 1), (5000, 3)]:
        y, p = synthetic_binary(n, 0.3, 0.8, decimals)
        add(f"ties n={n} rounded to {decimals} decimals", y, p)
    for n, prevalence in [(200, 0.02), (1000, 0.01), (2000, 0.005), (500, 0.97)]:
        y, p = synthetic_binary(n, prevalence, 1.5)
        if y.sum() == 0:
            y[0] = 1
        add(f"imbalanced n={n} prevalence={prevalence}", y, p)
    for n, bins in [(300, 15), (300, 20), (1000, 7), (1000, 3), (500, 1)]:
        y, p = synthetic_binary(n, 0.5, 0.5)
        add(f"calibration bins={bins} n={n}", y, p, bins=bins)
    for threshold in [0.1, 0.25, 0.75, 0.9, 1.0, 0.0]:
        y, p = synthetic_binary(400, 0.4, 1.0, 2)
        add(f"threshold {threshold}", y, p, threshold=threshold)
    # Skewed, badly calibrated scores piled near 0 and 1.
    y = (rng.random(800) < 0.3).astype(int)
    p = np.clip(rng.beta(0.3, 0.3, size=800) * 0.5 + 0.5 * y * rng.random(800), 0, 1)
    add("skewed beta scores", y, p)
    y = (rng.random(600) < 0.5).astype(int)
    p = np.where(rng.random(600) < 0.2, np.where(y == 1, 0.0, 1.0), rng.random(600))
    add("confident mistakes (clipping)", y, p)
    return cases


# ---------------------------------------------------------------- regression

def regression_cases():
    cases = []

    def add(name, y, f):
        cases.append({"name": name, "yTrue": floats(y), "yPred": floats(f), "expected": {
            "mae": float(mean_absolute_error(y, f)),
            "rmse": float(root_mean_squared_error(y, f)),
            "r2": float(r2_score(y, f)),
        }})

    add("hand case", [3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    add("perfect", [1, 2, 3], [1, 2, 3])
    add("constant truth, perfect", [4, 4, 4], [4, 4, 4])
    add("constant truth, imperfect", [4, 4, 4], [4, 5, 3])
    add("two rows", [0, 1], [1, 0])
    for n in [5, 20, 100, 1000, 5000]:
        y = rng.normal(10, 3, size=n)
        add(f"noisy n={n}", y, y + rng.normal(0, 1, size=n))
    for n in [50, 500]:
        y = rng.lognormal(2, 1.2, size=n)
        add(f"skewed lognormal n={n}", y, y * rng.uniform(0.7, 1.3, size=n))
    y = rng.normal(1e6, 10, size=300)
    add("large offset small spread", y, y + rng.normal(0, 2, size=300))
    y = rng.normal(0, 1, size=300)
    add("worse than the mean (negative R2)", y, -y)
    y = np.round(rng.normal(0, 2, size=200))
    add("integer-valued ties", y, np.round(y + rng.normal(0, 1, size=200)))
    y = rng.normal(0, 1e-6, size=100)
    add("tiny scale", y, y + rng.normal(0, 1e-7, size=100))
    return cases


# ---------------------------------------------------------------- slices and fairness

def slice_cases():
    cases = []
    for n, k in [(60, 3), (300, 5), (1000, 4), (2000, 8)]:
        y, p = synthetic_binary(n, 0.35, 1.0, 2)
        groups = rng.choice([f"g{i}" for i in range(k)], size=n, p=np.linspace(1, 2, k) / np.linspace(1, 2, k).sum())
        # One slice that only has negatives, so ROC AUC must be null there.
        y = np.where(groups == "g0", 0, y)
        expected = {}
        for g in np.unique(groups):
            mask = groups == g
            expected[str(g)] = {"count": int(mask.sum()), "positives": int(y[mask].sum()),
                                "metrics": binary_expected(y[mask], p[mask])}
        cases.append({"name": f"slices n={n} k={k}", "slices": [str(g) for g in groups], "yTrue": ints(y),
                      "probability": floats(p), "expected": expected})
    return cases


def fairness_cases():
    cases = []

    def add(name, groups, y, pred):
        groups = np.asarray(groups)
        y = np.asarray(y)
        pred = np.asarray(pred)
        tprs = [pred[(groups == g) & (y == 1)].mean() for g in np.unique(groups) if ((groups == g) & (y == 1)).any()]
        cases.append({"name": name, "groups": [str(g) for g in groups], "yTrue": ints(y), "yPred": ints(pred), "expected": {
            "demographicParityDifference": float(demographic_parity_difference(y, pred, sensitive_features=groups)),
            # fairlearn counts a group without positives as TPR 0 ("zero" mode).
            "equalOpportunityDifferenceZero": float(equal_opportunity_difference(y, pred, sensitive_features=groups)),
            "equalOpportunityDifferenceExclude": float(max(tprs) - min(tprs)),
        }})

    add("hand case", ["a", "a", "b", "b", "c", "c"], [1, 0, 1, 1, 1, 0], [1, 0, 0, 1, 1, 1])
    add("group without positives", ["a", "a", "b", "b", "c", "c"], [1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 0])
    add("single group", ["x"] * 5, [1, 0, 1, 1, 0], [1, 1, 0, 1, 0])
    for n, k in [(50, 2), (200, 3), (1000, 5), (3000, 10), (500, 2), (100, 4)]:
        groups = rng.choice([f"group-{i}" for i in range(k)], size=n)
        y = (rng.random(n) < 0.4).astype(int)
        bias = np.array([int(g.split("-")[1]) for g in groups]) * 0.05
        pred = (rng.random(n) < 0.2 + 0.5 * y + bias).astype(int)
        add(f"biased n={n} k={k}", groups, y, pred)
    groups = rng.choice(["big", "small"], size=400, p=[0.95, 0.05])
    y = (rng.random(400) < 0.1).astype(int)
    pred = (rng.random(400) < 0.3).astype(int)
    y[np.flatnonzero(groups == "big")[0]] = 1
    add("imbalanced groups", groups, y, pred)
    return cases


# ---------------------------------------------------------------- McNemar

def mcnemar_expected(b, c, exact):
    result = mcnemar([[10, b], [c, 10]], exact=exact, correction=True)
    return {"statistic": float(result.statistic), "pValue": float(result.pvalue)}


def mcnemar_count_cases():
    cases = []
    pairs = [(0, 0), (0, 1), (1, 0), (3, 4), (0, 10), (2, 9), (5, 19), (12, 12), (0, 24), (11, 13),
             (12, 13), (0, 25), (20, 40), (100, 130), (250, 180), (1000, 1100), (0, 500), (3, 300),
             (5000, 5210), (40, 41), (13, 12), (1, 23), (7, 30), (60, 20)]
    for b, c in pairs:
        exact = b + c < 25
        cases.append({"name": f"b={b} c={c}", "b": b, "c": c, "exact": exact, "forced": False, **mcnemar_expected(b, c, exact)})
    for b, c, exact in [(30, 45, True), (80, 60, True), (2, 3, False), (10, 14, False), (150, 190, True)]:
        cases.append({"name": f"forced exact={exact} b={b} c={c}", "b": b, "c": c, "exact": exact, "forced": True,
                      **mcnemar_expected(b, c, exact)})
    return cases


def mcnemar_array_cases():
    cases = []
    for n, flip in [(30, 0.1), (100, 0.05), (1000, 0.03), (5000, 0.02), (400, 0.2)]:
        y = (rng.random(n) < 0.5).astype(int)
        champion = np.where(rng.random(n) < 0.2, 1 - y, y)
        challenger = np.where(rng.random(n) < flip, 1 - champion, champion)
        b = int(((champion == y) & (challenger != y)).sum())
        c = int(((champion != y) & (challenger == y)).sum())
        exact = b + c < 25
        cases.append({"name": f"predictions n={n}", "yTrue": ints(y), "championPred": ints(champion),
                      "challengerPred": ints(challenger), "b": b, "c": c, "exact": exact, **mcnemar_expected(b, c, exact)})
    return cases


# ---------------------------------------------------------------- DeLong

def midrank(x):
    """Midranks (1-based, ties averaged), written out rather than scipy's rankdata."""
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    n = len(x)
    ranks_sorted = np.empty(n)
    i = 0
    while i < n:
        j = i
        while j < n and sorted_x[j] == sorted_x[i]:
            j += 1
        ranks_sorted[i:j] = 0.5 * (i + j - 1) + 1
        i = j
    ranks = np.empty(n)
    ranks[order] = ranks_sorted
    return ranks


def delong_fast(y, scores):
    """Sun & Xu (2014): AUCs and covariance from midranks, O(k·N log N)."""
    pos = scores[:, y == 1]
    neg = scores[:, y == 0]
    m, n = pos.shape[1], neg.shape[1]
    k = scores.shape[0]
    tx = np.array([midrank(pos[r]) for r in range(k)])
    ty = np.array([midrank(neg[r]) for r in range(k)])
    tz = np.array([midrank(np.concatenate([pos[r], neg[r]])) for r in range(k)])
    aucs = tz[:, :m].sum(axis=1) / m / n - (m + 1.0) / 2.0 / n
    v_pos = (tz[:, :m] - tx) / n
    v_neg = 1.0 - (tz[:, m:] - ty) / m
    cov = np.cov(v_pos) / m + np.cov(v_neg) / n
    return aucs, cov


def delong_slow(y, scores):
    """Textbook DeLong (1988) with the ψ kernel over all positive/negative pairs."""
    pos = scores[:, y == 1]
    neg = scores[:, y == 0]
    m, n = pos.shape[1], neg.shape[1]
    k = scores.shape[0]
    v10 = np.zeros((k, m))
    v01 = np.zeros((k, n))
    for r in range(k):
        psi = (pos[r][:, None] > neg[r][None, :]) + 0.5 * (pos[r][:, None] == neg[r][None, :])
        v10[r] = psi.mean(axis=1)
        v01[r] = psi.mean(axis=0)
    aucs = v10.mean(axis=1)
    s10 = np.cov(v10)
    s01 = np.cov(v01)
    return aucs, s10 / m + s01 / n


def delong_expected(y, champion, challenger):
    scores = np.vstack([champion, challenger])
    aucs, cov = delong_fast(y, scores)
    slow_aucs, slow_cov = delong_slow(y, scores)
    assert np.allclose(aucs, slow_aucs, rtol=1e-12, atol=1e-15), (aucs, slow_aucs)
    assert np.allclose(cov, slow_cov, rtol=1e-10, atol=1e-16), (cov, slow_cov)
    for r in range(2):
        assert math.isclose(aucs[r], roc_auc_score(y, scores[r]), rel_tol=1e-12)
    variance = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    difference = aucs[1] - aucs[0]
    if variance > 0:
        z = difference / math.sqrt(variance)
    else:
        assert difference == 0
        z = 0.0
    return {
        "aucChampion": float(aucs[0]), "aucChallenger": float(aucs[1]), "difference": float(difference),
        "variance": float(max(variance, 0.0)), "varianceChampion": float(cov[0, 0]),
        "varianceChallenger": float(cov[1, 1]), "covariance": float(cov[0, 1]),
        "z": float(z), "pValue": float(2 * scipy.stats.norm.sf(abs(z))),
    }


def delong_cases():
    cases = []

    def add(name, y, champion, challenger):
        y = np.asarray(y, dtype=int)
        champion = np.asarray(champion, dtype=float)
        challenger = np.asarray(challenger, dtype=float)
        cases.append({"name": name, "yTrue": ints(y), "championScore": floats(champion),
                      "challengerScore": floats(challenger), "expected": delong_expected(y, champion, challenger)})

    add("hand case", [0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7], [0.2, 0.3, 0.6, 0.9, 0.1, 0.5])
    add("minimum size 2+2", [0, 1, 0, 1], [0.1, 0.4, 0.5, 0.9], [0.3, 0.2, 0.1, 0.8])
    y = (rng.random(200) < 0.4).astype(int)
    s = rng.normal(size=200) + y
    add("identical classifiers", y, s, s.copy())
    add("monotone transform (same ranking)", y, s, np.exp(s))
    for n, prevalence, gain, decimals in [
        (20, 0.5, 0.3, None), (50, 0.3, 0.5, None), (100, 0.5, 0.2, 1), (200, 0.4, 0.0, None),
        (300, 0.2, 0.4, 2), (500, 0.5, 0.1, None), (1000, 0.3, 0.3, 1), (1000, 0.05, 0.5, None),
        (2000, 0.5, 0.05, 2), (3000, 0.1, 0.2, None), (800, 0.6, -0.3, None), (150, 0.5, 1.0, 0),
        (60, 0.5, 0.8, None), (400, 0.02, 0.6, None), (1500, 0.4, 0.15, 3),
    ]:
        y = (rng.random(n) < prevalence).astype(int)
        y[:2] = [0, 1]  # at least one of each (the draw adds the rest)
        y[2:4] = [0, 1]
        shared = rng.normal(size=n)
        champion = shared + 0.8 * y + rng.normal(scale=0.7, size=n)
        challenger = shared + (0.8 + gain) * y + rng.normal(scale=0.7, size=n)
        if decimals is not None:
            champion = np.round(champion, decimals)
            challenger = np.round(challenger, decimals)
        add(f"correlated n={n} prevalence={prevalence} gain={gain} decimals={decimals}", y, champion, challenger)
    y = (rng.random(300) < 0.5).astype(int)
    add("integer scores with heavy ties", y, rng.integers(0, 3, size=300) + y, rng.integers(0, 4, size=300) + y)
    y = (rng.random(200) < 0.5).astype(int)
    add("independent classifiers", y, rng.normal(size=200) + y, rng.normal(size=200) + 0.5 * y)
    return cases


# ---------------------------------------------------------------- special functions

def special_cases():
    xs = [-5, -2.5, -1, -0.3, 0, 1e-8, 0.1, 0.5, 0.9, 1, 1.5, 1.99, 2, 2.01, 2.5, 3, 4, 5, 6, 8, 10, 15, 20, 26]
    zs = [0, 0.5, 1, 1.6448536269514722, 1.959963984540054, 2.5, 3, 4, 5, 6, 8, 10, 20, 37]
    chis = [0.0001, 0.01, 0.1, 0.5, 1, 2, 3.841458820694124, 5, 10, 20, 50, 100, 200, 500, 1000]
    return {
        "erfc": [{"x": float(x), "expected": float(scipy.special.erfc(x))} for x in xs],
        "normalTwoSidedP": [{"z": float(z), "expected": float(2 * scipy.stats.norm.sf(z))} for z in zs],
        "chiSquare1Sf": [{"x": float(x), "expected": float(scipy.stats.chi2.sf(x, 1))} for x in chis],
    }


# ---------------------------------------------------------------- PRNG

MASK = 0xFFFFFFFF


def rng_reference(seed, count):
    """xoshiro128** seeded by splitmix32, mirroring src/stats/random.ts from the spec."""
    low = seed & MASK
    high = (seed // 2**32) & MASK
    state = (low ^ ((high * 0x632BE5AB) & MASK)) & MASK
    s = []
    for _ in range(4):
        state = (state + 0x9E3779B9) & MASK
        z = state
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK
        s.append((z ^ (z >> 16)) & MASK)

    def rotl(x, k):
        return ((x << k) | (x >> (32 - k))) & MASK

    out = []
    for _ in range(count):
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 9) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        out.append(result)
    return out


def random_cases():
    cases = []
    for seed in [0, 1, 2, 42, 123456789, 2**32 + 5, -7, 2**53 - 1]:
        words = rng_reference(seed, 16)
        float_words = rng_reference(seed, 8)
        floats_ = [((float_words[i] >> 5) * 2**26 + (float_words[i + 1] >> 6)) / 2**53 for i in range(0, 8, 2)]
        cases.append({"seed": seed, "uint32": words, "floats": floats_})
    return cases


def main() -> None:
    versions = check_versions()
    fixture = {
        "about": "Generated by scripts/golden/metrics_cases.py; do not edit by hand.",
        "versions": versions,
        "binary": binary_cases(),
        "regression": regression_cases(),
        "slices": slice_cases(),
        "fairness": fairness_cases(),
        "mcnemarCounts": mcnemar_count_cases(),
        "mcnemarPredictions": mcnemar_array_cases(),
        "delong": delong_cases(),
        "special": special_cases(),
        "random": random_cases(),
    }
    counts = {k: len(v) for k, v in fixture.items() if isinstance(v, list)}
    counts["special"] = sum(len(v) for v in fixture["special"].values())
    fixture["caseCounts"] = counts
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, allow_nan=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {sum(counts.values())} cases {counts}")


if __name__ == "__main__":
    main()
