"""scipy and Evidently on the drift benchmark data, against our report (ours.json).

Reads the files scripts/bench/bench-drift-data.ts wrote (raw float64 / uint8 codes + meta.json),
times scipy (ks_2samp + wasserstein_distance per numeric column) and Evidently's
DataDriftPreset on the same data, prints the ratios to our drift report and the
per-column verdict comparison. Exit status 1 if any verdict disagrees.

Run by `npm run bench:drift`; alone: <venv python> scripts/bench/compare_drift_scipy_evidently.py .data/bench/drift
"""
import json
import pathlib
import resource
import sys
import time

import numpy as np
import pandas as pd
import scipy
from scipy import stats

import evidently
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset

MISSING_CODE = 255
OUR_METHOD_NAMES = {
    "wasserstein-normed": "Wasserstein distance (normed)",
    "jensen-shannon": "Jensen-Shannon distance",
    "ks": "K-S p_value",
    "chi-square": "chi-square p_value",
    "z-test": "Z-test p_value",
}


def load(bench, meta, side):
    cols = {}
    for name in meta["numeric"]:
        cols[name] = np.fromfile(bench / side / f"{name}.f64", dtype="<f8")
    for spec in meta["categorical"]:
        codes = np.fromfile(bench / side / f"{spec['name']}.u8", dtype=np.uint8).astype(np.int16)
        codes[codes == MISSING_CODE] = -1
        cols[spec["name"]] = pd.Categorical.from_codes(codes, categories=spec["categories"])
    return pd.DataFrame(cols)


def evidently_verdicts(cur, ref, definition):
    """Column -> (method, score, drifted) from Evidently's DataDriftPreset."""
    snapshot = Report([DataDriftPreset()]).run(Dataset.from_pandas(cur, data_definition=definition), Dataset.from_pandas(ref, data_definition=definition))
    verdicts = {}
    for m in snapshot.dict()["metrics"]:
        cfg = m["config"]
        if cfg.get("type", "").endswith("ValueDrift"):
            is_p = "p_value" in cfg["method"]
            # Evidently's own rule: KS drifts at p <= threshold, other tests at p < threshold.
            drifted = (m["value"] <= cfg["threshold"] if cfg["method"].startswith("K-S") else m["value"] < cfg["threshold"]) if is_p else m["value"] >= cfg["threshold"]
            verdicts[cfg["column"]] = (cfg["method"], float(m["value"]), bool(drifted))
    return verdicts


def print_comparison(our_columns, theirs, shifted, title):
    """Per-column table against Evidently and the known shifts; returns (disagreements, our misses, worst relative score gap)."""
    print(f"\n{title}")
    print(f"{'column':8} {'shifted':7} {'our method':12} {'our score':>10} {'Evidently method':30} {'Evidently':>10}  ours   Evidently  agree")
    disagreements, misses, worst = [], [], 0.0
    for col in our_columns:
        name = col["column"]
        method, value, drifted = theirs.get(name, ("(missing)", float("nan"), None))
        ours_score = col["pValue"] if col.get("pValue") is not None else col["statistic"]
        agree = drifted == col["drifted"] and OUR_METHOD_NAMES.get(col["method"]) == method
        if value != ours_score:
            worst = max(worst, abs(ours_score - value) / max(abs(value), 1e-300))
        if not agree:
            disagreements.append(col)
        if col["drifted"] != (name in shifted):
            misses.append(name)
        flag = " (borderline)" if col.get("borderline") else ""
        print(f"{name:8} {'yes' if name in shifted else '-':7} {col['method']:12} {ours_score:10.4g} {method:30} {value:10.4g}  "
              f"{'DRIFT' if col['drifted'] else '-':6} {'DRIFT' if drifted else '-':9}  {'yes' if agree else 'NO'}{flag}")
    print(f"per-column verdicts agree with Evidently: {len(our_columns) - len(disagreements)}/{len(our_columns)}; "
          f"ours match the known shifts: {len(our_columns) - len(misses)}/{len(our_columns)}; largest relative score gap {worst:.2e}")
    return disagreements, misses, worst


def main():
    bench = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".data/bench/drift")
    meta = json.loads((bench / "meta.json").read_text())
    ours = json.loads((bench / "ours.json").read_text())
    print(f"\n--- scipy {scipy.__version__} / Evidently {evidently.__version__} / pandas {pd.__version__} on the same files ---")
    t0 = time.perf_counter()
    ref, cur = load(bench, meta, "reference"), load(bench, meta, "current")
    print(f"loaded in {time.perf_counter() - t0:.3f} s")

    t0 = time.perf_counter()
    scipy_wn = {}
    for name in meta["numeric"]:
        a, b = ref[name].dropna().to_numpy(), cur[name].dropna().to_numpy()
        stats.ks_2samp(a, b)
        scipy_wn[name] = stats.wasserstein_distance(a, b) / max(float(np.std(a)), 0.001)
    scipy_seconds = time.perf_counter() - t0
    print(f"scipy ks_2samp + wasserstein_distance, 20 numeric columns: {scipy_seconds:.3f} s")

    definition = DataDefinition(numerical_columns=meta["numeric"], categorical_columns=[c["name"] for c in meta["categorical"]])
    t0 = time.perf_counter()
    theirs = evidently_verdicts(cur, ref, definition)
    evidently_seconds = time.perf_counter() - t0
    print(f"Evidently DataDriftPreset, 25 columns: {evidently_seconds:.3f} s")

    build = ours["profileSeconds"]
    for mode, report in (("default", ours["reportSeconds"]), ("evidently", ours["evidently"]["reportSeconds"])):
        print(f"\nour drift report, compatibility '{mode}' (prebuilt profile): {report:.3f} s; profile build + report: {build + report:.3f} s")
        print(f"ratio Evidently / ours ('{mode}'): {evidently_seconds / report:.1f}x (report only), {evidently_seconds / (build + report):.1f}x (profile build + report); "
              f"target >= 5x: {'met' if evidently_seconds / report >= 5 else 'MISSED'}")
        print(f"ratio scipy / ours ('{mode}'):     {scipy_seconds / report:.1f}x (report only; scipy covers the 20 numeric columns)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (Python process): {peak:.0f} MiB")

    shifted = set(meta["shifted"])
    big_disagree, big_misses, _ = print_comparison(ours["columns"], theirs, shifted, f"compatibility 'default': {meta['rows']:,}-row reference (distances; score = distance)")
    worst_wn = max(abs(c["statistic"] - scipy_wn[c["column"]]) for c in ours["columns"] if c["column"] in scipy_wn)
    print(f"largest |our normed Wasserstein (sketch) - exact scipy value|: {worst_wn:.2e}")
    unbounded = [c["column"] for c in ours["columns"] if c["column"] in scipy_wn and c.get("errorBound") is not None and abs(c["statistic"] - scipy_wn[c["column"]]) > c["errorBound"] + 1e-12]
    print(f"sketched columns whose exact value lies outside the reported errorBound: {', '.join(unbounded) or 'none'}")
    ev_disagree, ev_misses, _ = print_comparison(ours["evidently"]["columns"], theirs, shifted, f"compatibility 'evidently': {meta['rows']:,}-row reference (sketched profile)")

    n = ours["small"]["rows"]
    small = evidently_verdicts(cur.head(n), ref.head(n), definition)
    small_disagree, small_misses, _ = print_comparison(ours["small"]["columns"], small, shifted, f"compatibility 'default': first {n} rows of each side (tests; score = p-value)")
    # Expected and documented: our chi-square is a homogeneity test, Evidently's a
    # goodness-of-fit test that treats the reference shares as exact, so it fires more.
    unexplained = [c["column"] for c in small_disagree if c["method"] != "chi-square"]
    if small_disagree:
        print(f"differences on chi-square columns ({', '.join(c['column'] for c in small_disagree if c['method'] == 'chi-square') or 'none'}): "
              "homogeneity vs Evidently's goodness-of-fit; see src/stats/drift/README.md")
    ev_small_disagree, _, ev_small_gap = print_comparison(ours["evidently"]["small"]["columns"], small, shifted, f"compatibility 'evidently': first {n} rows of each side (exact profile)")
    # Evidently mode must agree everywhere, except where a sketched column is flagged borderline.
    ev_unexplained = [c["column"] for c in ev_disagree + ev_small_disagree if not c.get("borderline")]
    if ev_small_gap > 1e-6:
        ev_unexplained.append(f"scores (relative gap {ev_small_gap:.1e})")
    sys.exit(1 if big_disagree or big_misses or small_misses or unexplained or unbounded or ev_unexplained else 0)


if __name__ == "__main__":
    main()
