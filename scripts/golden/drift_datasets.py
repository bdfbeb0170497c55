"""Column generators shared by the Evidently comparison (drift_evidently_cases.py) and the
sketch error grid (sketch_error_grid.py).

A column is described by a small JSON spec and regenerated bit-for-bit in TypeScript
(test/unit/stats/drift/dataset-gen.ts): mulberry32 and IEEE-exact operations only
(+, −, ×, ÷, floor, comparisons), so large samples need not be stored in a fixture.
"""
import math

import numpy as np


def mulberry32(seed):
    a = seed & 0xFFFFFFFF
    while True:
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((a ^ (a >> 15)) * (a | 1)) & 0xFFFFFFFF
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF) ^ t
        yield ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


def numeric_value(kind, nxt, loc, scale, k):
    if kind == "normalish":
        u = nxt() + nxt()
        u = u + nxt()
        u = u + nxt()
        return (u - 2) * scale + loc
    if kind == "skewed":
        u = nxt()
        return u * u * u * scale + loc
    if kind == "heavy":  # Pareto-like tail: P(X > x) ~ 1/x
        return scale / (nxt() + 0.001) + loc
    if kind == "ties":  # k equally likely integers
        return math.floor(nxt() * k) * scale + loc
    if kind == "mixed":  # zero-inflated: an atom at loc, a skewed continuous part
        u = nxt()
        v = nxt()
        return loc if u < 0.4 else v * v * scale + loc
    if kind == "constant":
        return loc
    if kind == "binary":
        return loc + scale if nxt() < k else loc
    raise ValueError(kind)


def generate(spec):
    """Replay a column spec: a float64 array (NaN missing) or a list of str/None."""
    nxt = mulberry32(spec["seed"]).__next__
    n, kind, nan_rate = spec["n"], spec["kind"], spec.get("nanRate", 0)
    if kind == "categorical":
        cats, cum = spec["categories"], spec["cumulative"]
        out = []
        for _ in range(n):
            u = nxt()
            j = 0
            while j < len(cum) - 1 and u >= cum[j]:
                j += 1
            missing = nan_rate > 0 and nxt() < nan_rate
            out.append(None if missing else cats[j])
        return out
    out = np.empty(n, dtype=np.float64)
    loc, scale, k = spec.get("loc", 0), spec.get("scale", 1), spec.get("k", 0)
    for i in range(n):
        v = numeric_value(kind, nxt, loc, scale, k)
        if nan_rate > 0 and nxt() < nan_rate:
            v = math.nan
        out[i] = v
    return out


def categorical_spec(seed, n, categories, weights, nan_rate=0):
    total = float(sum(weights))
    cum, acc = [], 0.0
    for w in weights:
        acc += w / total
        cum.append(acc)
    cum[-1] = 1.0
    spec = {"seed": seed, "n": n, "kind": "categorical", "categories": categories, "cumulative": cum}
    if nan_rate:
        spec["nanRate"] = nan_rate
    return spec


def numeric_spec(seed, n, kind, loc=0.0, scale=1.0, k=0, nan_rate=0):
    spec = {"seed": seed, "n": n, "kind": kind, "loc": loc, "scale": scale}
    if k:
        spec["k"] = k
    if nan_rate:
        spec["nanRate"] = nan_rate
    return spec
