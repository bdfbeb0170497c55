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
OUR_METHOD_NAMES = {"wasserstein-normed": "Wasserstein distance (normed)", "jensen-shannon": "Jensen-Shannon distance"}


def load(bench, meta, side):
    cols = {}
    for name in meta["numeric"]:
        cols[name] = np.fromfile(bench / side / f"{name}.f64", dtype="<f8")
    for spec in meta["categorical"]:
        codes = np.fromfile(bench / side / f"{spec['name']}.u8", dtype=np.uint8).astype(np.int16)
        codes[codes == MISSING_CODE] = -1
        cols[spec["name"]] = pd.Categorical.from_codes(codes, categories=spec["categories"])
    return pd.DataFrame(cols)


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
    snapshot = Report([DataDriftPreset()]).run(Dataset.from_pandas(cur, data_definition=definition), Dataset.from_pandas(ref, data_definition=definition))
    evidently_seconds = time.perf_counter() - t0
    print(f"Evidently DataDriftPreset, 25 columns: {evidently_seconds:.3f} s")

    theirs = {}
    for m in snapshot.dict()["metrics"]:
        cfg = m["config"]
        if cfg.get("type", "").endswith("ValueDrift"):
            is_p = "p_value" in cfg["method"]
            drifted = m["value"] < cfg["threshold"] if is_p else m["value"] >= cfg["threshold"]
            theirs[cfg["column"]] = (cfg["method"], float(m["value"]), bool(drifted))

    report = ours["reportSeconds"]
    print(f"\nour drift report (prebuilt profile): {report:.3f} s; profile build + report: {ours['profileSeconds'] + report:.3f} s")
    print(f"ratio Evidently / ours: {evidently_seconds / report:.1f}x (report only), {evidently_seconds / (ours['profileSeconds'] + report):.1f}x (profile build + report)")
    print(f"ratio scipy / ours:     {scipy_seconds / report:.1f}x (report only; scipy covers the 20 numeric columns)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (Python process): {peak:.0f} MiB")

    print(f"\n{'column':8} {'our method':20} {'ours':>9} {'Evidently method':30} {'Evidently':>9} {'|diff|':>9}  ours   Evidently  agree")
    disagreements = 0
    worst_wn = 0.0
    for col in ours["columns"]:
        name = col["column"]
        method, value, drifted = theirs.get(name, ("(missing)", float("nan"), None))
        agree = drifted == col["drifted"] and OUR_METHOD_NAMES.get(col["method"]) == method
        disagreements += 0 if agree else 1
        diff = abs(col["statistic"] - value)
        if name in scipy_wn:
            worst_wn = max(worst_wn, abs(col["statistic"] - scipy_wn[name]))
        print(f"{name:8} {col['method']:20} {col['statistic']:9.5f} {method:30} {value:9.5f} {diff:9.2e}  "
              f"{'DRIFT' if col['drifted'] else '-':6} {'DRIFT' if drifted else '-':9}  {'yes' if agree else 'NO'}")
    print(f"\nper-column verdicts agree with Evidently: {len(ours['columns']) - disagreements}/{len(ours['columns'])}")
    print(f"largest |our normed Wasserstein (sketch) - exact scipy value|: {worst_wn:.2e}")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
