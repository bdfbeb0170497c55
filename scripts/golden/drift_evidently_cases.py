"""Generate test/fixtures/golden-drift-evidently.json: Evidently 0.7's per-column methods,
scores and verdicts and its dataset verdict on generated datasets, for the TypeScript
drift report in `compatibility: 'evidently'` mode to be compared with
(test/unit/stats/drift/evidently-compat.test.ts replays the fixture).

Datasets: numeric (near-normal, skewed, heavy-tailed, zero-inflated), few-valued, binary,
constant and categorical columns, with NaNs, new categories and shifted currents;
references of 100, 1,000, 1,001, 5,000 and 1,000,000 rows; Evidently's default method
selection and, on some columns, a method picked per column (PSI, Jensen–Shannon, KS,
Wasserstein) the way a user would. Also the cases from issue 15.

Run:  python=$(CT_FLYWHEEL_VENV=/tmp/venv bash examples/python-common/ensure-venv.sh scripts/bench/requirements-bench-drift.txt | tail -1)
      "$python" scripts/golden/drift_evidently_cases.py
"""
import json
import pathlib
import sys
import time
import warnings

import numpy as np
import pandas as pd
import scipy

import evidently
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from drift_datasets import categorical_spec, generate, numeric_spec  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "golden-drift-evidently.json"

# Evidently display name -> our method id.
METHODS = {
    "Wasserstein distance (normed)": "wasserstein-normed",
    "Jensen-Shannon distance": "jensen-shannon",
    "K-S p_value": "ks",
    "chi-square p_value": "chi-square",
    "Z-test p_value": "z-test",
    "PSI": "psi",
    # A method picked per column keeps the name it was given.
    "psi": "psi",
    "jensenshannon": "jensen-shannon",
    "ks": "ks",
    "wasserstein": "wasserstein-normed",
}
DEFAULT_THRESHOLDS = {"psi": 0.1, "jensen-shannon": 0.1, "wasserstein-normed": 0.1, "ks": 0.05, "chi-square": 0.05, "z-test": 0.05}
# Our method id -> Evidently's stattest name (for a method picked per column).
EVIDENTLY_NAMES = {"psi": "psi", "jensen-shannon": "jensenshannon", "ks": "ks", "wasserstein-normed": "wasserstein"}


class Builder:
    def __init__(self):
        self.seed = 500000
        self.datasets = []
        self.rng = np.random.default_rng(20261130)

    def next_seed(self):
        self.seed += 1
        return self.seed

    def column(self, name, n_ref, n_cur, shift):
        """A random column kind with a matching current side, shifted or not."""
        r = self.rng
        kind = r.choice(["normalish", "skewed", "heavy", "ties", "mixed", "binary", "constant", "categorical", "categorical-new", "few"])
        nan_rate = 0.1 if r.random() < 0.25 else 0
        s = 1.0 if shift else 0.0
        if kind in ("categorical", "categorical-new"):
            k = int(r.integers(2, 8))
            cats = [f"c{j}" for j in range(k)]
            w = (r.integers(1, 20, size=k)).tolist()
            cur_cats, cur_w = list(cats), list(w)
            if shift:
                cur_w = (np.array(w) * (1 + 2 * r.random(k))).round().astype(int).clip(1).tolist()
            if kind == "categorical-new":
                cur_cats.append("new")
                cur_w.append(max(1, int(sum(w) * 0.05)))
            return {"name": name, "kind": "categorical",
                    "reference": categorical_spec(self.next_seed(), n_ref, cats, w, nan_rate),
                    "current": categorical_spec(self.next_seed(), n_cur, cur_cats, cur_w, nan_rate)}
        params = {
            "normalish": dict(loc=10.0, scale=3.0), "skewed": dict(loc=0.0, scale=5.0), "heavy": dict(loc=0.0, scale=1.0),
            "ties": dict(loc=0.0, scale=1.0, k=int(r.integers(3, 30))), "mixed": dict(loc=0.0, scale=4.0),
            "binary": dict(loc=0.0, scale=1.0, k=0.3), "constant": dict(loc=2.5, scale=1.0), "few": dict(loc=1.0, scale=1.0, k=int(r.integers(2, 6))),
        }[kind]
        gen_kind = "ties" if kind == "few" else kind
        cur = dict(params)
        if shift:
            if kind == "binary":
                cur["k"] = 0.45
            elif kind in ("ties", "few"):
                cur["loc"] = params["loc"] + 1.0
            elif kind == "constant":
                cur["loc"] = params["loc"] + s
            else:
                cur["loc"] = params["loc"] + 0.15 * params["scale"] * float(r.integers(1, 4))
        return {"name": name, "kind": "numeric",
                "reference": numeric_spec(self.next_seed(), n_ref, gen_kind, nan_rate=nan_rate, **params),
                "current": numeric_spec(self.next_seed(), n_cur, gen_kind, nan_rate=nan_rate, **cur)}

    def dataset(self, ds_id, n_ref, n_cur, n_cols, pick_methods=False):
        cols = []
        for j in range(n_cols):
            c = self.column(f"f{j}", n_ref, n_cur, shift=bool(self.rng.random() < 0.5))
            if pick_methods and self.rng.random() < 0.5:
                options = ["psi", "jensen-shannon"] + (["ks", "wasserstein-normed"] if c["kind"] == "numeric" and c["reference"]["kind"] not in ("constant",) else [])
                c["method"] = str(self.rng.choice(options))
            cols.append(c)
        self.datasets.append({"id": ds_id, "columns": cols})

    def fixed(self, ds_id, columns):
        self.datasets.append({"id": ds_id, "columns": columns})


def issue_cases(b):
    """The examples issue 15 names, written as datasets."""
    def cat(name, counts_ref, counts_cur, method=None):
        # Exact counts: these columns are stored inline as value lists, not as generator specs.
        ref = [k for k, v in counts_ref.items() for _ in range(v)]
        cur = [k for k, v in counts_cur.items() for _ in range(v)]
        col = {"name": name, "kind": "categorical", "reference": {"values": ref}, "current": {"values": cur}}
        if method:
            col["method"] = method
        return col

    def num(name, ref, cur, method=None):
        col = {"name": name, "kind": "numeric", "reference": {"values": [float(x) for x in ref]}, "current": {"values": [float(x) for x in cur]}}
        if method:
            col["method"] = method
        return col

    b.fixed("issue-chi2-new-category", [cat("c", {"a": 5, "b": 5}, {"a": 5, "b": 4, "c": 1})])
    b.fixed("issue-chi2-gof", [cat("c", {"a": 50, "b": 50, "c": 50}, {"a": 64, "b": 46, "c": 40})])
    few_ref = [1.0] * 500 + [2.0] * 10 + [3.0] * 10 + [4.0] * 480
    few_cur = [1.0] * 500 + [2.0] * 250 + [4.0] * 250
    b.fixed("issue-psi-few-valued", [num("x", few_ref, few_cur, "psi")])
    b.fixed("issue-psi-rare-category", [cat("c", {"a": 9990, "b": 9, "r": 1}, {"a": 9995, "b": 5}, "psi")])
    b.fixed("issue-wasserstein-squares", [num("x", [10 * (i / 1000) ** 2 for i in range(1001)], [10 * ((j + 0.5) / 10) ** 2 + 0.1775 for j in range(10)])])


def materialise(spec):
    return spec["values"] if "values" in spec else generate(spec)


def main():
    b = Builder()
    issue_cases(b)
    plan = [(100, [50, 100, 300]), (1000, [100, 1000, 2000]), (1001, [10, 50, 1001]), (5000, [500, 5000, 2000])]
    for n_ref, curs in plan:
        for i in range(12):
            n_cur = curs[i % len(curs)]
            b.dataset(f"ref{n_ref}-cur{n_cur}-{i}", n_ref, n_cur, int(b.rng.integers(3, 9)), pick_methods=(i % 3 == 2))
    for i, n_cur in enumerate([1000, 100000, 1000000]):
        b.dataset(f"ref1000000-cur{n_cur}-{i}", 1_000_000, n_cur, 4, pick_methods=(i == 1))
    t0 = time.perf_counter()
    for ds in b.datasets:
        ds["expected"] = evidently_report(ds)
    doc = {
        "generatedBy": "scripts/golden/drift_evidently_cases.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "pandas": pd.__version__, "evidently": evidently.__version__},
        "tolerance": {"scoreRelative": 1e-6, "pValueAbsolute": 1e-12},
        "datasets": b.datasets,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    cols = sum(len(d["columns"]) for d in b.datasets)
    print(f"wrote {len(b.datasets)} datasets, {cols} columns to {OUT} in {time.perf_counter() - t0:.1f} s")


def evidently_report(ds):
    """Evidently's DataDriftPreset on one dataset: per column method, score, verdict; the dataset verdict."""
    cols = ds["columns"]
    ref = pd.DataFrame({c["name"]: pd.Series(materialise(c["reference"]), dtype=object if c["kind"] == "categorical" else np.float64) for c in cols})
    cur = pd.DataFrame({c["name"]: pd.Series(materialise(c["current"]), dtype=object if c["kind"] == "categorical" else np.float64) for c in cols})
    return run_evidently(ds, ref, cur)


def run_evidently(ds, ref, cur):
    cols = ds["columns"]
    definition = DataDefinition(
        numerical_columns=[c["name"] for c in cols if c["kind"] == "numeric"],
        categorical_columns=[c["name"] for c in cols if c["kind"] == "categorical"],
    )
    per_column = {c["name"]: EVIDENTLY_NAMES[c["method"]] for c in cols if c.get("method")}
    preset = DataDriftPreset(per_column_method=per_column) if per_column else DataDriftPreset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snapshot = Report([preset]).run(Dataset.from_pandas(cur, data_definition=definition), Dataset.from_pandas(ref, data_definition=definition))
    out, count = {}, None
    for m in snapshot.dict()["metrics"]:
        cfg = m["config"]
        kind = cfg.get("type", "")
        if kind.endswith("ValueDrift"):
            ours = METHODS[cfg["method"]]
            value = float(m["value"])
            threshold = cfg["threshold"] if cfg.get("threshold") is not None else DEFAULT_THRESHOLDS[ours]
            # Evidently's rule (legacy stattests): KS drifts at p <= threshold, other tests at p < threshold, distances at >=.
            if ours == "ks":
                drifted = value <= threshold
            elif ours in ("chi-square", "z-test"):
                drifted = value < threshold
            else:
                drifted = value >= threshold
            out[cfg["column"]] = {"method": ours, "score": value, "drifted": bool(drifted)}
        elif kind.endswith("DriftedColumnsCount"):
            count = m["value"]
    drifted = sum(1 for v in out.values() if v["drifted"])
    assert count is None or int(count["count"]) == drifted, (ds["id"], count, drifted)
    share = drifted / len(out)
    return {"columns": out, "driftShare": share, "datasetDrift": bool(share >= 0.5)}


if __name__ == "__main__":
    main()
