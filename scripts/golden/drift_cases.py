"""Generate test/fixtures/golden-drift.json: reference values for the drift tests.

Every case stores its inputs and what scipy/numpy answer, so the TypeScript unit tests
can check our implementations without Python. Large samples are not stored: they are
described by a tiny PRNG spec (mulberry32 + exact float ops) that the tests replay
bit-for-bit (test/unit/stats/drift/golden-data.ts).

Besides scipy's own tests: Evidently's goodness-of-fit chi-square (scipy.stats.chisquare),
Evidently-mode PSI/JS (a numpy replica of Evidently's binning; the Evidently fixture of
drift_evidently_cases.py checks against Evidently itself) and the exact values the sketch
must bound on 1,001- to 5,000-row references.

Run:  python=$(bash examples/python-common/ensure-venv.sh scripts/golden/requirements-drift.txt | tail -1)
      "$python" scripts/golden/drift_cases.py
"""
import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "golden-drift.json"


def mulberry32(seed):
    a = seed & 0xFFFFFFFF
    while True:
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((a ^ (a >> 15)) * (a | 1)) & 0xFFFFFFFF
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF) ^ t
        yield ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


def generate(spec):
    """Replay a sample spec; only IEEE-exact operations so TypeScript gets the same bits."""
    rng = mulberry32(spec["seed"])
    kind, n, loc, scale = spec["kind"], spec["n"], spec["loc"], spec["scale"]
    out = []
    for _ in range(n):
        if kind == "normalish":
            u = next(rng) + next(rng)
            u = u + next(rng)
            u = u + next(rng)
            out.append((u - 2) * scale + loc)
        elif kind == "skewed":
            u = next(rng)
            out.append(u * u * u * scale + loc)
        elif kind == "ties":
            out.append(math.floor(next(rng) * scale) + loc)
        else:
            raise ValueError(kind)
    for i in range(spec.get("bump", 0)):
        out[i] = out[i] + 1  # a few moved values: a tiny KS statistic on a large sample
    return np.array(out, dtype=np.float64)


def sample(seed, n, kind="normalish", loc=0, scale=1, inline=True, bump=0):
    spec = {"seed": seed, "n": n, "kind": kind, "loc": loc, "scale": scale}
    if bump:
        spec["bump"] = bump
    data = generate(spec)
    return (data.tolist() if inline else {"gen": spec}), data


cases = []


def add(function, case_id, inputs, expected):
    cases.append({"function": function, "id": case_id, "inputs": inputs, "expected": expected})


def ks_cases():
    seed = 1000
    sizes = [(5, 5), (8, 8), (10, 7), (3, 12), (25, 25), (30, 45), (60, 60), (100, 80), (150, 150),
             (200, 333), (500, 500), (700, 1000), (1000, 1000), (1000, 2500), (2000, 3000), (4000, 6000),
             (10000, 10000), (10000, 7000)]
    shapes = [("normalish", 0, 1), ("skewed", 0, 3), ("ties", 0, 6)]
    for (n1, n2) in sizes:
        for shape, loc, scale in shapes:
            for shift in (0, 0.3) if n1 <= 1000 else (0.05,):
                seed += 1
                big = n1 + n2 > 2500
                a_in, a = sample(seed, n1, shape, loc, scale, inline=not big)
                b_in, b = sample(seed + 50000, n2, shape, loc + shift * scale, scale, inline=not big)
                r = stats.ks_2samp(a, b)
                add("ks", f"ks-{shape}-{n1}x{n2}-shift{shift}", {"a": a_in, "b": b_in},
                    {"statistic": float(r.statistic), "pValue": float(r.pvalue)})
    # Asymptotic path: one sample above 10 000, covering each Kolmogorov-tail region.
    for n2 in (3, 8, 20, 60, 150, 2000, 12000, 40000):
        for shift in (0.0, 0.02, 0.1, 0.6):
            seed += 1
            a_in, a = sample(seed, 12000, "normalish", 0, 1, inline=False)
            b_in, b = sample(seed + 50000, n2, "normalish", shift, 1, inline=n2 <= 150)
            r = stats.ks_2samp(a, b)
            add("ks", f"ks-asymp-12000x{n2}-shift{shift}", {"a": a_in, "b": b_in},
                {"statistic": float(r.statistic), "pValue": float(r.pvalue)})
    # Large n, tiny statistic: the Durbin-matrix region of the Kolmogorov tail.
    for bump in (5, 20, 60, 150):
        seed += 1
        a_in, a = sample(seed, 12000, "normalish", 0, 1, inline=False)
        b_in, b = sample(seed, 12000, "normalish", 0, 1, inline=False, bump=bump)
        r = stats.ks_2samp(a, b)
        add("ks", f"ks-asymp-12000x12000-bump{bump}", {"a": a_in, "b": b_in},
            {"statistic": float(r.statistic), "pValue": float(r.pvalue)})


def ks_more_cases():
    """1,001-row references (just past the exact-profile limit) against small and large windows."""
    seed = 300000
    for n2 in (10, 50, 200, 1001, 3000):
        for shape, scale in (("normalish", 1), ("skewed", 3), ("ties", 8)):
            for shift in (0, 0.15):
                seed += 1
                a_in, a = sample(seed, 1001, shape, 0, scale, inline=False)
                b_in, b = sample(seed + 50000, n2, shape, shift * scale, scale, inline=False)
                r = stats.ks_2samp(a, b)
                add("ks", f"ks-ref1001-{shape}-x{n2}-shift{shift}", {"a": a_in, "b": b_in},
                    {"statistic": float(r.statistic), "pValue": float(r.pvalue)})


def kolmogorov_cases():
    """scipy.stats.kstwo.sf on a grid that visits every region of its algorithm choice."""
    for n in (1, 2, 5, 10, 50, 140, 141, 1000, 5000, 100000, 100001, 1000000):
        for x in (0.3 / n, 0.75 / n, 1.5 / n, 0.4 / np.sqrt(n), 0.8 / np.sqrt(n), 1.2 / np.sqrt(n),
                  1.6 / np.sqrt(n), 2.5 / np.sqrt(n), 5 / np.sqrt(n), 0.55, 1 - 0.5 / n):
            if 0 < x < 1:
                add("kolmogorov", f"kstwo-n{n}-x{x:.6g}", {"n": n, "x": float(x)},
                    {"pValue": float(stats.kstwo.sf(x, n))})


def chi_square_cases():
    rng = np.random.default_rng(7)
    for i in range(24):
        k = int(rng.integers(2, 9))
        ref = rng.integers(0, 60, size=k)
        cur = rng.integers(0, 60, size=k)
        if i % 3 == 0:
            ref[-1] = 0  # category unseen in the reference
        if i % 4 == 1:
            cur[0] = 0  # category that disappeared from the current window
        if i % 5 == 2:
            cur = ref * (2 + i)  # exactly the same proportions
        cats = [f"c{j}" for j in range(k)]
        ref_map = {c: int(v) for c, v in zip(cats, ref) if v > 0 or i % 2 == 0}
        cur_map = {c: int(v) for c, v in zip(cats, cur) if v > 0 or i % 2 == 1}
        keys = [c for c in cats if ref_map.get(c, 0) + cur_map.get(c, 0) > 0]
        table = np.array([[ref_map.get(c, 0) for c in keys], [cur_map.get(c, 0) for c in keys]])
        if len(keys) < 2:
            continue
        stat, p, dof, _ = stats.chi2_contingency(table, correction=False)
        add("chi-square", f"chi2-{i}-k{k}", {"reference": ref_map, "current": cur_map},
            {"statistic": float(stat), "pValue": float(p), "degreesOfFreedom": int(dof)})
    for i in range(24, 96):  # 3x more, larger tables and counts
        k = int(rng.integers(2, 15))
        scale = int(rng.choice([20, 200, 2000]))
        ref = rng.integers(0, scale, size=k)
        cur = rng.integers(0, scale, size=k)
        if i % 3 == 0:
            ref[-1] = 0
        if i % 4 == 1:
            cur[0] = 0
        cats = [f"c{j}" for j in range(k)]
        ref_map = {c: int(v) for c, v in zip(cats, ref) if v > 0}
        cur_map = {c: int(v) for c, v in zip(cats, cur) if v > 0}
        keys = [c for c in cats if ref_map.get(c, 0) + cur_map.get(c, 0) > 0]
        if len(keys) < 2 or not ref_map or not cur_map:
            continue
        table = np.array([[ref_map.get(c, 0) for c in keys], [cur_map.get(c, 0) for c in keys]])
        stat, p, dof, _ = stats.chi2_contingency(table, correction=False)
        add("chi-square", f"chi2-{i}-k{k}-scale{scale}", {"reference": ref_map, "current": cur_map},
            {"statistic": float(stat), "pValue": float(p), "degreesOfFreedom": int(dof)})
    # A strong shift with large counts: a tiny p-value in the far tail.
    ref_map, cur_map = {"a": 5000, "b": 3000, "c": 2000}, {"a": 3000, "b": 3000, "c": 4000, "new": 50}
    keys = ["a", "b", "c", "new"]
    stat, p, dof, _ = stats.chi2_contingency(np.array([[ref_map.get(c, 0) for c in keys], [cur_map[c] for c in keys]]), correction=False)
    add("chi-square", "chi2-far-tail", {"reference": ref_map, "current": cur_map},
        {"statistic": float(stat), "pValue": float(p), "degreesOfFreedom": int(dof)})


def z_cases():
    rng = np.random.default_rng(11)
    combos = [(30, 100, 45, 100), (5, 10, 5, 10), (0, 50, 3, 60), (500, 1000, 560, 1000),
              (100000, 200000, 101500, 200000), (1, 1000, 40, 1000), (990, 1000, 700, 1000)]
    for _ in range(53):
        n1, n2 = int(rng.integers(5, 3000)), int(rng.integers(5, 3000))
        combos.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    for s1, n1, s2, n2 in combos:
        p1, p2 = s1 / n1, s2 / n2
        pooled = (s1 + s2) / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        add("z-test", f"z-{s1}of{n1}-vs-{s2}of{n2}", {"successes1": s1, "n1": n1, "successes2": s2, "n2": n2},
            {"statistic": z, "pValue": float(2 * stats.norm.sf(abs(z)))})


def psi_numpy(ref, cur, bins=10, eps=1e-4):
    cuts = np.quantile(ref, np.arange(1, bins) / bins)
    rc = np.bincount(np.searchsorted(cuts, ref, side="left"), minlength=bins)
    cc = np.bincount(np.searchsorted(cuts, cur, side="left"), minlength=bins)
    r = np.maximum(rc / rc.sum(), eps)
    c = np.maximum(cc / cc.sum(), eps)
    return float(np.sum((c - r) * np.log(c / r))), cuts, rc, cc


def psi_cases():
    seed = 70000
    for n1, n2, shape, shift, bins in [(200, 200, "normalish", 0, 10), (500, 300, "normalish", 0.2, 10),
                                      (1000, 1000, "skewed", 0.1, 10), (300, 700, "ties", 0, 10),
                                      (300, 700, "ties", 2, 10), (800, 800, "normalish", 1.0, 5),
                                      (150, 90, "skewed", 0.5, 20), (1000, 400, "normalish", -0.3, 10),
                                      (60, 60, "normalish", 0.05, 4), (2000, 2000, "ties", 0, 10),
                                      (400, 400, "normalish", 3.0, 10), (250, 1000, "skewed", 0, 8),
                                      # 3x more, with 1,001-row references
                                      (1001, 10, "normalish", 0, 10), (1001, 50, "skewed", 0.2, 10), (1001, 1001, "ties", 1, 10),
                                      (1001, 3000, "normalish", 0.1, 10), (1001, 200, "skewed", 0, 20), (1001, 1001, "normalish", 0.5, 6),
                                      (5000, 500, "normalish", 0.05, 10), (5000, 5000, "skewed", 0.1, 10), (3000, 100, "ties", 0, 10),
                                      (700, 700, "normalish", -1.0, 10), (1500, 1500, "ties", 3, 10), (100, 1000, "skewed", 0.3, 10),
                                      (1001, 20, "ties", 0, 10), (2000, 2000, "normalish", 0.02, 12), (1001, 400, "skewed", 0.05, 10),
                                      (900, 90, "normalish", 0.25, 10), (1200, 5000, "ties", -1, 10), (1001, 1001, "skewed", 0, 10),
                                      (60, 600, "normalish", 0, 5), (4000, 300, "skewed", 0.4, 16), (1001, 100, "normalish", 2.0, 10),
                                      (1001, 5000, "ties", 0, 10), (2500, 2500, "normalish", 0.3, 10), (800, 1600, "skewed", 0.15, 10)]:
        seed += 1
        scale = 5 if shape == "ties" else 1
        a_in, a = sample(seed, n1, shape, 0, scale, inline=n1 + n2 <= 2000)
        b_in, b = sample(seed + 50000, n2, shape, shift, scale, inline=n1 + n2 <= 2000)
        value, cuts, rc, cc = psi_numpy(a, b, bins)
        add("psi", f"psi-{shape}-{n1}x{n2}-shift{shift}-bins{bins}", {"a": a_in, "b": b_in, "bins": bins},
            {"statistic": value, "cutPoints": cuts.tolist(), "referenceCounts": rc.tolist(), "currentCounts": cc.tolist()})


def js_cases():
    rng = np.random.default_rng(13)
    for i in range(52):
        k = int(rng.integers(2, 12 if i < 16 else 40))
        p = rng.integers(0, 100, size=k).astype(float)
        q = rng.integers(0, 100, size=k).astype(float)
        if i % 3 == 0:
            p[0] = 0
        if i % 4 == 0:
            q[-1] = 0
        p[1] += 1
        q[1] += 1
        base = 2.0 if i % 2 else None
        add("jensen-shannon", f"js-{i}-k{k}-base{base}", {"p": p.tolist(), "q": q.tolist(), "base": base},
            {"statistic": float(distance.jensenshannon(p, q, base))})
    add("jensen-shannon", "js-identical", {"p": [1, 2, 3], "q": [2, 4, 6], "base": None},
        {"statistic": float(distance.jensenshannon([1, 2, 3], [2, 4, 6]))})


def wasserstein_cases():
    seed = 90000
    for n1, n2, shape, shift in [(5, 5, "normalish", 0), (10, 3, "normalish", 1), (100, 100, "skewed", 0.1),
                                 (300, 200, "ties", 0), (300, 200, "ties", 3), (1000, 1000, "normalish", 0.2),
                                 (50, 2000, "skewed", 0), (1500, 900, "normalish", -1), (40, 40, "normalish", 0.01),
                                 (3000, 3000, "skewed", 0.02), (7, 700, "ties", 1), (2500, 100, "normalish", 5),
                                 # 3x more, with 1,001-row references
                                 (1001, 10, "normalish", 0.1), (1001, 50, "skewed", 0), (1001, 1001, "ties", 0.5),
                                 (1001, 3000, "normalish", 0.02), (1001, 200, "skewed", 0.3), (1001, 1001, "normalish", 0),
                                 (5000, 500, "normalish", 0.05), (5000, 5000, "skewed", 0.1), (3000, 100, "ties", 0),
                                 (700, 700, "normalish", -1.0), (1500, 1500, "ties", 3), (100, 1000, "skewed", 0.3),
                                 (1001, 20, "ties", 0), (2000, 2000, "normalish", 0.02), (1001, 400, "skewed", 0.05),
                                 (900, 90, "normalish", 0.25), (1200, 5000, "ties", -1), (1001, 1001, "skewed", 0),
                                 (60, 600, "normalish", 0), (4000, 300, "skewed", 0.4), (1001, 100, "normalish", 2.0),
                                 (1001, 5000, "ties", 0), (2500, 2500, "normalish", 0.3), (800, 1600, "skewed", 0.15)]:
        seed += 1
        scale = 10 if shape == "ties" else 2
        a_in, a = sample(seed, n1, shape, 0, scale, inline=n1 + n2 <= 2000)
        b_in, b = sample(seed + 50000, n2, shape, shift, scale, inline=n1 + n2 <= 2000)
        w = stats.wasserstein_distance(a, b)
        add("wasserstein", f"w1-{shape}-{n1}x{n2}-shift{shift}", {"a": a_in, "b": b_in},
            {"statistic": float(w), "normed": float(w / max(float(np.std(a)), 0.001))})


def bh_cases():
    rng = np.random.default_rng(17)
    for i in range(36):
        m = int(rng.integers(1, 40 if i < 12 else 300))
        ps = rng.uniform(0, 1, size=m) ** (1 + 3 * (i % 3))
        if i % 4 == 0 and m > 2:
            ps[1] = ps[0]  # ties
        add("benjamini-hochberg", f"bh-{i}-m{m}", {"pValues": ps.tolist()},
            {"adjusted": stats.false_discovery_control(ps, method="bh").tolist()})


def chi_square_gof_cases():
    """Evidently's chi-square: scipy.stats.chisquare(current counts, reference counts * n_cur / n_ref)."""
    rng = np.random.default_rng(23)
    for i in range(60):
        k = int(rng.integers(2, 12))
        scale = int(rng.choice([10, 100, 1000]))
        ref = rng.integers(1, scale, size=k)
        cur = rng.integers(0, scale, size=k)
        if i % 4 == 0:
            cur = np.maximum(0, np.round(ref * (0.5 + rng.random()) + rng.integers(-3, 4, size=k))).astype(int)
        cats = [f"c{j}" for j in range(k)]
        ref_map = {c: int(v) for c, v in zip(cats, ref)}
        cur_map = {c: int(v) for c, v in zip(cats, cur) if v > 0}
        if not cur_map:
            continue
        f_exp = ref * (cur.sum() / ref.sum())
        stat, p = stats.chisquare(cur, f_exp)
        add("chi-square-gof", f"gof-{i}-k{k}-scale{scale}", {"reference": ref_map, "current": cur_map},
            {"statistic": float(stat), "pValue": float(p), "degreesOfFreedom": k - 1})
    # Issue 15: a category the reference never saw: expected count 0, statistic inf, p 0.
    add("chi-square-gof", "gof-new-category", {"reference": {"a": 5, "b": 5}, "current": {"a": 5, "b": 4, "c": 1}},
        {"statistic": "inf", "pValue": 0.0, "degreesOfFreedom": 2})


def evidently_binned(ref, cur, kind):
    """numpy replica of Evidently 0.7's get_binned_data (Sturges over both samples above 20 distinct reference values)."""
    if kind == "numeric" and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, bins)[0] / len(ref), np.histogram(cur, bins)[0] / len(cur), bins
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    r = np.array([np.sum(ref == k) for k in keys]) / len(ref)
    c = np.array([np.sum(cur == k) for k in keys]) / len(cur)
    return r, c, None


def fill_zeroes(x):
    x = x.copy()
    m = min(x[x != 0])
    np.place(x, x == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return x


def evidently_psi_js_cases():
    """Evidently-mode PSI and JS on numeric samples (Sturges bins or value counts)."""
    seed = 130000
    for n1, n2, shape, shift in [(100, 100, "normalish", 0), (1000, 200, "skewed", 0.1), (1001, 50, "normalish", 0.3),
                                 (500, 500, "ties", 0), (500, 500, "ties", 1), (2000, 2000, "skewed", 0),
                                 (1001, 1001, "normalish", 0.05), (300, 3000, "normalish", -0.5), (5000, 100, "skewed", 0.2),
                                 (1001, 10, "ties", 2), (1024, 1024, "normalish", 0.1), (2047, 1, "normalish", 0),
                                 (700, 400, "skewed", 1.0), (1500, 800, "ties", 0), (64, 64, "normalish", 0.2)]:
        for scale_ties in (5, 40):
            seed += 1
            scale = scale_ties if shape == "ties" else 1
            a_in, a = sample(seed, n1, shape, 0, scale, inline=False)
            b_in, b = sample(seed + 50000, n2, shape, shift * scale, scale, inline=False)
            r, c, bins = evidently_binned(a, b, "numeric")
            rz, cz = fill_zeroes(r), fill_zeroes(c)
            psi = float(np.sum((rz - cz) * np.log(rz / cz)))
            js = float(distance.jensenshannon(r, c))
            add("evidently-psi-js", f"ev-{shape}{scale}-{n1}x{n2}-shift{shift}", {"a": a_in, "b": b_in},
                {"psi": psi, "jensenShannon": js, "bins": None if bins is None else len(bins) - 1})
            if shape != "ties":
                break


def sketch_cases():
    """Exact (scipy) normed Wasserstein and KS D for sketched references of 1,001 to 5,000 rows and small windows."""
    seed = 170000
    for n1 in (1001, 1500, 5000):
        for n2 in (10, 30, 100, 1000):
            for shape, scale in (("normalish", 1), ("skewed", 3), ("ties", 30)):
                for shift in (0, 0.1):
                    seed += 1
                    a_in, a = sample(seed, n1, shape, 0, scale, inline=False)
                    b_in, b = sample(seed + 50000, n2, shape, shift * scale, scale, inline=False)
                    add("sketch", f"sketch-{shape}-{n1}x{n2}-shift{shift}", {"a": a_in, "b": b_in},
                        {"normed": float(stats.wasserstein_distance(a, b) / max(float(np.std(a)), 0.001)),
                         "ksStatistic": float(stats.ks_2samp(a, b).statistic)})


def main():
    ks_cases()
    ks_more_cases()
    kolmogorov_cases()
    chi_square_cases()
    z_cases()
    psi_cases()
    js_cases()
    wasserstein_cases()
    bh_cases()
    chi_square_gof_cases()
    evidently_psi_js_cases()
    sketch_cases()
    doc = {
        "generatedBy": "scripts/golden/drift_cases.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
        "tolerance": {"statisticRelative": 1e-12, "pValueRelative": 1e-9, "pValueAbsolute": 1e-15},
        "cases": cases,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    counts = {}
    for c in cases:
        counts[c["function"]] = counts.get(c["function"], 0) + 1
    print(f"wrote {len(cases)} cases to {OUT}: {counts}")


if __name__ == "__main__":
    main()
